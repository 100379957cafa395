using System.Globalization;
using System.Text.RegularExpressions;

namespace Lab05.Hls.Tests;

/// <summary>The ladder of M6, made once for the class: av.flv (160×96, 15 fps, 6.1 s) in two renditions, a 1 s GOP, 1 s segments.</summary>
public sealed class AbrLadderFixture : IAsyncLifetime
{
    public static readonly AbrRendition[] Renditions = [new("96p", 160, 96, 200), new("48p", 80, 48, 60)];
    public const int GopFrames = 15; // 1 s at 15 fps

    public string Folder { get; } = Media.TempFolder();
    public string MasterText { get; private set; } = "";
    public Exception? Failure { get; private set; }

    public async ValueTask InitializeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        try
        {
            await AbrLadder.WriteAsync(Media.Path("av.flv"), Folder, Renditions, GopFrames, 1.0, limit.Token);
            MasterText = await File.ReadAllTextAsync(Path.Combine(Folder, AbrLadder.MasterName), limit.Token);
        }
        catch (Exception e)
        {
            Failure = e; // every test reports it: the ladder is what they all look at
        }
    }

    public void Require()
    {
        if (Failure is not null)
        {
            throw new Xunit.Sdk.XunitException($"AbrLadder.WriteAsync(av.flv, 96p 160×96 @ 200k and 48p 80×48 @ 60k, GOP 15, 1 s) failed: {Failure.GetType().Name}: {Failure.Message}\nSee README §ABR ladder.");
        }
    }

    /// <summary>The master playlist's variants as the test reads them: BANDWIDTH, RESOLUTION, CODECS and the URI.</summary>
    public List<(long Bandwidth, string? Resolution, string? Codecs, string Uri)> Variants()
    {
        var lines = MasterText.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var variants = new List<(long, string?, string?, string)>();
        for (int i = 0; i < lines.Count; i++)
        {
            if (lines[i].StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
            {
                string attributes = lines[i];
                var bandwidth = Regex.Match(attributes, @"[:,]BANDWIDTH=(\d+)");
                Assert.True(bandwidth.Success, $"master.m3u8 line {i + 1} has no BANDWIDTH: {attributes}\nSee README §ABR ladder.");
                string? resolution = Regex.Match(attributes, @"RESOLUTION=(\d+x\d+)") is { Success: true } r ? r.Groups[1].Value : null;
                string? codecs = Regex.Match(attributes, "CODECS=\"([^\"]*)\"") is { Success: true } c ? c.Groups[1].Value : null;
                variants.Add((long.Parse(bandwidth.Groups[1].Value, CultureInfo.InvariantCulture), resolution, codecs, lines[i + 1]));
            }
        }

        Assert.True(variants.Count == Renditions.Length, $"master.m3u8 lists {variants.Count} variants; the ladder has {Renditions.Length}:\n{MasterText}\nSee README §ABR ladder.");
        return variants;
    }

    /// <summary>A media playlist's segments: URI and EXTINF duration.</summary>
    public List<(string Uri, double Duration)> Segments(string mediaUri)
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, mediaUri));
        var segments = new List<(string, double)>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                segments.Add((lines[i + 1], double.Parse(lines[i]["#EXTINF:".Length..].Split(',')[0], CultureInfo.InvariantCulture)));
            }
        }

        return segments;
    }

    public string FileOf(string mediaUri, string segmentUri) => Path.Combine(Folder, Path.GetDirectoryName(mediaUri) ?? "", segmentUri);

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Folder, true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>M6: the ABR ladder checked by ffprobe, ffmpeg, the SPS bytes, RFC 8216 §4.3.4.2 and hls.js switching levels.</summary>
public class M6AbrTests(AbrLadderFixture ladder) : IClassFixture<AbrLadderFixture>
{
    private const string See = "README §ABR ladder";

