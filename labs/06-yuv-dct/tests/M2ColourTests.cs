namespace Lab06.YuvDct.Tests;

/// <summary>
/// M2: RGB ↔ Y'CbCr for BT.601 and BT.709, limited and full range, within ±1 of ffmpeg's swscale
/// (accurate_rnd+full_chroma_int+bitexact) on every sample of two committed pictures.
/// </summary>
public class M2ColourTests
{
    private const string Milestone = "M2 colour";
    private const int W = 48, H = 32;

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var image in new[] { "bars-48x32", "ramp-48x32" })
        {
            foreach (var matrix in new[] { "bt601", "bt709" })
            {
                foreach (var range in new[] { "tv", "pc" })
                {
                    data.Add(image, matrix, range);
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
    public void Rgb_to_444_is_within_1_of_ffmpeg(string image, string matrix, string range)
    {
        var expected = Files.Bytes($"{image}.{matrix}-{range}.yuv444p.yuv");
        var frame = ColourConverter.RgbToYuv(Files.Bytes(image + ".rgb"), W, H, Matrix(matrix), Range(range));
        AssertPlanesClose(expected, frame, W, H, $"{image}.rgb → 4:4:4 with {matrix}, {range} range",
            $"ffmpeg -vf scale=out_color_matrix={matrix}:out_range={range}:flags=accurate_rnd+full_chroma_int+bitexact,format=yuv444p");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [MemberData(nameof(Cases))]
    public void Rgb_to_420_is_within_1_of_ffmpeg(string image, string matrix, string range)
    {
        var expected = Files.Bytes($"{image}.{matrix}-{range}.yuv420p.yuv");
        var frame = ColourConverter.RgbToYuv(Files.Bytes(image + ".rgb"), W, H, Matrix(matrix), Range(range), ChromaFormat.Yuv420);
        AssertPlanesClose(expected, frame, W, H, $"{image}.rgb → 4:2:0 with {matrix}, {range} range",
            $"ffmpeg -vf scale=out_color_matrix={matrix}:out_range={range}:flags=area+accurate_rnd+full_chroma_int+bitexact,format=yuv420p");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [MemberData(nameof(Cases))]
    public void Yuv_to_rgb_is_within_1_of_ffmpeg(string image, string matrix, string range)
    {
        var yuv = Files.Bytes($"{image}.{matrix}-{range}.yuv444p.yuv");
        var frame = new YuvFrame(ChromaFormat.Yuv444,
            new Plane(W, H, Files.PlanarPlane(yuv, W, H, W, H, 0)), new Plane(W, H, Files.PlanarPlane(yuv, W, H, W, H, 1)), new Plane(W, H, Files.PlanarPlane(yuv, W, H, W, H, 2)));
        var expected = Files.Bytes($"{image}.{matrix}-{range}.back.rgb");
        var actual = ColourConverter.YuvToRgb(frame, Matrix(matrix), Range(range));
        Assert.True(actual.Length == expected.Length, $"rgb24 of a {W}×{H} picture is {expected.Length} bytes; YuvToRgb returned {actual.Length}. See README §Colour.");
        int worst = WorstIndex(expected, actual);
        int diff = Math.Abs(expected[worst] - actual[worst]);
        Assert.True(diff <= 1,
            $"{image} {matrix}-{range} 4:4:4 → RGB: pixel ({worst / 3 % W},{worst / 3 / W}) {"RGB"[worst % 3]} is {actual[worst]}, ffmpeg (in_color_matrix={matrix}:in_range={range}) says {expected[worst]} — off by {diff}, more than ±1. See README §Colour.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    // BT.601 / BT.709 limited range: white 235, black 16; red = (Y 81, Cb 90, Cr 240) in BT.601 and (63, 102, 240) in BT.709.
    [InlineData("bt601", "tv", 255, 255, 255, 235, 128, 128)]
    [InlineData("bt601", "tv", 0, 0, 0, 16, 128, 128)]
    [InlineData("bt601", "tv", 255, 0, 0, 81, 90, 240)]
    [InlineData("bt709", "tv", 255, 0, 0, 63, 102, 240)]
    [InlineData("bt709", "tv", 0, 0, 255, 32, 240, 118)]
    [InlineData("bt601", "pc", 255, 0, 0, 76, 85, 255)]
    [InlineData("bt601", "pc", 0, 255, 0, 150, 44, 21)]
    public void Primaries_land_on_the_codes_the_standards_give(string matrix, string range, byte r, byte g, byte b, int y, int cb, int cr)
    {
        var frame = ColourConverter.RgbToYuv([r, g, b], 1, 1, Matrix(matrix), Range(range));
        var got = (frame.Y[0, 0], frame.Cb[0, 0], frame.Cr[0, 0]);
        Assert.True(got == ((byte)y, (byte)cb, (byte)cr),
            $"RGB ({r},{g},{b}) in {matrix} {range} range must be Y'CbCr ({y},{cb},{cr}); got ({got.Item1},{got.Item2},{got.Item3}). See README §Colour.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void An_rgb_buffer_of_the_wrong_length_is_refused()
    {
        var error = Record.Exception(() => ColourConverter.RgbToYuv(new byte[W * H * 3 - 1], W, H, ColourMatrix.Bt709, ColourRange.Limited));
        Assert.True(error is YuvException { ParamName: "rgb" } e && Equals(e.Value, W * H * 3 - 1),
            $"RgbToYuv with {W * H * 3 - 1} bytes for a {W}×{H} picture ({W * H * 3} bytes) must throw YuvException naming \"rgb\"; got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
    }

    private static void AssertPlanesClose(byte[] expected, YuvFrame frame, int width, int height, string what, string command)
    {
        int chromaWidth = frame.Format == ChromaFormat.Yuv444 ? width : width / 2, chromaHeight = frame.Format == ChromaFormat.Yuv444 ? height : height / 2;
        Plane[] planes = [frame.Y, frame.Cb, frame.Cr];
        for (int p = 0; p < 3; p++)
        {
            int pw = p == 0 ? width : chromaWidth, ph = p == 0 ? height : chromaHeight;
            var want = Files.PlanarPlane(expected, width, height, chromaWidth, chromaHeight, p);
            var got = planes[p].Samples;
            Assert.True(got.Length == want.Length, $"{what}: the {Files.PlaneNames[p]} plane must be {pw}×{ph} ({want.Length} samples); got {got.Length}. See README §Plane sizes.");
            int worst = WorstIndex(want, got);
            int diff = Math.Abs(want[worst] - got[worst]);
            Assert.True(diff <= 1,
                $"{what}: {Files.PlaneNames[p]} at ({worst % pw},{worst / pw}) is {got[worst]}, ffmpeg says {want[worst]} — off by {diff}, more than ±1 (the worst sample of the plane). ffmpeg: {command}. See README §Colour.");
        }
    }

    private static int WorstIndex(byte[] expected, byte[] actual)
    {
        int worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > Math.Abs(expected[worst] - actual[worst]))
            {
                worst = i;
            }
        }

        return worst;
    }
}
