using System.Globalization;
using System.Net.Http;
using System.Text.RegularExpressions;
using Lab04.LiveServer;

namespace Lab05.Hls.Tests;

/// <summary>
/// M7: a publisher that comes back after its low-latency stream ended (README §LL-HLS and §HLS out of the live server:
/// the same playlist goes on after an #EXT-X-DISCONTINUITY). Two real ffmpeg publishes of av.flv with 0.34 s parts,
/// the second after the first one's #EXT-X-ENDLIST; the playlist is read over HTTP by the test itself (RFC 8216 §4.2's
/// attribute lists), not with the lab's parser.
/// </summary>
public partial class M7ComebackTests
{
    private const string Milestone = "M7 low-latency HLS";
    private const string See = "README §LL-HLS";

    [GeneratedRegex(@"^seg(?<msn>[0-9]+)(\.(?<part>[0-9]+))?\.ts$")]
    private static partial Regex SegmentOrPartName();

    /// <summary>One state of the low-latency playlist as the test reads it.</summary>
    private sealed record LowLatencyText(string Text)
    {
        public string[] Lines { get; } = Text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

        public bool EndList => Lines.Contains("#EXT-X-ENDLIST");

        public string? Hint => Playlists.Tag(Lines, "#EXT-X-PRELOAD-HINT") is { } hint ? Playlists.Attributes(hint)["URI"].Trim('"') : null;

        public long MediaSequence => long.Parse(Playlists.Tag(Lines, "#EXT-X-MEDIA-SEQUENCE") ?? "-1", CultureInfo.InvariantCulture);

        /// <summary>The segment URIs, in order.</summary>
        public List<string> Segments => Lines.Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        /// <summary>The #EXT-X-PART lines' URIs and INDEPENDENT flags, in order, with their line index.</summary>
        public List<(int Line, string Uri, bool Independent)> Parts
        {
            get
            {
                var parts = new List<(int, string, bool)>();
                for (int i = 0; i < Lines.Length; i++)
                {
                    if (Lines[i].StartsWith("#EXT-X-PART:", StringComparison.Ordinal))
                    {
                        var attributes = Playlists.Attributes(Lines[i]["#EXT-X-PART:".Length..]);
                        parts.Add((i, attributes["URI"].Trim('"'), attributes.TryGetValue("INDEPENDENT", out var independent) && independent == "YES"));
                    }
                }

                return parts;
            }
        }

        /// <summary>The media sequence number a segment or part URI names (segN.ts, segN.K.ts), or -1.</summary>
        public static long Number(string uri) => SegmentOrPartName().Match(uri) is { Success: true } m ? long.Parse(m.Groups["msn"].Value, CultureInfo.InvariantCulture) : -1;
    }

