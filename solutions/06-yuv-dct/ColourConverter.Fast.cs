namespace Lab06.YuvDct;

/// <summary>
/// The second version of RGB → 4:2:0, for speed, beside the readable one above it
/// (<see cref="RgbToYuv"/>). Two changes, each worth a few times:
/// <list type="number">
/// <item><b>Fixed point (定点运算).</b> Every weight of the matrix is scaled by 2^16 and rounded once, up
/// front, to an integer: Y = (yR·R + yG·G + yB·B + offset·2^16 + 2^15) >> 16. Three integer
/// multiply-adds and a shift per sample instead of <c>double</c> arithmetic, and adding 2^15 before
/// the shift is "round half up", as <see cref="RoundAndClamp"/> does. The rounding error of a weight is
/// at most 2^−17, so a sum of three over 0–255 moves by less than 0.006 of a code: within ±1 of ffmpeg
/// like the <c>double</c> version (swscale itself works this way, with 15- and 16-bit weights).</item>
/// <item><b>Chroma straight from 2×2 RGB blocks.</b> Cb and Cr are linear in R, G, B, so the average of
/// four pixels' Cb is the Cb of their summed R, G and B divided by 4: sum the block first, multiply
/// once, and fold the ÷4 into the shift (>> 18). No 4:4:4 frame, no second pass, a quarter of the
/// chroma multiplications. It rounds once instead of twice, so it can differ from
/// <see cref="RgbToYuv"/> by 1 — both stay within ±1 of ffmpeg's <c>area</c> filter.</item>
/// </list>
/// The weights of each row are made to sum exactly to what they must (luma to 219/255·2^16 or 2^16, each
/// chroma row to 0), so white lands exactly on 235 (or 255) and every grey on Cb = Cr = 128.
/// Where the CPU has vectors, 16 pixels of both rows go through each step (ColourConverter.Vector.cs):
/// the same arithmetic, so the same result; a row's last few pixels take the scalar loop.
/// Any <see cref="ColourMatrix"/> and either <see cref="ColourRange"/>; the output is always 4:2:0, and
/// at an odd right or bottom edge the missing column or row of a block repeats the edge, as
/// <see cref="ChromaResampler.Downsample"/> does.
/// </summary>
public static partial class ColourConverter
{
    /// <summary>Fixed-point weights carry 16 fractional bits: 1.0 is 65 536.</summary>
    public const int FixedPointBits = 16;

    /// <summary>
    /// Packed 24-bit RGB (ffmpeg's <c>rgb24</c>) to a 4:2:0 frame, in fixed point, chroma from 2×2 blocks;
    /// within ±1 of <see cref="RgbToYuv"/> with <see cref="ChromaFormat.Yuv420"/> (and of ffmpeg).
    /// </summary>
    /// <exception cref="YuvException">A bad size, an unknown range, or <paramref name="rgb"/> is not width × height × 3 bytes.</exception>
    public static YuvFrame RgbToI420Fast(ReadOnlySpan<byte> rgb, int width, int height, ColourMatrix matrix, ColourRange range)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        #region lab M6: check as RgbToYuv does; scale the weights by 2^16 to ints once; per pair of rows: Y of each pixel = (weights·RGB + offset·2^16 + 2^15) >> 16, Cb and Cr of each 2×2 block from its summed R, G, B, >> 18 (÷4 folded in), clamp; odd edges repeat — README §Fast colour
        FrameLayout.CheckSize(width, height);
        if (rgb.Length != width * height * 3)
        {
            throw new YuvException(nameof(rgb), rgb.Length, $"A {width}×{height} rgb24 picture is {width * height * 3} bytes; got {rgb.Length}.");
        }

        var weights = FixedWeights.For(matrix, range);
        var frame = YuvFrame.Create(ChromaFormat.Yuv420, width, height);
        var luma = frame.Y.Samples.AsSpan();
        var cb = frame.Cb.Samples.AsSpan();
        var cr = frame.Cr.Samples.AsSpan();
        int chromaWidth = frame.Cb.Width;
        for (int y = 0; y < height; y += 2)
        {
            int below = Math.Min(y + 1, height - 1); // an odd height: the last row is its own pair
            ConvertRowPair(
                rgb.Slice(y * width * 3, width * 3), rgb.Slice(below * width * 3, width * 3),
                luma.Slice(y * width, width), luma.Slice(below * width, width),
                cb.Slice(y / 2 * chromaWidth, chromaWidth), cr.Slice(y / 2 * chromaWidth, chromaWidth),
                in weights);
        }

