namespace Lab06.YuvDct;

/// <summary>
/// R'G'B' ↔ Y'CbCr (色彩空间转换), 8 bits per sample, for a <see cref="ColourMatrix"/> and a <see cref="ColourRange"/>.
/// <code>
///   Y' = Kr·R + Kg·G + Kb·B                                 (R, G, B in 0–255)
///   Pb = (B − Y') / (2(1 − Kb))     Pr = (R − Y') / (2(1 − Kr))   (each −127.5…127.5)
///   limited: Y = 16 + 219/255·Y'    Cb = 128 + 224/255·Pb   Cr = 128 + 224/255·Pr
///   full:    Y = Y'                 Cb = 128 + Pb           Cr = 128 + Pr
/// </code>
/// computed in floating point, rounded to the nearest integer (halves up) and clamped to 0–255 only at
/// the end. RGB → 4:2:0 computes chroma for every pixel, then averages it (<see cref="ChromaResampler"/>).
/// </summary>
public static partial class ColourConverter
{
    /// <summary>Converts packed 24-bit RGB (R, G, B per pixel, rows top to bottom; ffmpeg's <c>rgb24</c>) to a frame in <paramref name="target"/>.</summary>
    /// <exception cref="YuvException">A bad size, or <paramref name="rgb"/> is not width × height × 3 bytes.</exception>
    public static YuvFrame RgbToYuv(ReadOnlySpan<byte> rgb, int width, int height, ColourMatrix matrix, ColourRange range, ChromaFormat target = ChromaFormat.Yuv444)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        #region lab M2: check the length, compute Y', Pb, Pr per pixel, scale and offset for the range, round and clamp; then ChromaResampler.Convert to the target — README §Colour
        FrameLayout.CheckSize(width, height);
        if (rgb.Length != width * height * 3)
        {
            throw new YuvException(nameof(rgb), rgb.Length, $"A {width}×{height} rgb24 picture is {width * height * 3} bytes; got {rgb.Length}.");
        }

        var (lumaScale, chromaScale, lumaOffset) = Scales(range);
        var frame = YuvFrame.Create(ChromaFormat.Yuv444, width, height);
        for (int i = 0; i < width * height; i++)
        {
            double r = rgb[3 * i], g = rgb[3 * i + 1], b = rgb[3 * i + 2];
            double luma = matrix.Kr * r + matrix.Kg * g + matrix.Kb * b;
            double pb = (b - luma) / (2 * (1 - matrix.Kb));
            double pr = (r - luma) / (2 * (1 - matrix.Kr));
            frame.Y.Samples[i] = RoundAndClamp(lumaOffset + lumaScale * luma);
            frame.Cb.Samples[i] = RoundAndClamp(128 + chromaScale * pb);
            frame.Cr.Samples[i] = RoundAndClamp(128 + chromaScale * pr);
        }

        return target == ChromaFormat.Yuv444 ? frame : ChromaResampler.Convert(frame, target);
        #endregion
    }

    /// <summary>Converts a frame to packed 24-bit RGB, repeating subsampled chroma over the pixels it covers.</summary>
    public static byte[] YuvToRgb(YuvFrame frame, ColourMatrix matrix, ColourRange range)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(matrix);
        #region lab M2: upsample to 4:4:4, undo the range's offset and scale, invert the matrix (R = Y' + 2(1−Kr)Pr, B = Y' + 2(1−Kb)Pb, G from Y'), round and clamp — README §Colour
        var full = frame.Format == ChromaFormat.Yuv444 ? frame : ChromaResampler.Convert(frame, ChromaFormat.Yuv444);
        var (lumaScale, chromaScale, lumaOffset) = Scales(range);
        var rgb = new byte[frame.Width * frame.Height * 3];
        for (int i = 0; i < frame.Width * frame.Height; i++)
        {
            double luma = (full.Y.Samples[i] - lumaOffset) / lumaScale;
            double pb = (full.Cb.Samples[i] - 128) / chromaScale;
            double pr = (full.Cr.Samples[i] - 128) / chromaScale;
            double r = luma + 2 * (1 - matrix.Kr) * pr;
            double b = luma + 2 * (1 - matrix.Kb) * pb;
            double g = (luma - matrix.Kr * r - matrix.Kb * b) / matrix.Kg;
            rgb[3 * i] = RoundAndClamp(r);
            rgb[3 * i + 1] = RoundAndClamp(g);
            rgb[3 * i + 2] = RoundAndClamp(b);
        }

        return rgb;
        #endregion
    }

    /// <summary>Nearest integer, halves rounded up, then clamped to 0–255.</summary>
    public static byte RoundAndClamp(double value) => (byte)Math.Clamp(Math.Floor(value + 0.5), 0, 255);

    // BT.601 §2.5.3 / BT.709 Table 3 item 3.5: limited range puts black at 16, white at 235 (219 steps)
    // and chroma between 16 and 240 (224 steps); full range uses 255 steps for both.
    private static (double LumaScale, double ChromaScale, double LumaOffset) Scales(ColourRange range) => range switch
    {
        ColourRange.Limited => (219.0 / 255, 224.0 / 255, 16),
        ColourRange.Full => (1, 1, 0),
        _ => throw new YuvException(nameof(range), range, $"Unknown colour range {range}."),
    };
}
