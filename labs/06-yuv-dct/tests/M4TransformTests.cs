namespace Lab06.YuvDct.Tests;

/// <summary>
/// M4: the 8×8 DCT three ways, JPEG quantisation (tables from cjpeg's DQT segments), zigzag,
/// run-length, energy compaction, and H.264's 4×4 integer transform and QP quantisation.
/// </summary>
public class M4TransformTests
{
    private const string Milestone = "M4 transforms";

    public delegate void Transform(ReadOnlySpan<double> input, Span<double> output);

    private static (Transform Forward, Transform Inverse) Version(string name) => name switch
    {
        "formula" => (Dct8x8.ForwardFormula, Dct8x8.InverseFormula),
        "separable" => (Dct8x8.ForwardSeparable, Dct8x8.InverseSeparable),
        _ => (Dct8x8.ForwardFast, Dct8x8.InverseFast),
    };

    public static TheoryData<string> Versions => new("formula", "separable", "fast");

    /// <summary>The orthonormal 1-D basis, written here from T.81 §A.3.3: c(k)·cos((2n+1)kπ/16).</summary>
    internal static double Basis(int k, int n) => (k == 0 ? Math.Sqrt(0.125) : 0.5) * Math.Cos((2 * n + 1) * k * Math.PI / 16);

    internal static double[] Run(Transform transform, double[] input)
    {
        var output = new double[64];
        transform(input, output);
        return output;
    }