        return frame;
        #endregion
    }

    #region lab-remove
    /// <summary>The weights of <see cref="RgbToYuv"/>'s formulas times 2^16, rounded, with the rounding constants.</summary>
    private readonly record struct FixedWeights(int YR, int YG, int YB, int YAdd, int CbR, int CbG, int CbB, int CrR, int CrG, int CrB, int CAdd)
    {
        public static FixedWeights For(ColourMatrix matrix, ColourRange range)
        {
            var (lumaScale, chromaScale, lumaOffset) = Scales(range);
            const double One = 1 << FixedPointBits;

            // Y = offset + lumaScale·(Kr·R + Kg·G + Kb·B); Kg's weight takes what is left, so the three sum exactly.
            int yR = Round(lumaScale * matrix.Kr * One), yB = Round(lumaScale * matrix.Kb * One);
            int yG = Round(lumaScale * One) - yR - yB;

            // Cb = 128 + chromaScale·(B − Y')/(2(1 − Kb)): B's weight is chromaScale/2, R's and G's negative;
            // G's weight takes what is left so the row sums to 0 (a grey has no colour). Cr the same with R.
            double cbDivisor = 2 * (1 - matrix.Kb), crDivisor = 2 * (1 - matrix.Kr);
            int cbB = Round(chromaScale * (1 - matrix.Kb) / cbDivisor * One), cbR = Round(-chromaScale * matrix.Kr / cbDivisor * One);
            int crR = Round(chromaScale * (1 - matrix.Kr) / crDivisor * One), crB = Round(-chromaScale * matrix.Kb / crDivisor * One);

            // + offset and + ½ (round half up) in the same fixed point; chroma sums 4 pixels, so 2 more bits.
            int yAdd = (int)lumaOffset << FixedPointBits | 1 << (FixedPointBits - 1);
            int cAdd = 128 << (FixedPointBits + 2) | 1 << (FixedPointBits + 1);
            return new(yR, yG, yB, yAdd, cbR, -cbR - cbB, cbB, crR, -crR - crB, crB, cAdd);
        }

        private static int Round(double value) => (int)Math.Round(value, MidpointRounding.AwayFromZero);
    }

    /// <summary>Two rows of pixels (the same row twice at an odd bottom edge) → their luma and one row of chroma.</summary>
    private static void ConvertRowPair(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, Span<byte> lumaTop, Span<byte> lumaBottom, Span<byte> cb, Span<byte> cr, in FixedWeights w)
    {
        int width = lumaTop.Length;
        int done = ConvertRowPairVector(top, bottom, lumaTop, lumaBottom, cb, cr, in w); // 16 pixels a step, where vectors are fast
        for (int cx = done; cx < cb.Length; cx++)
        {
            int left = 2 * cx, right = Math.Min(left + 1, width - 1); // an odd width: the last column is its own pair
            int sumR = 0, sumG = 0, sumB = 0;
            lumaTop[left] = Luma(top, left, in w, ref sumR, ref sumG, ref sumB);
            lumaTop[right] = Luma(top, right, in w, ref sumR, ref sumG, ref sumB);
            lumaBottom[left] = Luma(bottom, left, in w, ref sumR, ref sumG, ref sumB);
            lumaBottom[right] = Luma(bottom, right, in w, ref sumR, ref sumG, ref sumB);
            cb[cx] = Clamp((w.CbR * sumR + w.CbG * sumG + w.CbB * sumB + w.CAdd) >> (FixedPointBits + 2));
            cr[cx] = Clamp((w.CrR * sumR + w.CrG * sumG + w.CrB * sumB + w.CAdd) >> (FixedPointBits + 2));
        }
    }

    /// <summary>The luma of pixel <paramref name="x"/> of a row, adding its R, G, B to the block's sums.</summary>
    private static byte Luma(ReadOnlySpan<byte> row, int x, in FixedWeights w, ref int sumR, ref int sumG, ref int sumB)
    {
        int r = row[3 * x], g = row[3 * x + 1], b = row[3 * x + 2];
        sumR += r;
        sumG += g;
        sumB += b;
        return Clamp((w.YR * r + w.YG * g + w.YB * b + w.YAdd) >> FixedPointBits);
    }

    /// <summary>0–255: full-range Cr of pure red is 255.5 before rounding, and a made-up matrix may go further.</summary>
    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
    #endregion
}
