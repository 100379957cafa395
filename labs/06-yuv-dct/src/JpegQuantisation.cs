namespace Lab06.YuvDct;

/// <summary>
/// Quantisation (量化) the JPEG way: each DCT coefficient divided by its own step and rounded, the
/// steps growing with frequency because the eye misses fine detail (ITU-T T.81 §A.3.4, Annex K).
/// </summary>
public static class JpegQuantisation
{
    /// <summary>ITU-T T.81 Table K.1: luminance quantisation table, row order (not zigzag).</summary>
    public static ReadOnlySpan<byte> LuminanceTable =>
    [
        16, 11, 10, 16, 24, 40, 51, 61,
        12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77,
        24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101,
        72, 92, 95, 98, 112, 100, 103, 99,
    ];

    /// <summary>ITU-T T.81 Table K.2: chrominance quantisation table, row order.</summary>
    public static ReadOnlySpan<byte> ChrominanceTable =>
    [
        17, 18, 24, 47, 99, 99, 99, 99,
        18, 21, 26, 66, 99, 99, 99, 99,
        24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
    ];

    /// <summary>
    /// A table scaled by a quality factor 1–100 the way the Independent JPEG Group's libjpeg does
    /// (jcparam.c; T.81 itself gives only the tables): scale = 5000/q below 50, 200 − 2q from 50;
    /// entry = (base·scale + 50) / 100, kept within 1–255 (baseline JPEG stores 8-bit steps).
    /// Quality 50 gives the Annex K table itself; 100 gives all ones.
    /// </summary>
    /// <exception cref="YuvException">The quality is not 1–100.</exception>
    public static byte[] Scale(ReadOnlySpan<byte> table, int quality)
    {
        throw new NotImplementedException("Lab 06 · M4: check 1 ≤ quality ≤ 100 (YuvException naming \"quality\"); scale = q < 50 ? 5000/q : 200 − 2q; (t·scale + 50)/100 clamped to 1..255 — README §Quantisation");
    }

    /// <summary>
    /// level = round(F / Q), halves away from zero (T.81 §A.3.4). The coefficients are those of
    /// <see cref="Dct8x8"/> on level-shifted samples (sample − 128, T.81 §A.3.1): T.81's FDCT, written
    /// there with ¼·C(u)·C(v), is the same orthonormal transform.
    /// </summary>
    public static void Quantise(ReadOnlySpan<double> coefficients, ReadOnlySpan<byte> table, Span<short> levels)
    {
        throw new NotImplementedException("Lab 06 · M4: levels[i] = round(coefficients[i] / table[i]), MidpointRounding.AwayFromZero — README §Quantisation");
    }

    /// <summary>F' = level · Q (T.81 §A.3.4).</summary>
    public static void Dequantise(ReadOnlySpan<short> levels, ReadOnlySpan<byte> table, Span<double> coefficients)
    {
        throw new NotImplementedException("Lab 06 · M4: coefficients[i] = levels[i] · table[i] — README §Quantisation");
    }
}
