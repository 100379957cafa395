using System.Runtime.Intrinsics;

namespace Lab06.YuvDct;

/// <summary>
/// The 8×8 two-dimensional DCT-II (离散余弦变换) and its inverse, orthonormal (ITU-T T.81 §A.3.3 with
/// the 1/4 written as c(u)·c(v), so energy is preserved):
/// <code>
///   F(u,v) = c(u) c(v) Σx Σy f(x,y) cos((2x+1)uπ/16) cos((2y+1)vπ/16)     c(0) = √(1/8), c(k) = √(2/8)
///   f(x,y) = Σu Σv c(u) c(v) F(u,v) cos((2x+1)uπ/16) cos((2y+1)vπ/16)
/// </code>
/// Blocks are 64 values in row order: index = y·8 + x for samples, v·8 + u for coefficients
/// (u counts columns — horizontal frequency, v rows). Three versions that must agree:
/// the formula as written (4096 multiply-adds and cosines per block), the separable one (the 2-D
/// transform is a 1-D transform of every row, then of every column: 2·8·64 = 1024), and a fast one
/// that does the separable matrix products four columns at a time with SIMD registers. A fourth, the AAN
/// butterflies, and the transform of a whole plane are in Dct8x8.Aan.cs (M6).
/// </summary>
public static partial class Dct8x8
{
    /// <summary>Values in a block.</summary>
    public const int BlockSize = 64;

    /// <summary>Basis[k, n] = c(k)·cos((2n+1)kπ/16): row k of the orthonormal 8-point DCT matrix.</summary>
    private static readonly double[,] Basis = MakeBasis();

    /// <summary>Straight from the formula: every coefficient sums all 64 samples.</summary>
    public static void ForwardFormula(ReadOnlySpan<double> samples, Span<double> coefficients)
    {
        CheckBlocks(samples, coefficients);
        #region lab M4: for each (u, v) sum f(x,y)·cos((2x+1)uπ/16)·cos((2y+1)vπ/16) over the 64 samples, times c(u)c(v) — README §DCT
        for (int v = 0; v < 8; v++)
        {
            for (int u = 0; u < 8; u++)
            {
                double sum = 0;
                for (int y = 0; y < 8; y++)
                {
                    for (int x = 0; x < 8; x++)
                    {
                        sum += samples[y * 8 + x] * Math.Cos((2 * x + 1) * u * Math.PI / 16) * Math.Cos((2 * y + 1) * v * Math.PI / 16);
                    }
                }

                coefficients[v * 8 + u] = C(u) * C(v) * sum;
            }
        }
        #endregion
    }

    /// <summary>Straight from the formula, back: every sample sums all 64 coefficients.</summary>
    public static void InverseFormula(ReadOnlySpan<double> coefficients, Span<double> samples)
    {
        CheckBlocks(coefficients, samples);
        #region lab M4: for each (x, y) sum c(u)c(v)·F(u,v)·cos((2x+1)uπ/16)·cos((2y+1)vπ/16) over the 64 coefficients — README §DCT
        for (int y = 0; y < 8; y++)
        {
            for (int x = 0; x < 8; x++)
            {
                double sum = 0;
                for (int v = 0; v < 8; v++)
                {
                    for (int u = 0; u < 8; u++)
                    {
                        sum += C(u) * C(v) * coefficients[v * 8 + u] * Math.Cos((2 * x + 1) * u * Math.PI / 16) * Math.Cos((2 * y + 1) * v * Math.PI / 16);
                    }
                }

                samples[y * 8 + x] = sum;
            }
        }
        #endregion
    }

    /// <summary>Rows, then columns: two passes of the 8-point DCT with a table of cosines.</summary>
    public static void ForwardSeparable(ReadOnlySpan<double> samples, Span<double> coefficients)
    {
        CheckBlocks(samples, coefficients);
        #region lab M4: 1-D DCT of every row into a temporary block (Basis[k, n]), then of every column of that — README §Separable
        Span<double> rows = stackalloc double[BlockSize];
        for (int y = 0; y < 8; y++)
        {
            for (int u = 0; u < 8; u++)
            {
                double sum = 0;
                for (int x = 0; x < 8; x++)
                {
                    sum += Basis[u, x] * samples[y * 8 + x];
                }

                rows[y * 8 + u] = sum;
            }
        }

        for (int u = 0; u < 8; u++)
        {
            for (int v = 0; v < 8; v++)
            {
                double sum = 0;
                for (int y = 0; y < 8; y++)
                {
                    sum += Basis[v, y] * rows[y * 8 + u];
                }

                coefficients[v * 8 + u] = sum;
            }
        }
        #endregion
    }

