using System.Globalization;

namespace Lab06.YuvDct;

/// <summary>
/// <c>workbook try 06 &lt;frame.yuv&gt; --size WxH [--format i420|nv12] [--png out.png] [--psnr other.yuv] [--jpeg-quality Q]</c>:
/// describes a raw frame, compares it with another, shows what JPEG-style quantisation does to its luma,
/// and writes a PNG to look at. Given code: it calls your RawYuv, ColourConverter, Quality and FrameEncoder.
/// </summary>
public static class YuvTryTool
{
    private const string Usage = "usage: workbook try 06 <frame.yuv> --size WxH [--format i420|nv12] [--png out.png] [--psnr other.yuv] [--jpeg-quality Q]";

    /// <summary>Runs the tool once. Returns the exit code (0 ok, 1 bad input, 2 bad arguments).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        string? file = null, png = null, other = null;
        int width = 0, height = 0, quality = 0;
        var layout = RawLayout.I420;
        for (int i = 0; i < args.Length; i++)
        {
            string? next = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--size" when next is not null && TryParseSize(next, out width, out height):
                case "--format" when next is not null && TryParseLayout(next, out layout):
                case "--png" when (png = next) is not null:
                case "--psnr" when (other = next) is not null:
                case "--jpeg-quality" when next is not null && int.TryParse(next, CultureInfo.InvariantCulture, out quality):
                    i++;
                    break;
                default:
                    if (file is null && !args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        file = args[i];
                        break;
                    }

                    await output.WriteLineAsync($"{Usage}   (cannot use '{args[i]}')").ConfigureAwait(false);
                    return 2;
            }
        }

        if (file is null || width == 0)
        {
            await output.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var frame = RawYuv.ReadFile(file, width, height, layout);
            await output.WriteLineAsync(Describe(file, frame, layout)).ConfigureAwait(false);
            var shown = frame;
            if (other is not null)
            {
                var second = RawYuv.ReadFile(other, width, height, layout);
                var report = Quality.Compare(frame, second);
                double ssim = Quality.Ssim(frame.Y, second.Y);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"vs {Path.GetFileName(other)}: PSNR y:{report.PsnrY:F6} u:{report.PsnrCb:F6} v:{report.PsnrCr:F6} average:{report.PsnrAverage:F6} 6:1:1:{report.Psnr611:F6}  SSIM Y:{ssim:F6}")).ConfigureAwait(false);
            }

            if (quality != 0)
            {
                var encoded = FrameEncoder.Encode(frame.Y, quality);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"luma at JPEG quality {quality}: {encoded.Bits} bits ({encoded.BitsPerPixel:F3} bit/pixel, {encoded.NonzeroLevels} nonzero levels), PSNR {encoded.Psnr:F2} dB")).ConfigureAwait(false);
                shown = new YuvFrame(frame.Format, encoded.Reconstruction, frame.Cb, frame.Cr);
            }

            if (png is not null)
            {
                var rgb = ColourConverter.YuvToRgb(shown, ColourMatrix.Bt601, ColourRange.Limited);
                await File.WriteAllBytesAsync(png, Png.Rgb(rgb, frame.Width, frame.Height), cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"wrote {png} ({(quality != 0 ? "luma after quantisation, " : "")}BT.601 limited range, chroma repeated)").ConfigureAwait(false);
            }

            return 0;
        }
        catch (YuvException e)
        {
            await output.WriteLineAsync($"bad input ({e.ParamName} = {e.Value}): {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (IOException e)
        {
            await output.WriteLineAsync($"cannot read or write: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static string Describe(string file, YuvFrame frame, RawLayout layout)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Path.GetFileName(file)}: {frame.Width}×{frame.Height} {layout} ({frame.Format}), {FrameLayout.FrameSize(layout, frame.Width, frame.Height)} bytes per frame");
        foreach (var (name, plane) in new[] { ("Y ", frame.Y), ("Cb", frame.Cb), ("Cr", frame.Cr) })
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {name} {plane.Width,4}×{plane.Height,-4}  min {plane.Samples.Min(),3}  mean {plane.Samples.Average(b => (double)b),6:F1}  max {plane.Samples.Max(),3}");
        }

        return text.ToString().TrimEnd();
    }

    private static bool TryParseSize(string text, out int width, out int height)
    {
        width = height = 0;
        var parts = text.Split('x', 'X');
        return parts.Length == 2
            && int.TryParse(parts[0], CultureInfo.InvariantCulture, out width)
            && int.TryParse(parts[1], CultureInfo.InvariantCulture, out height);
    }

    private static bool TryParseLayout(string text, out RawLayout layout)
    {
        layout = text.ToLowerInvariant() switch
        {
            "i420" or "yuv420p" => RawLayout.I420,
            "nv12" => RawLayout.Nv12,
            "i422" or "yuv422p" => RawLayout.I422,
            "i444" or "yuv444p" => RawLayout.I444,
            _ => (RawLayout)(-1),
        };
        return Enum.IsDefined(layout);
    }
}
