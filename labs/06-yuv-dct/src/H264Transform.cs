namespace Lab06.YuvDct;

/// <summary>
/// H.264's 4×4 integer transform (整数变换): an exact-integer cousin of the DCT, so encoder and decoder
/// never drift apart, with the scaling that a DCT would need folded into quantisation.
/// Blocks are 16 ints in row order (index = i·4 + j, i the row).
/// </summary>
public static class H264Transform
{
    /// <summary>Lowest and highest QP for 8-bit video (ITU-T H.264 §7.4.2.2: QP′Y in 0..51).</summary>
    public const int MinQp = 0, MaxQp = 51;

    /// <summary>The core forward matrix Cf (Richardson, "The H.264 Advanced Video Compression Standard", §7.2.3): W = Cf·X·Cfᵀ.</summary>
    public static ReadOnlySpan<int> ForwardMatrix => [1, 1, 1, 1, 2, 1, -1, -2, 1, -1, -1, 1, 1, -2, 2, -1];

    /// <summary>normAdjust4x4's v (H.264 §8.5.9): rows QP%6, columns for positions (even,even), (odd,odd), other.</summary>
    private static readonly int[,] V = { { 10, 16, 13 }, { 11, 18, 14 }, { 13, 20, 16 }, { 14, 23, 18 }, { 16, 25, 20 }, { 18, 29, 23 } };

    /// <summary>
    /// The encoder's multipliers MF (JM reference encoder, quant_coef): MF·v·16 ≈ 2^21 (e.g. 13107·10·16 = 2097120), so that quantising
    /// then dequantising by the spec's LevelScale returns the coefficient times 64. Rows QP%6, same columns as V.
    /// </summary>
    private static readonly int[,] Mf = { { 13107, 5243, 8066 }, { 11916, 4660, 7490 }, { 10082, 4194, 6554 }, { 9362, 3647, 5825 }, { 8192, 3355, 5243 }, { 7282, 2893, 4559 } };

    /// <summary>W = Cf·X·Cfᵀ on a 4×4 block of residuals (integers only; the result grows by up to 36×).</summary>
    public static void ForwardCore(ReadOnlySpan<int> residual, Span<int> coefficients)
    {
        throw new NotImplementedException("Lab 06 · M4: multiply by ForwardMatrix on the left and its transpose on the right, all in int — README §H.264 transform");
    }

    /// <summary>
    /// The decoder's transform of scaled coefficients d into residuals r (H.264 §8.5.12.2): the butterfly
    /// e0 = d0 + d2, e1 = d0 − d2, e2 = (d1 &gt;&gt; 1) − d3, e3 = d1 + (d3 &gt;&gt; 1); f = e0+e3, e1+e2, e1−e2, e0−e3
    /// on every row, then every column, and r = (h + 32) &gt;&gt; 6.
    /// </summary>
    public static void InverseCore(ReadOnlySpan<int> scaled, Span<int> residual)
    {
        throw new NotImplementedException("Lab 06 · M4: the §8.5.12.2 butterfly on each row, then on each column, then (h + 32) >> 6 — README §H.264 transform");
    }

    /// <summary>
    /// The encoder's quantisation at <paramref name="qp"/>: level = sign(W)·((|W|·MF + f) &gt;&gt; qbits),
    /// qbits = 15 + QP/6, f = 2^qbits/3 for intra blocks and 2^qbits/6 for inter (JM's rounding offsets).
    /// </summary>
    /// <exception cref="YuvException">QP is not 0..51.</exception>
    public static void Quantise(ReadOnlySpan<int> coefficients, int qp, bool intra, Span<int> levels)
    {
        throw new NotImplementedException("Lab 06 · M4: check qp; for each position pick MF[qp % 6, class]; shift by 15 + qp/6 with the rounding offset, keep the sign — README §H.264 quantisation");
    }

    /// <summary>
    /// The decoder's scaling of levels c at <paramref name="qp"/> (H.264 §8.5.12.1, flat scaling lists so
    /// weightScale = 16): LevelScale = 16·v; d = (c·LevelScale) &lt;&lt; (QP/6 − 4) when QP ≥ 24, else
    /// (c·LevelScale + 2^(3 − QP/6)) &gt;&gt; (4 − QP/6).
    /// </summary>
    /// <exception cref="YuvException">QP is not 0..51.</exception>
    public static void Dequantise(ReadOnlySpan<int> levels, int qp, Span<int> scaled)
    {
        throw new NotImplementedException("Lab 06 · M4: LevelScale = 16·V[qp % 6, class]; shift left by qp/6 − 4 from QP 24, else round and shift right by 4 − qp/6 — README §H.264 quantisation");
    }

    /// <summary>
    /// The quantiser step size of a QP: 0.625 at QP 0, doubling every 6 (Richardson Table 7.2; the
    /// standard fixes only the decoder's LevelScale, whose ratios these are).
    /// </summary>
    public static double Qstep(int qp)
    {
        throw new NotImplementedException("Lab 06 · M4: the six base steps 0.625, 0.6875, 0.8125, 0.875, 1, 1.125 for qp % 6, times 2^(qp / 6) — README §H.264 quantisation");
    }

    /// <summary>0 for positions with both indices even, 1 for both odd, 2 for the others (§8.5.9).</summary>
    private static int PositionClass(int index)
    {
        int i = index / 4, j = index % 4;
        return (i % 2, j % 2) switch
        {
            (0, 0) => 0,
            (1, 1) => 1,
            _ => 2,
        };
    }

    private static void Butterfly(int d0, int d1, int d2, int d3, out int f0, out int f1, out int f2, out int f3)
    {
        int e0 = d0 + d2, e1 = d0 - d2, e2 = (d1 >> 1) - d3, e3 = d1 + (d3 >> 1);
        f0 = e0 + e3;
        f1 = e1 + e2;
        f2 = e1 - e2;
        f3 = e0 - e3;
    }

    private static void CheckQp(int qp)
    {
        if (qp is < MinQp or > MaxQp)
        {
            throw new YuvException(nameof(qp), qp, $"QP is {MinQp} to {MaxQp} for 8-bit video (H.264 §7.4.2.2); got {qp}.");
        }
    }
}
