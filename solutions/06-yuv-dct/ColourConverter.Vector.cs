using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Lab06.YuvDct;

/// <summary>
/// Optional, the last step of M6's fast colour: <see cref="RgbToI420Fast"/>'s inner loop on vectors, the same fixed-point arithmetic, 16 pixels of each
/// of two rows (8 chroma samples) at a time. rgb24 is interleaved — R G B R G B … — so each 48 bytes are
/// first split into an R, a G and a B vector with byte shuffles, in the order even pixels then odd pixels:
/// then an even vector plus an odd vector is the horizontal half of every 2×2 sum, with no shuffling at all.
/// The lumas come out in that order too and one more shuffle puts them back in place.
/// </summary>
public static partial class ColourConverter
{
    #region lab-remove
    /// <summary>Pixels per row in one step of the vector loop: 16 pixels = 48 bytes = three <see cref="Vector128{T}"/>.</summary>
    private const int VectorPixels = 16;

    // Shuffle indices that pick, from one 16-byte third of 48 bytes of rgb24, channel c of the pixels
    // 0, 2, 4, …, 14, 1, 3, …, 15. An index of 255 is outside the vector, so Shuffle puts 0 there and the
    // three thirds can be added (or ORed) together.
    private static readonly Vector128<byte> RedFrom0 = SplitIndices(0, 0), RedFrom1 = SplitIndices(0, 1), RedFrom2 = SplitIndices(0, 2);
    private static readonly Vector128<byte> GreenFrom0 = SplitIndices(1, 0), GreenFrom1 = SplitIndices(1, 1), GreenFrom2 = SplitIndices(1, 2);
    private static readonly Vector128<byte> BlueFrom0 = SplitIndices(2, 0), BlueFrom1 = SplitIndices(2, 1), BlueFrom2 = SplitIndices(2, 2);

    // Back from (even pixels, odd pixels) to pixels in order: output i takes input i/2 (even i) or 8 + i/2 (odd i).
    private static readonly Vector128<byte> EvenOddToOrder = Vector128.Create((byte)0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);

    private static Vector128<byte> SplitIndices(int channel, int third)
    {
        Span<byte> indices = stackalloc byte[16];
        for (int i = 0; i < 16; i++)
        {
            int pixel = i < 8 ? 2 * i : 2 * (i - 8) + 1;
            int offset = 3 * pixel + channel - 16 * third;
            indices[i] = offset is >= 0 and < 16 ? (byte)offset : (byte)255;
        }

        return Vector128.Create((ReadOnlySpan<byte>)indices);
    }

