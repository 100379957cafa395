using System.Globalization;
using System.Text.RegularExpressions;

namespace Lab06.YuvDct.Tests;

/// <summary>M3: MSE, PSNR and SSIM against the numbers ffmpeg's psnr and ssim filters print for committed pairs.</summary>
public partial class M3QualityTests
{
    private const string Milestone = "M3 quality";
    private const int W = 96, H = 64;

    private static YuvFrame Frame(string name) => RawYuv.Read(Files.Bytes(name), W, H, RawLayout.I420);

    /// <summary>ffmpeg's summary line, e.g. "PSNR y:37.143195 u:37.367832 v:37.291655 average:37.204438 ...".</summary>
    private static double FfmpegNumber(string file, string key)
    {
        var text = File.ReadAllText(Repo.TestData("06-yuv-dct/" + file));
        var match = Regex.Match(text, Regex.Escape(key) + @":([0-9.]+)");
        Assert.True(match.Success, $"testdata/06-yuv-dct/{file} has no '{key}:' (re-make it with make.sh).");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData("noisy")]
    [InlineData("jpeg")]
    public void Psnr_per_plane_and_average_match_ffmpeg_within_a_hundredth_of_a_dB(string pair)
    {
        var report = Quality.Compare(Frame("ref-96x64.yuv"), Frame($"{pair}-96x64.yuv"));
        foreach (var (key, value) in new[] { ("y", report.PsnrY), ("u", report.PsnrCb), ("v", report.PsnrCr), ("average", report.PsnrAverage) })
        {
            double expected = FfmpegNumber($"{pair}-96x64.psnr.txt", key);
            Assert.True(Math.Abs(value - expected) <= 0.01,
                $"PSNR {key} of ref-96x64 vs {pair}-96x64: ffmpeg's psnr filter says {expected:F6} dB, you say {value:F6} dB (tolerance 0.01). See README §PSNR.");
        }
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData("noisy")]
    [InlineData("jpeg")]
    public void Psnr_611_weights_luma_six_times(string pair)
    {
        var report = Quality.Compare(Frame("ref-96x64.yuv"), Frame($"{pair}-96x64.yuv"));
        string file = $"{pair}-96x64.psnr.txt";
        double expected = (6 * FfmpegNumber(file, "y") + FfmpegNumber(file, "u") + FfmpegNumber(file, "v")) / 8;
        Assert.True(Math.Abs(report.Psnr611 - expected) <= 0.01,
            $"6:1:1 PSNR from ffmpeg's per-plane numbers is {expected:F6} dB; you say {report.Psnr611:F6}. See README §PSNR.");
    }

    /// <summary>
    /// ffmpeg prints 6 decimals; the exact formula agrees within about 1e-6 (ffmpeg's x86 code adds the windows
    /// of a row in float). The textbook constants over means (C1 = (0.01·255)², C2 = (0.03·255)², divide by 64)
    /// miss by 0.0002 (flat) to 0.003 (dark) on these pairs, so the tolerance tells the two apart.
    /// </summary>
    private const double SsimTolerance = 0.000002;

    /// <summary>(pair, reference, distorted, width, height): natural content with noise and with JPEG loss, a dark noise pair at an odd size, a flat grey frame against a lightly noisy copy.</summary>
    public static TheoryData<string, string, string, int, int> SsimPairs => new()
    {
        { "noisy-96x64", "ref-96x64.yuv", "noisy-96x64.yuv", 96, 64 },
        { "jpeg-96x64", "ref-96x64.yuv", "jpeg-96x64.yuv", 96, 64 },
        { "dark-70x38", "dark-70x38.ref.yuv", "dark-70x38.dist.yuv", 70, 38 },
        { "flat-64x64", "flat-64x64.ref.yuv", "flat-64x64.dist.yuv", 64, 64 },
    };

