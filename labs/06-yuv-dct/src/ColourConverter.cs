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
        throw new NotImplementedException("Lab 06 · M2: check the length, compute Y', Pb, Pr per pixel, scale and offset for the range, round and clamp; then ChromaResampler.Convert to the target — README §Colour");
    }

    /// <summary>Converts a frame to packed 24-bit RGB, repeating subsampled chroma over the pixels it covers.</summary>
    public static byte[] YuvToRgb(YuvFrame frame, ColourMatrix matrix, ColourRange range)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(matrix);
        throw new NotImplementedException("Lab 06 · M2: upsample to 4:4:4, undo the range's offset and scale, invert the matrix (R = Y' + 2(1−Kr)Pr, B = Y' + 2(1−Kb)Pb, G from Y'), round and clamp — README §Colour");
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