    /// <summary>
    /// As many whole 16-pixel steps of a row pair as fit, on vectors; returns how many chroma samples it did
    /// (0 when vectors are not hardware-accelerated). <see cref="ConvertRowPair"/> does the rest.
    /// </summary>
    private static int ConvertRowPairVector(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, Span<byte> lumaTop, Span<byte> lumaBottom, Span<byte> cb, Span<byte> cr, in FixedWeights w)
    {
        if (!Vector128.IsHardwareAccelerated || !Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        var weights = new VectorWeights(w);
        int done = 0;
        for (int pixel = 0; pixel + VectorPixels <= lumaTop.Length; pixel += VectorPixels, done += VectorPixels / 2)
        {
            Split(top.Slice(3 * pixel, 3 * VectorPixels), out var redTop, out var greenTop, out var blueTop);
            Split(bottom.Slice(3 * pixel, 3 * VectorPixels), out var redBottom, out var greenBottom, out var blueBottom);

            var (sumRed, sumGreen, sumBlue) = (Vector256<int>.Zero, Vector256<int>.Zero, Vector256<int>.Zero);
            var upper = Luma(redTop, greenTop, blueTop, in weights, ref sumRed, ref sumGreen, ref sumBlue);
            var lower = Luma(redBottom, greenBottom, blueBottom, in weights, ref sumRed, ref sumGreen, ref sumBlue);
            upper.CopyTo(lumaTop.Slice(pixel, VectorPixels)); // the bottom row after the top one: at an odd
            lower.CopyTo(lumaBottom.Slice(pixel, VectorPixels)); // bottom edge they are the same row

            var blue = (weights.CbR * sumRed + weights.CbG * sumGreen + weights.CbB * sumBlue + weights.CAdd) >> (FixedPointBits + 2);
            var red = (weights.CrR * sumRed + weights.CrG * sumGreen + weights.CrB * sumBlue + weights.CAdd) >> (FixedPointBits + 2);
            var packed = ToBytes(blue, red).AsUInt64(); // Cb of the 8 blocks, then Cr
            MemoryMarshal.Write(cb.Slice(done, 8), packed.GetElement(0));
            MemoryMarshal.Write(cr.Slice(done, 8), packed.GetElement(1));
        }

        return done;
    }

    /// <summary>48 bytes of rgb24 → R, G and B of 16 pixels, each as (pixels 0, 2, …, 14, then 1, 3, …, 15).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Split(ReadOnlySpan<byte> rgb, out Vector128<byte> red, out Vector128<byte> green, out Vector128<byte> blue)
    {
        var a = Vector128.Create(rgb);
        var b = Vector128.Create(rgb[16..]);
        var c = Vector128.Create(rgb[32..]);
        red = Vector128.Shuffle(a, RedFrom0) | Vector128.Shuffle(b, RedFrom1) | Vector128.Shuffle(c, RedFrom2);
        green = Vector128.Shuffle(a, GreenFrom0) | Vector128.Shuffle(b, GreenFrom1) | Vector128.Shuffle(c, GreenFrom2);
        blue = Vector128.Shuffle(a, BlueFrom0) | Vector128.Shuffle(b, BlueFrom1) | Vector128.Shuffle(c, BlueFrom2);
    }

    /// <summary>The 16 lumas of one row (in pixel order), adding its even and odd pixels' R, G, B to the 8 blocks' sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Luma(Vector128<byte> red, Vector128<byte> green, Vector128<byte> blue, in VectorWeights w, ref Vector256<int> sumRed, ref Vector256<int> sumGreen, ref Vector256<int> sumBlue)
    {
        var (redEven, redOdd) = Widen(red);
        var (greenEven, greenOdd) = Widen(green);
        var (blueEven, blueOdd) = Widen(blue);
        sumRed += redEven + redOdd;
        sumGreen += greenEven + greenOdd;
        sumBlue += blueEven + blueOdd;
        var even = (w.YR * redEven + w.YG * greenEven + w.YB * blueEven + w.YAdd) >> FixedPointBits;
        var odd = (w.YR * redOdd + w.YG * greenOdd + w.YB * blueOdd + w.YAdd) >> FixedPointBits;
        return Vector128.Shuffle(ToBytes(even, odd), EvenOddToOrder);
    }

    /// <summary>16 bytes → the first 8 and the last 8 as 32-bit integers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<int> First, Vector256<int> Last) Widen(Vector128<byte> bytes)
    {
        var (first, last) = Vector128.Widen(bytes);
        return (Vector256.Create(Vector128.WidenLower(first), Vector128.WidenUpper(first)).AsInt32(),
                Vector256.Create(Vector128.WidenLower(last), Vector128.WidenUpper(last)).AsInt32());
    }

    /// <summary>Two vectors of 8 integers, clamped to 0–255, as 16 bytes (first's, then last's).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> ToBytes(Vector256<int> first, Vector256<int> last)
    {
        var words = Vector256.Narrow(Vector256.Clamp(first, Vector256<int>.Zero, Vector256.Create(255)), Vector256.Clamp(last, Vector256<int>.Zero, Vector256.Create(255)));
        return Vector128.Narrow(words.GetLower(), words.GetUpper()).AsByte();
    }

    /// <summary><see cref="FixedWeights"/> with every weight repeated across a vector's 8 lanes.</summary>
    private readonly struct VectorWeights(FixedWeights w)
    {
        public readonly Vector256<int> YR = Vector256.Create(w.YR), YG = Vector256.Create(w.YG), YB = Vector256.Create(w.YB), YAdd = Vector256.Create(w.YAdd);
        public readonly Vector256<int> CbR = Vector256.Create(w.CbR), CbG = Vector256.Create(w.CbG), CbB = Vector256.Create(w.CbB);
        public readonly Vector256<int> CrR = Vector256.Create(w.CrR), CrG = Vector256.Create(w.CrG), CrB = Vector256.Create(w.CrB), CAdd = Vector256.Create(w.CAdd);
    }
    #endregion
}
