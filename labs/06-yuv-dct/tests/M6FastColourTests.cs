namespace Lab06.YuvDct.Tests;

/// <summary>
/// M6 (stretch), the fast colour conversion: <c>ColourConverter.RgbToI420Fast</c> (fixed point, chroma
/// straight from 2×2 RGB blocks) meets the same oracles as M2 — ffmpeg's swscale output committed in
/// testdata/06-yuv-dct, within ±1 on every sample, the worst one named — plus odd sizes, the standards'
/// codes for the primaries, and the same bad-input errors as <c>RgbToYuv</c>. Speed: benchmarks/06-yuv-dct.
/// </summary>
public class M6FastColourTests
{
    private const string Milestone = "M6 fast colour";

    // Only even sizes: at an odd right edge swscale's area filter does not repeat the edge (the last
    // Cb of odd-33x17.rgb's yellow comes out 122, not 17), so it is no oracle there; the odd edges are checked below
    // with one-colour pictures whose codes the standards give.
    public static TheoryData<string, int, int, string, string> Cases()
    {
        var data = new TheoryData<string, int, int, string, string>();
        foreach (var (image, width, height) in new[] { ("bars-48x32", 48, 32), ("ramp-48x32", 48, 32) })
        {
            foreach (var matrix in new[] { "bt601", "bt709" })
            {
                foreach (var range in new[] { "tv", "pc" })
                {
                    data.Add(image, width, height, matrix, range);
                }
            }
        }

        return data;
    }

    private static ColourMatrix Matrix(string name) => name == "bt601" ? ColourMatrix.Bt601 : ColourMatrix.Bt709;

    private static ColourRange Range(string name) => name == "tv" ? ColourRange.Limited : ColourRange.Full;

    [Theory]
    [Trait("Milestone", Milestone)]
    [MemberData(nameof(Cases))]
    public void Fast_rgb_to_420_is_within_1_of_ffmpeg(string image, int width, int height, string matrix, string range)
    {
        var expected = Files.Bytes($"{image}.{matrix}-{range}.yuv420p.yuv");
        var frame = ColourConverter.RgbToI420Fast(Files.Bytes(image + ".rgb"), width, height, Matrix(matrix), Range(range));
        AssertWithin1(expected, frame, width, height, $"{image}.rgb → 4:2:0 (fast) with {matrix}, {range} range", matrix, range);
    }

    public static TheoryData<string, int, int, string, string> Crops()
    {
        var data = new TheoryData<string, int, int, string, string>();
        foreach (var (width, height) in new[] { (40, 32), (26, 30), (6, 4) })
        {
            foreach (var (matrix, range) in new[] { ("bt601", "tv"), ("bt709", "pc") })
            {
                data.Add("ramp-48x32", width, height, matrix, range);
                data.Add("bars-48x32", width, height, matrix, range);
            }
        }

        return data;
    }

    /// <summary>
    /// The top-left W×H of the same pictures, W and H even: with 2×2 blocks every chroma sample depends on its
    /// own block only, so the crop of ffmpeg's output is ffmpeg's output for the crop. Widths that are not a
    /// multiple of 16 catch a vector loop whose last few pixels are lost or converted differently.
    /// </summary>
    [Theory]
    [Trait("Milestone", Milestone)]
    [MemberData(nameof(Crops))]
    public void Fast_rgb_to_420_of_a_crop_is_within_1_of_ffmpeg(string image, int width, int height, string matrix, string range)
    {
        var full = Files.Bytes($"{image}.{matrix}-{range}.yuv420p.yuv");
        var rgb = Files.Bytes(image + ".rgb");
        var croppedRgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            rgb.AsSpan(y * 48 * 3, width * 3).CopyTo(croppedRgb.AsSpan(y * width * 3));
        }

        var expected = new List<byte>();
        for (int p = 0; p < 3; p++)
        {
            var plane = Files.PlanarPlane(full, 48, 32, 24, 16, p);
            int stride = p == 0 ? 48 : 24, pw = p == 0 ? width : width / 2, ph = p == 0 ? height : height / 2;
            for (int y = 0; y < ph; y++)
            {
                expected.AddRange(plane.AsSpan(y * stride, pw));
            }
        }

