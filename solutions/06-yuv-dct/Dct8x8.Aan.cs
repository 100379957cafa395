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
        #region lab M6: check both are 64 long (CheckBlocks), load the block as 16 Vector256<double> (row y, half h), butterflies down the columns, transpose, butterflies again, transpose back, multiply coefficient (u,v) by 1/(8·a(u)·a(v)) — README §AAN
        CheckBlocks(samples, coefficients);
        Load(samples, out var block);
        ForwardButterflies(ref block);
        Transpose(ref block);
        ForwardButterflies(ref block);
        Transpose(ref block);
        Store(ref block, ForwardScale, coefficients);
        #endregion
    }

    /// <summary>
    /// The AAN inverse DCT: multiply coefficient (u,v) by a(u)·a(v)/8, then the inverse butterflies on the
    /// columns, transpose, on the columns again, transpose back.
    /// </summary>
    public static void InverseAan(ReadOnlySpan<double> coefficients, Span<double> samples)
    {
        #region lab M6: check both are 64 long (CheckBlocks), load the coefficients times a(u)·a(v)/8, inverse butterflies down the columns, transpose, again, transpose back — README §AAN
        CheckBlocks(coefficients, samples);
        Load(coefficients, out var block);
        Scale(ref block, InverseScale);
        InverseButterflies(ref block);
        Transpose(ref block);
        InverseButterflies(ref block);
        Transpose(ref block);
        Store(ref block, null, samples);
        #endregion
    }

    /// <summary>How many coefficients a <paramref name="width"/> × <paramref name="height"/> plane has: 64 per 8×8 block, ⌈W/8⌉·⌈H/8⌉ blocks.</summary>
    /// <exception cref="YuvException">A size is zero, negative or too large.</exception>
    public static int PlaneCoefficientCount(int width, int height)
    {
        #region lab M6: check the size (FrameLayout.CheckSize), then ⌈W/8⌉·⌈H/8⌉·64 — README §A whole plane
        FrameLayout.CheckSize(width, height);
        return ((width + 7) / 8) * ((height + 7) / 8) * BlockSize;
        #endregion
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
        #region lab M6: check coefficients has PlaneCoefficientCount values (YuvException naming "coefficients"); for every block (top to bottom, left to right): copy its samples − 128 (edges repeated) into 64 doubles, ForwardAan them into the next 64 coefficients — README §A whole plane
        CheckPlane(plane, coefficients.Length);
        int next = 0;
        for (int top = 0; top < plane.Height; top += 8)
        {
            for (int left = 0; left < plane.Width; left += 8)
            {
                LoadShifted(plane, left, top, out var block);
                ForwardButterflies(ref block);
                Transpose(ref block);
                ForwardButterflies(ref block);
                Transpose(ref block);
                Store(ref block, ForwardScale, coefficients.Slice(next, BlockSize));
                next += BlockSize;
            }
        }
        #endregion
    }

    /// <summary>
    /// The inverse of <see cref="ForwardPlane"/>: <see cref="InverseAan"/> of every block, +128, rounded
    /// (halves up) and clamped to 0–255 into <paramref name="plane"/>; samples beyond its edges are dropped.
    /// </summary>
    /// <exception cref="YuvException"><paramref name="coefficients"/> is not <see cref="PlaneCoefficientCount"/> long.</exception>
    public static void InversePlane(ReadOnlySpan<double> coefficients, Plane plane)
    {
        ArgumentNullException.ThrowIfNull(plane);
        #region lab M6: check the length as ForwardPlane does; for every block in the same order: InverseAan its 64 coefficients, then +128, round, clamp (ColourConverter.RoundAndClamp) into the samples that lie inside the plane — README §A whole plane
        CheckPlane(plane, coefficients.Length);
        int next = 0;
        for (int top = 0; top < plane.Height; top += 8)
        {
            for (int left = 0; left < plane.Width; left += 8)
            {
                Load(coefficients.Slice(next, BlockSize), out var block);
                next += BlockSize;
                Scale(ref block, InverseScale);
                InverseButterflies(ref block);
                Transpose(ref block);
                InverseButterflies(ref block);
                Transpose(ref block);
                StoreShifted(ref block, plane, left, top);
            }
        }
        #endregion
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

    #region lab-remove
    /// <summary>An 8×8 block as 16 vectors: element [2y + h] holds row y, columns 4h … 4h+3.</summary>
    [InlineArray(16)]
    private struct VectorBlock
    {
        private Vector256<double> _element;
    }

    /// <summary>Fills <paramref name="block"/> in place (returning 512 bytes by value would copy them).</summary>
    private static void Load(ReadOnlySpan<double> values, out VectorBlock block)
    {
        Unsafe.SkipInit(out block);
        for (int i = 0; i < 16; i++)
        {
            block[i] = Vector256.Create(values.Slice(4 * i, 4));
        }
    }

    private static void Scale(ref VectorBlock block, double[] scale)
    {
        for (int i = 0; i < 16; i++)
        {
            block[i] *= Vector256.Create(scale.AsSpan(4 * i, 4));
        }
    }

    private static void Store(ref VectorBlock block, double[]? scale, Span<double> values)
    {
        if (scale is not null)
        {
            Scale(ref block, scale);
        }

        for (int i = 0; i < 16; i++)
        {
            block[i].CopyTo(values.Slice(4 * i, 4));
        }
    }

    /// <summary>Forward 8-point AAN down every column: row y of the block is variable x_y.</summary>
    private static void ForwardButterflies(ref VectorBlock block)
    {
        ForwardButterflies(ref block[0], ref block[2], ref block[4], ref block[6], ref block[8], ref block[10], ref block[12], ref block[14]);
        ForwardButterflies(ref block[1], ref block[3], ref block[5], ref block[7], ref block[9], ref block[11], ref block[13], ref block[15]);
    }

    /// <summary>
    /// One 8-point forward AAN on 4 columns at once. Stage 1 folds the input around its middle
    /// (x_n ± x_{7−n}): the sums carry the even outputs, the differences the odd ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardButterflies(
        ref Vector256<double> x0, ref Vector256<double> x1, ref Vector256<double> x2, ref Vector256<double> x3,
        ref Vector256<double> x4, ref Vector256<double> x5, ref Vector256<double> x6, ref Vector256<double> x7)
    {
        Vector256<double> sum07 = x0 + x7, sum16 = x1 + x6, sum25 = x2 + x5, sum34 = x3 + x4;
        Vector256<double> diff07 = x0 - x7, diff16 = x1 - x6, diff25 = x2 - x5, diff34 = x3 - x4;

        // Even part: a 4-point DCT of the sums gives outputs 0, 2, 4, 6.
        Vector256<double> even0 = sum07 + sum34, even3 = sum07 - sum34;
        Vector256<double> even1 = sum16 + sum25, even2 = sum16 - sum25;
        x0 = even0 + even1;
        x4 = even0 - even1;
        var rotated = (even2 + even3) * Cos4;
        x2 = even3 + rotated;
        x6 = even3 - rotated;

        // Odd part: outputs 1, 3, 5, 7 from the differences, with a rotation by 3π/8 done in three multiplies.
        Vector256<double> odd0 = diff34 + diff25, odd1 = diff25 + diff16, odd2 = diff16 + diff07;
        var shared = (odd0 - odd2) * Cos6;
        var rotated0 = odd0 * Cos2MinusCos6 + shared;
        var rotated2 = odd2 * Cos2PlusCos6 + shared;
        var middle = odd1 * Cos4;
        Vector256<double> top = diff07 + middle, bottom = diff07 - middle;
        x5 = bottom + rotated0;
        x3 = bottom - rotated0;
        x1 = top + rotated2;
        x7 = top - rotated2;
    }

    /// <summary>Inverse 8-point AAN down every column.</summary>
    private static void InverseButterflies(ref VectorBlock block)
    {
        InverseButterflies(ref block[0], ref block[2], ref block[4], ref block[6], ref block[8], ref block[10], ref block[12], ref block[14]);
        InverseButterflies(ref block[1], ref block[3], ref block[5], ref block[7], ref block[9], ref block[11], ref block[13], ref block[15]);
    }

    /// <summary>
    /// One 8-point inverse AAN on 4 columns: the forward graph run backwards. Inputs are coefficients
    /// already multiplied by a(k)/√8 per dimension; outputs are samples.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InverseButterflies(
        ref Vector256<double> x0, ref Vector256<double> x1, ref Vector256<double> x2, ref Vector256<double> x3,
        ref Vector256<double> x4, ref Vector256<double> x5, ref Vector256<double> x6, ref Vector256<double> x7)
    {
        // Even part: coefficients 0, 2, 4, 6 rebuild the sums x_n + x_{7−n}.
        Vector256<double> even10 = x0 + x4, even11 = x0 - x4;
        var even13 = x2 + x6;
        var even12 = (x2 - x6) * (2 * Cos4) - even13;
        Vector256<double> sum0 = even10 + even13, sum3 = even10 - even13;
        Vector256<double> sum1 = even11 + even12, sum2 = even11 - even12;

        // Odd part: coefficients 1, 3, 5, 7 rebuild the differences x_n − x_{7−n}.
        Vector256<double> z13 = x5 + x3, z10 = x5 - x3, z11 = x1 + x7, z12 = x1 - x7;
        var diff7 = z11 + z13;
        var odd11 = (z11 - z13) * (2 * Cos4);
        var shared = (z10 + z12) * (2 * Math.Cos(2 * Math.PI / 16));
        var odd10 = z12 * (2 * Cos2MinusCos6) - shared;
        var odd12 = z10 * (-2 * Cos2PlusCos6) + shared;
        var diff6 = odd12 - diff7;
        var diff5 = odd11 - diff6;
        var diff4 = odd10 + diff5;

        x0 = sum0 + diff7;
        x7 = sum0 - diff7;
        x1 = sum1 + diff6;
        x6 = sum1 - diff6;
        x2 = sum2 + diff5;
        x5 = sum2 - diff5;
        x4 = sum3 + diff4;
        x3 = sum3 - diff4;
    }

    /// <summary>Swaps rows and columns: the four 4×4 tiles are each transposed, and the two off-diagonal tiles trade places.</summary>
    private static void Transpose(ref VectorBlock block)
    {
        Transpose4x4(ref block[0], ref block[2], ref block[4], ref block[6]);       // top left
        Transpose4x4(ref block[9], ref block[11], ref block[13], ref block[15]);    // bottom right
        Transpose4x4(ref block[1], ref block[3], ref block[5], ref block[7]);       // top right …
        Transpose4x4(ref block[8], ref block[10], ref block[12], ref block[14]);    // … and bottom left,
        (block[1], block[8]) = (block[8], block[1]);                                // which then trade places
        (block[3], block[10]) = (block[10], block[3]);
        (block[5], block[12]) = (block[12], block[5]);
        (block[7], block[14]) = (block[14], block[7]);
    }

    /// <summary>Transposes a 4×4 tile held as 4 row vectors (AVX: two unpacks and a lane swap; elsewhere element by element).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(ref Vector256<double> r0, ref Vector256<double> r1, ref Vector256<double> r2, ref Vector256<double> r3)
    {
        if (Avx.IsSupported)
        {
            Vector256<double> low01 = Avx.UnpackLow(r0, r1), high01 = Avx.UnpackHigh(r0, r1);     // a0 b0 a2 b2 | a1 b1 a3 b3
            Vector256<double> low23 = Avx.UnpackLow(r2, r3), high23 = Avx.UnpackHigh(r2, r3);     // c0 d0 c2 d2 | c1 d1 c3 d3
            r0 = Avx.Permute2x128(low01, low23, 0x20);                                             // a0 b0 c0 d0
            r1 = Avx.Permute2x128(high01, high23, 0x20);                                           // a1 b1 c1 d1
            r2 = Avx.Permute2x128(low01, low23, 0x31);                                             // a2 b2 c2 d2
            r3 = Avx.Permute2x128(high01, high23, 0x31);                                           // a3 b3 c3 d3
            return;
        }

        Vector256<double> a = r0, b = r1, c = r2, d = r3;
        r0 = Vector256.Create(a[0], b[0], c[0], d[0]);
        r1 = Vector256.Create(a[1], b[1], c[1], d[1]);
        r2 = Vector256.Create(a[2], b[2], c[2], d[2]);
        r3 = Vector256.Create(a[3], b[3], c[3], d[3]);
    }

    /// <summary>The block at (<paramref name="left"/>, <paramref name="top"/>) less 128, edges repeated.</summary>
    private static void LoadShifted(Plane plane, int left, int top, out VectorBlock block)
    {
        Unsafe.SkipInit(out block);
        var shift = Vector256.Create(128.0);
        bool inside = left + 8 <= plane.Width;
        for (int y = 0; y < 8; y++)
        {
            var row = plane.Samples.AsSpan(Math.Min(top + y, plane.Height - 1) * plane.Width);
            if (inside)
            {
                // 8 bytes → 8 doubles: widen byte → ushort → uint → ulong, then convert (all lanes at once).
                var bytes = Vector128.CreateScalar(BinaryPrimitives.ReadUInt64LittleEndian(row.Slice(left, 8))).AsByte();
                var words = Vector128.WidenLower(bytes);
                Vector128<uint> low = Vector128.WidenLower(words), high = Vector128.WidenUpper(words);
                block[2 * y] = Vector256.ConvertToDouble(Vector256.Create(Vector128.WidenLower(low), Vector128.WidenUpper(low))) - shift;
                block[2 * y + 1] = Vector256.ConvertToDouble(Vector256.Create(Vector128.WidenLower(high), Vector128.WidenUpper(high))) - shift;
            }
            else
            {
                int last = plane.Width - 1;
                block[2 * y] = Vector256.Create((double)row[Math.Min(left, last)], row[Math.Min(left + 1, last)], row[Math.Min(left + 2, last)], row[Math.Min(left + 3, last)]) - shift;
                block[2 * y + 1] = Vector256.Create((double)row[Math.Min(left + 4, last)], row[Math.Min(left + 5, last)], row[Math.Min(left + 6, last)], row[Math.Min(left + 7, last)]) - shift;
            }
        }
    }

    /// <summary>
    /// Samples + 128, rounded (halves up: floor(v + 0.5)) and clamped to 0–255, written where they lie
    /// inside the plane. The 16 vectors of doubles narrow to 64 bytes: long → int → short → byte.
    /// </summary>
    private static void StoreShifted(ref VectorBlock block, Plane plane, int left, int top)
    {
        var half = Vector256.Create(128.5);
        Span<Vector256<long>> longs = stackalloc Vector256<long>[16];
        for (int i = 0; i < 16; i++)
        {
            var rounded = Vector256.Floor(block[i] + half);
            longs[i] = Vector256.ConvertToInt64(Vector256.Clamp(rounded, Vector256<double>.Zero, Vector256.Create(255.0)));
        }

        Span<byte> bytes = stackalloc byte[BlockSize];
        for (int i = 0; i < 2; i++)
        {
            int at = 8 * i;
            var ints0 = Vector256.Narrow(longs[at], longs[at + 1]);
            var ints1 = Vector256.Narrow(longs[at + 2], longs[at + 3]);
            var ints2 = Vector256.Narrow(longs[at + 4], longs[at + 5]);
            var ints3 = Vector256.Narrow(longs[at + 6], longs[at + 7]);
            var shorts0 = Vector256.Narrow(ints0, ints1);
            var shorts1 = Vector256.Narrow(ints2, ints3);
            Vector256.Narrow(shorts0, shorts1).AsByte().CopyTo(bytes.Slice(32 * i));
        }

        int width = Math.Min(8, plane.Width - left), height = Math.Min(8, plane.Height - top);
        for (int y = 0; y < height; y++)
        {
            bytes.Slice(8 * y, width).CopyTo(plane.Samples.AsSpan((top + y) * plane.Width + left, width));
        }
    }

    private static void CheckPlane(Plane plane, int length)
    {
        int expected = PlaneCoefficientCount(plane.Width, plane.Height);
        if (length != expected)
        {
            throw new YuvException("coefficients", length, $"A {plane.Width}×{plane.Height} plane has {expected / BlockSize} blocks of {BlockSize} coefficients, {expected} in all; got {length}.");
        }
    }
    #endregion
}
