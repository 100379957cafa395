using System.Globalization;

namespace Lab00.FfmpegToolbox.Tests;

/// <summary>M3: the preset × CRF grid on the 3 s clip: monotone where it must be, scores equal to ffmpeg's own filters.</summary>
[Trait("Milestone", "M3 experiment")]
public sealed class M3ExperimentTests
{
    private const int Timeout = 90_000;
    private static readonly string[] Presets = ["ultrafast", "veryfast", "medium"];
    private static readonly int[] Crfs = [18, 28, 38];
    private static readonly string Work = Directory.CreateTempSubdirectory("lab00-grid-").FullName;

    // The grid runs once for the tests of this class (9 encodes of 75 frames at 320×180: a few seconds).
    private static readonly Lazy<Task<IReadOnlyList<ExperimentResult>>> Grid = new(() =>
        Experiment.RunAsync(Oracle.Clip("bframes.mp4"), Presets, Crfs, Work));

    private static Task<IReadOnlyList<ExperimentResult>> GridAsync() =>
        Deadline.Within(Grid.Value, TimeSpan.FromSeconds(80), "the 3 × 3 grid (Experiment.RunAsync)");

    [Fact(Timeout = Timeout)]
    public async Task Every_cell_is_there_in_order()
    {
        var results = await GridAsync();
        var expected = Presets.SelectMany(p => Crfs.Select(c => $"{p}/{c}")).ToList();
        var got = results.Select(r => $"{r.Preset}/{r.Crf}").ToList();
        Assert.True(expected.SequenceEqual(got), $"One result per preset × CRF, presets outer, in the given order: expected [{string.Join(", ", expected)}], got [{string.Join(", ", got)}]. See README §Experiment.");
        foreach (var r in results)
        {
            Assert.True(File.Exists(r.OutputPath) && new FileInfo(r.OutputPath).Length == r.Bytes, $"{r.Preset}/{r.Crf}: Bytes must be the size of OutputPath ({r.OutputPath}). See README §Experiment.");
            Assert.True(Math.Abs(r.BitrateKbps - r.Bytes * 8 / 3.0 / 1000) < 0.5, $"{r.Preset}/{r.Crf}: {r.Bytes} bytes over the clip's 3 s is {r.Bytes * 8 / 3.0 / 1000:0.0} kb/s; yours {r.BitrateKbps:0.0}. See README §Experiment.");
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Lower_crf_gives_a_bigger_file_and_higher_psnr_and_ssim_for_every_preset()
    {
        var results = await GridAsync();
        foreach (var preset in Presets)
        {
            var rows = results.Where(r => r.Preset == preset).OrderBy(r => r.Crf).ToList();
            string table = string.Join("; ", rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"CRF {r.Crf}: {r.Bytes} B, {r.Psnr:0.00} dB, SSIM {r.Ssim:0.0000}")));
            for (int i = 1; i < rows.Count; i++)
            {
                Assert.True(rows[i - 1].Bytes > rows[i].Bytes, $"{preset}: a lower CRF must give a bigger file. {table}. See README §Experiment.");
                Assert.True(rows[i - 1].Psnr > rows[i].Psnr, $"{preset}: a lower CRF must give a higher PSNR. {table}. See README §Experiment.");
                Assert.True(rows[i - 1].Ssim > rows[i].Ssim, $"{preset}: a lower CRF must give a higher SSIM. {table}. See README §Experiment.");
            }
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Psnr_and_ssim_are_what_ffmpegs_filters_say()
    {
        var results = await GridAsync();
        foreach (var r in new[] { results[0], results[^1] })
        {
            // The oracle: ffmpeg's psnr and ssim filters, run by the test on the file your code wrote.
            var run = await ToolRun.RunAsync(RealTools.Ffmpeg(),
                ["-hide_banner", "-nostats", "-i", r.OutputPath, "-i", Oracle.Clip("bframes.mp4"), "-lavfi", "[0:v][1:v]psnr", "-f", "null", "-"], Oracle.Limit, TestContext.Current.CancellationToken);
            var ssimRun = await ToolRun.RunAsync(RealTools.Ffmpeg(),
                ["-hide_banner", "-nostats", "-i", r.OutputPath, "-i", Oracle.Clip("bframes.mp4"), "-lavfi", "[0:v][1:v]ssim", "-f", "null", "-"], Oracle.Limit, TestContext.Current.CancellationToken);
            double psnr = After(run.StandardError, "average:"), ssim = After(ssimRun.StandardError, "All:");
            Assert.True(Math.Abs(psnr - r.Psnr) < 0.01, $"{r.Preset}/{r.Crf}: ffmpeg's psnr filter says average {psnr:0.00} dB; yours {r.Psnr:0.00}. Compare the encode (first input) with the source (second). See README §Experiment.");
            Assert.True(Math.Abs(ssim - r.Ssim) < 0.0001, $"{r.Preset}/{r.Crf}: ffmpeg's ssim filter says All {ssim:0.000000}; yours {r.Ssim:0.000000}. See README §Experiment.");
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Vmaf_only_when_ffmpeg_has_libvmaf()
    {
        var results = await GridAsync();
        bool has = await Oracle.HasFilterAsync("libvmaf");
        Assert.True(results.All(r => (r.Vmaf is not null) == has),
            has ? "This ffmpeg has libvmaf (ffmpeg -filters), so every result needs a VMAF score." : "This ffmpeg has no libvmaf filter (ffmpeg -filters), so Vmaf must be null: never invent a score. See README §Experiment.");
        Assert.True(await QualityMeter.HasVmafAsync(cancellationToken: TestContext.Current.CancellationToken) == has, $"HasVmafAsync must say {has}, as `ffmpeg -hide_banner -filters` does. See README §Experiment.");
    }

    [Fact(Timeout = Timeout)]
    public async Task Encode_time_is_a_ratio_to_the_fastest_preset_of_the_run()
    {
        var results = await GridAsync();
        Assert.True(results.All(r => r.EncodeCpuSeconds > 0), "Every encode used some CPU time (ffmpeg -benchmark: bench: utime=...). See README §Experiment.");
        var perPreset = results.GroupBy(r => r.Preset).ToList();
        Assert.True(perPreset.All(g => g.Select(r => r.SpeedRatio).Distinct().Count() == 1), "SpeedRatio is per preset: the same for every CRF of a preset. See README §Experiment.");
        var ratios = perPreset.Select(g => (g.Key, Ratio: g.First().SpeedRatio, Mean: g.Average(r => r.EncodeCpuSeconds))).ToList();
        var fastest = ratios.MinBy(x => x.Mean);
        Assert.True(fastest.Ratio == 1.0 && ratios.All(x => x.Ratio >= 1.0),
            $"The preset with the smallest mean CPU time ({fastest.Key}) has ratio exactly 1, the others more: [{string.Join(", ", ratios.Select(x => $"{x.Key} {x.Ratio:0.00}"))}]. See README §Experiment.");
        foreach (var x in ratios)
        {
            Assert.True(Math.Abs(x.Ratio - x.Mean / fastest.Mean) < 1e-9, $"{x.Key}: ratio should be its mean CPU {x.Mean:0.000} s ÷ {fastest.Mean:0.000} s. See README §Experiment.");
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task The_report_is_an_offline_page_with_the_charts()
    {
        var results = await GridAsync();
        string html = ExperimentReport.ToHtml(results, "grid");
        Assert.False(html.Contains("<script src=", StringComparison.OrdinalIgnoreCase), "The report must work offline: Plotly is inlined, no <script src=...> (no CDN). See README §Experiment.");
        Assert.True(html.Split("Plotly.newPlot('chart").Length - 1 == 3, "Three charts: size vs PSNR, size vs SSIM, time per preset. See README §Experiment.");
        Assert.True(Presets.All(p => html.Contains(p, StringComparison.Ordinal)), "Every preset appears in the page. See README §Experiment.");
    }

    private static double After(string log, string marker)
    {
        var line = log.Split('\n').Last(l => l.Contains(marker, StringComparison.Ordinal));
        var rest = line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].TrimStart();
        var number = rest.Split(' ', '(')[0];
        return number == "inf" ? double.PositiveInfinity : double.Parse(number, CultureInfo.InvariantCulture);
    }
}
