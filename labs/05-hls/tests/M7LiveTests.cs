using System.Globalization;
using System.Net.Http;
using System.Text.RegularExpressions;
using Lab04.LiveServer;

namespace Lab05.Hls.Tests;

/// <summary>
/// M7 in the live server: a real ffmpeg publishes av.flv over RTMP into the server with 0.34 s parts; the test reads
/// the low-latency playlist over HTTP, makes blocking reloads for the hinted part and watches them wait for it, gets
/// 400 for requests the draft refuses, checks that each segment's parts (fetched over HTTP) are the segment and decode
/// with ffmpeg, and lets hls.js in lowLatencyMode play the stream in Chromium.
/// </summary>
public partial class M7LiveTests
{
    private const string Milestone = "M7 low-latency HLS";
    private const double PartTarget = 0.34;

    [GeneratedRegex(@"^seg(?<msn>[0-9]+)\.(?<part>[0-9]+)\.ts$")]
    private static partial Regex PartName();

    private static ToolRun Publish(int rtmpPort, int loops) => ToolRun.Start(RealTools.Ffmpeg(),
        ["-hide_banner", "-loglevel", "error", "-re", "-stream_loop", loops.ToString(CultureInfo.InvariantCulture), "-i", Media.Path("av.flv"), "-c", "copy", "-f", "flv", $"rtmp://127.0.0.1:{rtmpPort}/live/test"]);

    private static async Task<(int Status, string Body)> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static List<string> PartUris(string playlist) =>
        playlist.Split('\n').Where(l => l.StartsWith("#EXT-X-PART:", StringComparison.Ordinal))
            .Select(l => Playlists.Attributes(l["#EXT-X-PART:".Length..])["URI"].Trim('"')).ToList();

