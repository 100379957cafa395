using System.Buffers.Binary;
using Lab02.RtmpChunks;
using Lab04.LiveServer;

namespace Lab05.Hls.Tests;

/// <summary>
/// M5 and M7 without a network: the packagers are Lab 04 subscribers, so the test queues av.flv's tags into one itself
/// (as the live server would, in order, timestamps as published), ends it and runs it, then reads what it wrote. The
/// oracle is ffprobe's committed packet list of av.flv (keyframes each second, every video DTS) and the README's rules
/// for the live window, the files and the playlists.
/// </summary>
public class M5PackagerTests
{
    /// <summary>av.flv's tags (FLV 10.1 §E.4.1: type, UI24 size, UI24 timestamp + UI8 extension, UI24 stream id, data, UI32 PreviousTagSize), as the live server's <see cref="LiveTag"/>s.</summary>
    internal static List<LiveTag> AvFlvTags()
    {
        byte[] flv = Media.Bytes("av.flv");
        int at = (int)BinaryPrimitives.ReadUInt32BigEndian(flv.AsSpan(5)) + 4;
        var tags = new List<LiveTag>();
        while (at + 11 <= flv.Length)
        {
            byte type = flv[at];
            int size = flv[at + 1] << 16 | flv[at + 2] << 8 | flv[at + 3];
            uint timestamp = (uint)(flv[at + 7] << 24 | flv[at + 4] << 16 | flv[at + 5] << 8 | flv[at + 6]);
            tags.Add(LiveTag.FromMessage(new RtmpMessage(type, timestamp, 1, flv.AsMemory(at + 11, size))));
            at += 11 + size + 4;
        }

        return tags;
    }

