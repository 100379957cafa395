namespace Lab06.YuvDct;

/// <summary>
/// Zigzag order (之字形扫描): the 64 coefficients from low to high frequency, so the zeros that
/// quantisation leaves at high frequencies come last in one long run (ITU-T T.81 Figure A.6).
/// </summary>
public static class Zigzag
{
    /// <summary>Order[k] = the row-order index (v·8 + u) of the k-th coefficient in zigzag order (T.81 Figure A.6).</summary>
    public static ReadOnlySpan<byte> Order =>
    [
        0, 1, 8, 16, 9, 2, 3, 10,
        17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34,
        27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36,
        29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46,
        53, 60, 61, 54, 47, 55, 62, 63,
    ];

    /// <summary>Row order → zigzag order.</summary>
    public static void Scan<T>(ReadOnlySpan<T> block, Span<T> zigzag)
    {
        #region lab M4: zigzag[k] = block[Order[k]] — README §Zigzag
        for (int k = 0; k < Dct8x8.BlockSize; k++)
        {
            zigzag[k] = block[Order[k]];
        }
        #endregion
    }

    /// <summary>Zigzag order → row order.</summary>
    public static void Unscan<T>(ReadOnlySpan<T> zigzag, Span<T> block)
    {
        #region lab M4: block[Order[k]] = zigzag[k] — README §Zigzag
        for (int k = 0; k < Dct8x8.BlockSize; k++)
        {
            block[Order[k]] = zigzag[k];
        }
        #endregion
    }
}
