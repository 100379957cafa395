using System.Globalization;
using System.Text.Json;

namespace Lab04.LiveServer.Tests;

/// <summary>
/// M6: recording and playback (录制和点播). Oracles: ffprobe on the recorded file against the clip's committed
/// packet list (testdata/04-live-server/clip-2s.packets.txt), the file's own bytes on disk for every Range
/// answer, RFC 9110 §14 for the Range rules, and ffmpeg seeking in the recording over HTTP.
/// </summary>
public sealed class M6RecordingTests : IDisposable
{
    private const string Milestone = "M6 recording and playback";

    private readonly string _folder = Directory.CreateTempSubdirectory("lab04-rec-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // left for the system's temp cleaner
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_range_field_selects_one_byte_range_as_rfc_9110_says()
    {
        const long Length = 10000;
        foreach (var (field, kind, first, last, why) in new (string?, ByteRangeKind, long, long, string)[]
        {
            ("bytes=0-499", ByteRangeKind.Partial, 0, 499, "the first 500 bytes (RFC 9110 §14.1.2's example)"),
            ("bytes=500-999", ByteRangeKind.Partial, 500, 999, "the second 500 bytes (§14.1.2)"),
            ("bytes=-500", ByteRangeKind.Partial, 9500, 9999, "a suffix range: the last 500 bytes (§14.1.2)"),
            ("bytes=9500-", ByteRangeKind.Partial, 9500, 9999, "from 9500 to the end (§14.1.2)"),
            ("bytes=0-0", ByteRangeKind.Partial, 0, 0, "the first byte (§14.1.2)"),
            ("bytes=-1", ByteRangeKind.Partial, 9999, 9999, "the last byte (§14.1.2)"),
            ("bytes=9990-20000", ByteRangeKind.Partial, 9990, 9999, "a last position past the end means the end (§14.1.2)"),
            ("bytes=-20000", ByteRangeKind.Partial, 0, 9999, "a suffix longer than the file is the whole file (§14.1.2)"),
            ("Bytes=10-19", ByteRangeKind.Partial, 10, 19, "the range unit is case-insensitive (§14.1)"),
            ("bytes=10000-", ByteRangeKind.Unsatisfiable, 0, 0, "a first position at the end selects nothing (§14.1.1, 416)"),
            ("bytes=12000-12999", ByteRangeKind.Unsatisfiable, 0, 0, "a range wholly past the end (416)"),
            ("bytes=-0", ByteRangeKind.Unsatisfiable, 0, 0, "a suffix of 0 bytes (416)"),
            (null, ByteRangeKind.Whole, 0, 9999, "no Range field (200)"),
            ("items=0-9", ByteRangeKind.Whole, 0, 9999, "another range unit is ignored (§14.2)"),
            ("bytes=20-10", ByteRangeKind.Whole, 0, 9999, "a last position before the first is invalid and ignored (§14.1.1)"),
            ("bytes=abc", ByteRangeKind.Whole, 0, 9999, "bad syntax is ignored"),
            ("bytes=1-x", ByteRangeKind.Whole, 0, 9999, "bad syntax is ignored"),
            ("bytes=+1-5", ByteRangeKind.Whole, 0, 9999, "positions are decimal digits only"),
            ("bytes=0-1,5-6", ByteRangeKind.Whole, 0, 9999, "several ranges are not served here: ignored (§14.2 allows it), 200"),
            ("bytes=000000000000000010-000000000000000019", ByteRangeKind.Partial, 10, 19, "18 digits with leading zeros are still decimal positions (§14.1.2: first-pos = 1*DIGIT)"),
        })
        {
            var got = ByteRange.Parse(field, Length);
            bool ok = got.Kind == kind && (kind != ByteRangeKind.Partial || (got.First == first && got.Last == last));
            Assert.True(ok, $"Range \"{field}\" on a {Length}-byte file, {why}: expected {kind}{(kind == ByteRangeKind.Partial ? $" {first}-{last}" : "")}; yours is {got.Kind}{(got.Kind == ByteRangeKind.Partial ? $" {got.First}-{got.Last}" : "")}. See README §Recording.");
        }

        Assert.Equal(ByteRangeKind.Unsatisfiable, ByteRange.Parse("bytes=0-", 0).Kind);
        Assert.Equal("bytes 9500-9999/10000", ByteRange.Parse("bytes=-500", Length).ContentRange);
        Assert.Equal("bytes */10000", ByteRange.Parse("bytes=10000-", Length).ContentRange);
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_recording_is_named_from_a_valid_key_only_and_never_leaves_its_folder()
    {
        var start = new DateTime(2026, 11, 26, 14, 55, 1, 234, DateTimeKind.Utc);
        string got = Recorder.RelativePath("live/test", start);
        Assert.True(got == Path.Combine("live", "test", "20261126-145501-234.flv"),
            $"Recorder.RelativePath(\"live/test\", 2026-11-26 14:55:01.234 UTC) must be live/test/20261126-145501-234.flv (app and name as folders, the start time as the file); yours is \"{got}\". See README §Recording.");
        Assert.NotEqual(Recorder.RelativePath("a_b/c", start), Recorder.RelativePath("a/b_c", start));

        string root = Path.GetFullPath(_folder) + Path.DirectorySeparatorChar;
        foreach (var key in new[] { "live/..", "../etc", "live/../../etc", "live/test/../../x", "/etc/passwd", "live/", "/test", "live", "", "live/te st", "live\\..\\..\\x/y", "live/%2e%2e", ".../x/..", "./." })
        {
            var e = Record.Exception(() => Recorder.RelativePath(key, start));
            Assert.True(e is ArgumentException, $"Recorder.RelativePath(\"{key}\") must refuse the key with an ArgumentException (it is no valid app/name, README §Registry); yours {(e is null ? $"returned \"{Recorder.RelativePath(key, start)}\"" : $"threw {e.GetType().Name}")}. See README §Recording.");
        }

        foreach (var key in new[] { "live/test", "a.b/c-d_e", "x/..." })
        {
            string full = Path.GetFullPath(Path.Combine(_folder, Recorder.RelativePath(key, start)));
            Assert.True(full.StartsWith(root, StringComparison.Ordinal), $"The recording of {key} must be inside the record folder {root}; yours is {full}. See README §Recording.");
        }
    }

    private static LiveTag Tag(byte type, byte[] data, uint timestamp) => LiveTag.FromMessage(new Lab02.RtmpChunks.RtmpMessage(type, timestamp, 1, data));

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_recorder_writes_the_flv_header_with_the_tracks_seen_then_every_tag_as_sent_even_a_session_without_frames()
    {
        // FLV §E.4.3.1 / §E.4.2.1: 0x17 0x00 = AVC sequence header, 0x17 0x01 = AVC keyframe, 0xAF 0x00 / 0xAF 0x01 = AAC header / frame; type 18 = onMetaData.
        var meta = Tag(18, [0x02, 0x00, 0x0A, .. "onMetaData"u8, 0x08, 0, 0, 0, 0, 0, 0, 9], 0);
        var avc = Tag(9, [0x17, 0x00, 0, 0, 0, 1, 0x64, 0, 0x1F], 0);
        var aac = Tag(8, [0xAF, 0x00, 0x12, 0x10], 0);
        var key = Tag(9, [0x17, 0x01, 0, 0, 0, 0, 0, 0, 2, 0x65, 0x88], 40);
        var sound = Tag(8, [0xAF, 0x01, 0x21, 0x10], 63);
        var sessions = new (string Name, LiveTag[] Tags, byte Flags, string Why)[]
        {
            ("both", [meta, avc, aac, key, sound], 0x05, "audio and video (0x05)"),
            ("audio", [meta, aac, sound], 0x04, "audio only (0x04)"),
            ("video", [meta, avc, key], 0x01, "video only (0x01)"),
            ("headers", [meta, avc, aac], 0, "a session that ended before its first frame: the FLV header, then the tags it did send"),
        };
        var start = new DateTime(2026, 11, 26, 14, 55, 1, 234, DateTimeKind.Utc);
        foreach (var (name, tags, flags, why) in sessions)
        {
            var recorder = Recorder.Start(_folder, "live/" + name, start, 100);
            foreach (var tag in tags)
            {
                recorder.Write(tag);
            }

            recorder.Complete();
            await recorder.Completion.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            byte[] file = await File.ReadAllBytesAsync(recorder.FilePath, TestContext.Current.CancellationToken);
            // FLV §E.2: "FLV", version 1, flags, DataOffset 9; §E.3: PreviousTagSize0 = 0; then the tags as the publisher sent them.
            byte[] want = [.. "FLV"u8, 1, flags, 0, 0, 0, 9, 0, 0, 0, 0, .. tags.SelectMany(t => t.Bytes)];
            if (flags == 0)
            {
                Assert.True(file.Length == want.Length && file.AsSpan(0, 4).SequenceEqual(want.AsSpan(0, 4)) && file.AsSpan(5).SequenceEqual(want.AsSpan(5)),
                    $"Recording {why}: the file must be the FLV header and PreviousTagSize0 ({want.Length - tags.Sum(t => t.Bytes.Length)} bytes) and then the {tags.Length} tags' Bytes in order ({want.Length} bytes in all); yours has {file.Length} bytes: {Convert.ToHexString(file.AsSpan(0, Math.Min(file.Length, 32)))}…. See README §Recording.");
                Assert.True(recorder.WrittenTags == tags.Length, $"WrittenTags counts the tags written to the file, also in a session without frames: {tags.Length}; yours {recorder.WrittenTags}.");
                continue;
            }

            HexDiff.AssertEqual(want, file, $"the recording of a session with {why}: the FLV header whose flags say which tracks the stream has, PreviousTagSize0, then every tag's Bytes in order (the headers kept until the first frame)", "README §Recording");
            Assert.True(recorder.WrittenTags == tags.Length, $"WrittenTags counts the tags written to the file: {tags.Length}; yours {recorder.WrittenTags}.");
        }
    }

    /// <summary>Publishes the whole clip to live/NAME (fast, tag by tag), leaves, and waits until its recording is complete.</summary>
    private static async Task PublishClipAsync(LiveServer server, string name = "test", int? count = null)
    {
        await using (var publisher = await Publishing.StartAsync(server.RtmpPort, name))
        {
            var tags = Clip.Tags();
            await Publishing.SendAsync(publisher, count is { } n ? tags.Take(n) : tags);
            await Publishing.TakenAsync(server, count ?? tags.Count, "live/" + name);
        }

        await Publishing.UntilAsync(() => Recorder.List(server.Options.RecordFolder!).Any(r => r.Key == "live/" + name) && Recorder.List(server.Options.RecordFolder!).All(r => !r.Writing),
            $"the recording of live/{name} to be complete after its publisher left (Recorder.List shows it, Writing false)");
    }

    private List<string> Files() => [.. Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_folder, f)).Order(StringComparer.Ordinal)];

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task A_publish_session_is_recorded_as_the_clip_and_each_session_and_stream_gets_its_own_file()
    {
        await using var server = new LiveServer(new LiveServerOptions { RecordFolder = _folder });
        server.Start();
        await PublishClipAsync(server);
        var files = Files();
        Assert.True(files.Count == 1 && files[0].StartsWith(Path.Combine("live", "test") + Path.DirectorySeparatorChar, StringComparison.Ordinal) && files[0].EndsWith(".flv", StringComparison.Ordinal),
            $"One publish of live/test with RecordFolder set must leave one file live/test/….flv in the folder; there are: {string.Join(", ", files)}. See README §Recording.");
        string first = Path.Combine(_folder, files[0]);

        // ffprobe reads every packet of the recording: the same frames, flags, timestamps and data as the clip.
        var probe = await ToolRun.RunAsync(RealTools.Ffprobe(), ["-v", "error", "-show_data_hash", "MD5", "-show_entries", "packet=codec_type,dts,size,flags,data_hash", "-of", "compact=p=0", first], TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.True(probe.ExitCode == 0, $"ffprobe could not read the recording {first}:\n{probe.ErrorTail()}\nSee README §Recording.");
        static string Strip(string line) => string.Join('|', line.Split('|').Where(f => !f.StartsWith("pts=", StringComparison.Ordinal)));
        var want = File.ReadAllLines(Repo.TestData("04-live-server/clip-2s.packets.txt")).Select(Strip).ToList();
        var got = probe.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Strip(l.Trim())).ToList();
        for (int i = 0; i < Math.Max(want.Count, got.Count); i++)
        {
            Assert.True(i < got.Count && i < want.Count && got[i] == want[i],
                $"Packet {i} of the recording as ffprobe reads it must be the clip's ({(i < want.Count ? want[i] : "none: the clip has " + want.Count)}); yours is {(i < got.Count ? got[i] : "missing: the recording has " + got.Count)}. The file is the FLV header and every tag as the publisher sent it. See README §Recording.");
        }

        byte[] firstBytes = await File.ReadAllBytesAsync(first, TestContext.Current.CancellationToken);
        Assert.True(firstBytes[4] == 0x05, $"The recording's FLV header must announce audio and video (flags 0x05, FLV §E.2); yours has 0x{firstBytes[4]:X2}. See README §Recording.");

        // A second session of the same stream and a session of another stream: new files, the first one untouched.
        await PublishClipAsync(server, count: 30);
        await PublishClipAsync(server, "test2", count: 30);
        files = Files();
        Assert.True(files.Count(f => f.StartsWith(Path.Combine("live", "test") + Path.DirectorySeparatorChar, StringComparison.Ordinal)) == 2 && files.Count(f => f.StartsWith(Path.Combine("live", "test2") + Path.DirectorySeparatorChar, StringComparison.Ordinal)) == 1 && files.Count == 3,
            $"After a second publish of live/test and one of live/test2 there must be three files, two in live/test and one in live/test2; there are: {string.Join(", ", files)}. See README §Recording.");
        byte[] firstAgain = await File.ReadAllBytesAsync(first, TestContext.Current.CancellationToken);
        HexDiff.AssertEqual(firstBytes, firstAgain, "the first session's recording after later sessions (a file is never overwritten)", "README §Recording");

        // Keys that would leave the folder never get published, so never get recorded.
        await using var bad = await RtmpTestClient.ConnectAsync(server.RtmpPort);
        string code = await bad.PublishAsync("..");
        Assert.True(code == "NetStream.Publish.BadName", $"Publishing live/.. must be refused (NetStream.Publish.BadName); it got {code}. See README §Registry.");
        Assert.Equal(3, Files().Count);
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Recordings_are_listed_and_served_whole_or_by_byte_range()
    {
        await using var server = new LiveServer(new LiveServerOptions { RecordFolder = _folder });
        server.Start();
        await PublishClipAsync(server);
        string file = Path.Combine(_folder, Files().Single());
        byte[] disk = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        long n = disk.Length;

        var list = await RawHttp.GetAsync(server.HttpPort, "/api/recordings");
        Assert.True(list.Status == 200, $"GET /api/recordings must answer 200; yours answered {list.Status}. See README §Recording.");
        using var json = JsonDocument.Parse(list.Body);
        var entry = json.RootElement.GetProperty("recordings").EnumerateArray().Single();
        string url = entry.GetProperty("url").GetString()!;
        Assert.True(entry.GetProperty("key").GetString() == "live/test" && entry.GetProperty("size").GetInt64() == n && url == "/recordings/" + Path.GetRelativePath(_folder, file).Replace('\\', '/'),
            $"/api/recordings must list the recording with key live/test, size {n} and url /recordings/{Path.GetRelativePath(_folder, file)}; yours lists {entry}. See README §Recording.");

        var whole = await RawHttp.GetAsync(server.HttpPort, url);
        Assert.True(whole.Status == 200 && whole["Content-Length"] == n.ToString(CultureInfo.InvariantCulture) && whole["Accept-Ranges"] == "bytes",
            $"GET {url} without Range must answer 200 with Content-Length: {n} and Accept-Ranges: bytes; yours answered {whole.Status}, Content-Length {whole["Content-Length"]}, Accept-Ranges {whole["Accept-Ranges"]}. See README §Recording.");
        HexDiff.AssertEqual(disk, whole.Body, $"GET {url}: the whole file", "README §Recording");

        foreach (var (field, from, to) in new (string, long, long)[] { ("bytes=100-199", 100, 199), ("bytes=-500", n - 500, n - 1), ($"bytes={n - 10}-", n - 10, n - 1), ("bytes=0-0", 0, 0), ($"bytes=1000-{n + 5000}", 1000, n - 1) })
        {
            var part = await RawHttp.GetAsync(server.HttpPort, url, "Range: " + field);
            string contentRange = $"bytes {from}-{to}/{n}";
            Assert.True(part.Status == 206 && part["Content-Range"] == contentRange && part["Content-Length"] == (to - from + 1).ToString(CultureInfo.InvariantCulture),
                $"GET {url} with Range: {field} must answer 206 Partial Content, Content-Range: {contentRange}, Content-Length: {to - from + 1} (RFC 9110 §14.4, §15.3.7); yours answered {part.Status}, Content-Range {part["Content-Range"]}, Content-Length {part["Content-Length"]}. See README §Recording.");
            HexDiff.AssertEqual(disk[(int)from..(int)(to + 1)], part.Body, $"the body of Range: {field} (the same bytes of the file on disk)", "README §Recording");
        }

        var beyond = await RawHttp.GetAsync(server.HttpPort, url, $"Range: bytes={n}-");
        Assert.True(beyond.Status == 416 && beyond["Content-Range"] == $"bytes */{n}",
            $"Range: bytes={n}- on a {n}-byte file selects nothing: 416 Range Not Satisfiable with Content-Range: bytes */{n} (RFC 9110 §15.5.17); yours answered {beyond.Status}, Content-Range {beyond["Content-Range"]}. See README §Recording.");

        // Targets that try to leave the record folder, or name what is no recording, are not served.
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(_folder)!, Path.GetFileName(_folder) + "-secret.flv"), "secret");
        foreach (var target in new[]
        {
            "/recordings/../" + Path.GetFileName(_folder) + "-secret.flv", "/recordings/live/../../../etc/passwd", "/recordings/live/test/../../../" + Path.GetFileName(_folder) + "-secret.flv",
            "/recordings/live/test/..%2f..%2f..%2f" + Path.GetFileName(_folder) + "-secret.flv", "/recordings/%2e%2e/%2e%2e/x.flv", "/recordings//etc/passwd", "/recordings/live/test/", "/recordings/live/test/missing.flv",
        })
        {
            var refused = await RawHttp.GetAsync(server.HttpPort, target);
            Assert.True(refused.Status is 400 or 403 or 404, $"GET {target} must be refused (404, 403 or 400): it is no recording of the folder; yours answered {refused.Status} with {refused.Body.Length} bytes. See README §Recording.");
        }

        File.Delete(Path.Combine(Path.GetDirectoryName(_folder)!, Path.GetFileName(_folder) + "-secret.flv"));
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Ffmpeg_seeks_in_a_recording_over_http()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = new LiveServer(new LiveServerOptions { RecordFolder = _folder }) { Log = log.Enqueue };
        server.Start();
        await PublishClipAsync(server);
        string url = $"http://127.0.0.1:{server.HttpPort}/recordings/" + Files().Single().Replace('\\', '/');
        var probe = await ToolRun.RunAsync(RealTools.Ffprobe(), ["-v", "error", "-read_intervals", "1.2%+0.3", "-select_streams", "v", "-show_entries", "packet=dts,flags", "-of", "compact=p=0", url], TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.True(probe.ExitCode == 0, $"ffprobe -read_intervals 1.2%+0.3 {url} (a seek to 1.2 s: ffmpeg asks for Range: bytes=OFFSET-) failed:\n{probe.ErrorTail()}\nYour server logged:\n{string.Join('\n', log)}\nSee README §Recording.");
        var got = probe.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();

        // The oracle: the clip's video packets from the last keyframe at or before 1.2 s (ffprobe's list of the clip).
        var video = Clip.Packets().Where(p => p.CodecType == "video").ToList();
        int start = video.FindLastIndex(p => p.Key && p.Dts <= 1200);
        Assert.True(got.Count > 0, $"ffprobe seeking to 1.2 s in {url} read no video packet. Your server logged:\n{string.Join('\n', log)}\nSee README §Recording.");
        for (int i = 0; i < got.Count; i++)
        {
            var want = video[start + i];
            string expected = $"dts={want.Dts}|flags={(want.Key ? "K" : "_")}_";
            Assert.True(got[i] == expected, $"After a seek to 1.2 s, video packet {i} must be the clip's {expected} (reading starts at the keyframe before 1.2 s); ffprobe read {got[i]}. Your server logged:\n{string.Join('\n', log)}\nSee README §Recording.");
        }
    }
}