    /// <summary>Queues every tag, ends the subscriber and runs it to its end.</summary>
    internal static async Task RunAsync(Subscriber subscriber, IEnumerable<LiveTag> tags)
    {
        foreach (var tag in tags)
        {
            Assert.True(subscriber.Enqueue(tag, streamHasVideo: true), "The packager refused a tag (queue full?).");
        }

        subscriber.End();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(40));
        await subscriber.RunAsync(limit.Token);
    }

    /// <summary>Queues every tag and runs the subscriber until it has written them all, then stops it without an end (the publisher is still there).</summary>
    internal static async Task RunUnendedAsync(Subscriber subscriber, List<LiveTag> tags)
    {
        foreach (var tag in tags)
        {
            Assert.True(subscriber.Enqueue(tag, streamHasVideo: true), "The packager refused a tag (queue full?).");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = subscriber.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (subscriber.SentTags < tags.Count && !run.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(subscriber.SentTags == tags.Count, $"The packager took {subscriber.SentTags} of the {tags.Count} tags within 30 s.");
    }

    private static List<long> VideoDts() => Media.Probe("av.flv").Where(p => p.CodecType == "video").Select(p => p.Dts!.Value).ToList();

    private static void AssertSegmentFile(string folder, int index, string see, int second = -1)
    {
        second = second < 0 ? index : second;
        string path = Path.Combine(folder, $"seg{index}.ts");
        Assert.True(File.Exists(path), $"seg{index}.ts should be in the folder; it has {string.Join(", ", Directory.GetFiles(folder).Select(Path.GetFileName).Order())}. See {see}.");
        var packets = TsWalk.Packets(File.ReadAllBytes(path));
        Assert.True(packets.Count >= 3 && packets[0].Pid == 0 && packets[1].Pid == TsMuxer.PmtPid,
            $"seg{index}.ts must start with the PAT (PID 0) and the PMT (PID 0x{TsMuxer.PmtPid:X}), RFC 8216 §3.2; its first PIDs are {string.Join(", ", packets.Take(3).Select(p => $"0x{p.Pid:X}"))}. See README §Segmenting.");
        // av.flv has a keyframe every second (ffprobe): with hlsTime 1 the segment holds the video whose DTS is in [second, second + 1) s.
        var expected = VideoDts().Where(d => d >= second * 1000 && d < (second + 1) * 1000).Select(d => d * 90).ToList();
        var got = TsWalk.Pes(packets, TsMuxer.VideoPid).Select(p => p.Dts ?? p.Pts ?? -1).ToList();
        Assert.True(got.SequenceEqual(expected),
            $"seg{index}.ts should hold the video frames with DTS {second}.000–{second}.999 s (ffprobe on av.flv: {expected.Count} frames, {string.Join(", ", expected.Take(4))}, …); it holds {got.Count}: {string.Join(", ", got.Take(4))}, …. See {see}.");
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", "M5 HLS out of the live server")]
    public async Task The_packager_writes_the_segments_the_live_window_deletes_what_expired_and_ends_the_playlist()
    {
        var folder = Media.TempFolder();
        try
        {
            // Window 2, target 1: seg0 leaves when seg2 is added and expires when seg5 is (README §Live playlist).
            var state = new HlsStreamState(2, 1);
            var packager = new HlsPackager(new LiveServerOptions(), folder, state, 1, 2);
            await RunAsync(packager, AvFlvTags());
            const string See = "README §HLS out of the live server";
            Assert.True(packager.SegmentsWritten == 6 && state.NextSegment == 6,
                $"av.flv lasts 6 s with a keyframe every second: 1 s segments are 6 files, seg0–seg5; SegmentsWritten is {packager.SegmentsWritten} and NextSegment {state.NextSegment}. See {See}.");
            for (int i = 1; i < 6; i++)
            {
                AssertSegmentFile(folder, i, See);
            }

            Assert.False(File.Exists(Path.Combine(folder, "seg0.ts")), $"seg0.ts expired when seg5.ts was added (window 2, target 1: README §Live playlist) and must be deleted. See {See}.");
            var video = VideoDts();
            double last = (video[^1] + (video[^1] - video[^2]) - 5000) / 1000.0;
            string expected = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:4\n#EXTINF:1.000000,\nseg4.ts\n" +
                              string.Create(System.Globalization.CultureInfo.InvariantCulture, $"#EXTINF:{last:F6},\nseg5.ts\n#EXT-X-ENDLIST\n");
            string text = File.ReadAllText(Path.Combine(folder, "index.m3u8"));
            Assert.True(text == expected, $"After the stream ended, index.m3u8 is the last window (seg4, seg5; the last one lasts to the end of its last frame, ffprobe's last DTS + the last step) with #EXT-X-ENDLIST:\n{expected}\ngot\n{text}\nSee {See}.");

            // The publisher comes back: the same playlist goes on after a discontinuity (README §HLS out of the live server).
            var again = new HlsPackager(new LiveServerOptions(), folder, state, 1, 2);
            await RunAsync(again, AvFlvTags());
            string resumed = File.ReadAllText(Path.Combine(folder, "index.m3u8"));
            Assert.True(again.SegmentsWritten == 6 && resumed.StartsWith("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:10\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n", StringComparison.Ordinal)
                        && resumed.EndsWith("seg11.ts\n#EXT-X-ENDLIST\n", StringComparison.Ordinal),
                $"A second publish on the same state writes seg6–seg11 into the same window (media sequence 10, one discontinuity gone out of it) and ends it again; index.m3u8 is\n{resumed}\nSee {See}.");
            AssertSegmentFile(folder, 11, See, 5); // a new subscriber's timestamps start at 0 again (Lab 04 §Timestamps)
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", "M5 HLS out of the live server")]
    public async Task While_the_stream_goes_on_the_playlist_lists_every_segment_written_so_far()
    {
        var folder = Media.TempFolder();
        try
        {
            var packager = new HlsPackager(new LiveServerOptions(), folder, new HlsStreamState(2, 1), 1, 2);
            await RunUnendedAsync(packager, AvFlvTags());
            // Every tag taken, no end: seg0–seg4 are closed (seg5 waits for a keyframe that has not come), the window is seg3, seg4.
            string text = File.ReadAllText(Path.Combine(folder, "index.m3u8"));
            const string expected = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:3\n#EXTINF:1.000000,\nseg3.ts\n#EXTINF:1.000000,\nseg4.ts\n";
            Assert.True(packager.SegmentsWritten == 5 && text == expected,
                $"With the stream still live after av.flv's last tag, 5 segments are written and index.m3u8, rewritten at each, lists the window seg3, seg4 without #EXT-X-ENDLIST:\n{expected}\ngot ({packager.SegmentsWritten} segments)\n{text}\nSee README §HLS out of the live server.");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", "M7 low-latency HLS")]
    public async Task While_the_stream_goes_on_the_low_latency_playlist_lists_every_part_written_so_far()
    {
        var folder = Media.TempFolder();
        try
        {
            var state = new HlsStreamState(2, 1, 0.34);
            var packager = new LowLatencyPackager(new LiveServerOptions(), folder, state, 1, 2);
            await RunUnendedAsync(packager, AvFlvTags());
            // seg5 is open: frames 5.000–5.933 s, parts of 5 frames, so seg5.0 and seg5.1 are written and seg5.2 is hinted.
            string text = File.ReadAllText(Path.Combine(folder, "index.m3u8"));
            Assert.True(packager.PartsWritten == 17 && text.Contains("URI=\"seg5.1.ts\"\n", StringComparison.Ordinal) && text.EndsWith("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg5.2.ts\"\n", StringComparison.Ordinal)
                        && state.Watch().Current?.Text == text,
                $"After av.flv's last tag, with the stream still live: 5 segments of 3 parts and 2 parts of seg5 written (17), and the playlist, rewritten and published after each, lists seg5.1.ts and hints seg5.2.ts:\n{text}\n({packager.PartsWritten} parts) See README §LL-HLS.");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", "M5 HLS out of the live server")]
    public async Task A_packager_that_never_got_a_tag_writes_nothing()
    {
        var folder = Path.Combine(Media.TempFolder(), "never");
        try
        {
            var packager = new HlsPackager(new LiveServerOptions(), folder, new HlsStreamState(2, 1), 1, 2);
            await RunAsync(packager, []);
            Assert.True(!Directory.Exists(folder) && packager.SegmentsWritten == 0,
                "A stream that ended before its first tag has no segments and no playlist: WriteEndAsync ends and writes the playlist only when something was written. See README §HLS out of the live server.");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, true);
        }
    }

    [Theory]
    [InlineData("index.m3u8", "application/vnd.apple.mpegurl", "no-cache")]
    [InlineData("seg12.ts", "video/mp2t", "public, max-age=3600, immutable")]
    [InlineData("seg12.3.ts", "video/mp2t", "public, max-age=3600, immutable")]
    [Trait("Milestone", "M5 HLS out of the live server")]
    public void Playlists_and_segments_have_their_content_types_and_cache_headers(string file, string type, string cache)
    {
        var (contentType, cacheControl) = HlsHttpServer.HeadersFor(file);
        Assert.True(contentType == type && cacheControl == cache,
            $"{file}: Content-Type {type} and Cache-Control {cache} (README §HLS out of the live server, RFC 8216 §4); you gave {contentType} and {cacheControl}.");
    }

    [Fact]
    [Trait("Milestone", "M5 HLS out of the live server")]
    public void A_file_that_is_neither_a_playlist_nor_a_segment_is_an_ArgumentException()
    {
        HlsHttpServer.HeadersFor("index.m3u8"); // the stubs throw here already
        Assert.Throws<ArgumentException>(() => HlsHttpServer.HeadersFor("index.html"));
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", "M7 low-latency HLS")]
    public async Task The_low_latency_packager_writes_parts_segments_and_the_playlist_and_publishes_it()
    {
        var folder = Media.TempFolder();
        try
        {
            var state = new HlsStreamState(2, 1, 0.34);
            var packager = new LowLatencyPackager(new LiveServerOptions(), folder, state, 1, 2);
            await RunAsync(packager, AvFlvTags());
            const string See = "README §LL-HLS";
            // av.flv, 1 s segments and 0.34 s parts: every segment is three parts of 5 frames (README §LL-HLS).
            Assert.True(packager.SegmentsWritten == 6 && packager.PartsWritten == 18 && state.NextSegment == 6,
                $"av.flv makes 6 segments of 3 parts each; the packager wrote {packager.SegmentsWritten} segments and {packager.PartsWritten} parts (NextSegment {state.NextSegment}). See {See}.");
            for (int i = 1; i < 6; i++)
            {
                AssertSegmentFile(folder, i, See);
                byte[] whole = File.ReadAllBytes(Path.Combine(folder, $"seg{i}.ts"));
                byte[] joined = Enumerable.Range(0, 3).SelectMany(k => File.ReadAllBytes(Path.Combine(folder, $"seg{i}.{k}.ts"))).ToArray();
                Assert.True(whole.AsSpan().SequenceEqual(joined), $"seg{i}.0.ts, seg{i}.1.ts and seg{i}.2.ts concatenated must be seg{i}.ts byte for byte ({joined.Length} against {whole.Length} bytes). See {See}.");
            }

            var left = Directory.GetFiles(folder).Select(Path.GetFileName).Where(n => n!.StartsWith("seg0", StringComparison.Ordinal) || n.EndsWith(".tmp", StringComparison.Ordinal)).ToList();
            Assert.True(left.Count == 0, $"seg0.ts expired when seg5.ts was added: it and its parts are deleted, and no temporary file is left; the folder still has {string.Join(", ", left)}. See {See}.");
            string text = File.ReadAllText(Path.Combine(folder, "index.m3u8"));
            var lines = text.Split('\n');
            string[] uris = ["seg4.0.ts", "seg4.1.ts", "seg4.2.ts", "#EXTINF", "seg5.0.ts", "seg5.1.ts", "seg5.2.ts", "#EXTINF"];
            var order = lines.Select((l, i) => (l, i)).Where(x => uris.Any(u => x.l.Contains(u, StringComparison.Ordinal))).Select(x => x.l).ToList();
            Assert.True(text.StartsWith("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.020000\n#EXT-X-PART-INF:PART-TARGET=0.340000\n#EXT-X-MEDIA-SEQUENCE:4\n", StringComparison.Ordinal)
                        && order.Count == 8 && order[0].StartsWith("#EXT-X-PART:", StringComparison.Ordinal) && order[0].EndsWith(",INDEPENDENT=YES", StringComparison.Ordinal) && order[3].StartsWith("#EXTINF", StringComparison.Ordinal)
                        && order[7].StartsWith("#EXTINF", StringComparison.Ordinal) && text.EndsWith("seg5.ts\n#EXT-X-ENDLIST\n", StringComparison.Ordinal) && !text.Contains("PRELOAD-HINT", StringComparison.Ordinal),
                $"The ended low-latency playlist lists seg4 and seg5, each after its three parts (the first INDEPENDENT=YES), and ends with #EXT-X-ENDLIST and no hint:\n{text}\nSee {See}.");
            // §LL-HLS: the segments are cut exactly as in §Segmenting, so they are the plain packager's segments byte for byte.
            var plainFolder = Media.TempFolder();
            try
            {
                await RunAsync(new HlsPackager(new LiveServerOptions(), plainFolder, new HlsStreamState(2, 1), 1, 2), AvFlvTags());
                for (int i = 1; i < 6; i++)
                {
                    Assert.True(File.ReadAllBytes(Path.Combine(folder, $"seg{i}.ts")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(plainFolder, $"seg{i}.ts"))),
                        $"seg{i}.ts of the low-latency packager differs from the plain packager's: the segments are cut and muxed exactly as in §Segmenting. See {See}.");
                }
            }
            finally
            {
                Directory.Delete(plainFolder, true);
            }

            var (published, _) = state.Watch();
            Assert.True(published is { Hint: null } && published.Text == text && published.Position.Ended,
                $"After the end the packager publishes the playlist it wrote (HlsStreamState.Publish): the HTTP server answers blocking reloads from it. Published: {published?.Text ?? "(nothing)"}\nSee {See}.");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", "M7 low-latency HLS")]
    public async Task A_low_latency_packager_that_never_got_a_tag_writes_nothing()
    {
        var folder = Path.Combine(Media.TempFolder(), "never");
        try
        {
            var state = new HlsStreamState(2, 1, 0.34);
            var packager = new LowLatencyPackager(new LiveServerOptions(), folder, state, 1, 2);
            await RunAsync(packager, []);
            Assert.True(!Directory.Exists(folder) && packager.PartsWritten == 0 && state.Watch().Current is null,
                "A stream that ended before its first tag has no parts and no playlist, and nothing is published. See README §LL-HLS.");
            await RunAsync(new LowLatencyPackager(new LiveServerOptions(), Path.GetDirectoryName(folder)!, state, 1, 2), AvFlvTags().Take(12));
            Assert.True(state.Watch().Current is { } current && current.Text.Contains("#EXT-X-PART:", StringComparison.Ordinal) && current.Text.EndsWith("#EXT-X-ENDLIST\n", StringComparison.Ordinal),
                $"A packager that got a few frames writes them as parts of one segment and ends the playlist; published: {state.Watch().Current?.Text ?? "(nothing)"}. See README §LL-HLS.");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, true);
        }
    }
}
