namespace Lab06.YuvDct.Tests;

/// <summary>
/// M5: one frame through blocks → DCT → quantise → zigzag → run-length → back, with bits estimated;
/// the reconstruction checked against libjpeg's (cjpeg + djpeg, same table, float DCT) and the try tool
/// checked with ffmpeg.
/// </summary>
public class M5PipelineTests
{
    private const string Milestone = "M5 encode one frame";
    private const int W = 96, H = 64;

    private static Plane Luma() => new(W, H, Files.Bytes("ref-96x64.yuv")[..(W * H)]);

    [Theory]
    [Trait("Milestone", Milestone)]
    // H.264 Table 9-2: codeNum 0 → "1"; 1–2 → "01x"; 3–6 → "001xx"; 7–14 → "0001xxx"
    [InlineData(0, 1)]
    [InlineData(1, 3)]
    [InlineData(2, 3)]
    [InlineData(3, 5)]
    [InlineData(6, 5)]
    [InlineData(7, 7)]
    [InlineData(14, 7)]
    [InlineData(15, 9)]
    public void Exp_Golomb_lengths_follow_table_9_2(int codeNum, int bits)
    {
        int got = ExpGolomb.UnsignedBits(codeNum);
        Assert.True(got == bits, $"ue(v) for codeNum {codeNum} is {bits} bits (H.264 Table 9-2); got {got}. See README §Bits.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    // H.264 Table 9-3: se value 0 → codeNum 0, 1 → 1, −1 → 2, 2 → 3, −2 → 4, 3 → 5
    [InlineData(0, 1)]
    [InlineData(1, 3)]
    [InlineData(-1, 3)]
    [InlineData(2, 5)]
    [InlineData(-2, 5)]
    [InlineData(-3, 5)]
    [InlineData(4, 7)]
    public void Signed_Exp_Golomb_lengths_follow_table_9_3(int value, int bits)
    {
        int got = ExpGolomb.SignedBits(value);
        Assert.True(got == bits, $"se(v) for {value} is {bits} bits (H.264 Table 9-3 maps it to codeNum {(value > 0 ? 2 * value - 1 : -2 * value)}); got {got}. See README §Bits.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_flat_grey_frame_costs_two_bits_per_block_and_comes_back_exactly()
    {
        var plane = new Plane(16, 16, Enumerable.Repeat((byte)128, 256).ToArray());
        var encoded = FrameEncoder.Encode(plane, 50);
        Assert.True(encoded.Bits == 8, $"Four blocks of 128 (level-shifted to 0): each costs se(ΔDC = 0) + ue(0 pairs) = 1 + 1 bits, 8 in all; got {encoded.Bits}. See README §Pipeline.");
        HexDiff.AssertEqual(plane.Samples, encoded.Reconstruction.Samples, "the reconstruction of a flat grey frame", "README §Pipeline");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(20)]
    [InlineData(75)]
    public void The_reconstruction_is_close_to_libjpegs(int quality)
    {
        var expected = Files.Bytes($"luma-96x64.q{quality}.djpeg.gray");
        var encoded = FrameEncoder.Encode(Luma(), quality);
        int worst = 0, differing = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int diff = Math.Abs(expected[i] - encoded.Reconstruction.Samples[i]);
            differing += diff > 0 ? 1 : 0;
            if (diff > Math.Abs(expected[worst] - encoded.Reconstruction.Samples[worst]))
            {
                worst = i;
            }
        }

        int worstDiff = Math.Abs(expected[worst] - encoded.Reconstruction.Samples[worst]);
        double ours = encoded.Psnr, theirs = Spec.Psnr(Luma().Samples, expected); // libjpeg's PSNR, computed by the test (README §PSNR)
        // libjpeg rounds its quantiser ties and its float DCT a little differently: a level can flip by one
        // step now and then, so a few samples may move by more; the picture as a whole must not.
        Assert.True(differing <= expected.Length / 10 && Math.Abs(ours - theirs) <= 0.25,
            $"Quality {quality}: libjpeg (cjpeg -quality {quality} -dct float, djpeg -dct float) reaches {theirs:F2} dB on this luma, you {ours:F2} dB (allowed ±0.25), " +
            $"and {differing} of {expected.Length} samples differ from libjpeg's (allowed {expected.Length / 10}; the worst at ({worst % W},{worst / W}): {expected[worst]} vs your {encoded.Reconstruction.Samples[worst]}). " +
            "Same table, same DCT: check the level shift, the table scaling and the rounding. See README §Pipeline.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Higher_quality_costs_more_bits_and_gives_higher_psnr()
    {
        var curve = FrameEncoder.RateDistortion(Luma(), [10, 30, 50, 70, 90]);
        Assert.True(curve.Count == 5, $"RateDistortion with 5 qualities must give 5 points; got {curve.Count}. See README §Rate–distortion.");
        for (int i = 1; i < curve.Count; i++)
        {
            Assert.True(curve[i].Bits > curve[i - 1].Bits && curve[i].Psnr > curve[i - 1].Psnr,
                $"Quality {curve[i - 1].Quality} → {curve[i].Quality}: bits must grow ({curve[i - 1].Bits} → {curve[i].Bits}) and PSNR too ({curve[i - 1].Psnr:F2} → {curve[i].Psnr:F2} dB). See README §Rate–distortion.");
        }

        Assert.True(curve[^1].Reconstruction.Samples.Length == W * H,
            $"The reconstruction at quality {curve[^1].Quality} must be {W}×{H} ({W * H} samples); got {curve[^1].Reconstruction.Samples.Length}. See README §Pipeline.");
        double psnr = Spec.Psnr(Luma().Samples, curve[^1].Reconstruction.Samples); // computed by the test, not by your Quality
        Assert.True(Math.Abs(curve[^1].Psnr - psnr) < 1e-9,
            $"EncodedFrame.Psnr must be the PSNR of Reconstruction against the input, 10·log10(255² / MSE) = {psnr:F4} dB; got {curve[^1].Psnr:F4}. See README §PSNR.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Sizes_that_are_not_multiples_of_8_are_padded()
    {
        var plane = new Plane(13, 9, Files.Bytes("ref-96x64.yuv")[..(13 * 9)]);
        var encoded = FrameEncoder.Encode(plane, 100);
        Assert.True(encoded.Reconstruction.Width == 13 && encoded.Reconstruction.Height == 9,
            $"The reconstruction of a 13×9 plane must be 13×9; got {encoded.Reconstruction.Width}×{encoded.Reconstruction.Height}. See README §Pipeline.");
        Assert.True(encoded.Psnr > 40, $"At quality 100 (all steps 1) a 13×9 plane must come back within rounding (PSNR > 40 dB); got {encoded.Psnr:F2} dB. See README §Pipeline.");
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", Milestone)]
    public async Task The_try_tool_reports_ffmpegs_psnr_and_writes_a_png_ffmpeg_reads()
    {
        var ct = TestContext.Current.CancellationToken;
        string folder = Directory.CreateTempSubdirectory("lab06-").FullName;
        try
        {
            string png = Path.Combine(folder, "frame.png");
            var output = new StringWriter();
            int code = await YuvTryTool.RunAsync(
                [Repo.TestData("06-yuv-dct/ref-96x64.yuv"), "--size", "96x64", "--psnr", Repo.TestData("06-yuv-dct/noisy-96x64.yuv"), "--png", png], output, ct);
            Assert.True(code == 0, $"workbook try 06 … --psnr … --png … must exit 0; it exited with {code}:\n{output}\nSee the try command at the top of the README.");
            // The oracle: what ffmpeg's psnr filter printed for this pair (testdata/06-yuv-dct/noisy-96x64.psnr.txt, make.sh).
            var committed = System.Text.RegularExpressions.Regex.Match(await File.ReadAllTextAsync(Repo.TestData("06-yuv-dct/noisy-96x64.psnr.txt"), ct), @"y:([0-9.]+)");
            Assert.True(committed.Success, "(test) testdata/06-yuv-dct/noisy-96x64.psnr.txt has no 'y:' (re-make it with make.sh).");
            double ffmpegY = double.Parse(committed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var printed = System.Text.RegularExpressions.Regex.Match(output.ToString(), @"PSNR y:([0-9.]+|inf|∞)");
            Assert.True(printed.Success && double.TryParse(printed.Groups[1].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double toolY) && Math.Abs(toolY - ffmpegY) <= 0.01,
                $"The tool must print the luma PSNR of the pair as \"PSNR y:…\": ffmpeg's psnr filter says y:{ffmpegY:F6} (±0.01); it printed:\n{output}\nSee README §PSNR.");

            // ffmpeg decodes the PNG; ffmpeg also converts the frame itself (BT.601 limited, chroma repeated).
            string decoded = Path.Combine(folder, "decoded.rgb"), converted = Path.Combine(folder, "converted.rgb");
            var ffmpeg = RealTools.Ffmpeg();
            var run = await ToolRun.RunAsync(ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-i", png, "-f", "rawvideo", "-pix_fmt", "rgb24", decoded], TimeSpan.FromSeconds(20), ct);
            Assert.True(run.ExitCode == 0, $"ffmpeg could not read the PNG the tool wrote (--png):\n{run.ErrorTail()}\nThe PNG writer (Png.cs) is given code: check the RGB you hand it (README §Colour).");
            run = await ToolRun.RunAsync(ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", "96x64", "-i", Repo.TestData("06-yuv-dct/ref-96x64.yuv"),
                "-vf", "scale=in_color_matrix=bt601:in_range=tv:flags=neighbor+accurate_rnd+full_chroma_int+bitexact,format=rgb24", "-f", "rawvideo", converted], TimeSpan.FromSeconds(20), ct);
            Assert.True(run.ExitCode == 0, $"ffmpeg failed to convert the frame:\n{run.ErrorTail()}");
            var expected = await File.ReadAllBytesAsync(converted, ct);
            var actual = await File.ReadAllBytesAsync(decoded, ct);
            Assert.True(actual.Length == expected.Length, $"The PNG holds {actual.Length / 3} pixels; a 96×64 frame has {expected.Length / 3}. See README §Colour.");
            int worst = Enumerable.Range(0, expected.Length).MaxBy(i => Math.Abs(expected[i] - actual[i]));
            Assert.True(Math.Abs(expected[worst] - actual[worst]) <= 2,
                $"The PNG's pixel ({worst / 3 % W},{worst / 3 / W}) {"RGB"[worst % 3]} is {actual[worst]}; ffmpeg's own conversion (BT.601, limited range, chroma repeated) gives {expected[worst]} (allowed ±2). See README §Colour.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact(Timeout = 10_000)]
    [Trait("Milestone", Milestone)]
    public async Task The_try_tool_names_a_wrong_size()
    {
        var output = new StringWriter();
        int code = await YuvTryTool.RunAsync([Repo.TestData("06-yuv-dct/ref-96x64.yuv"), "--size", "95x64", "--jpeg-quality", "50"], output, TestContext.Current.CancellationToken);
        Assert.True(code == 1 && output.ToString().Contains("9216", StringComparison.Ordinal) && output.ToString().Contains("bad input", StringComparison.Ordinal),
            $"A 9216-byte file read as 95×64 I420 is not a whole number of frames: the tool must say \"bad input\" naming 9216 and exit 1; it exited {code} and printed:\n{output}");
    }
}
