using System.Globalization;

namespace Lab00.FfmpegToolbox;

/// <summary>
/// <c>workbook try 00 &lt;media file&gt; [--experiment] [--out page.html]</c>: prints the probe summary of the learner's
/// own file (GOP and B-frames measured from its packets); with <c>--experiment</c> it also runs the preset × CRF grid on
/// it and writes the charts as an offline HTML page. Given code: it calls your <see cref="Probe"/> and <see cref="Experiment"/>.
/// </summary>
public static class ToolboxTryTool
{
    /// <summary>How to call it.</summary>
    public const string Usage = "usage: workbook try 00 <media file> [--experiment] [--out page.html]";

    /// <summary>Runs the tool. Returns the exit code: 0 done, 1 the file or ffmpeg is the problem, 2 bad arguments.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        string? file = null, page = null;
        bool experiment = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--experiment":
                    experiment = true;
                    break;
                case "--out" when i + 1 < args.Length:
                    page = args[++i];
                    break;
                case var arg when !arg.StartsWith("--", StringComparison.Ordinal) && file is null:
                    file = arg;
                    break;
                default:
                    await output.WriteLineAsync($"{Usage}   (unexpected argument '{args[i]}')").ConfigureAwait(false);
                    return 2;
            }
        }

        if (file is null)
        {
            await output.WriteLineAsync(Usage + "   (for example testdata/00-ffmpeg-toolbox/bframes.mp4)").ConfigureAwait(false);
            return 2;
        }

        try
        {
            var summary = await Probe.SummarizeAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(summary.Describe()).ConfigureAwait(false);
            if (experiment)
            {
                await RunExperimentAsync(file, page ?? Path.ChangeExtension(Path.GetFileName(file), null) + "-experiment.html", output, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }
        catch (ToolboxException e)
        {
            await output.WriteLineAsync($"{e.Problem}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (NotImplementedException e)
        {
            await output.WriteLineAsync($"not written yet: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task RunExperimentAsync(string file, string page, TextWriter output, CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        string work = Directory.CreateTempSubdirectory("workbook-try00-").FullName;
        try
        {
            await output.WriteLineAsync(string.Create(c, $"\nEncoding {Experiment.DefaultPresets.Count} presets × {Experiment.DefaultCrfs.Count} CRFs (libx264, no audio); a long file takes long — cut it first (Processing.TrimOnKeyframesAsync).")).ConfigureAwait(false);
            var results = await Experiment.RunAsync(file, Experiment.DefaultPresets, Experiment.DefaultCrfs, work,
                progress: new Progress<string>(step => output.Write(step + " … ")), cancellationToken: cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync("preset       CRF      bytes     kb/s  CPU s  ÷fastest  PSNR dB    SSIM    VMAF").ConfigureAwait(false);
            foreach (var r in results)
            {
                await output.WriteLineAsync(string.Create(c,
                    $"{r.Preset,-10} {r.Crf,5} {r.Bytes,10} {r.BitrateKbps,8:0.0} {r.EncodeCpuSeconds,6:0.00} {r.SpeedRatio,9:0.00} {r.Psnr,8:0.00} {r.Ssim,7:0.0000} {(r.Vmaf is { } v ? v.ToString("0.0", c) : "—"),7}")).ConfigureAwait(false);
            }

            await File.WriteAllTextAsync(page, ExperimentReport.ToHtml(results, $"preset × CRF on {Path.GetFileName(file)}"), cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"Charts: {Path.GetFullPath(page)} (offline: plotly.js is inside the page)").ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