    internal static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        for (int i = 0; i < 64; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what}: at (u={i % 8}, v={i / 8}) (index {i}) expected {expected[i]:G10}, got {actual[i]:G10} (tolerance {tolerance:G2}). See README §DCT.");
        }
    }

    internal static double[] RandomBlock(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 64).Select(_ => (double)random.Next(-128, 128)).ToArray();
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [MemberData(nameof(Versions))]
    public void A_flat_block_has_only_a_DC_of_8_times_its_value(string version)
    {
        var expected = new double[64];
        expected[0] = 800; // Σ 100 · c(0)² · 64 = 100 · 64 / 8
        AssertClose(expected, Run(Version(version).Forward, Enumerable.Repeat(100.0, 64).ToArray()), 1e-9, $"{version} DCT of a flat block of 100s");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [MemberData(nameof(Versions))]
    public void A_basis_image_has_a_single_coefficient_of_1(string version)
    {
        foreach (var (u, v) in new[] { (3, 5), (0, 7), (7, 0), (1, 1) })
        {
            var block = new double[64];
            for (int y = 0; y < 8; y++)
            {
                for (int x = 0; x < 8; x++)
                {
                    block[y * 8 + x] = Basis(u, x) * Basis(v, y);
                }
            }

            var expected = new double[64];
            expected[v * 8 + u] = 1;
            AssertClose(expected, Run(Version(version).Forward, block), 1e-9, $"{version} DCT of basis image (u={u}, v={v})");
        }
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [MemberData(nameof(Versions))]
    public void A_checkerboard_has_only_odd_frequencies(string version)
    {
        // f(x,y) = (−1)^(x+y) = g(x)·g(y) with g(n) = (−1)^n, so F(u,v) = G(u)·G(v), G(k) = Σn g(n)·c(k)cos((2n+1)kπ/16).
        var block = new double[64];
        for (int i = 0; i < 64; i++)
        {
            block[i] = (i % 8 + i / 8) % 2 == 0 ? 1 : -1;
        }

        var g = new double[8];
        for (int k = 0; k < 8; k++)
        {
            for (int n = 0; n < 8; n++)
            {
                g[k] += (n % 2 == 0 ? 1 : -1) * Basis(k, n);
            }
        }

        var expected = new double[64];
        for (int v = 0; v < 8; v++)
        {
            for (int u = 0; u < 8; u++)
            {
                expected[v * 8 + u] = g[u] * g[v];
            }
        }

        AssertClose(expected, Run(Version(version).Forward, block), 1e-9, $"{version} DCT of a ±1 checkerboard");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [MemberData(nameof(Versions))]
    public void Inverse_of_forward_gives_the_block_back_within_1e_9(string version)
    {
        var (forward, inverse) = Version(version);
        for (int seed = 1; seed <= 5; seed++)
        {
            var block = RandomBlock(seed);
            AssertClose(block, Run(inverse, Run(forward, block)), 1e-9, $"{version}: IDCT(DCT(x)) for random block {seed}");
        }
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [MemberData(nameof(Versions))]
    public void The_transform_is_orthonormal_so_energy_is_kept(string version)
    {
        var block = RandomBlock(42);
        var coefficients = Run(Version(version).Forward, block);
        double before = block.Sum(x => x * x), after = coefficients.Sum(x => x * x);
        Assert.True(Math.Abs(before - after) <= 1e-6 * before,
            $"{version}: an orthonormal DCT keeps Σ x² (Parseval): the block has {before}, the coefficients {after}. Check c(0) = √(1/8), c(k) = 1/2. See README §DCT.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_three_versions_agree()
    {
        var block = RandomBlock(7);
        var formula = Run(Dct8x8.ForwardFormula, block);
        AssertClose(formula, Run(Dct8x8.ForwardSeparable, block), 1e-9, "separable vs formula");
        AssertClose(formula, Run(Dct8x8.ForwardFast, block), 1e-9, "fast vs formula");
        var back = Run(Dct8x8.InverseFormula, formula);
        AssertClose(back, Run(Dct8x8.InverseSeparable, formula), 1e-9, "inverse separable vs inverse formula");
        AssertClose(back, Run(Dct8x8.InverseFast, formula), 1e-9, "inverse fast vs inverse formula");
    }

    // ---- JPEG quantisation: the tables libjpeg's cjpeg wrote into the DQT segments of tiny JPEGs ----

    /// <summary>The 64 entries of DQT table <paramref name="id"/> in a JPEG file, in the file's (zigzag) order (T.81 §B.2.4.1).</summary>
    private static byte[] Dqt(string file, int id)
    {
        var bytes = Files.Bytes(file);
        for (int i = 2; i + 4 < bytes.Length;)
        {
            Assert.True(bytes[i] == 0xFF, $"{file}: expected a marker at offset {i}.");
            int marker = bytes[i + 1], length = bytes[i + 2] << 8 | bytes[i + 3];
            if (marker == 0xDB)
            {
                for (int at = i + 4; at < i + 2 + length; at += 65)
                {
                    if ((bytes[at] & 0x0F) == id)
                    {
                        Assert.True(bytes[at] >> 4 == 0, $"{file}: table {id} is not 8-bit.");
                        return bytes[(at + 1)..(at + 65)];
                    }
                }
            }

            i += 2 + length;
        }

        throw new Xunit.Sdk.XunitException($"{file} has no DQT table {id}.");
    }

    /// <summary>T.81 Figure A.6, written out here: the row-order index of each zigzag position.</summary>
    private static readonly int[] ZigzagT81 =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(50)]
    [InlineData(75)]
    [InlineData(90)]
    [InlineData(100)]
    public void Scaled_tables_are_the_ones_cjpeg_writes(int quality)
    {
        foreach (var (id, table, name) in new[] { (0, JpegQuantisation.LuminanceTable.ToArray(), "luminance (K.1)"), (1, JpegQuantisation.ChrominanceTable.ToArray(), "chrominance (K.2)") })
        {
            var inFile = Dqt($"quality-{quality}.jpg", id);
            var scaled = JpegQuantisation.Scale(table, quality);
            var zigzagged = ZigzagT81.Select(i => scaled[i]).ToArray();
            HexDiff.AssertEqual(inFile, zigzagged, $"the {name} table at quality {quality}, in zigzag order, vs the DQT segment of cjpeg -quality {quality}", "README §Quantisation");
        }
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-5)]
    public void Quality_out_of_range_is_refused(int quality)
    {
        var error = Record.Exception(() => JpegQuantisation.Scale(JpegQuantisation.LuminanceTable, quality));
        Assert.True(error is YuvException { ParamName: "quality" } e && Equals(e.Value, quality),
            $"Quality {quality} must throw YuvException naming \"quality\" (1 to 100); got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Quantise_rounds_half_away_from_zero_and_dequantise_multiplies()
    {
        var coefficients = new double[64];
        coefficients[0] = 800;      // / 16 = 50
        coefficients[1] = -16.5;    // / 11 = −1.5 → −2
        coefficients[2] = 4.9;      // / 10 = 0.49 → 0
        coefficients[8] = 18;       // / 12 = 1.5 → 2
        var levels = new short[64];
        JpegQuantisation.Quantise(coefficients, JpegQuantisation.LuminanceTable, levels);
        Assert.True(levels[0] == 50 && levels[1] == -2 && levels[2] == 0 && levels[8] == 2 && levels.Skip(9).All(l => l == 0),
            $"Quantising with Table K.1: expected levels 50, −2, 0 at indices 0–2 and 2 at index 8; got {levels[0]}, {levels[1]}, {levels[2]} and {levels[8]}. See README §Quantisation.");
        var back = new double[64];
        JpegQuantisation.Dequantise(levels, JpegQuantisation.LuminanceTable, back);
        Assert.True(back[0] == 800 && back[1] == -22 && back[8] == 24, $"Dequantising: expected 800, −22 and 24; got {back[0]}, {back[1]}, {back[8]}. See README §Quantisation.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Zigzag_follows_T81_figure_A6()
    {
        var natural = Enumerable.Range(0, 64).Select(i => (short)i).ToArray();
        var scanned = new short[64];
        Zigzag.Scan<short>(natural, scanned);
        Assert.True(scanned.Select(s => (int)s).SequenceEqual(ZigzagT81),
            $"Zigzag.Scan of 0..63: expected {string.Join(",", ZigzagT81)}; got {string.Join(",", scanned)}. See README §Zigzag.");
        var back = new short[64];
        Zigzag.Unscan<short>(scanned, back);
        Assert.True(back.SequenceEqual(natural), "Zigzag.Unscan(Zigzag.Scan(x)) must give x back. See README §Zigzag.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Run_length_pairs_count_the_zeros_before_each_level()
    {
        var zigzag = new short[64];
        zigzag[0] = 50;  // DC, not run-length coded
        zigzag[3] = 5;   // after zeros at 1, 2
        zigzag[5] = -1;  // after a zero at 4
        zigzag[6] = 2;   // right after
        zigzag[63] = 1;  // after 56 zeros
        var pairs = RunLength.Encode(zigzag);
        RunLevel[] expected = [new(2, 5), new(1, -1), new(0, 2), new(56, 1)];
        Assert.True(pairs.SequenceEqual(expected), $"Expected pairs {string.Join(" ", expected)}; got {string.Join(" ", pairs)}. See README §Run-length.");
        var decoded = new short[64];
        decoded[0] = 50;
        RunLength.Decode(pairs, decoded);
        Assert.True(decoded.SequenceEqual(zigzag), "Decode(Encode(x)) must give the 63 AC coefficients back. See README §Run-length.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Run_length_past_the_end_of_a_block_is_refused()
    {
        var error = Record.Exception(() => RunLength.Decode([new RunLevel(60, 3), new RunLevel(5, 1)], new short[64]));
        Assert.True(error is YuvException, $"Pairs (60,3), (5,1) put a level at index 67: Decode must throw YuvException; got {M1RawFrameTests.Describe(error)}. See README §Run-length.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_smooth_block_keeps_its_energy_in_the_first_coefficients()
    {
        var block = new double[64];
        for (int i = 0; i < 64; i++)
        {
            block[i] = 40 + 6 * (i % 8) + 3 * (i / 8) - 128; // a gentle ramp, level-shifted
        }

        // The coefficients from the DCT formula (T.81 §A.3.3), computed here: this test is about EnergyInFirst, not your DCT.
        var coefficients = new double[64];
        for (int k = 0; k < 64; k++)
        {
            for (int i = 0; i < 64; i++)
            {
                coefficients[k] += Basis(k % 8, i % 8) * Basis(k / 8, i / 8) * block[i];
            }
        }

        var zigzag = ZigzagT81.Select(i => coefficients[i]).ToArray();
        double expected = zigzag.Take(6).Sum(c => c * c) / zigzag.Sum(c => c * c);
        double share = RunLength.EnergyInFirst(zigzag, 6);
        Assert.True(Math.Abs(share - expected) < 1e-12 && share > 0.99,
            $"A ramp keeps {expected:P3} of its energy in its first 6 zigzag coefficients; EnergyInFirst says {share:P3}. See README §Energy compaction.");
    }

    // ---- H.264 4×4 ----

    [Fact]
    [Trait("Milestone", Milestone)]
    public void H264_forward_core_is_Cf_X_CfT()
    {
        // Worked by hand with Cf = [1 1 1 1; 2 1 −1 −2; 1 −1 −1 1; 1 −2 2 −1] (H.264 §8.5.12's inverse transposed).
        int[] x = [5, 11, 8, 10, 9, 8, 4, 12, 1, 10, 11, 4, 19, 6, 15, 7];
        int[] expected = [140, -1, -6, 7, -19, -39, 7, -92, 22, 17, 8, 31, -27, -32, -59, -21];
        var w = new int[16];
        H264Transform.ForwardCore(x, w);
        Assert.True(w.SequenceEqual(expected), $"Cf·X·Cfᵀ: expected {string.Join(",", expected)}; got {string.Join(",", w)}. See README §H.264 transform.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void H264_inverse_of_a_DC_of_64_is_all_ones()
    {
        // §8.5.12.2: every row/column butterfly passes a lone d00 = 64 to all four outputs; (64 + 32) >> 6 = 1.
        var d = new int[16];
        d[0] = 64;
        var r = new int[16];
        H264Transform.InverseCore(d, r);
        Assert.True(r.All(v => v == 1), $"The inverse of d00 = 64 must be sixteen 1s; got {string.Join(",", r)}. See README §H.264 transform.");
        d[0] = 0;
        d[1] = 128; // d01 alone: row 0 → e = (0, 0, 64, 128) → f = (128, 64, −64, −128), copied down every column; (f + 32) >> 6
        H264Transform.InverseCore(d, r);
        int[] expected = [2, 1, -1, -2, 2, 1, -1, -2, 2, 1, -1, -2, 2, 1, -1, -2];
        Assert.True(r.SequenceEqual(expected), $"The inverse of d01 = 128: expected {string.Join(",", expected)}; got {string.Join(",", r)}. See README §H.264 transform.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    // LevelScale = 16·v (flat scaling lists), v from §8.5.9: QP%6 = 4 → 16, 25, 20.
    [InlineData(28, 0, 256)]   // (1·256) << (4 − 4)
    [InlineData(22, 0, 128)]   // (1·256 + 2^0) >> 1
    [InlineData(28, 5, 400)]   // (1,1): v = 25
    [InlineData(28, 1, 320)]   // (0,1): v = 20
    [InlineData(34, 0, 512)]   // one more doubling
    [InlineData(0, 0, 10)]     // QP 0: (1·160 + 8) >> 4
    public void H264_dequantisation_follows_8_5_12_1(int qp, int position, int expected)
    {
        var levels = new int[16];
        levels[position] = 1;
        var d = new int[16];
        H264Transform.Dequantise(levels, qp, d);
        Assert.True(d[position] == expected, $"A level of 1 at position {position} (row {position / 4}, column {position % 4}) at QP {qp} scales to {expected}; got {d[position]}. See README §H.264 quantisation.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void H264_qstep_doubles_every_6()
    {
        Assert.True(H264Transform.Qstep(4) == 1.0 && H264Transform.Qstep(0) == 0.625 && H264Transform.Qstep(51) == 224,
            $"Qstep(0) = 0.625, Qstep(4) = 1, Qstep(51) = 224; got {H264Transform.Qstep(0)}, {H264Transform.Qstep(4)}, {H264Transform.Qstep(51)}. See README §H.264 quantisation.");
        for (int qp = 0; qp + 6 <= 51; qp++)
        {
            Assert.True(H264Transform.Qstep(qp + 6) == 2 * H264Transform.Qstep(qp), $"Qstep({qp + 6}) must be twice Qstep({qp}). See README §H.264 quantisation.");
        }
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(0, 1)]
    [InlineData(12, 2)]
    [InlineData(6, 2)]
    public void H264_encode_then_decode_returns_the_residual_within_Qstep(int qp, int tolerance)
    {
        var random = new Random(264 + qp);
        int[] x = Enumerable.Range(0, 16).Select(_ => random.Next(-40, 41)).ToArray();
        var w = new int[16];
        var levels = new int[16];
        var d = new int[16];
        var r = new int[16];
        H264Transform.ForwardCore(x, w);
        H264Transform.Quantise(w, qp, intra: true, levels);
        H264Transform.Dequantise(levels, qp, d);
        H264Transform.InverseCore(d, r);
        for (int i = 0; i < 16; i++)
        {
            Assert.True(Math.Abs(r[i] - x[i]) <= tolerance,
                $"QP {qp}: residual {i} was {x[i]}, came back {r[i]} after forward, quantise, dequantise, inverse (allowed ±{tolerance}). Check MF and the 15 + QP/6 shift. See README §H.264 quantisation.");
        }
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(-1)]
    [InlineData(52)]
    public void H264_qp_out_of_range_is_refused(int qp)
    {
        var error = Record.Exception(() => H264Transform.Dequantise(new int[16], qp, new int[16]));
        Assert.True(error is YuvException { ParamName: "qp" }, $"QP {qp} must throw YuvException naming \"qp\" (0..51); got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    // level = sign(W)·((|W|·MF + f) >> qbits), qbits = 15 + QP/6, f = 2^qbits/3 intra, 2^qbits/6 inter (README §H.264 quantisation).
    // QP 0, position 0 (MF 13107): W = 2 → 26214 + 10922 = 37136 >> 15 = 1 intra; 26214 + 5461 = 31675 >> 15 = 0 inter.
    [InlineData(0, 0, 2, true, 1)]
    [InlineData(0, 0, 2, false, 0)]
    [InlineData(0, 0, -2, true, -1)]
    [InlineData(0, 0, -2, false, 0)]
    // QP 0, position 0: W = 5 → 65535 + 5461 = 70996 >> 15 = 2 inter.
    [InlineData(0, 0, 5, false, 2)]
    // QP 6 (qbits 16, MF 13107): W = 4 → 52428 + 21845 = 74273 >> 16 = 1 intra; 52428 + 10922 = 63350 >> 16 = 0 inter.
    [InlineData(6, 0, 4, true, 1)]
    [InlineData(6, 0, 4, false, 0)]
    // QP 28 (QP%6 = 4, qbits 19, JM's MF 8192/3355/5243): position 5 (odd, odd), W = 120 → 402600 + 87381 = 489981 >> 19 = 0 inter,
    // 402600 + 174762 = 577362 >> 19 = 1 intra; W = −200 → 671000 + 87381 = 758381 >> 19 = 1, so −1 inter.
    [InlineData(28, 5, 120, false, 0)]
    [InlineData(28, 5, 120, true, 1)]
    [InlineData(28, 5, -200, false, -1)]
    public void H264_quantisation_rounds_intra_by_a_third_and_inter_by_a_sixth(int qp, int position, int w, bool intra, int expected)
    {
        var coefficients = new int[16];
        coefficients[position] = w;
        var levels = Enumerable.Repeat(999, 16).ToArray(); // not cleared first: Quantise must write every level
        H264Transform.Quantise(coefficients, qp, intra, levels);
        Assert.True(levels[position] == expected, $"W = {w} at position {position}, QP {qp}, {(intra ? "intra (f = 2^qbits/3)" : "inter (f = 2^qbits/6)")}: level {expected}; got {levels[position]}. See README §H.264 quantisation.");
        Assert.True(levels.Where((_, i) => i != position).All(l => l == 0), $"The other 15 coefficients are 0, so are their levels; got {string.Join(",", levels)}. See README §H.264 quantisation.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    // Either side of the QP 24 switch (§8.5.12.1): QP 23 = 3·6 + 5, v = 18 → (1·288 + 2^0) >> 1 = 144; QP 24 = 4·6 + 0, v = 10 → 160 << 0.
    [InlineData(23, 0, 1, 144)]
    [InlineData(24, 0, 1, 160)]
    [InlineData(24, 5, -3, -3 * 256)]  // (1,1): v = 16
    [InlineData(18, 1, 3, 312)] // QP 18 = 3·6 + 0, (0,1): v = 13 → (3·208 + 2^0) >> 1 = 312
    public void H264_dequantisation_either_side_of_QP_24(int qp, int position, int level, int expected)
    {
        var levels = new int[16];
        levels[position] = level;
        var d = Enumerable.Repeat(999, 16).ToArray(); // not cleared first: Dequantise must write every value
        H264Transform.Dequantise(levels, qp, d);
        Assert.True(d[position] == expected, $"A level of {level} at position {position} at QP {qp} scales to {expected}; got {d[position]}. See README §H.264 quantisation.");
        Assert.True(d.Where((_, i) => i != position).All(v => v == 0), $"Levels of 0 scale to 0; got {string.Join(",", d)}. See README §H.264 quantisation.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Transforms_and_decoders_overwrite_a_dirty_output_buffer()
    {
        // Callers reuse buffers: every output value must be written, never added to or left as it was.
        double[] dc = new double[64];
        dc[0] = 8; // F(0,0) = 8 → f = c(0)·c(0)·8 = 1 everywhere (§DCT)
        double[] ones = Enumerable.Repeat(1.0, 64).ToArray();
        foreach (var (name, run) in new (string, Action<double[]>)[]
        {
            ("InverseFormula", o => Dct8x8.InverseFormula(dc, o)), ("InverseSeparable", o => Dct8x8.InverseSeparable(dc, o)), ("InverseFast", o => Dct8x8.InverseFast(dc, o)),
        })
        {
            var output = Enumerable.Repeat(77.0, 64).ToArray();
            run(output);
            Assert.True(output.All(v => Math.Abs(v - 1) < 1e-9), $"{name} of F(0,0) = 8 into a buffer full of 77s: expected 64 ones; got {string.Join(",", output.Take(8).Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)))}…. See README §DCT.");
        }

        foreach (var (name, run) in new (string, Action<double[]>)[]
        {
            ("ForwardFormula", o => Dct8x8.ForwardFormula(ones, o)), ("ForwardSeparable", o => Dct8x8.ForwardSeparable(ones, o)), ("ForwardFast", o => Dct8x8.ForwardFast(ones, o)),
        })
        {
            var output = Enumerable.Repeat(77.0, 64).ToArray();
            run(output);
            Assert.True(Math.Abs(output[0] - 8) < 1e-9 && output.Skip(1).All(v => Math.Abs(v) < 1e-9), $"{name} of a block of ones into a buffer full of 77s: expected F(0,0) = 8 and 63 zeros; got {string.Join(",", output.Take(8).Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)))}…. See README §DCT.");
        }

        var zigzag = Enumerable.Repeat((short)9, 64).ToArray();
        RunLength.Decode([new RunLevel(2, 5)], zigzag);
        short[] expected = [9, 0, 0, 5, .. new short[60]];
        Assert.True(zigzag.SequenceEqual(expected), $"RunLength.Decode of (2, 5) into a block full of 9s: zigzag[0] is left alone, then 0, 0, 5 and zeros to the end; got {string.Join(",", zigzag.Take(8))}…. See README §Run-length.");

        var residual = Enumerable.Repeat(55, 16).ToArray();
        var d = new int[16];
        d[0] = 64;
        H264Transform.InverseCore(d, residual);
        Assert.True(residual.All(v => v == 1), $"InverseCore of d00 = 64 into a buffer full of 55s: sixteen 1s; got {string.Join(",", residual)}. See README §H.264 transform.");
        var w = Enumerable.Repeat(55, 16).ToArray();
        H264Transform.ForwardCore(new int[16], w);
        Assert.True(w.All(v => v == 0), $"ForwardCore of a zero residual into a buffer full of 55s: sixteen 0s; got {string.Join(",", w)}. See README §H.264 transform.");
        var jpeg = Enumerable.Repeat(77.0, 64).ToArray();
        JpegQuantisation.Dequantise(new short[64], JpegQuantisation.LuminanceTable, jpeg);
        Assert.True(jpeg.All(v => v == 0), $"Dequantise of 64 zero levels into a buffer full of 77s: 64 zeros; got {string.Join(",", jpeg.Take(8))}…. See README §Quantisation.");
    }
}
