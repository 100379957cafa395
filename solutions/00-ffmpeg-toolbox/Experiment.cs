using System.Globalization;
using FFMpegCore;
using FFMpegCore.Enums;

namespace Lab00.FfmpegToolbox;

/// <summary>The preset × CRF experiment (参数对比实验): encode, weigh, time and score every combination (README §Experiment).</summary>
public static class Experiment
{
    /// <summary>The presets the try tool and the notebook compare, fastest first.</summary>
    public static IReadOnlyList<string> DefaultPresets { get; } = ["ultrafast", "veryfast", "medium", "slow"];

    /// <summary>The CRFs the try tool and the notebook compare.</summary>
    public static IReadOnlyList<int> DefaultCrfs { get; } = [18, 23, 28, 33, 38];

    /// <summary>
    /// Encodes the video of <paramref name="input"/> (no audio) with libx264 for every preset × CRF into
    /// <paramref name="workFolder"/> (<c>{preset}-crf{crf}.mp4</c>), one encode at a time, and measures each.
    /// </summary>
    /// <returns>One result per combination, presets in the given order, CRFs in the given order within each.</returns>
    public static async Task<IReadOnlyList<ExperimentResult>> RunAsync(
        string input, IReadOnlyList<string> presets, IReadOnlyList<int> crfs, string workFolder,
        ToolboxOptions? options = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(presets);
        ArgumentNullException.ThrowIfNull(crfs);
        #region lab M3: Locate, RequireInput, probe the duration; per preset and CRF encode with libx264 -crf -preset -an -benchmark, read "bench: utime=" from the log (ParseCpuSeconds), size the file, QualityMeter.MeasureAsync (VMAF only when HasVmafAsync); then SpeedRatio = preset's mean CPU ÷ the smallest preset mean — README §Experiment
        var ffOptions = FfmpegTools.Locate(options);
        FfmpegTools.RequireInput(input);
        Directory.CreateDirectory(workFolder);
        var source = await Probe.SummarizeAsync(input, options, cancellationToken).ConfigureAwait(false);
        bool vmaf = await QualityMeter.HasVmafAsync(options, cancellationToken).ConfigureAwait(false);
        var cells = new List<(string Preset, int Crf, long Bytes, double Cpu, Quality Quality, string Path)>();
        foreach (var preset in presets)
        {
            foreach (var crf in crfs)
            {
                string output = Path.Combine(workFolder, $"{preset}-crf{crf}.mp4");
                progress?.Report($"{preset} CRF {crf}");
                var command = FFMpegArguments
                    .FromFileInput(input)
                    .OutputToFile(output, overwrite: true, o => o
                        .WithVideoCodec(VideoCodec.LibX264)
                        .WithSpeedPreset(preset)
                        .WithConstantRateFactor(crf)
                        .WithPixelFormat("yuv420p")
                        .DisableAudio()
                        .WithCustomArgument("-benchmark"));  // ffmpeg prints "bench: utime=…s stime=…s rtime=…s" at the end
                var log = await FfmpegTools.RunAsync(command, ffOptions, output, cancellationToken).ConfigureAwait(false);
                double cpu = ParseCpuSeconds(log);
                var quality = await QualityMeter.MeasureAsync(output, input, vmaf, options, cancellationToken).ConfigureAwait(false);
                cells.Add((preset, crf, new FileInfo(output).Length, cpu, quality, output));
            }
        }

        // Time as a ratio: absolute seconds depend on the machine and its load; ratios between presets travel.
        var meanCpu = cells.GroupBy(c => c.Preset).ToDictionary(g => g.Key, g => g.Average(c => c.Cpu));
        double fastest = Math.Max(meanCpu.Values.Min(), 1e-6);
        double seconds = Math.Max(source.Duration.TotalSeconds, 1e-6);
        return cells.Select(c => new ExperimentResult(
            c.Preset, c.Crf, c.Bytes, c.Bytes * 8 / seconds / 1000, c.Cpu, meanCpu[c.Preset] / fastest,
            c.Quality.Psnr, c.Quality.Ssim, c.Quality.Vmaf, c.Path)).ToList();
        #endregion
    }

    /// <summary>The user CPU seconds in ffmpeg's <c>-benchmark</c> line "bench: utime=0.123s stime=0.010s rtime=0.140s".</summary>
    public static double ParseCpuSeconds(IEnumerable<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        foreach (var line in log)
        {
            int at = line.IndexOf("utime=", StringComparison.Ordinal);
            if (line.Contains("bench:", StringComparison.Ordinal) && at >= 0)
            {
                var rest = line.AsSpan(at + "utime=".Length);
                int end = rest.IndexOf('s');
                if (end > 0 && double.TryParse(rest[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
                {
                    return seconds;
                }
            }
        }

        throw new ToolboxException(ToolboxProblem.FfmpegFailed, "", "ffmpeg printed no 'bench: utime=' line: pass -benchmark.");
    }
}
