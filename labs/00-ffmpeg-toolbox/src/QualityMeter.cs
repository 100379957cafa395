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
        throw new NotImplementedException("Lab 00 · M3: Locate, RequireInput both; FromFileInput(distorted).AddFileInput(reference).OutputToNull(o => o.WithComplexFilter(graph: split each input, psnr and ssim (and libvmaf) on a pair each, As labels).WithMap(each label)); run with FfmpegTools.RunAsync and ParseLog its standard error — README §Experiment");
    }

    /// <summary>
    /// Reads the filters' summary lines: <c>PSNR y:.. u:.. v:.. average:41.23 min:.. max:..</c>,
    /// <c>SSIM Y:.. U:.. V:.. All:0.987654 (19.08)</c> and <c>VMAF score: 93.1</c>.
    /// </summary>
    /// <exception cref="ToolboxException">FfmpegFailed when the PSNR or SSIM line is missing.</exception>
    public static Quality ParseLog(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        throw new NotImplementedException("Lab 00 · M3: find the line with \"PSNR y:\" and read the number after \"average:\" (\"inf\" is +∞); the line with \"SSIM Y:\" and the number after \"All:\"; \"VMAF score:\" if any — README §Experiment");
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
