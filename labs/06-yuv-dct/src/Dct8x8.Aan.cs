using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lab06.YuvDct;

/// <summary>
/// The fourth version, for speed: the AAN fast DCT (Arai, Agui and Nakajima, "A fast DCT-SQ scheme for
/// images", Trans. IEICE E71(11), 1988; the float DCT of libjpeg and of many MPEG decoders). An 8-point
/// DCT done as butterflies (蝶形运算) — sums and differences of pairs — needs only 5 multiplications and
/// 29 additions, against 64 multiply-adds for a row of the matrix, because every output comes out
/// multiplied by a known factor that is left for later:
/// <code>
///   AAN(x)[k] = √8 · a(k) · F(k)      a(0) = 1,  a(k) = √2·cos(kπ/16)     (F the orthonormal 1-D DCT)
/// </code>
/// In two dimensions the 64 factors 8·a(u)·a(v) are undone by one multiplication per coefficient at the
/// end (JPEG encoders fold them into the quantisation table instead, so they cost nothing at all).
/// The inverse runs the mirrored butterflies after multiplying each coefficient by a(u)·a(v)/8.
/// <para>
/// The butterflies treat the 8 rows of a block as 8 variables. A row is two <see cref="Vector256{T}"/>
/// of 4 doubles, so one pass of butterflies transforms 4 columns at once and two passes do all 8 columns.
/// Transposing the block turns rows into columns, so the same column butterflies then transform the rows.
/// </para>
/// </summary>
public static partial class Dct8x8
{
    /// <summary>
    /// The AAN forward DCT, <see cref="ForwardFormula"/>'s result to rounding (1e-12): butterflies on the
    /// columns, transpose, butterflies on the columns again (the original rows), transpose back, scale.
    /// </summary>
    public static void ForwardAan(ReadOnlySpan<double> samples, Span<double> coefficients)
    {
        throw new NotImplementedException("Lab 06 · M6: check both are 64 long (CheckBlocks), load the block as 16 Vector256<double> (row y, half h), butterflies down the columns, transpose, butterflies again, transpose back, multiply coefficient (u,v) by 1/(8·a(u)·a(v)) — README §AAN");
    }

    /// <summary>
    /// The AAN inverse DCT: multiply coefficient (u,v) by a(u)·a(v)/8, then the inverse butterflies on the
    /// columns, transpose, on the columns again, transpose back.
    /// </summary>
    public static void InverseAan(ReadOnlySpan<double> coefficients, Span<double> samples)
    {
        throw new NotImplementedException("Lab 06 · M6: check both are 64 long (CheckBlocks), load the coefficients times a(u)·a(v)/8, inverse butterflies down the columns, transpose, again, transpose back — README §AAN");
    }

    /// <summary>How many coefficients a <paramref name="width"/> × <paramref name="height"/> plane has: 64 per 8×8 block, ⌈W/8⌉·⌈H/8⌉ blocks.</summary>
    /// <exception cref="YuvException">A size is zero, negative or too large.</exception>
    public static int PlaneCoefficientCount(int width, int height)
    {
        throw new NotImplementedException("Lab 06 · M6: check the size (FrameLayout.CheckSize), then ⌈W/8⌉·⌈H/8⌉·64 — README §A whole plane");
    }

    /// <summary>
    /// Transforms every 8×8 block of <paramref name="plane"/> (level-shifted by −128, T.81 §A.3.1; a
    /// partial block at the right or bottom edge repeats the last column or row, as JPEG does) with
    /// <see cref="ForwardAan"/>. Block after block in raster order, 64 coefficients each in row order.
    /// </summary>
    /// <exception cref="YuvException"><paramref name="coefficients"/> is not <see cref="PlaneCoefficientCount"/> long.</exception>
    public static void ForwardPlane(Plane plane, Span<double> coefficients)
    {
        ArgumentNullException.ThrowIfNull(plane);
        throw new NotImplementedException("Lab 06 · M6: check coefficients has PlaneCoefficientCount values (YuvException naming \"coefficients\"); for every block (top to bottom, left to right): copy its samples − 128 (edges repeated) into 64 doubles, ForwardAan them into the next 64 coefficients — README §A whole plane");
    }

    /// <summary>
    /// The inverse of <see cref="ForwardPlane"/>: <see cref="InverseAan"/> of every block, +128, rounded
    /// (halves up) and clamped to 0–255 into <paramref name="plane"/>; samples beyond its edges are dropped.
    /// </summary>
    /// <exception cref="YuvException"><paramref name="coefficients"/> is not <see cref="PlaneCoefficientCount"/> long.</exception>
    public static void InversePlane(ReadOnlySpan<double> coefficients, Plane plane)
    {
        ArgumentNullException.ThrowIfNull(plane);
        throw new NotImplementedException("Lab 06 · M6: check the length as ForwardPlane does; for every block in the same order: InverseAan its 64 coefficients, then +128, round, clamp (ColourConverter.RoundAndClamp) into the samples that lie inside the plane — README §A whole plane");
    }

    // Given (README §AAN): the butterflies' multipliers and the two tables of 64 factors.
    // The multipliers of the butterflies, all cosines of multiples of π/16 (AAN 1988, Fig. 1).
    internal static readonly double Cos4 = Math.Cos(4 * Math.PI / 16);                              // 1/√2
    internal static readonly double Cos6 = Math.Cos(6 * Math.PI / 16);
    internal static readonly double Cos2MinusCos6 = Math.Cos(2 * Math.PI / 16) - Cos6;
    internal static readonly double Cos2PlusCos6 = Math.Cos(2 * Math.PI / 16) + Cos6;

    /// <summary>a(k) = √2·cos(kπ/16), a(0) = 1: the factor AAN leaves on output k of an 8-point DCT (over √8).</summary>
    private static double AanFactor(int k) => k == 0 ? 1 : Math.Sqrt(2) * Math.Cos(k * Math.PI / 16);

    /// <summary>1/(8·a(u)·a(v)) in row order: turns the two passes of butterflies into the orthonormal DCT.</summary>
    internal static readonly double[] ForwardScale = MakeScale(k => 1 / (8 * k));

    /// <summary>a(u)·a(v)/8 in row order: what the inverse butterflies expect their inputs multiplied by.</summary>
    internal static readonly double[] InverseScale = MakeScale(k => k / 8);

    private static double[] MakeScale(Func<double, double> of)
    {
        var scale = new double[BlockSize];
        for (int i = 0; i < BlockSize; i++)
        {
            scale[i] = of(AanFactor(i % 8) * AanFactor(i / 8));
        }

        return scale;
    }
}