    [Fact(Timeout = 120_000)]
    [Trait("Milestone", "M6 ABR ladder")]
    public async Task Each_rendition_has_its_size_by_ffprobe_and_in_RESOLUTION()
    {
        ladder.Require();
        var variants = ladder.Variants();
        for (int i = 0; i < variants.Count; i++)
        {
            var want = AbrLadderFixture.Renditions[i];
            Assert.True(variants[i].Uri == $"{want.Name}/index.m3u8", $"Variant {i} should be {want.Name}/index.m3u8 (the renditions in the order given); got {variants[i].Uri}. See {See}.");
            Assert.True(variants[i].Resolution == $"{want.Width}x{want.Height}", $"{want.Name}: RESOLUTION should be {want.Width}x{want.Height}; got {variants[i].Resolution ?? "none"}. See {See}.");
            var segment = ladder.FileOf(variants[i].Uri, ladder.Segments(variants[i].Uri)[0].Uri);
            var probe = await ToolRun.RunAsync(RealTools.Ffprobe(), ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", segment],
                TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            string size = probe.StandardOutput.Trim().Split('\n')[0].Trim(); // a TS lists the stream once per program too
            Assert.True(size == $"{want.Width},{want.Height}", $"ffprobe says {want.Name}'s first segment is {size} (width,height); the rendition is {want.Width},{want.Height}. {probe.ErrorTail()} See {See}.");
        }
    }

    [Fact(Timeout = 180_000)]
    [Trait("Milestone", "M6 ABR ladder")]
    public async Task Every_rendition_has_its_segment_boundaries_at_the_same_keyframes()
    {
        ladder.Require();
        var starts = new List<List<long>>();
        foreach (var variant in ladder.Variants())
        {
            var these = new List<long>();
            foreach (var (uri, _) in ladder.Segments(variant.Uri))
            {
                var packets = await Media.ProbeAsync(ladder.FileOf(variant.Uri, uri), See);
                var first = packets.First(p => p.CodecType == "video");
                Assert.True(first.Key, $"ffprobe: {variant.Uri} {uri} starts with a video packet that is not a keyframe (pts {first.Pts}). A segment of a ladder starts at a keyframe. See {See}.");
                these.Add(first.Pts ?? -1);
            }

            starts.Add(these);
        }

        Assert.True(starts[0].Count >= 4, $"av.flv is 6 s cut at 1 s: expected at least 4 segments, got {starts[0].Count}. See {See}.");
        for (int i = 1; i < starts.Count; i++)
        {
            Assert.True(starts[i].SequenceEqual(starts[0]),
                $"The segments start at different times (90 kHz pts by ffprobe):\n  {ladder.Variants()[0].Uri}: {string.Join(", ", starts[0])}\n  {ladder.Variants()[i].Uri}: {string.Join(", ", starts[i])}\n" +
                $"A player switches between renditions only at boundaries they share: the same -g, -keyint_min and -sc_threshold 0 in every rendition. See {See}.");
        }
    }

    [Fact(Timeout = 120_000)]
    [Trait("Milestone", "M6 ABR ladder")]
    public async Task CODECS_names_the_SPS_profile_constraints_and_level_as_ffprobe_reads_them()
    {
        ladder.Require();
        foreach (var variant in ladder.Variants())
        {
            string segment = ladder.FileOf(variant.Uri, ladder.Segments(variant.Uri)[0].Uri);
            string annexB = segment + ".h264";
            var copy = await ToolRun.RunAsync(RealTools.Ffmpeg(), ["-hide_banner", "-v", "error", "-y", "-i", segment, "-map", "0:v:0", "-c", "copy", "-frames:v", "1", "-f", "h264", annexB],
                TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            Assert.True(copy.ExitCode == 0, $"ffmpeg could not copy the H.264 out of {segment}: {copy.ErrorTail()}");
            byte[] bytes = await File.ReadAllBytesAsync(annexB, TestContext.Current.CancellationToken);
            int sps = -1;
            for (int i = 0; i + 6 < bytes.Length; i++)
            {
                if (bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 2] == 1 && (bytes[i + 3] & 0x1F) == 7)
                {
                    sps = i + 4; // profile_idc, the constraint_set flags, level_idc (ITU-T H.264 §7.3.2.1.1)
                    break;
                }
            }

            Assert.True(sps > 0, $"No SPS (NAL type 7) in the first access unit of {variant.Uri}'s first segment. See README §H.264 in TS.");
            string expected = $"avc1.{bytes[sps]:x2}{bytes[sps + 1]:x2}{bytes[sps + 2]:x2}"; // RFC 6381 §3.3
            Assert.True(variant.Codecs is not null && variant.Codecs.Split(',').Contains(expected) && variant.Codecs.Split(',').Contains("mp4a.40.2"),
                $"{variant.Uri}: CODECS should hold {expected} (the SPS's profile_idc {bytes[sps]}, constraint flags 0x{bytes[sps + 1]:x2}, level_idc {bytes[sps + 2]}) and mp4a.40.2 (AAC-LC); got \"{variant.Codecs}\". See {See} and RFC 6381 §3.3.");
            var probe = await ToolRun.RunAsync(RealTools.Ffprobe(), ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=profile,level", "-of", "csv=p=0", segment],
                TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            string[] fields = probe.StandardOutput.Trim().Split('\n')[0].Trim().Split(','); // a TS lists the stream once per program too
            string profile = bytes[sps] switch { 66 => (bytes[sps + 1] & 0x40) != 0 ? "Constrained Baseline" : "Baseline", 77 => "Main", 100 => "High", _ => "?" };
            Assert.True(fields.Length == 2 && fields[0] == profile && fields[1] == bytes[sps + 2].ToString(CultureInfo.InvariantCulture),
                $"ffprobe reads {variant.Uri} as profile,level {probe.StandardOutput.Trim()}; the SPS bytes say {profile},{bytes[sps + 2]}.");
        }
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", "M6 ABR ladder")]
    public void BANDWIDTH_is_the_peak_segment_bit_rate()
    {
        ladder.Require();
        long previous = long.MaxValue;
        foreach (var variant in ladder.Variants())
        {
            var rates = ladder.Segments(variant.Uri).Select(s => (s.Uri, Bits: new FileInfo(ladder.FileOf(variant.Uri, s.Uri)).Length * 8 / s.Duration)).ToList();
            var peak = rates.MaxBy(r => r.Bits);
            // EXTINF is written with a few decimals, so a rate from it can differ from the exact one by a fraction of a percent.
            Assert.True(variant.Bandwidth >= peak.Bits * 0.995 && variant.Bandwidth <= peak.Bits * 1.005,
                $"{variant.Uri}: BANDWIDTH={variant.Bandwidth}, but its peak segment bit rate is {peak.Bits:0} bit/s ({peak.Uri}: size × 8 / EXTINF). " +
                $"RFC 8216 §4.3.4.2: BANDWIDTH is the peak segment bit rate. Segment rates: {string.Join(", ", rates.Select(r => $"{r.Bits:0}"))}. See {See}.");
            Assert.True(variant.Bandwidth < previous, $"The ladder is listed top first, so {variant.Uri}'s BANDWIDTH ({variant.Bandwidth}) should be below the rendition before it ({previous}). See {See}.");
            previous = variant.Bandwidth;
        }
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", "M6 ABR ladder")]
    public void AVERAGE_BANDWIDTH_is_the_average_segment_bit_rate()
    {
        ladder.Require();
        var lines = ladder.MasterText.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        foreach (var variant in ladder.Variants())
        {
            string tag = lines[lines.IndexOf(variant.Uri) - 1];
            var average = Regex.Match(tag, @"[:,]AVERAGE-BANDWIDTH=(\d+)(,|$)");
            Assert.True(average.Success, $"master.m3u8 gives each variant its AVERAGE-BANDWIDTH (RFC 8216 §4.3.4.2); {variant.Uri} has none: {tag}\nSee {See}.");
            long value = long.Parse(average.Groups[1].Value, CultureInfo.InvariantCulture);
            // RFC 8216 §4.1: the average segment bit rate is the sum of the segments' sizes in bits over the playlist's duration.
            var segments = ladder.Segments(variant.Uri);
            double bits = segments.Sum(s => new FileInfo(ladder.FileOf(variant.Uri, s.Uri)).Length * 8.0);
            double seconds = segments.Sum(s => s.Duration);
            double expected = bits / seconds;
            Assert.True(value >= expected * 0.995 && value <= expected * 1.005 && value <= variant.Bandwidth,
                $"{variant.Uri}: AVERAGE-BANDWIDTH={value}, but its {segments.Count} segments hold {bits:0} bits over {seconds:0.###} s of EXTINF: {expected:0} bit/s (RFC 8216 §4.1), " +
                $"which is at most the peak, BANDWIDTH={variant.Bandwidth}. See {See}.");
        }
    }

    [Fact]
    [Trait("Milestone", "M6 ABR ladder")]
    public void The_average_bandwidth_is_all_the_bits_over_all_the_seconds()
    {
        var segments = new[] { new MediaSegment(0, 0, 2.0, true, false, 1, new byte[25_000]), new MediaSegment(1, 0, 1.5, true, false, 1, new byte[30_001]), new MediaSegment(2, 0, 0, true, false, 1, new byte[10]) };
        long average = VariantStream.AverageBandwidthOf(segments);
        Assert.True(average == 125_740, $"RFC 8216 §4.1: the average segment bit rate is the sum of the sizes in bits over the playlist's duration: (25000 + 30001 + 10) × 8 / (2.0 + 1.5 + 0) = 125739.43…, rounded up 125740 (not the mean of the per-segment rates); you gave {average}. See README §ABR ladder.");
        Assert.True(VariantStream.AverageBandwidthOf([]) == 0, "No segments last no time: the average is 0. See README §ABR ladder.");
        Assert.True(VariantStream.AverageBandwidthOf([new MediaSegment(0, 0, 0, true, false, 1, new byte[10])]) == 0, "Segments that last 0 s in all have no rate: the average is 0 (README §ABR ladder), not a division by zero.");
    }

    [Fact(Timeout = 180_000)]
    [Trait("Milestone", "M6 ABR ladder")]
    public async Task HlsJs_plays_the_master_playlist_and_switches_down_when_the_test_caps_the_level()
    {
        ladder.Require();
        await using var browser = await HlsBrowser.StartAsync(ladder.Folder);
        var console = new List<string>();
        var page = await browser.OpenAsync(console);
        // hls.js sorts levels by bit rate: level 1 is 96p (the top), level 0 is 48p. Start at the top.
        await page.EvaluateAsync("url => window.startAbr(url, 1)", $"/media/{AbrLadder.MasterName}");
        using var deadline = Deadline.After(TimeSpan.FromSeconds(90));
        string stage = "playing past 1 s at level 1";
        double switchedAt = -1;
        while (!deadline.IsCancellationRequested)
        {
            double time = await page.EvaluateAsync<double>("document.getElementById('video').currentTime");
            if (stage.StartsWith("playing", StringComparison.Ordinal) && time > 1.0)
            {
                int current = await page.EvaluateAsync<int>("window.hls.currentLevel");
                Assert.True(current == 1, $"hls.js was told startLevel 1 (96p) but plays level {current} at {time:0.00} s. See {See}.");
                await page.EvaluateAsync("() => { window.state.capped = true; window.hls.autoLevelCapping = 0; }"); // the cap: the ABR logic may pick no level above 0
                stage = "a LEVEL_SWITCHED to level 0 after the cap";
            }
            else if (switchedAt < 0 && stage.StartsWith("a LEVEL", StringComparison.Ordinal))
            {
                switchedAt = await page.EvaluateAsync<double>("(window.state.switches.find(s => s.capped && s.level === 0) || { time: -1 }).time");
                if (switchedAt >= 0)
                {
                    stage = $"currentTime past {switchedAt + 1:0.00} s after the switch";
                }
            }
            else if (switchedAt >= 0 && time > switchedAt + 1.0)
            {
                await page.CloseAsync();
                return;
            }

            try
            {
                await Task.Delay(200, deadline.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        string seen = await page.EvaluateAsync<string>("JSON.stringify({ time: document.getElementById('video').currentTime, switches: window.state.switches, errors: window.state.errors, levels: window.hls.levels.map(l => [l.bitrate, l.width, l.height]) })");
        string log;
        lock (console)
        {
            log = string.Join('\n', console.TakeLast(15));
        }

        throw new Xunit.Sdk.XunitException($"Chromium with hls.js on master.m3u8 never got to {stage} within 90 s. It saw: {seen}\nConsole:\n{log}\nSee {See}.");
    }
}