    [Fact(Timeout = 180_000)]
    [Trait("Milestone", Milestone)]
    public async Task A_publisher_that_comes_back_after_the_end_gets_the_low_latency_playlist_going_again_after_a_discontinuity()
    {
        var folder = Media.TempFolder();
        var log = new List<string>();
        try
        {
            await using var server = new HlsLiveServer(new LiveServerOptions { ReconnectWait = TimeSpan.FromSeconds(1) }, folder, hlsTime: 1, windowSize: 20, partTarget: 0.34);
            server.Live.Log = line => { lock (log) { log.Add(line); } };
            server.Start();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            string url = server.PlaylistUrl("live/test");
            string Log()
            {
                lock (log)
                {
                    return log.Count == 0 ? "(the server logged nothing)" : "The server logged:\n  " + string.Join("\n  ", log.TakeLast(8));
                }
            }

            // The first publish, to its end: #EXT-X-ENDLIST, and no hint of a part that will never come.
            LowLatencyText first;
            await using (var ffmpeg = Publish(server))
            {
                first = await WaitForAsync(server, 1, http, url, p => p.EndList, "the first publish of the 6 s clip to end with #EXT-X-ENDLIST", ffmpeg, Log);
            }

            Assert.True(first.Segments.Count > 0 && first.Hint is null,
                $"The first publish ended: its playlist lists its segments, ends with #EXT-X-ENDLIST and names no #EXT-X-PRELOAD-HINT (README §LL-HLS: an ended playlist has no open parts and no hint); it was:\n{first.Text}\nSee {See}.");
            long lastOld = first.Segments.Max(LowLatencyText.Number);

            await using (var ffmpeg = Publish(server))
            {
                // The comeback: the playlist is live again, with parts of a new segment after a discontinuity and a hint.
                var going = await WaitForAsync(server, 2, http, url, p => !p.EndList && p.Parts.Any(x => LowLatencyText.Number(x.Uri) > lastOld),
                    "the playlist to go on (no #EXT-X-ENDLIST, parts of a new segment) once the second publish started", ffmpeg, Log);
                string context = $"During the comeback the playlist was:\n{going.Text}\nafter the first publish ended with:\n{first.Text}\n{Log()}\nSee {See} and §Live playlist.";
                Assert.True(going.MediaSequence >= first.MediaSequence && first.Segments.All(going.Segments.Contains),
                    $"The comeback continues the same playlist: the media sequence never goes down ({first.MediaSequence} → {going.MediaSequence}) and the first publish's segments stay in the window of 20. {context}");
                int lastOldLine = Array.LastIndexOf(going.Lines, first.Segments[^1]);
                var newPart = going.Parts.First(x => LowLatencyText.Number(x.Uri) > lastOld);
                Assert.True(lastOldLine >= 0 && newPart.Line > lastOldLine && going.Lines[lastOldLine..newPart.Line].Contains("#EXT-X-DISCONTINUITY"),
                    $"The comeback's first part ({newPart.Uri}) comes after #EXT-X-DISCONTINUITY (a new encoder, new timestamps: RFC 8216 §4.3.2.3), written before the new segment's first part. {context}");
                Assert.True(newPart.Independent,
                    $"The comeback's first part ({newPart.Uri}) starts its segment with PAT, PMT and an IDR: INDEPENDENT=YES, so a player may start there. {context}");
                Assert.True(going.Hint is { } hint && LowLatencyText.Number(hint) > lastOld,
                    $"A live low-latency playlist ends with #EXT-X-PRELOAD-HINT naming the next part of the new segment; got {going.Hint ?? "none"}. {context}");

                // The low-latency machinery works again: a blocking reload for the hinted part is answered once it is listed,
                // and the part is served.
                string hinted = going.Hint!;
                var name = SegmentOrPartName().Match(hinted);
                Assert.True(name.Success && name.Groups["part"].Success, $"The hint names a part segM.N.ts; it named {hinted}. {context}");
                using (var blocked = await http.GetAsync($"{url}?_HLS_msn={name.Groups["msn"].Value}&_HLS_part={name.Groups["part"].Value}", TestContext.Current.CancellationToken))
                {
                    var after = new LowLatencyText(await blocked.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                    Assert.True(blocked.IsSuccessStatusCode && (after.Parts.Any(p => p.Uri == hinted) || after.EndList),
                        $"After the comeback, GET index.m3u8?_HLS_msn={name.Groups["msn"].Value}&_HLS_part={name.Groups["part"].Value} is held until {hinted} is listed, then answered 200 with it (RFC 8216bis §6.2.5.2); it answered {(int)blocked.StatusCode}:\n{after.Text}\n{Log()}\nSee {See}.");
                }

                byte[] part = await http.GetByteArrayAsync(url.Replace("index.m3u8", newPart.Uri, StringComparison.Ordinal), TestContext.Current.CancellationToken);
                Assert.True(part.Length > 0 && part.Length % 188 == 0 && part[0] == 0x47,
                    $"GET {newPart.Uri}, the comeback's first part: a transport stream of whole 188-byte packets; got {part.Length} bytes starting 0x{(part.Length > 0 ? part[0] : 0):X2}. See {See}.");

                // The second publish ends too: the playlist ends again, the new segments after the old ones.
                var ended = await WaitForAsync(server, 2, http, url, p => p.EndList && p.Segments.Any(s => LowLatencyText.Number(s) > lastOld),
                    "the second publish to end with #EXT-X-ENDLIST again", ffmpeg, Log);
                var added = ended.Segments.Where(s => LowLatencyText.Number(s) > lastOld).ToList();
                Assert.True(ended.Hint is null && added.Count >= 3 && first.Segments.All(ended.Segments.Contains) && ended.MediaSequence >= going.MediaSequence,
                    $"After the second publish of the 6 s clip the playlist ends again: #EXT-X-ENDLIST and no hint, the first publish's segments and then at least 3 new ones (got {added.Count}), " +
                    $"the media sequence never down ({going.MediaSequence} → {ended.MediaSequence}):\n{ended.Text}\n{Log()}\nSee {See}.");
                int lastOldAt = Array.LastIndexOf(ended.Lines, first.Segments[^1]), firstNewAt = Array.IndexOf(ended.Lines, added[0]);
                Assert.True(ended.Lines[lastOldAt..firstNewAt].Contains("#EXT-X-DISCONTINUITY"),
                    $"The ended playlist keeps #EXT-X-DISCONTINUITY between {first.Segments[^1]} and {added[0]}:\n{ended.Text}\nSee {See} and §Live playlist.");
            }

            Assert.True(server.PackagersStarted == 2,
                $"Two publishes make two packagers; the server's watcher started {server.PackagersStarted}: a packager that throws is replaced by another one while the stream is live. {Log()}\nSee {See}.");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    private static async Task<string> EndedAsync(ToolRun ffmpeg)
    {
        var result = await ffmpeg.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        return $"ended with exit code {result.ExitCode}{(result.StandardError.Trim().Length > 0 ? ": " + result.ErrorTail(4) : "")}";
    }

    private static ToolRun Publish(HlsLiveServer server) => ToolRun.Start(RealTools.Ffmpeg(),
        ["-hide_banner", "-loglevel", "error", "-re", "-i", Media.Path("av.flv"), "-c", "copy", "-f", "flv", $"rtmp://127.0.0.1:{server.Live.RtmpPort.ToString(CultureInfo.InvariantCulture)}/live/test"]);

    /// <summary>
    /// Reads the playlist every 200 ms until <paramref name="done"/> holds; fails after 60 s (15 s after ffmpeg ended) with the last one, or at once
    /// when the server started more packagers than <paramref name="publishes"/> (the watcher replaces one that threw).
    /// </summary>
    private static async Task<LowLatencyText> WaitForAsync(HlsLiveServer server, int publishes, HttpClient http, string url, Func<LowLatencyText, bool> done, string what, ToolRun ffmpeg, Func<string> log)
    {
        LowLatencyText? last = null;
        int status = 0;
        using var deadline = Deadline.After(TimeSpan.FromSeconds(60));
        var sinceFfmpegEnded = new System.Diagnostics.Stopwatch();
        while (!deadline.IsCancellationRequested && sinceFfmpegEnded.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (!ffmpeg.IsRunning)
            {
                sinceFfmpegEnded.Start(); // the stream ends ReconnectWait (1 s) after the publisher leaves: 15 s is plenty
            }

            using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                last = new LowLatencyText(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                if (done(last))
                {
                    return last;
                }
            }

            Assert.True(server.PackagersStarted <= publishes,
                $"While waiting for {what}: {publishes} publish(es) so far, yet the server's watcher started {server.PackagersStarted} packagers — it starts another one when a packager's " +
                $"RunAsync ends (here: throws) while the stream is live, so your LowLatencyPackager throws. The playlist was:\n{last?.Text ?? "(no playlist served)"}\n{log()}\nSee {See}.");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        throw new Xunit.Sdk.XunitException(
            $"Waited {(sinceFfmpegEnded.Elapsed < TimeSpan.FromSeconds(15) ? "60 s" : "15 s after ffmpeg ended")} for {what} (ffmpeg {(ffmpeg.IsRunning ? "is still publishing" : await EndedAsync(ffmpeg))}); the last answer was {status}:\n{last?.Text ?? "(no playlist served)"}\n{log()}\n" +
            $"A publisher that comes back continues the same low-latency playlist; see {See} and §HLS out of the live server.");
    }
}
