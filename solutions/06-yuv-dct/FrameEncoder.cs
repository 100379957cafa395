namespace Lab06.YuvDct;

/// <summary>One frame through the pipeline at one quality.</summary>
/// <param name="Quality">The JPEG quality factor used.</param>
/// <param name="Bits">The estimated size: Σ over blocks of se(ΔDC) + ue(pairs) + Σ (ue(run) + se(level)).</param>
/// <param name="NonzeroLevels">How many quantised coefficients were not zero.</param>
/// <param name="Reconstruction">What a decoder would show.</param>
/// <param name="Psnr">PSNR of the reconstruction against the input, dB.</param>
public sealed record EncodedFrame(int Quality, long Bits, int NonzeroLevels, Plane Reconstruction, double Psnr)
{
    /// <summary>Bits per pixel.</summary>
    public double BitsPerPixel => (double)Bits / (Reconstruction.Width * Reconstruction.Height);
}

/// <summary>
/// A tiny "encode one frame" pipeline (编码一帧), JPEG-like, on one plane:
/// 8×8 blocks → level shift (−128) → DCT → quantise with the scaled Table K.1 → zigzag → run-length →
/// bits counted with Exp-Golomb lengths; and back: dequantise → inverse DCT → +128, round, clamp.
/// A plane whose size is not a multiple of 8 is padded by repeating its last column and row, as JPEG does.
/// </summary>
public static class FrameEncoder
{
    /// <summary>Encodes and decodes <paramref name="plane"/> at <paramref name="quality"/> (1–100).</summary>
    /// <exception cref="YuvException">The quality is not 1–100.</exception>
    public static EncodedFrame Encode(Plane plane, int quality)
    {
        ArgumentNullException.ThrowIfNull(plane);
        var table = JpegQuantisation.Scale(JpegQuantisation.LuminanceTable, quality);
        #region lab M5: for every 8×8 block (edges repeated): shift, DCT, quantise, zigzag, run-length, count bits (DC as the difference from the previous block's DC); then dequantise, inverse DCT, shift back into the reconstruction — README §Pipeline
        var reconstruction = new Plane(plane.Width, plane.Height);
        Span<double> samples = stackalloc double[64];
        Span<double> coefficients = stackalloc double[64];
        Span<short> levels = stackalloc short[64];
        Span<short> zigzag = stackalloc short[64];
        long bits = 0;
        int nonzero = 0, previousDc = 0;
        for (int top = 0; top < plane.Height; top += 8)
        {
            for (int left = 0; left < plane.Width; left += 8)
            {
                for (int i = 0; i < 64; i++)
                {
                    int x = Math.Min(left + i % 8, plane.Width - 1), y = Math.Min(top + i / 8, plane.Height - 1);
                    samples[i] = plane[x, y] - 128; // level shift, T.81 §A.3.1
                }

                Dct8x8.ForwardFast(samples, coefficients);
                JpegQuantisation.Quantise(coefficients, table, levels);
                Zigzag.Scan<short>(levels, zigzag);
                var pairs = RunLength.Encode(zigzag);
                bits += ExpGolomb.SignedBits(zigzag[0] - previousDc) + ExpGolomb.UnsignedBits(pairs.Count);
                foreach (var pair in pairs)
                {
                    bits += ExpGolomb.UnsignedBits(pair.Run) + ExpGolomb.SignedBits(pair.Level);
                }

                previousDc = zigzag[0];
                nonzero += pairs.Count + (zigzag[0] != 0 ? 1 : 0);

                JpegQuantisation.Dequantise(levels, table, coefficients);
                Dct8x8.InverseFast(coefficients, samples);
                for (int i = 0; i < 64; i++)
                {
                    int x = left + i % 8, y = top + i / 8;
                    if (x < plane.Width && y < plane.Height)
                    {
                        reconstruction[x, y] = ColourConverter.RoundAndClamp(samples[i] + 128);
                    }
                }
            }
        }

        return new EncodedFrame(quality, bits, nonzero, reconstruction, Quality.Psnr(Quality.Mse(plane, reconstruction)));
        #endregion
    }

    /// <summary>One <see cref="Encode"/> per quality: the points of a rate–distortion (率失真) curve.</summary>
    public static IReadOnlyList<EncodedFrame> RateDistortion(Plane plane, IEnumerable<int> qualities)
    {
        ArgumentNullException.ThrowIfNull(qualities);
        return qualities.Select(q => Encode(plane, q)).ToList();
    }
}