    /// <summary>Waits until the playlist at <paramref name="url"/> lists at least <paramref name="segments"/> segments; returns its text.</summary>
    private static async Task<string> WaitForSegmentsAsync(HttpClient http, string url, int segments, ToolRun ffmpeg)
    {
        using var deadline = Deadline.After(TimeSpan.FromSeconds(20));
        while (true)
        {
            var (status, body) = await GetAsync(http, url);
            if (status == 200 && body.Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#')) >= segments)
            {
                return body;
            }

            Assert.True(ffmpeg.IsRunning, $"ffmpeg stopped publishing before {url} listed {segments} segments.");
            Assert.False(deadline.IsCancellationRequested, $"20 s after ffmpeg started publishing, {url} does not list {segments} segments (last answer {status}):\n{body}\nSee README §LL-HLS.");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    [Fact(Timeout = 120_000)]
    [Trait("Milestone", Milestone)]
    public async Task Blocking_reloads_wait_for_the_hinted_part_and_the_parts_over_HTTP_are_their_segments()
    {
        var folder = Media.TempFolder();
        try
        {
            await using var server = new HlsLiveServer(new LiveServerOptions { ReconnectWait = TimeSpan.FromSeconds(1) }, folder, hlsTime: 1, windowSize: 4, partTarget: PartTarget);
            server.Start();
            await using var ffmpeg = Publish(server.Live.RtmpPort, loops: 1);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            string url = server.PlaylistUrl("live/test");
            string before = await WaitForSegmentsAsync(http, url, 2, ffmpeg);
            using (var head = await http.GetAsync(url, TestContext.Current.CancellationToken))
            {
                Assert.True(head.Content.Headers.ContentType?.MediaType == "application/vnd.apple.mpegurl" && head.Headers.CacheControl?.NoCache == true,
                    $"The low-latency playlist is still a playlist: application/vnd.apple.mpegurl with Cache-Control: no-cache; got {head.Content.Headers.ContentType?.MediaType}, {head.Headers.CacheControl}. See README §HLS out of the live server.");
            }

            // The part the playlist hints at does not exist yet: a blocking reload for it must wait until it is listed.
            var lines = before.Split('\n');
            string hint = Playlists.Attributes(Playlists.Tag(lines, "#EXT-X-PRELOAD-HINT") ?? throw new Xunit.Sdk.XunitException($"A live low-latency playlist ends with #EXT-X-PRELOAD-HINT for the next part:\n{before}\nSee README §LL-HLS."))["URI"].Trim('"');
            var name = PartName().Match(hint);
            Assert.True(name.Success && !PartUris(before).Contains(hint), $"The hint names the next part, segM.N.ts, not one already listed; it named {hint}:\n{before}\nSee README §LL-HLS.");
            string msn = name.Groups["msn"].Value, part = name.Groups["part"].Value;
            var (status, blocked) = await GetAsync(http, $"{url}?_HLS_msn={msn}&_HLS_part={part}");
            Assert.True(status == 200 && PartUris(blocked).Contains(hint),
                $"GET index.m3u8?_HLS_msn={msn}&_HLS_part={part} must be held until the playlist lists {hint} (RFC 8216bis §6.2.5.2), then answered 200 with it; the answer was {status}:\n{blocked}\nSee README §LL-HLS.");

            // The next hinted part, fetched before it exists, is held until it is written (§6.2.6).
            string nextHint = Playlists.Attributes(Playlists.Tag(blocked.Split('\n'), "#EXT-X-PRELOAD-HINT") ?? "URI=\"none\"")["URI"].Trim('"');
            using (var early = await http.GetAsync(url.Replace("index.m3u8", nextHint, StringComparison.Ordinal), TestContext.Current.CancellationToken))
            {
                byte[] bytes = await early.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
                Assert.True(early.IsSuccessStatusCode && bytes.Length > 0 && bytes.Length % 188 == 0 && bytes[0] == 0x47,
                    $"GET {nextHint}, the part #EXT-X-PRELOAD-HINT names, before it exists: the server holds it until the part is written and sends it whole (RFC 8216bis §6.2.6); it answered {(int)early.StatusCode} with {bytes.Length} bytes. See README §LL-HLS.");
            }

            var (farStatus, _) = await GetAsync(http, $"{url}?_HLS_msn={long.Parse(msn, CultureInfo.InvariantCulture) + 5}");
            var (partOnly, _) = await GetAsync(http, $"{url}?_HLS_part=0");
            Assert.True(farStatus == 400 && partOnly == 400,
                $"RFC 8216bis §6.2.5.2: _HLS_msn more than two segments past the last one gets 400 at once, and so does _HLS_part without _HLS_msn; you answered {farStatus} and {partOnly}. See README §LL-HLS.");

            // Each complete segment listed with its parts: the parts over HTTP, concatenated, are the segment, and ffmpeg decodes them.
            string now = (await GetAsync(http, url)).Body;
            var complete = now.Split('\n').Where(l => l.StartsWith("seg", StringComparison.Ordinal)).ToList();
            int checkedSegments = 0;
            foreach (var segment in complete.TakeLast(2))
            {
                string stem = segment[..^3];
                var parts = PartUris(now).Where(p => p.StartsWith(stem + ".", StringComparison.Ordinal)).ToList();
                Assert.True(parts.Count >= 2, $"{segment} lasts about 1 s and parts last at most {PartTarget} s: it is listed with at least 2 parts, got {string.Join(", ", parts)}:\n{now}\nSee README §LL-HLS.");
                var joined = new List<byte>();
                foreach (var p in parts)
                {
                    joined.AddRange(await http.GetByteArrayAsync(url.Replace("index.m3u8", p, StringComparison.Ordinal), TestContext.Current.CancellationToken));
                }

                byte[] whole = await http.GetByteArrayAsync(url.Replace("index.m3u8", segment, StringComparison.Ordinal), TestContext.Current.CancellationToken);
                Assert.True(joined.SequenceEqual(whole), $"{string.Join(" + ", parts)} over HTTP must be {segment} byte for byte ({joined.Count} against {whole.Length} bytes). See README §LL-HLS.");
                string file = Path.Combine(folder, $"joined-{stem}.ts");
                await File.WriteAllBytesAsync(file, [.. joined], TestContext.Current.CancellationToken);
                var (errors, frames) = await Media.DecodeAsync(file);
                Assert.True(errors.Length == 0 && frames > 0, $"ffmpeg decodes {string.Join(" + ", parts)} concatenated: {frames} frames, and it printed: {errors}. See README §LL-HLS.");
                checkedSegments++;
            }

            Assert.True(checkedSegments == 2, $"The playlist listed {checkedSegments} complete segments to check:\n{now}");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact(Timeout = 150_000)]
    [Trait("Milestone", Milestone)]
    public async Task HlsJs_in_lowLatencyMode_plays_the_parts_in_Chromium()
    {
        var folder = Media.TempFolder();
        try
        {
            await using var server = new HlsLiveServer(new LiveServerOptions(), folder, hlsTime: 1, windowSize: 6, partTarget: PartTarget);
            server.Start();
            await using var ffmpeg = Publish(server.Live.RtmpPort, loops: -1);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            string url = server.PlaylistUrl("live/test");
            await WaitForSegmentsAsync(http, url, 2, ffmpeg);
            await using var browser = await HlsBrowser.StartAsync(folder);
            var playback = await browser.PlayLowLatencyAsync(url, 1.5, 20, TimeSpan.FromSeconds(60), "README §LL-HLS");
            Assert.True(playback.FragmentsLoaded >= 1,
                $"hls.js in lowLatencyMode played {playback.CurrentTime:0.0} s but loaded no part (FRAG_LOADED with a part): it played whole segments, so the playlist's parts were not usable. See README §LL-HLS.");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
