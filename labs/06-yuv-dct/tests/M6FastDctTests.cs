using static Lab06.YuvDct.Tests.M4TransformTests;

namespace Lab06.YuvDct.Tests;

/// <summary>
/// M6 (stretch): the AAN fast DCT and a whole plane transformed block by block. Every expected value
/// comes from the DCT formula written out here (T.81 §A.3.3 with orthonormal c(k)), never from another
/// version of the lab's DCT. Speed is measured by benchmarks/06-yuv-dct, not here.
/// </summary>
public class M6FastDctTests
{
    private const string Milestone = "M6 fast DCT";

    /// <summary>F(u,v) = Σy Σx basis(u,x)·basis(v,y)·f(x,y): the 2-D formula, computed by the test.</summary>
    private static double[] Formula(double[] block)
    {
        var result = new double[64];
        for (int v = 0; v < 8; v++)
        {
            for (int u = 0; u < 8; u++)
            {
                for (int i = 0; i < 64; i++)
                {
                    result[v * 8 + u] += Basis(u, i % 8) * Basis(v, i / 8) * block[i];
                }
            }
        }

        return result;
    }

    /// <summary>f(x,y) = Σv Σu basis(u,x)·basis(v,y)·F(u,v): the inverse formula.</summary>
    private static double[] InverseFormula(double[] coefficients)
    {
        var result = new double[64];
        for (int i = 0; i < 64; i++)
        {
            for (int k = 0; k < 64; k++)
            {
                result[i] += Basis(k % 8, i % 8) * Basis(k / 8, i / 8) * coefficients[k];
            }
        }

        return result;
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_flat_block_has_only_a_DC_of_8_times_its_value()
    {
        var expected = new double[64];
        expected[0] = 800;
        AssertClose(expected, Run(Dct8x8.ForwardAan, Enumerable.Repeat(100.0, 64).ToArray()), 1e-9, "AAN DCT of a flat block of 100s");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Every_basis_image_has_a_single_coefficient_of_1_so_every_scale_factor_is_right()
    {
        for (int v = 0; v < 8; v++)
        {
            for (int u = 0; u < 8; u++)
            {
                var block = new double[64];
                for (int i = 0; i < 64; i++)
                {
                    block[i] = Basis(u, i % 8) * Basis(v, i / 8);
                }

                var expected = new double[64];
                expected[v * 8 + u] = 1;
                AssertClose(expected, Run(Dct8x8.ForwardAan, block), 1e-9,
                    $"AAN DCT of basis image (u={u}, v={v}); a wrong value only here means the factor 1/(8·a(u)·a(v)) or the butterfly for output {u} or {v} is off (README §AAN)");
            }
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_inverse_of_a_single_coefficient_is_its_basis_image()
    {
        for (int v = 0; v < 8; v++)
        {
            for (int u = 0; u < 8; u++)
            {
                var coefficients = new double[64];
                coefficients[v * 8 + u] = 1;
                var expected = new double[64];
                for (int i = 0; i < 64; i++)
                {
                    expected[i] = Basis(u, i % 8) * Basis(v, i / 8);
                }

                AssertClose(expected, Run(Dct8x8.InverseAan, coefficients), 1e-9,
                    $"AAN inverse of a lone coefficient (u={u}, v={v}) must be basis image (u,v) — the values listed are samples at (x=u', y=v'); check the input factor a(u)·a(v)/8 (README §AAN)");
            }
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_checkerboard_has_only_odd_frequencies()
    {
        var block = new double[64];
        for (int i = 0; i < 64; i++)
        {
            block[i] = (i % 8 + i / 8) % 2 == 0 ? 1 : -1;
        }

        AssertClose(Formula(block), Run(Dct8x8.ForwardAan, block), 1e-9, "AAN DCT of a ±1 checkerboard");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Random_blocks_match_the_formula_both_ways()
    {
        for (int seed = 1; seed <= 5; seed++)
        {
            var block = RandomBlock(seed);
            var coefficients = Formula(block);
            AssertClose(coefficients, Run(Dct8x8.ForwardAan, block), 1e-9, $"AAN DCT of random block {seed} against the formula");
            AssertClose(InverseFormula(coefficients), Run(Dct8x8.InverseAan, coefficients), 1e-9, $"AAN inverse of random block {seed}'s coefficients against the inverse formula");
            AssertClose(block, Run(Dct8x8.InverseAan, Run(Dct8x8.ForwardAan, block)), 1e-9, $"AAN: IDCT(DCT(x)) for random block {seed}");
        }
    }

    private static Plane RandomPlane(int width, int height, int seed)
    {
        var samples = new byte[width * height];
        new Random(seed).NextBytes(samples);
        return new Plane(width, height, samples);
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(8, 8, 64)]
    [InlineData(33, 17, 5 * 3 * 64)]
    [InlineData(1920, 1080, 240 * 135 * 64)]
    public void A_plane_has_64_coefficients_per_block_partial_blocks_included(int width, int height, int expected)
    {
        int count = Dct8x8.PlaneCoefficientCount(width, height);
        Assert.True(count == expected, $"A {width}×{height} plane is ⌈{width}/8⌉·⌈{height}/8⌉ blocks of 64: {expected} coefficients; got {count}. See README §A whole plane.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_plane_is_transformed_block_by_block_in_raster_order_with_edges_repeated()
    {
        const int width = 20, height = 12; // 3 × 2 blocks; the right column of blocks and the bottom row are partial
        var plane = RandomPlane(width, height, 3);
        var coefficients = new double[3 * 2 * 64];
        Dct8x8.ForwardPlane(plane, coefficients);
        for (int by = 0; by < 2; by++)
        {
            for (int bx = 0; bx < 3; bx++)
            {
                var block = new double[64];
                for (int i = 0; i < 64; i++)
                {
                    int x = Math.Min(bx * 8 + i % 8, width - 1), y = Math.Min(by * 8 + i / 8, height - 1);
                    block[i] = plane.Samples[y * width + x] - 128;
                }

                int index = by * 3 + bx;
                AssertClose(Formula(block), coefficients[(index * 64)..(index * 64 + 64)], 1e-9,
                    $"Block {index} (column {bx}, row {by}) of a {width}×{height} plane: coefficients {index * 64}..{index * 64 + 63} must be the DCT of its samples − 128, the last column and row repeated past the edge");
            }
        }
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(1920, 1080)]
    [InlineData(33, 17)]
    public void A_plane_comes_back_unchanged_from_forward_then_inverse(int width, int height)
    {
        var plane = RandomPlane(width, height, width);
        var coefficients = new double[Dct8x8.PlaneCoefficientCount(width, height)];
        Dct8x8.ForwardPlane(plane, coefficients);
        var back = new Plane(width, height);
        Dct8x8.InversePlane(coefficients, back);
        int first = plane.Samples.AsSpan().CommonPrefixLength(back.Samples);
        Assert.True(first == plane.Samples.Length,
            $"{width}×{height}: InversePlane(ForwardPlane(p)) must give p back exactly (errors of 1e-12 round away); the first difference is at ({first % width}, {first / width}): " +
            (first < plane.Samples.Length ? $"expected {plane.Samples[first]}, got {back.Samples[first]}" : "") + ". See README §A whole plane.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_inverse_plane_adds_128_rounds_halves_up_and_clamps()
    {
        // A block with only a DC of 8·d is flat at d (orthonormal: c(0)² · 8 · 8 = 8); samples are d + 128.
        var cases = new (double Dc, byte Expected)[] { (8 * 200.0, 255), (8 * -200.0, 0), (8 * -27.75, 100), (8 * -27.25, 101), (0, 128) };
        var plane = new Plane(8 * cases.Length, 8);
        var coefficients = new double[cases.Length * 64];
        for (int b = 0; b < cases.Length; b++)
        {
            coefficients[b * 64] = cases[b].Dc;
        }

        Dct8x8.InversePlane(coefficients, plane);
        for (int b = 0; b < cases.Length; b++)
        {
            for (int i = 0; i < 64; i++)
            {
                byte got = plane[b * 8 + i % 8, i / 8];
                Assert.True(got == cases[b].Expected,
                    $"Block {b}: a DC of {cases[b].Dc} is a flat {cases[b].Dc / 8} + 128 = {cases[b].Dc / 8 + 128}, which rounds (halves up) and clamps to {cases[b].Expected}; sample ({i % 8}, {i / 8}) is {got}. See README §A whole plane.");
            }
        }
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(64 * 6 - 1)]
    [InlineData(64 * 6 + 64)]
    [InlineData(0)]
    public void Coefficients_of_the_wrong_length_for_the_plane_are_refused(int length)
    {
        var plane = RandomPlane(20, 12, 1); // 6 blocks
        foreach (var (what, call) in new (string, Action)[]
        {
            ("ForwardPlane", () => Dct8x8.ForwardPlane(plane, new double[length])),
            ("InversePlane", () => Dct8x8.InversePlane(new double[length], plane)),
        })
        {
            var error = Record.Exception(call);
            Assert.True(error is YuvException { ParamName: "coefficients" } e && Equals(e.Value, length),
                $"{what} of a 20×12 plane (6 blocks, 384 coefficients) with {length} coefficients must throw YuvException naming \"coefficients\" with the length; got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Blocks_that_are_not_64_values_are_refused()
    {
        var error = Record.Exception(() => Dct8x8.ForwardAan(new double[63], new double[64]));
        Assert.True(error is YuvException { ParamName: "input" } e && Equals(e.Value, 63),
            $"ForwardAan of 63 values must throw YuvException naming \"input\"; got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
        error = Record.Exception(() => Dct8x8.InverseAan(new double[64], new double[65]));
        Assert.True(error is YuvException { ParamName: "output" } f && Equals(f.Value, 65),
            $"InverseAan into 65 values must throw YuvException naming \"output\"; got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
    }
}
