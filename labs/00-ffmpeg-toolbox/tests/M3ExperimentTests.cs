using System.Collections.Concurrent;
using System.Globalization;

namespace Lab00.FfmpegToolbox.Tests;

/// <summary>
/// M3: the preset × CRF experiment and the quality meter: monotone where it must be, scores equal to ffmpeg's own filters.
/// Each test runs its own small experiment (no result is shared between tests), so every test checks the code as it is now.
/// </summary>
[Trait("Milestone", "M3 experiment")]
public sealed class M3ExperimentTests
{
    private const int Timeout = 120_000;
    private static readonly string Clip = Oracle.Clip("bframes.mp4");

    [Fact(Timeout = Timeout)]
    public async Task Every_cell_is_there_in_order_weighed_scored_and_timed_as_a_ratio()
    {
        using var temp = Oracle.Temp();
        string work = temp.File("grid");   // not there yet: the experiment makes it
        string[] presets = ["veryfast", "ultrafast"];
        int[] crfs = [38, 18];
        var progress = new Heard();
        var results = await Deadline.Within(
            Experiment.RunAsync(Clip, presets, crfs, work, progress: progress, cancellationToken: TestContext.Current.CancellationToken),
            TimeSpan.FromSeconds(100), "a 2 × 2 grid (Experiment.RunAsync)");

        var expected = presets.SelectMany(p => crfs.Select(c => $"{p}/{c}")).ToList();
        var got = results.Select(r => $"{r.Preset}/{r.Crf}").ToList();
        Assert.True(expected.SequenceEqual(got), $"One result per preset × CRF, presets outer, each in the given order: expected [{string.Join(", ", expected)}], got [{string.Join(", ", got)}]. See README §Experiment.");
        var heard = progress.Lines.ToList();
        Assert.True(heard.Count == expected.Count && presets.SelectMany(p => crfs.Select(c => (p, c))).Zip(heard).All(x => x.Second.Contains(x.First.p, StringComparison.Ordinal) && x.Second.Contains(x.First.c.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)),
            $"progress hears one line per encode, naming its preset and CRF, in order; it heard [{string.Join(" | ", heard)}]. See README §Experiment.");

        foreach (var r in results)
        {
            string name = $"{r.Preset}-crf{r.Crf}.mp4";
            Assert.True(r.OutputPath == Path.Combine(work, name) && File.Exists(r.OutputPath),
                $"{r.Preset}/{r.Crf}: the encode goes to {Path.Combine(work, name)} (the work folder, made if missing); yours '{r.OutputPath}'. See README §Experiment.");
            Assert.True(new FileInfo(r.OutputPath).Length == r.Bytes, $"{r.Preset}/{r.Crf}: Bytes must be the size of OutputPath ({new FileInfo(r.OutputPath).Length}); yours {r.Bytes}. See README §Experiment.");
            Assert.True(Math.Abs(r.BitrateKbps - r.Bytes * 8 / 3.0 / 1000) < 0.5, $"{r.Preset}/{r.Crf}: {r.Bytes} bytes over the clip's 3 s is {r.Bytes * 8 / 3.0 / 1000:0.0} kb/s; yours {r.BitrateKbps:0.0}. See README §Experiment.");
        }

        // Monotone in CRF for every preset: CRF 18 is bigger and better than CRF 38.
        foreach (var preset in presets)
        {
            var rows = results.Where(r => r.Preset == preset).OrderBy(r => r.Crf).ToList();
            string table = string.Join("; ", rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"CRF {r.Crf}: {r.Bytes} B, {r.Psnr:0.00} dB, SSIM {r.Ssim:0.0000}")));
            Assert.True(rows[0].Bytes > rows[1].Bytes, $"{preset}: a lower CRF must give a bigger file. {table}. See README §Experiment.");
            Assert.True(rows[0].Psnr > rows[1].Psnr, $"{preset}: a lower CRF must give a higher PSNR. {table}. See README §Experiment.");
            Assert.True(rows[0].Ssim > rows[1].Ssim, $"{preset}: a lower CRF must give a higher SSIM. {table}. See README §Experiment.");
        }

        // The scores are ffmpeg's: the test runs the filters on the first and the last encode.
        foreach (var r in new[] { results[0], results[^1] })
        {
            var log = await Oracle.QualityLogAsync(r.OutputPath, Clip);
            double psnr = Oracle.NumberAfter(log, "average:"), ssim = Oracle.NumberAfter(log, "All:");
            Assert.True(Math.Abs(psnr - r.Psnr) < 0.01 && Math.Abs(ssim - r.Ssim) < 0.0001,
                $"{r.Preset}/{r.Crf}: ffmpeg's filters say PSNR {psnr:0.00} dB, SSIM {ssim:0.000000}; yours {r.Psnr:0.00}, {r.Ssim:0.000000}. Compare the encode (first input) with the source (second). See README §Experiment.");
        }

        bool vmaf = await Oracle.HasFilterAsync("libvmaf");
        Assert.True(results.All(r => (r.Vmaf is not null) == vmaf),
            vmaf ? "This ffmpeg has libvmaf (ffmpeg -filters), so every result needs a VMAF score. See README §Experiment." : "This ffmpeg has no libvmaf filter (ffmpeg -filters), so Vmaf must be null: never invent a score. See README §Experiment.");

        // Time: CPU seconds from -benchmark, as a ratio of the preset's mean to the smallest preset mean.
        Assert.True(results.All(r => r.EncodeCpuSeconds > 0), "Every encode used some CPU time (ffmpeg -benchmark: bench: utime=...). See README §Experiment.");
        var perPreset = results.GroupBy(r => r.Preset).Select(g => (g.Key, Ratios: g.Select(r => r.SpeedRatio).Distinct().ToList(), Mean: g.Average(r => r.EncodeCpuSeconds))).ToList();
        Assert.True(perPreset.All(x => x.Ratios.Count == 1), "SpeedRatio is per preset: the same for every CRF of a preset. See README §Experiment.");
        double fastest = perPreset.Min(x => x.Mean);
        foreach (var x in perPreset)
        {
            Assert.True(Math.Abs(x.Ratios[0] - x.Mean / fastest) < 1e-9,
                $"{x.Key}: SpeedRatio is its mean CPU time {x.Mean:0.000} s ÷ the smallest preset mean {fastest:0.000} s = {x.Mean / fastest:0.000}; yours {x.Ratios[0]:0.000}. The fastest is exactly 1. See README §Experiment.");
        }

        string html = ExperimentReport.ToHtml(results, "grid");
        Assert.False(html.Contains("<script src=", StringComparison.OrdinalIgnoreCase), "The report must work offline: Plotly is inlined, no <script src=...> (no CDN). See README §Experiment.");
        Assert.True(html.Split("Plotly.newPlot('chart").Length - 1 == 3 && presets.All(p => html.Contains(p, StringComparison.Ordinal)),
            "The report has three charts (size vs PSNR, size vs SSIM, time per preset) and every preset. See README §Experiment.");
    }

    [Fact(Timeout = Timeout)]
    public async Task An_earlier_encode_in_the_work_folder_is_replaced()
    {
        using var temp = Oracle.Temp();
        string earlier = temp.File("ultrafast-crf38.mp4");
        await File.WriteAllTextAsync(earlier, "an encode of an earlier run", TestContext.Current.CancellationToken);
        var results = await Deadline.Within(
            Experiment.RunAsync(Clip, ["ultrafast"], [38], temp.Path, cancellationToken: TestContext.Current.CancellationToken),
            TimeSpan.FromSeconds(100), "a 1 × 1 grid (Experiment.RunAsync)");
        Assert.True(results.Count == 1 && results[0].OutputPath == earlier && results[0].Bytes == new FileInfo(earlier).Length && results[0].Bytes > 1000,
            $"Running the experiment again in the same work folder replaces ultrafast-crf38.mp4 (ffmpeg -y); got [{string.Join(", ", results.Select(r => $"{r.OutputPath}: {r.Bytes} B"))}]. See README §Experiment.");
    }

    [Fact(Timeout = Timeout)]
    public async Task Psnr_and_ssim_are_what_ffmpegs_filters_say_comparing_the_first_file_with_the_second()
    {
        using var temp = Oracle.Temp();
        string distorted = temp.File("crf40.mp4");
        await Oracle.MakeAsync("-i", Clip, "-an", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "40", distorted);
        var quality = await Deadline.Within(QualityMeter.MeasureAsync(distorted, Clip, cancellationToken: TestContext.Current.CancellationToken), TimeSpan.FromSeconds(60), "QualityMeter.MeasureAsync");

        var log = await Oracle.QualityLogAsync(distorted, Clip);
        double psnr = Oracle.NumberAfter(log, "average:"), ssim = Oracle.NumberAfter(log, "All:");
        Assert.True(Math.Abs(psnr - quality.Psnr) < 0.01 && Math.Abs(ssim - quality.Ssim) < 0.0001,
            $"ffmpeg's psnr and ssim filters comparing crf40.mp4 (first) with bframes.mp4 (second) say PSNR {psnr:0.00} dB, SSIM {ssim:0.000000}; yours {quality.Psnr:0.00}, {quality.Ssim:0.000000}. See README §Experiment.");
    }

    [Fact(Timeout = Timeout)]
    public async Task Vmaf_only_when_ffmpeg_has_libvmaf()
    {
        bool has = await Oracle.HasFilterAsync("libvmaf");
        Assert.True(await QualityMeter.HasVmafAsync(cancellationToken: TestContext.Current.CancellationToken) == has, $"HasVmafAsync must say {has}, as `ffmpeg -hide_banner -filters` does. See README §Experiment.");
        var quality = await Deadline.Within(QualityMeter.MeasureAsync(Clip, Clip, withVmaf: has, cancellationToken: TestContext.Current.CancellationToken), TimeSpan.FromSeconds(60), "QualityMeter.MeasureAsync");
        Assert.True((quality.Vmaf is not null) == has,
            has ? "This ffmpeg has libvmaf, and VMAF was asked for: Vmaf needs a score. See README §Experiment." : "Without VMAF asked for, Vmaf stays null: never invent a score. See README §Experiment.");
        if (!has)
        {
            // Asking anyway: ffmpeg itself refuses ("No such filter: 'libvmaf'"), and that is what the learner must read.
            var error = await Expect.ToolboxErrorAsync(QualityMeter.MeasureAsync(Clip, Clip, withVmaf: true, cancellationToken: TestContext.Current.CancellationToken), "withVmaf: true on an ffmpeg without libvmaf");
            Assert.True(error.Problem == ToolboxProblem.FfmpegFailed && error.ToolOutput.Any(l => l.Contains("No such filter: 'libvmaf'", StringComparison.Ordinal)),
                $"VMAF asked of an ffmpeg without libvmaf: ffmpeg fails with \"No such filter: 'libvmaf'\", which is FfmpegFailed carrying ffmpeg's lines; yours {error.Problem}, lines [{string.Join(" | ", error.ToolOutput)}]. " +
                "Add libvmaf[vmaf] on a third copy of each input and map it. See README §Experiment.");
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task ParseLog_reads_the_summary_lines_ffmpeg_prints()
    {
        using var temp = Oracle.Temp();
        string distorted = temp.File("crf40.mp4");
        await Oracle.MakeAsync("-i", Clip, "-an", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "40", distorted);
        var log = await Oracle.QualityLogAsync(distorted, Clip);
        double psnr = Oracle.NumberAfter(log, "average:"), ssim = Oracle.NumberAfter(log, "All:");

        var quality = QualityMeter.ParseLog(log);
        Assert.True(Math.Abs(quality.Psnr - psnr) < 1e-9 && Math.Abs(quality.Ssim - ssim) < 1e-9 && quality.Vmaf is null,
            $"ffmpeg's log has PSNR average:{psnr} and SSIM All:{ssim} and no VMAF line; ParseLog read {quality.Psnr}, {quality.Ssim}, VMAF {quality.Vmaf}. See README §Experiment.");

        // libvmaf's summary line, as ffmpeg's libavfilter/vf_libvmaf.c prints it: av_log(ctx, AV_LOG_INFO, "VMAF score: %f\n", score),
        // where ffmpeg would print it: the filters report as they are freed, the last of the graph first (here: ssim, then psnr).
        int firstSummary = Array.FindIndex(log, l => l.Contains("SSIM Y:", StringComparison.Ordinal) || l.Contains("PSNR y:", StringComparison.Ordinal));
        string[] withVmaf = [.. log[..firstSummary], "[Parsed_libvmaf_4 @ 0x55d0c3a1e2c0] VMAF score: 71.402367", .. log[firstSummary..]];
        var scored = QualityMeter.ParseLog(withVmaf);
        Assert.True(scored.Vmaf == 71.402367 && Math.Abs(scored.Psnr - psnr) < 1e-9,
            $"With libvmaf's line \"VMAF score: 71.402367\" (vf_libvmaf.c) in the log, Vmaf is 71.402367; yours {scored.Vmaf} (PSNR {scored.Psnr}). See README §Experiment.");

        // A log without the summary lines (a plain decode, no filters) is ffmpeg not doing what was asked.
        var plain = await ToolRun.RunAsync(RealTools.Ffmpeg(), ["-hide_banner", "-nostats", "-i", distorted, "-f", "null", "-"], Oracle.Limit, TestContext.Current.CancellationToken);
        ToolboxException? error = null;
        try
        {
            QualityMeter.ParseLog(plain.StandardError.Split('\n'));
        }
        catch (ToolboxException e)
        {
            error = e;
        }

        Assert.True(error is { Problem: ToolboxProblem.FfmpegFailed } && error.Message.Length > 0,
            $"A log with no PSNR/SSIM summary line is ToolboxException(FfmpegFailed) with a message; yours {(error is null ? "returned normally" : $"{error.Problem}: '{error.Message}'")}. See README §Experiment.");
    }

    [Fact(Timeout = Timeout)]
    public async Task Missing_inputs_are_InputMissing_before_anything_is_made()
    {
        using var temp = Oracle.Temp();
        string missing = temp.File("no-such-clip.mp4"), work = temp.File("grid");
        var error = await Expect.ToolboxErrorAsync(Experiment.RunAsync(missing, ["ultrafast"], [38], work, cancellationToken: TestContext.Current.CancellationToken), "Experiment.RunAsync of a missing file");
        Assert.True(error.Problem == ToolboxProblem.InputMissing && error.Path == missing && !Directory.Exists(work),
            $"Experiment.RunAsync of a missing file: InputMissing about it, before the work folder is made; yours {error.Problem} about '{error.Path}', work folder {(Directory.Exists(work) ? "made" : "not made")}. See README §Errors.");

        foreach (var (distorted, reference) in new[] { (missing, Clip), (Clip, missing) })
        {
            var quality = await Expect.ToolboxErrorAsync(QualityMeter.MeasureAsync(distorted, reference, cancellationToken: TestContext.Current.CancellationToken), $"QualityMeter.MeasureAsync({Path.GetFileName(distorted)}, {Path.GetFileName(reference)})");
            Assert.True(quality.Problem == ToolboxProblem.InputMissing && quality.Path == missing,
                $"QualityMeter.MeasureAsync({Path.GetFileName(distorted)}, {Path.GetFileName(reference)}): InputMissing about {missing}, checked before ffmpeg runs; yours {quality.Problem} about '{quality.Path}'. See README §Errors.");
        }
    }

    /// <summary>An <see cref="IProgress{T}"/> that keeps what it hears, at once (Progress&lt;T&gt; would post it later).</summary>
    private sealed class Heard : IProgress<string>
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public void Report(string value) => Lines.Enqueue(value);
    }
}