    [Theory]
    [Trait("Milestone", Milestone)]
    [MemberData(nameof(SsimPairs))]
    public void Ssim_of_each_plane_matches_ffmpeg_to_its_six_decimals(string pair, string referenceFile, string distortedFile, int width, int height)
    {
        var reference = RawYuv.Read(Files.Bytes(referenceFile), width, height, RawLayout.I420);
        var distorted = RawYuv.Read(Files.Bytes(distortedFile), width, height, RawLayout.I420);
        foreach (var (key, a, b) in new[] { ("Y", reference.Y, distorted.Y), ("U", reference.Cb, distorted.Cb), ("V", reference.Cr, distorted.Cr) })
        {
            double ssim = Quality.Ssim(a, b);
            double expected = FfmpegNumber($"{pair}.ssim.txt", key);
            Assert.True(Math.Abs(ssim - expected) <= SsimTolerance,
                $"SSIM {key} ({a.Width}×{a.Height}) of {referenceFile} vs {distortedFile}: ffmpeg's ssim filter says {expected:F6}, you say {ssim:F6} (tolerance {SsimTolerance}). " +
                "Raw sums of 8×8 windows every 4 samples, c1 = 416, c2 = 235964, in float — see README §SSIM.");
        }
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [MemberData(nameof(SsimPairs))]
    public void Ssim_all_weights_the_planes_by_their_samples_as_ffmpeg(string pair, string referenceFile, string distortedFile, int width, int height)
    {
        var reference = RawYuv.Read(Files.Bytes(referenceFile), width, height, RawLayout.I420);
        var distorted = RawYuv.Read(Files.Bytes(distortedFile), width, height, RawLayout.I420);
        double all = Quality.SsimAll(reference, distorted);
        double expected = FfmpegNumber($"{pair}.ssim.txt", "All");
        Assert.True(Math.Abs(all - expected) <= SsimTolerance,
            $"SSIM All of {referenceFile} vs {distortedFile}: ffmpeg says {expected:F6}, you say {all:F6} (tolerance {SsimTolerance}). " +
            "Each plane's SSIM weighted by its sample count (4:1:1 for 4:2:0), not the mean of three — see README §SSIM.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Ssim_of_two_flat_planes_is_the_luminance_term_alone()
    {
        // 8×8 planes of 16 and of 32: one window, s_a = 1024, s_b = 2048, no variance, so the structure term is c2/c2 = 1
        // and SSIM = (2·1024·2048 + 416) / (1024² + 2048² + 416) = 4194720 / 5243296 = 0.80001...
        var a = new Plane(8, 8, Enumerable.Repeat((byte)16, 64).ToArray());
        var b = new Plane(8, 8, Enumerable.Repeat((byte)32, 64).ToArray());
        double expected = (double)(float)4194720 / (float)5243296;
        double ssim = Quality.Ssim(a, b);
        Assert.True(Math.Abs(ssim - expected) < 1e-6,
            $"SSIM of a flat 16 against a flat 32 (8×8) is (2·1024·2048 + 416) / (1024² + 2048² + 416) = {expected:F6}; got {ssim:F6}. " +
            "c1 = 416 goes with raw sums (with means it is C1/64) — see README §SSIM.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Mse_of_a_hand_made_pair()
    {
        // differences 0, 1, 2, 3 → squares 0, 1, 4, 9 → mean 3.5; PSNR = 10·log10(65025 / 3.5) = 42.6902...
        var a = new Plane(2, 2, [10, 10, 10, 10]);
        var b = new Plane(2, 2, [10, 11, 12, 7]);
        double mse = Quality.Mse(a, b);
        Assert.True(Math.Abs(mse - 3.5) < 1e-12, $"MSE of differences 0,1,2,-3 is (0+1+4+9)/4 = 3.5; got {mse}. See README §PSNR.");
        double psnr = Quality.Psnr(mse);
        Assert.True(Math.Abs(psnr - 42.69018) < 1e-4, $"PSNR for MSE 3.5 is 10·log10(255²/3.5) = 42.69018 dB; got {psnr}. See README §PSNR.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Identical_pictures_have_infinite_psnr_and_ssim_1()
    {
        var frame = Frame("ref-96x64.yuv");
        double psnr = Quality.Compare(frame, frame).PsnrY;
        Assert.True(double.IsPositiveInfinity(psnr), $"PSNR of a picture against itself (MSE 0) must be +∞; got {psnr}. See README §PSNR.");
        double ssim = Quality.Ssim(frame.Y, frame.Y);
        Assert.True(Math.Abs(ssim - 1) < 1e-12, $"SSIM of a picture against itself must be 1; got {ssim}. See README §SSIM.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Pictures_of_different_sizes_are_refused()
    {
        var error = Record.Exception(() => Quality.Mse(new Plane(8, 8), new Plane(8, 9)));
        Assert.True(error is YuvException, $"Comparing an 8×8 plane with an 8×9 one must throw YuvException; got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
        error = Record.Exception(() => Quality.Ssim(new Plane(8, 8), new Plane(9, 8)));
        Assert.True(error is YuvException, $"SSIM of an 8×8 and a 9×8 plane must throw YuvException; got {M1RawFrameTests.Describe(error)}. See README §Bad input.");
    }
}
