using System.Diagnostics;
using System.Globalization;
using FFMpegCore;
using FFMpegCore.Enums;

namespace Lab00.FfmpegToolbox;

/// <summary>PSNR, SSIM and (when available) VMAF from ffmpeg's filters, read from what they log (README §Experiment).</summary>
public static class QualityMeter
{
    /// <summary>
    /// Compares <paramref name="distorted"/> with <paramref name="reference"/> frame by frame in one ffmpeg run:
    /// <c>-filter_complex "[0:v]split[a][b];[1:v]split[c][d];[a][c]psnr[p];[b][d]ssim[s]" -map [p] -map [s] -f null -</c>
    /// (plus libvmaf when <paramref name="withVmaf"/>).
    /// </summary>
    public static async Task<Quality> MeasureAsync(string distorted, string reference, bool withVmaf = false, ToolboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        #region lab M3: Locate, RequireInput both; FromFileInput(distorted).AddFileInput(reference).OutputToNull(o => o.WithComplexFilter(graph: split each input, psnr and ssim (and libvmaf) on a pair each, As labels).WithMap(each label)); run with FfmpegTools.RunAsync and ParseLog its standard error — README §Experiment
        var ffOptions = FfmpegTools.Locate(options);
        FfmpegTools.RequireInput(distorted);
        FfmpegTools.RequireInput(reference);
        string copies = withVmaf ? "3" : "2";
        string[] Labels(char side) => withVmaf ? [$"{side}0", $"{side}1", $"{side}2"] : [$"{side}0", $"{side}1"];
        var command = FFMpegArguments
            .FromFileInput(distorted)
            .AddFileInput(reference)
            .OutputToNull(output =>
            {
                output.WithComplexFilter(graph =>
                {
                    // A filter consumes its inputs, so each input is split once per metric.
                    var chain = graph
                        .From(0, StreamType.Video).WithCustomFilter("split", copies).As(Labels('d'))
                        .From(1, StreamType.Video).WithCustomFilter("split", copies).As(Labels('r'))
                        .From("d0").From("r0").WithCustomFilter("psnr").As("psnr")   // the distorted input first, the reference second
                        .From("d1").From("r1").WithCustomFilter("ssim").As("ssim");
                    if (withVmaf)
                    {
                        chain.From("d2").From("r2").WithCustomFilter("libvmaf").As("vmaf");
                    }
                });
                output.WithMap("psnr").WithMap("ssim");   // -f null - swallows the compared pictures; the scores are in the log
                if (withVmaf)
                {
                    output.WithMap("vmaf");
                }
            });

        var log = await FfmpegTools.RunAsync(command, ffOptions, distorted, cancellationToken).ConfigureAwait(false);
        return ParseLog(log);
        #endregion
    }

    /// <summary>
    /// Reads the filters' summary lines: <c>PSNR y:.. u:.. v:.. average:41.23 min:.. max:..</c>,
    /// <c>SSIM Y:.. U:.. V:.. All:0.987654 (19.08)</c> and <c>VMAF score: 93.1</c>.
    /// </summary>
    /// <exception cref="ToolboxException">FfmpegFailed when the PSNR or SSIM line is missing.</exception>
    public static Quality ParseLog(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        #region lab M3: find the line with "PSNR y:" and read the number after "average:" ("inf" is +∞); the line with "SSIM Y:" and the number after "All:"; "VMAF score:" if any — README §Experiment
        double? psnr = null, ssim = null, vmaf = null;
        foreach (var line in lines)
        {
            if (line.Contains("PSNR y:", StringComparison.Ordinal))
            {
                psnr = NumberAfter(line, "average:");
            }
            else if (line.Contains("SSIM Y:", StringComparison.Ordinal))
            {
                ssim = NumberAfter(line, "All:");
            }
            else if (line.Contains("VMAF score:", StringComparison.Ordinal))
            {
                vmaf = NumberAfter(line, "VMAF score:");
            }
        }

        return psnr is { } p && ssim is { } s
            ? new Quality(p, s, vmaf)
            : throw new ToolboxException(ToolboxProblem.FfmpegFailed, "",
                "ffmpeg's psnr/ssim filters printed no summary line (PSNR y:... average:..., SSIM Y:... All:...). Is the log level below info?");
        #endregion
    }

    /// <summary>Whether this ffmpeg has the libvmaf filter (<c>ffmpeg -hide_banner -filters</c> lists it). Debian's ffmpeg 5.1 does not.</summary>
    public static async Task<bool> HasVmafAsync(ToolboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        var ffOptions = FfmpegTools.Locate(options);
        var info = new ProcessStartInfo(Path.Combine(ffOptions.BinaryFolder, "ffmpeg"), "-hide_banner -filters")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new ToolboxException(ToolboxProblem.FfmpegMissing, ffOptions.BinaryFolder, "ffmpeg did not start. " + FfmpegTools.InstallHint);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        string listing = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await stderr.ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        // Each line: " flags name  in->out  description"; the name is the second field.
        return listing.Split('\n').Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "libvmaf", ..]);
    }

    private static double? NumberAfter(string line, string marker)
    {
        int at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = line.AsSpan(at + marker.Length).TrimStart();
        int end = rest.IndexOfAny(' ', '\t', '(');
        var number = end < 0 ? rest : rest[..end];
        if (number.SequenceEqual("inf"))
        {
            return double.PositiveInfinity;
        }

        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;
    }
}