        var frame = ColourConverter.RgbToI420Fast(croppedRgb, width, height, Matrix(matrix), Range(range));
        AssertWithin1([.. expected], frame, width, height, $"the top-left {width}×{height} of {image}.rgb → 4:2:0 (fast) with {matrix}, {range} range", matrix, range);
    }

    private static void AssertWithin1(byte[] expected, YuvFrame frame, int width, int height, string what, string matrix, string range)
    {
        Assert.True(frame.Format == ChromaFormat.Yuv420, $"RgbToI420Fast must return a Yuv420 frame; got {frame.Format}. See README §Fast colour.");

        // 4:2:0 chroma is ceil(W/2) × ceil(H/2) (ffmpeg's AV_CEIL_RSHIFT); every size here is even.
        int chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2;
        Plane[] planes = [frame.Y, frame.Cb, frame.Cr];
        for (int p = 0; p < 3; p++)
        {
            int pw = p == 0 ? width : chromaWidth;
            var want = Files.PlanarPlane(expected, width, height, chromaWidth, chromaHeight, p);
            var got = planes[p].Samples;
            Assert.True(got.Length == want.Length, $"{what}: the {Files.PlaneNames[p]} plane of a {width}×{height} 4:2:0 frame must be {want.Length} samples; got {got.Length}. See README §Plane sizes.");
            int worst = 0;
            for (int i = 0; i < want.Length; i++)
            {
                if (Math.Abs(want[i] - got[i]) > Math.Abs(want[worst] - got[worst]))
                {
                    worst = i;
                }
            }

            int diff = Math.Abs(want[worst] - got[worst]);
            Assert.True(diff <= 1,
                $"{what}: {Files.PlaneNames[p]} at ({worst % pw},{worst / pw}) is {got[worst]}, ffmpeg says {want[worst]} — off by {diff}, more than ±1 (the worst sample of the plane). "
                + $"ffmpeg: scale=out_color_matrix={matrix}:out_range={range}:flags=area+accurate_rnd+full_chroma_int+bitexact,format=yuv420p. "
                + (p == 0 ? "Check the luma weights ×2^16 and the + 2^15 before >> 16." : "Check the chroma weights, the 2×2 sums (edges repeated) and the + 2^17 before >> 18.")
                + " See README §Fast colour.");
        }
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    // BT.601 / BT.709 limited range: white 235, black 16; red = (Y 81, Cb 90, Cr 240) in BT.601 and (63, 102, 240) in BT.709.
    // Full range: red's Cr is 128 + 127.5 = 255.5 before rounding, so it must be clamped to 255.
    [InlineData("bt601", "tv", 255, 255, 255, 235, 128, 128)]
    [InlineData("bt601", "tv", 0, 0, 0, 16, 128, 128)]
    [InlineData("bt601", "tv", 255, 0, 0, 81, 90, 240)]
    [InlineData("bt709", "tv", 255, 0, 0, 63, 102, 240)]
    [InlineData("bt709", "tv", 0, 0, 255, 32, 240, 118)]
    [InlineData("bt601", "pc", 255, 0, 0, 76, 85, 255)]
    [InlineData("bt601", "pc", 0, 255, 0, 150, 44, 21)]
    [InlineData("bt709", "pc", 255, 255, 255, 255, 128, 128)]
    public void Primaries_land_on_the_codes_the_standards_give(string matrix, string range, byte r, byte g, byte b, int y, int cb, int cr)
    {
        // A 3×3 picture of one colour: every 2×2 block, the odd edges included, has the same chroma.
        var rgb = new byte[3 * 3 * 3];
        for (int i = 0; i < 9; i++)
        {
            (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = (r, g, b);
        }

        var frame = ColourConverter.RgbToI420Fast(rgb, 3, 3, Matrix(matrix), Range(range));
        Assert.True(frame.Cb.Samples.Length == 4 && frame.Cr.Samples.Length == 4,
            $"A 3×3 picture in 4:2:0 has 2×2 chroma planes; got Cb {frame.Cb.Width}×{frame.Cb.Height}. See README §Plane sizes.");
        for (int i = 0; i < 9; i++)
        {
            Assert.True(frame.Y.Samples[i] == y, $"RGB ({r},{g},{b}) in {matrix} {range} range must have Y' = {y}; pixel ({i % 3},{i / 3}) got {frame.Y.Samples[i]}. See README §Fast colour.");
        }

        for (int i = 0; i < 4; i++)
        {
            var got = (frame.Cb.Samples[i], frame.Cr.Samples[i]);
            Assert.True(got == ((byte)cb, (byte)cr),
                $"RGB ({r},{g},{b}) in {matrix} {range} range must have (Cb, Cr) = ({cb},{cr}); chroma sample ({i % 2},{i / 2}) got ({got.Item1},{got.Item2}). "
                + (i == 0 ? "" : "Only the edge samples wrong: their blocks repeat the last column or row. ") + "See README §Fast colour.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_grey_ramp_keeps_all_its_chroma_at_128()
    {
        // Greys have no colour: each chroma row of weights must sum to exactly 0 in fixed point (BT.601 §2.5.3: Cb = Cr = 128).
        var rgb = new byte[256 * 2 * 3];
        for (int i = 0; i < 512; i++)
        {
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = (byte)(i % 256);
        }

        foreach (var matrix in new[] { ColourMatrix.Bt601, ColourMatrix.Bt709 })
        {
            foreach (var range in new[] { ColourRange.Limited, ColourRange.Full })
            {
                var frame = ColourConverter.RgbToI420Fast(rgb, 256, 2, matrix, range);
                for (int x = 0; x < 128; x++)
                {
                    Assert.True(frame.Cb.Samples[x] == 128 && frame.Cr.Samples[x] == 128,
                        $"Grey {2 * x}–{2 * x + 1} in {matrix.Name} {range}: (Cb, Cr) must be (128, 128); got ({frame.Cb.Samples[x]}, {frame.Cr.Samples[x]}). Make each chroma row of fixed-point weights sum to 0. See README §Fast colour.");
                }

                // Y' of grey v is 16 + 219·v/255 (limited) or v (full), rounded half up.
                for (int v = 0; v < 256; v++)
                {
                    int want = range == ColourRange.Full ? v : (int)Math.Floor(16 + 219.0 * v / 255 + 0.5);
                    Assert.True(Math.Abs(frame.Y.Samples[v] - want) <= (range == ColourRange.Full ? 0 : 1),
                        $"Grey {v} in {matrix.Name} {range}: Y' must be {want}; got {frame.Y.Samples[v]}. Make the luma weights sum to exactly the range's scale ×2^16. See README §Fast colour.");
                }
            }
        }
    }

    public static TheoryData<string, int, int, int> BadInputs() => new()
    {
        { "rgb", 48, 32, 48 * 32 * 3 - 1 },
        { "rgb", 48, 32, 48 * 32 * 3 + 3 },
        { "width", 0, 32, 0 },
        { "height", 48, -2, 0 },
        { "width", FrameLayout.MaxDimension + 1, 1, 0 },
    };

    [Theory]
    [Trait("Milestone", Milestone)]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_gets_the_same_YuvException_as_RgbToYuv(string param, int width, int height, int length)
    {
        var error = Record.Exception(() => ColourConverter.RgbToI420Fast(new byte[length], width, height, ColourMatrix.Bt709, ColourRange.Limited));
        Assert.True(error is YuvException e && e.ParamName == param && (param != "rgb" || Equals(e.Value, length)),
            $"RgbToI420Fast with {length} bytes for {width}×{height} must throw YuvException naming \"{param}\"{(param == "rgb" ? $" with Value {length}" : "")}, as RgbToYuv does; got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void An_unknown_range_is_refused()
    {
        var error = Record.Exception(() => ColourConverter.RgbToI420Fast(new byte[2 * 2 * 3], 2, 2, ColourMatrix.Bt601, (ColourRange)7));
        Assert.True(error is YuvException { ParamName: "range" },
            $"RgbToI420Fast with ColourRange 7 must throw YuvException naming \"range\"; got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Fuzzed_sizes_and_lengths_get_YuvException_or_a_frame_of_the_right_size()
    {
        var random = new Random(606);
        for (int round = 0; round < 200; round++)
        {
            int width = random.Next(-3, 40), height = random.Next(-3, 40);
            int length = Math.Max(0, width * height * 3 + (random.Next(4) == 0 ? 0 : random.Next(-5, 6)));
            var rgb = new byte[length];
            random.NextBytes(rgb);
            var error = Record.Exception(() =>
            {
                var frame = ColourConverter.RgbToI420Fast(rgb, width, height, ColourMatrix.Bt709, ColourRange.Full);
                Assert.True(frame.Width == width && frame.Height == height && frame.Cb.Width == (width + 1) / 2 && frame.Cb.Height == (height + 1) / 2,
                    $"RgbToI420Fast of {width}×{height} returned {frame.Width}×{frame.Height} with {frame.Cb.Width}×{frame.Cb.Height} chroma. See README §Plane sizes.");
            });
            bool valid = width > 0 && height > 0 && length == width * height * 3;
            Assert.True(valid ? error is null : error is YuvException,
                $"Round {round}: {width}×{height} with {length} bytes must {(valid ? "convert" : "throw YuvException")}; got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
        }
    }
}
