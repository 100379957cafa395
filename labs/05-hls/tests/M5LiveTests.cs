using System.Globalization;
using System.Net.Http;
using Lab04.LiveServer;

namespace Lab05.Hls.Tests;

/// <summary>
/// M5: HLS out of the live server. A real ffmpeg publishes av.flv over RTMP into the Lab 04 server with HLS; the test
/// reads the playlist and segments over HTTP while it runs (headers, the window, the media sequence, deleted files),
/// ffmpeg decodes the ended playlist, and hls.js in Chromium plays the live one from another origin.
/// </summary>
public class M5LiveTests
{
    private const string Milestone = "M5 HLS out of the live server";

    private static ToolRun Publish(int rtmpPort, int loops) => ToolRun.Start(RealTools.Ffmpeg(),
        ["-hide_banner", "-loglevel", "error", "-re", "-stream_loop", loops.ToString(CultureInfo.InvariantCulture), "-i", Media.Path("av.flv"), "-c", "copy", "-f", "flv", $"rtmp://127.0.0.1:{rtmpPort}/live/test"]);

    private static async Task<(int Status, string? Type, string? Cache, string Body)> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.CacheControl?.ToString(), body);
    }

    [Fact(Timeout = 90_000)]
    [Trait("Milestone", Milestone)]
    public async Task A_publish_becomes_a_live_window_over_HTTP_that_slides_deletes_old_segments_and_ends_with_ENDLIST()
    {
        var folder = Media.TempFolder();
        try
        {
            await PublishAndWatchAsync(folder);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    private static async Task PublishAndWatchAsync(string folder)
    {
        await using var server = new HlsLiveServer(new LiveServerOptions { ReconnectWait = TimeSpan.FromSeconds(1) }, folder, hlsTime: 1, windowSize: 2);
        server.Start();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string url = server.PlaylistUrl("live/test");
        await using var ffmpeg = Publish(server.Live.RtmpPort, loops: 1); // av.flv twice: 12 s, a keyframe every second
        var sequences = new List<long>();
        MediaPlaylist? last = null;
        var started = System.Diagnostics.Stopwatch.StartNew();
        using (var deadline = Deadline.After(TimeSpan.FromSeconds(45)))
        {
            while (!deadline.IsCancellationRequested)
            {
                var (status, type, cache, body) = await GetAsync(http, url);
                Assert.True(status == 200 || last is not null || started.Elapsed < TimeSpan.FromSeconds(15),
                    $"15 s after ffmpeg started publishing 1 s GOPs, {url} still answers {status}: no packager wrote a playlist (ffmpeg {(ffmpeg.IsRunning ? "is publishing" : "ended")}). See README §HLS out of the live server.");
                if (status == 200)
                {
                    Assert.True(type == "application/vnd.apple.mpegurl" && cache == "no-cache",
                        $"A live playlist is served as application/vnd.apple.mpegurl (RFC 8216 §4) with Cache-Control: no-cache (it changes with every segment); {url} came as {type}, Cache-Control {cache}. See README §HLS out of the live server.");
                    last = MediaPlaylist.Parse(body);
                    Assert.True(last.Segments.Count <= 2 && last.TargetDuration == server.TargetDuration,
                        $"The live window lists at most 2 segments with TARGETDURATION {server.TargetDuration}; it listed {last.Segments.Count}, target {last.TargetDuration}:\n{body}\nSee README §Live playlist.");
                    Assert.True(sequences.Count == 0 || last.MediaSequence >= sequences[^1], $"EXT-X-MEDIA-SEQUENCE went down from {sequences.LastOrDefault()} to {last.MediaSequence}. See README §Live playlist.");
                    sequences.Add(last.MediaSequence);
                    if (last.EndList)
                    {
                        break;
                    }
                }

                await Task.Delay(250, TestContext.Current.CancellationToken);
            }
        }

        Assert.True(last is { EndList: true }, $"Within 45 s of publishing a 12 s clip the playlist must end with #EXT-X-ENDLIST (ffmpeg {(ffmpeg.IsRunning ? "still running" : "ended")}); the last one was:\n{last?.Write() ?? "(never served)"}\nSee README §HLS out of the live server.");
        Assert.True(last!.MediaSequence >= 8 && sequences.Distinct().Count() >= 4,
            $"12 one-second segments through a window of 2: the media sequence ends near 10 and climbs as the window slides; you served sequences {string.Join(", ", sequences.Distinct())}. See README §Live playlist.");
        foreach (var segment in last.Segments)
        {
            using var response = await http.GetAsync(url.Replace("index.m3u8", segment.Uri, StringComparison.Ordinal), TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "video/mp2t" && response.Headers.CacheControl?.MaxAge > TimeSpan.Zero,
                $"{segment.Uri} is listed, so it is served: 200, video/mp2t, a Cache-Control with max-age (a segment never changes); it came {(int)response.StatusCode}, {response.Content.Headers.ContentType?.MediaType}, {response.Headers.CacheControl}. See README §HLS out of the live server.");
        }

        var (oldStatus, _, _, _) = await GetAsync(http, url.Replace("index.m3u8", "seg0.ts", StringComparison.Ordinal));
        Assert.True(oldStatus == 404 && !File.Exists(Path.Combine(folder, "live", "test", "seg0.ts")),
            $"seg0.ts left the window long ago (RFC 8216 §6.2.2: after the playlist's duration + the target duration it may go): it must be deleted; it is {(File.Exists(Path.Combine(folder, "live", "test", "seg0.ts")) ? "still on disk" : "gone from disk")} and HTTP said {oldStatus}. See README §Live playlist.");
        var (errors, frames) = await Media.DecodeAsync(url);
        Assert.True(errors.Length == 0 && frames > 0, $"ffmpeg -i {url} -f null - decodes the ended playlist's {last.Segments.Count} segments: {frames} frames, and printed: {errors}. See README §HLS out of the live server.");
    }

    [Theory]
    [InlineData("index.m3u8", "application/vnd.apple.mpegurl", "no-cache")]
    [InlineData("seg12.ts", "video/mp2t", "public, max-age=3600, immutable")]
    [Trait("Milestone", Milestone)]
    public void Playlists_and_segments_get_their_content_types_and_cache_headers(string file, string type, string cache)
    {
        var (contentType, cacheControl) = HlsHttpServer.HeadersFor(file);
        Assert.True(contentType == type && cacheControl == cache, $"{file}: Content-Type {type}, Cache-Control \"{cache}\"; you gave {contentType}, \"{cacheControl}\". See README §HLS out of the live server.");
    }

    [Fact(Timeout = 120_000)]
    [Trait("Milestone", Milestone)]
    public async Task HlsJs_in_Chromium_plays_the_live_stream_from_another_origin()
    {
        var folder = Media.TempFolder();
        try
        {
            await using var server = new HlsLiveServer(new LiveServerOptions(), folder, hlsTime: 1, windowSize: 5);
            server.Start();
            await using var ffmpeg = Publish(server.Live.RtmpPort, loops: -1);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            string url = server.PlaylistUrl("live/test");
            using (var deadline = Deadline.After(TimeSpan.FromSeconds(15)))
            {
                while (true)
                {
                    var (status, _, _, body) = await GetAsync(http, url);
                    if (status == 200 && MediaPlaylist.Parse(body).Segments.Count >= 2)
                    {
                        break;
                    }

                    Assert.True(ffmpeg.IsRunning, "ffmpeg stopped publishing before the playlist had 2 segments.");
                    Assert.False(deadline.IsCancellationRequested, $"15 s after ffmpeg started publishing, {url} does not list 2 segments. See README §HLS out of the live server.");
                    await Task.Delay(250, TestContext.Current.CancellationToken);
                }
            }

            await using var browser = await HlsBrowser.StartAsync(folder);
            var playback = await browser.PlayAsync(url, 1.0, 10, TimeSpan.FromSeconds(40), "README §HLS out of the live server (CORS, content types)");
            Assert.True(playback.FragmentsLoaded >= 1, $"hls.js played {playback.CurrentTime:0.0} s having loaded {playback.FragmentsLoaded} segments.");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
