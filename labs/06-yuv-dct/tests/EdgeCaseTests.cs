namespace Lab06.YuvDct.Tests;

/// <summary>
/// The edges of the contract that the milestone tests did not reach (found by mutation testing, issue 19): sizes at
/// exactly the limits, crops touching the picture's edges, odd sizes when subsampling, every refusal's message
/// saying something (README §Bad input: "the message says what was expected").
/// </summary>
public class M1EdgeCaseTests
{
    private const string Milestone = "M1 raw frames";

    /// <summary>What the message says besides the parameter name .NET appends to it.</summary>
    internal static string Said(Exception? error) => error is ArgumentException e
        ? e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal).Trim()
        : "";

    internal static void SaysWhatWasExpected(Exception? error, string param, string what)
    {
        Assert.True(error is YuvException e && e.ParamName == param,
            $"{what} must throw YuvException naming \"{param}\"; got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
        Assert.True(Said(error).Any(char.IsLetter),
            $"{what}: README §Bad input says the message says what was expected; the message was empty (\"{error!.Message}\").");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(16384, 1)]
    [InlineData(1, 16384)]
    public void Sizes_of_exactly_16384_are_allowed(int width, int height)
    {
        var error = Record.Exception(() => new Plane(width, height));
        Assert.True(error is null, $"README §Bad input refuses sizes above 16384, so a {width}×{height} plane is allowed; got {M1RawFrameTests.Describe(error)}.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(16385, 1, "width")]
    [InlineData(0, 1, "width")]
    [InlineData(1, 16385, "height")]
    [InlineData(1, -3, "height")]
    public void A_size_out_of_range_is_refused_with_a_message(int width, int height, string param)
    {
        SaysWhatWasExpected(Record.Exception(() => new Plane(width, height)), param, $"A {width}×{height} plane");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Planes_crop_up_to_their_edges()
    {
        var plane = new Plane(16, 8, Enumerable.Range(0, 128).Select(i => (byte)i).ToArray());

        var whole = plane.Crop(0, 0, 16, 8);
        Assert.True(whole.Width == 16 && whole.Height == 8 && Enumerable.Range(0, 128).All(i => whole[i % 16, i / 16] == i),
            "Plane.Crop(0, 0, 16, 8) of a 16×8 plane is the whole plane: a rectangle that starts at 0 and ends at the edge lies inside it. See README §Crop.");

        var corner = plane.Crop(12, 5, 4, 3);
        Assert.True(corner.Width == 4 && corner.Height == 3 && corner[0, 0] == (5 * 16) + 12 && corner[3, 2] == 127,
            $"Plane.Crop(12, 5, 4, 3) of a 16×8 plane is its bottom-right corner (sample (0,0) = {(5 * 16) + 12}, (3,2) = 127); got {corner.Width}×{corner.Height} with {corner[0, 0]} and {corner[corner.Width - 1, corner.Height - 1]}.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(13, 0, 4, 2)]
    [InlineData(0, 7, 2, 2)]
    [InlineData(-1, 0, 2, 2)]
    [InlineData(0, -1, 2, 2)]
    public void A_crop_past_an_edge_is_refused_with_a_message(int x, int y, int width, int height)
    {
        var error = Record.Exception(() => new Plane(16, 8).Crop(x, y, width, height));
        Assert.True(error is YuvException && Said(error).Any(char.IsLetter),
            $"Plane.Crop({x}, {y}, {width}, {height}) of a 16×8 plane is not inside it: YuvException with a message saying why; got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(ChromaFormat.Yuv420, 1, 0, "x")]
    [InlineData(ChromaFormat.Yuv420, 0, 1, "y")]
    public void An_odd_crop_is_refused_with_a_message(ChromaFormat format, int x, int y, string param)
    {
        SaysWhatWasExpected(Record.Exception(() => YuvFrame.Create(format, 8, 8).Crop(x, y, 4, 4)), param, $"Cropping a {format} frame at ({x},{y})");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Chroma_planes_of_the_wrong_size_are_refused_with_a_message()
    {
        SaysWhatWasExpected(Record.Exception(() => new YuvFrame(ChromaFormat.Yuv420, new Plane(8, 8), new Plane(4, 3), new Plane(4, 4))), "cb", "An 8×8 4:2:0 frame with a 4×3 Cb plane");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(3, 4)]
    [InlineData(4, 3)]
    public void Upsampling_chroma_of_the_wrong_size_is_refused(int cw, int ch)
    {
        // 4:2:0 chroma of an 8×8 frame is 4×4 (README §Plane sizes); one wrong side is enough.
        var error = Record.Exception(() => ChromaResampler.Upsample(new Plane(cw, ch), ChromaFormat.Yuv420, 8, 8));
        Assert.True(error is YuvException && Said(error).Any(char.IsLetter),
            $"Upsampling a {cw}×{ch} plane as the 4:2:0 chroma of an 8×8 frame (4×4) must throw YuvException with a message; got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(ChromaFormat.Yuv420, 5, 3)]
    [InlineData(ChromaFormat.Yuv422, 5, 3)]
    [InlineData(ChromaFormat.Yuv420, 1, 1)]
    public void Odd_sizes_downsample_with_the_edge_repeated(ChromaFormat target, int width, int height)
    {
        // README §Chroma subsampling: each chroma sample is (sum of the 2×2 or 2×1 samples it covers + half the
        // count) / count, and at an odd edge the missing samples repeat the edge.
        var full = new Plane(width, height, Enumerable.Range(0, width * height).Select(i => (byte)(17 + (i * 37 % 200))).ToArray());
        int sy = target == ChromaFormat.Yuv420 ? 2 : 1;
        int cw = (width + 1) / 2, ch = (height + sy - 1) / sy;

        var got = ChromaResampler.Downsample(full, target);

        Assert.True(got.Width == cw && got.Height == ch, $"Downsampling a {width}×{height} plane to {target} gives {cw}×{ch} (README §Plane sizes); got {got.Width}×{got.Height}.");
        for (int y = 0; y < ch; y++)
        {
            for (int x = 0; x < cw; x++)
            {
                int sum = 0;
                for (int dy = 0; dy < sy; dy++)
                {
                    for (int dx = 0; dx < 2; dx++)
                    {
                        sum += full[Math.Min((2 * x) + dx, width - 1), Math.Min((sy * y) + dy, height - 1)];
                    }
                }

                int expected = (sum + sy) / (2 * sy);
                Assert.True(got[x, y] == expected, $"Downsampling a {width}×{height} plane to {target}: sample ({x},{y}) covers columns {2 * x}..{(2 * x) + 1} and rows {sy * y}..{(sy * y) + sy - 1}, the ones past the edge repeating it: {expected}; got {got[x, y]}. See README §Chroma subsampling.");
            }
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Writing_a_frame_in_a_layout_of_another_chroma_format_is_refused()
    {
        var error = Record.Exception(() => RawYuv.Write(YuvFrame.Create(ChromaFormat.Yuv444, 4, 4), RawLayout.I420));
        Assert.True(error is YuvException && Said(error).Any(char.IsLetter),
            $"RawYuv.Write of a 4:4:4 frame as I420 must throw YuvException with a message (convert it first); got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
    }
}

/// <summary>M3's refusals that no milestone test reached.</summary>
public class M3EdgeCaseTests
{
    private const string Milestone = "M3 quality";

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Frames_of_different_chroma_formats_are_not_compared()
    {
        var a = YuvFrame.Create(ChromaFormat.Yuv420, 8, 8);
        var b = YuvFrame.Create(ChromaFormat.Yuv444, 8, 8);
        var psnr = Record.Exception(() => Quality.Compare(a, b));
        var ssim = Record.Exception(() => Quality.SsimAll(a, b));
        Assert.True(psnr is YuvException && M1EdgeCaseTests.Said(psnr).Any(char.IsLetter), $"PSNR of a 4:2:0 and a 4:4:4 frame must throw YuvException with a message; got {M1RawFrameTests.Describe(psnr)}. See README §Bad input.");
        Assert.True(ssim is YuvException && M1EdgeCaseTests.Said(ssim).Any(char.IsLetter), $"SSIM of a 4:2:0 and a 4:4:4 frame must throw YuvException with a message; got {M1RawFrameTests.Describe(ssim)}. See README §Bad input.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(16, 7)]
    [InlineData(7, 16)]
    public void Ssim_needs_one_whole_8x8_window(int width, int height)
    {
        var error = Record.Exception(() => Quality.Ssim(new Plane(width, height), new Plane(width, height)));
        Assert.True(error is YuvException && M1EdgeCaseTests.Said(error).Any(char.IsLetter),
            $"SSIM of two {width}×{height} planes: no 8×8 window fits, so it must throw YuvException with a message; got {M1RawFrameTests.Describe(error)}. See README §SSIM.");
    }
}

/// <summary>M4's limits that no milestone test reached.</summary>
public class M4EdgeCaseTests
{
    private const string Milestone = "M4 transforms";

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Quality_1_is_allowed_and_0_and_101_are_refused_with_a_message()
    {
        var table = new byte[64];
        Array.Fill(table, (byte)16);
        var error = Record.Exception(() => JpegQuantisation.Scale(table, 1));
        Assert.True(error is null, $"Quality 1 is inside 1–100 (README §Quantisation); got {M1RawFrameTests.Describe(error)}.");
        foreach (int quality in new[] { 0, 101 })
        {
            M1EdgeCaseTests.SaysWhatWasExpected(Record.Exception(() => JpegQuantisation.Scale(table, quality)), "quality", $"Quality {quality}");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_quantisation_table_that_is_not_64_entries_is_refused()
    {
        var error = Record.Exception(() => JpegQuantisation.Scale(new byte[63], 50));
        Assert.True(error is YuvException && M1EdgeCaseTests.Said(error).Any(char.IsLetter),
            $"Scaling a 63-entry quantisation table must throw YuvException with a message (a table is 64 values); got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_pair_that_lands_exactly_on_index_64_is_refused()
    {
        // Index 1 + 62 = 63 is the last coefficient; one more zero puts the level at 64, past the block.
        var zigzag = new short[64];
        var fits = Record.Exception(() => RunLength.Decode([new RunLevel(62, 5)], zigzag));
        Assert.True(fits is null && zigzag[63] == 5, $"Pair (62, 5) puts 5 at zigzag index 63, the block's last; got {M1RawFrameTests.Describe(fits)}, index 63 = {zigzag[63]}. See README §Run-length.");
        var error = Record.Exception(() => RunLength.Decode([new RunLevel(63, 5)], zigzag));
        Assert.True(error is YuvException && M1EdgeCaseTests.Said(error).Any(char.IsLetter),
            $"Pair (63, 5) puts a level at zigzag index 64, past the block: Decode must throw YuvException with a message; got {M1RawFrameTests.Describe(error)}. See README §Run-length.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void An_all_zero_block_has_all_its_energy_anywhere()
    {
        double got = RunLength.EnergyInFirst(new double[64], 6);
        Assert.True(got == 1, $"README §Energy compaction: the share is 1 for an all-zero block; got {got}.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(52)]
    [InlineData(-1)]
    public void Every_H264_function_refuses_a_qp_out_of_range(int qp)
    {
        M1EdgeCaseTests.SaysWhatWasExpected(Record.Exception(() => H264Transform.Quantise(new int[16], qp, intra: true, new int[16])), "qp", $"Quantise at QP {qp}");
        M1EdgeCaseTests.SaysWhatWasExpected(Record.Exception(() => H264Transform.Qstep(qp)), "qp", $"Qstep({qp})");
    }
}

/// <summary>M5's bit count and level count, worked out by hand from README §Pipeline and §Bits.</summary>
public class M5EdgeCaseTests
{
    private const string Milestone = "M5 encode one frame";

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_dc_is_coded_as_the_difference_from_the_previous_block()
    {
        // Three flat 8×8 blocks of 160, 192 and 128. Level-shifted they are 32, 64 and 0; the orthonormal DCT's DC
        // is 8 × that (T.81 §A.3.3) = 256, 512, 0 and no AC; K.1's first entry at quality 50 is 16, so the levels are
        // 16, 32, 0. Bits per block: se(ΔDC) + ue(0 pairs) = se(16) + 1 = 11 + 1, se(16) + 1 = 12, se(−32) + 1 = 13 + 1.
        var samples = new byte[24 * 8];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (i % 24) switch { < 8 => 160, < 16 => 192, _ => 128 };
        }

        var encoded = FrameEncoder.Encode(new Plane(24, 8, samples), 50);

        Assert.True(encoded.Bits == 38, $"Blocks of 160, 192, 128 have DC levels 16, 32, 0: se(16) + 1 + se(32 − 16) + 1 + se(0 − 32) + 1 = 12 + 12 + 14 = 38 bits; got {encoded.Bits}. See README §Pipeline (the DC is coded as DC − previous DC).");
        Assert.True(encoded.NonzeroLevels == 2, $"Blocks of 160, 192, 128 have two nonzero levels (DC 16 and 32; the third block is all zero); got NonzeroLevels = {encoded.NonzeroLevels}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_negative_code_number_has_no_ue_code()
    {
        M1EdgeCaseTests.SaysWhatWasExpected(Record.Exception(() => ExpGolomb.UnsignedBits(-1)), "codeNum", "ue(v) of −1");
    }
}

/// <summary>A bad size is named as the size, even when the buffer's length is wrong too (README §Bad input).</summary>
public class M2EdgeCaseTests
{
    private const string Milestone = "M2 colour";

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(0, 1, "width")]
    [InlineData(1, 0, "height")]
    public void A_bad_size_is_named_before_the_buffer(int width, int height, string param)
    {
        M1EdgeCaseTests.SaysWhatWasExpected(Record.Exception(() => ColourConverter.RgbToYuv(new byte[3], width, height, ColourMatrix.Bt601, ColourRange.Full)), param, $"RgbToYuv of 3 bytes as a {width}×{height} picture (the size itself is wrong)");
    }
}

/// <summary>M6's size checks, as RgbToYuv's and the plane transforms'.</summary>
public class M6EdgeCaseTests
{
    [Theory]
    [Trait("Milestone", "M6 fast colour")]
    [InlineData(0, 2, "width")]
    [InlineData(2, 0, "height")]
    public void The_fast_converter_names_a_bad_size_before_the_buffer(int width, int height, string param)
    {
        M1EdgeCaseTests.SaysWhatWasExpected(Record.Exception(() => ColourConverter.RgbToI420Fast(new byte[12], width, height, ColourMatrix.Bt601, ColourRange.Full)), param, $"RgbToI420Fast of 12 bytes as a {width}×{height} picture (the size itself is wrong)");
    }

    [Theory]
    [Trait("Milestone", "M6 fast DCT")]
    [InlineData(0, 8, "width")]
    [InlineData(8, 16385, "height")]
    public void A_plane_of_a_bad_size_has_no_coefficient_count(int width, int height, string param)
    {
        M1EdgeCaseTests.SaysWhatWasExpected(Record.Exception(() => Dct8x8.PlaneCoefficientCount(width, height)), param, $"PlaneCoefficientCount({width}, {height})");
    }
}

/// <summary>Enum values the handout does not define are bad arguments too (README §Bad input: every bad argument).</summary>
public class M1UndefinedValueTests
{
    [Fact]
    [Trait("Milestone", "M1 raw frames")]
    public void An_undefined_chroma_format_is_refused()
    {
        var error = Record.Exception(() => FrameLayout.ChromaSize((ChromaFormat)9, 8, 8));
        Assert.True(error is YuvException && M1EdgeCaseTests.Said(error).Any(char.IsLetter),
            $"ChromaSize of ChromaFormat 9 (no such format) must throw YuvException with a message; got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
    }
}

/// <summary>More refusals whose messages must say what was expected (README §Bad input).</summary>
public class M2M3MessageTests
{
    [Fact]
    [Trait("Milestone", "M2 colour")]
    public void A_wrong_rgb_length_is_refused_with_a_message()
    {
        M1EdgeCaseTests.SaysWhatWasExpected(Record.Exception(() => ColourConverter.RgbToYuv(new byte[11], 2, 2, ColourMatrix.Bt601, ColourRange.Full)), "rgb", "RgbToYuv of 11 bytes for a 2×2 picture (12 bytes)");
    }

    [Fact]
    [Trait("Milestone", "M6 fast colour")]
    public void The_fast_converter_refuses_a_wrong_rgb_length_with_a_message()
    {
        M1EdgeCaseTests.SaysWhatWasExpected(Record.Exception(() => ColourConverter.RgbToI420Fast(new byte[11], 2, 2, ColourMatrix.Bt601, ColourRange.Full)), "rgb", "RgbToI420Fast of 11 bytes for a 2×2 picture (12 bytes)");
    }

    [Fact]
    [Trait("Milestone", "M3 quality")]
    public void Frames_of_different_formats_are_not_compared_even_when_their_planes_match()
    {
        // A 1×8 frame's chroma is 1×8 in 4:2:2 and in 4:4:4 (README §Plane sizes): only the formats differ.
        var error = Record.Exception(() => Quality.Compare(YuvFrame.Create(ChromaFormat.Yuv422, 1, 8), YuvFrame.Create(ChromaFormat.Yuv444, 1, 8)));
        Assert.True(error is YuvException && M1EdgeCaseTests.Said(error).Any(char.IsLetter),
            $"PSNR of a 1×8 4:2:2 and a 1×8 4:4:4 frame (same plane sizes, other formats) must throw YuvException with a message; got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
    }

    [Fact]
    [Trait("Milestone", "M6 fast DCT")]
    public void Coefficients_of_the_wrong_length_are_refused_with_a_message()
    {
        M1EdgeCaseTests.SaysWhatWasExpected(Record.Exception(() => Dct8x8.ForwardPlane(new Plane(20, 12), new double[100])), "coefficients", "ForwardPlane of a 20×12 plane (384 coefficients) into 100");
    }
}