    /// <summary>Columns, then rows, with the transposed table (the DCT matrix is orthonormal: its inverse is its transpose).</summary>
    public static void InverseSeparable(ReadOnlySpan<double> coefficients, Span<double> samples)
    {
        CheckBlocks(coefficients, samples);
        #region lab M4: inverse 1-D transform of every column (Basis[k, n] used as [n, k]), then of every row — README §Separable
        Span<double> columns = stackalloc double[BlockSize];
        for (int u = 0; u < 8; u++)
        {
            for (int y = 0; y < 8; y++)
            {
                double sum = 0;
                for (int v = 0; v < 8; v++)
                {
                    sum += Basis[v, y] * coefficients[v * 8 + u];
                }

                columns[y * 8 + u] = sum;
            }
        }

        for (int y = 0; y < 8; y++)
        {
            for (int x = 0; x < 8; x++)
            {
                double sum = 0;
                for (int u = 0; u < 8; u++)
                {
                    sum += Basis[u, x] * columns[y * 8 + u];
                }

                samples[y * 8 + x] = sum;
            }
        }
        #endregion
    }

    /// <summary>
    /// The separable transform as two matrix products, F = D·f·Dᵀ, computed a row of 8 values at a time as
    /// two 4-wide SIMD vectors (<see cref="Vector256{T}"/>; AVX on x64, two NEON registers on Arm).
    /// </summary>
    public static void ForwardFast(ReadOnlySpan<double> samples, Span<double> coefficients)
    {
        CheckBlocks(samples, coefficients);
        #region lab M4: as ForwardSeparable, but as matrix products F = D·f·Dᵀ, 4 doubles at a time with Vector256<double> — README §Fast DCT
        Span<double> temp = stackalloc double[BlockSize];
        MultiplyRows(Matrix, samples, temp);                 // temp = D·f   (columns transformed)
        MultiplyRows(temp, Transposed, coefficients);        // F = (D·f)·Dᵀ (then rows)
        #endregion
    }

    /// <summary>The inverse of <see cref="ForwardFast"/>: f = Dᵀ·F·D.</summary>
    public static void InverseFast(ReadOnlySpan<double> coefficients, Span<double> samples)
    {
        CheckBlocks(coefficients, samples);
        #region lab M4: f = Dᵀ·F·D with the same SIMD matrix product — README §Fast DCT
        Span<double> temp = stackalloc double[BlockSize];
        MultiplyRows(Transposed, coefficients, temp);
        MultiplyRows(temp, Matrix, samples);
        #endregion
    }

    // Given (README §Fast DCT): D and Dᵀ as flat row-order arrays for the products.
    /// <summary>The orthonormal DCT matrix D (row k = basis function k), row order.</summary>
    internal static readonly double[] Matrix = MakeMatrix(transpose: false);

    /// <summary>Dᵀ, row order.</summary>
    internal static readonly double[] Transposed = MakeMatrix(transpose: true);

    private static double[] MakeMatrix(bool transpose)
    {
        var basis = MakeBasis();
        var matrix = new double[BlockSize];
        for (int k = 0; k < 8; k++)
        {
            for (int n = 0; n < 8; n++)
            {
                matrix[transpose ? n * 8 + k : k * 8 + n] = basis[k, n];
            }
        }

        return matrix;
    }

    #region lab-remove

    /// <summary>result = a·b for 8×8 matrices in row order: row i of the result is Σk a[i,k]·(row k of b).</summary>
    private static void MultiplyRows(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> result)
    {
        for (int i = 0; i < 8; i++)
        {
            var left = Vector256<double>.Zero;
            var right = Vector256<double>.Zero;
            for (int k = 0; k < 8; k++)
            {
                var scale = Vector256.Create(a[i * 8 + k]);
                left += scale * Vector256.Create(b.Slice(k * 8, 4));
                right += scale * Vector256.Create(b.Slice(k * 8 + 4, 4));
            }

            left.CopyTo(result.Slice(i * 8, 4));
            right.CopyTo(result.Slice(i * 8 + 4, 4));
        }
    }

    #endregion

    /// <summary>c(0) = √(1/8), c(k) = √(2/8) = 1/2: the factors that make the transform orthonormal.</summary>
    public static double C(int k) => k == 0 ? Math.Sqrt(1.0 / 8) : 0.5;

    private static double[,] MakeBasis()
    {
        var basis = new double[8, 8];
        for (int k = 0; k < 8; k++)
        {
            for (int n = 0; n < 8; n++)
            {
                basis[k, n] = C(k) * Math.Cos((2 * n + 1) * k * Math.PI / 16);
            }
        }

        return basis;
    }

    private static void CheckBlocks(ReadOnlySpan<double> input, Span<double> output)
    {
        if (input.Length != BlockSize)
        {
            throw new YuvException(nameof(input), input.Length, $"An 8×8 block has {BlockSize} values; got {input.Length}.");
        }

        if (output.Length != BlockSize)
        {
            throw new YuvException(nameof(output), output.Length, $"An 8×8 block has {BlockSize} values; the destination has {output.Length}.");
        }
    }
}
