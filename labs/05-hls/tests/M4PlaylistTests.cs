using System.Globalization;

namespace Lab05.Hls.Tests;

/// <summary>
/// M4: playlists. The parser on ffmpeg's own VOD and live playlists (testdata/05-hls), the writer against RFC 8216's
/// rules and against ffmpeg, which plays what it lists; the live window by the RFC's rules; malformed playlists.
/// </summary>
public class M4PlaylistTests
{
    private const string Milestone = "M4 playlists";

    [Fact]
    [Trait("Milestone", Milestone)]
    public void FFmpegs_VOD_playlist_is_read_tag_by_tag()
    {
        var playlist = MediaPlaylist.Parse(File.ReadAllText(Media.Path("hls/index.m3u8")));
        Assert.True(playlist is { Version: 3, TargetDuration: 2, MediaSequence: 0, PlaylistType: "VOD", EndList: true, DiscontinuitySequence: 0 },
            $"ffmpeg's hls/index.m3u8 says VERSION 3, TARGETDURATION 2, MEDIA-SEQUENCE 0, PLAYLIST-TYPE VOD and ENDLIST; you read {playlist with { Segments = [] }}. See README §Playlists.");
        var segments = playlist.Segments.Select(s => (s.Uri, s.Duration, s.Discontinuity)).ToList();
        Assert.True(segments.SequenceEqual([("seg0.ts", 2.0, false), ("seg1.ts", 2.0, false), ("seg2.ts", 1.98, false)]),
            $"ffmpeg's playlist lists seg0.ts 2.000000, seg1.ts 2.000000, seg2.ts 1.980000; you read {string.Join("; ", segments)}. See README §Playlists.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void FFmpegs_live_window_is_read_with_its_media_sequence()
    {
        var playlist = MediaPlaylist.Parse(File.ReadAllText(Media.Path("live.m3u8")).Replace("\n", "\r\n", StringComparison.Ordinal));
        Assert.True(playlist is { TargetDuration: 1, MediaSequence: 3, PlaylistType: null } && playlist.Segments.Select(s => s.Uri).SequenceEqual(["seg3.ts", "seg4.ts", "seg5.ts"]),
            $"ffmpeg's live.m3u8 (-hls_list_size 3, CRLF line ends here) has TARGETDURATION 1, MEDIA-SEQUENCE 3, no PLAYLIST-TYPE and seg3–seg5; you read target {playlist.TargetDuration}, sequence {playlist.MediaSequence}, type {playlist.PlaylistType ?? "none"}, {string.Join(", ", playlist.Segments.Select(s => s.Uri))}. See README §Playlists.");
    }

    [Theory]
    [InlineData(new[] { 2.0, 2.0, 1.98 }, 2)]
    [InlineData(new[] { 2.0, 2.5, 1.2 }, 3)]
    [InlineData(new[] { 0.4 }, 1)]
    [InlineData(new[] { 5.999, 6.0, 6.0001 }, 7)]
    [Trait("Milestone", Milestone)]
    public void The_target_duration_is_the_longest_segment_rounded_up(double[] durations, int expected)
    {
        int target = MediaPlaylist.TargetDurationFor(durations);
        Assert.True(target == expected, $"Durations {string.Join(", ", durations)} s: the target duration is the largest rounded up to whole seconds (at least 1), {expected}; you gave {target}. See README §Playlists.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_VOD_playlist_is_written_with_the_RFC_tags_in_order()
    {
        var text = MediaPlaylist.Vod([new PlaylistSegment("seg0.ts", 2.0), new PlaylistSegment("seg1.ts", 2.5), new PlaylistSegment("seg2.ts", 1.25)]).Write();
        // RFC 8216 §4.3.1.1, §4.3.3.x, §4.3.2.1: the tags, each on its line; ffmpeg writes durations with 6 decimals.
        const string expected = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:3\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:2.000000,\nseg0.ts\n#EXTINF:2.500000,\nseg1.ts\n#EXTINF:1.250000,\nseg2.ts\n#EXT-X-ENDLIST\n";
        Assert.True(text == expected, $"Expected the VOD playlist\n{expected}\ngot\n{text}\nSee README §Playlists.");
    }

    [Fact(Timeout = 180_000)]
    [Trait("Milestone", Milestone)]
    public async Task The_try_tool_writes_a_VOD_playlist_that_ffmpeg_plays_to_the_last_frame()
    {
        var dir = Media.TempFolder();
        try
        {
            using var output = new StringWriter();
            int exit = await HlsTryTool.RunAsync([Media.Path("av.flv"), "--out", dir, "--hls-time", "2"], output, TestContext.Current.CancellationToken);
            Assert.True(exit == 0, $"workbook try 05 av.flv --out DIR --hls-time 2 exited {exit}:\n{output}");
            var index = Path.Combine(dir, "index.m3u8");
            var (errors, frames) = await Media.DecodeAsync(index);
            int source = Media.Probe("av.flv").Count(p => p.CodecType == "video");
            Assert.True(errors.Length == 0 && frames == source, $"ffmpeg -i index.m3u8 decodes {frames} of av.flv's {source} video frames and printed: {errors}. See README §Playlists.");
            var ours = MediaPlaylist.Parse(await File.ReadAllTextAsync(index, TestContext.Current.CancellationToken));
            var ffmpeg = MediaPlaylist.Parse(File.ReadAllText(Media.Path("hls/index.m3u8")));
            Assert.True(ours.Segments.Count == ffmpeg.Segments.Count && ours.TargetDuration == ffmpeg.TargetDuration,
                $"Side by side with ffmpeg -f hls -hls_time 2: {ffmpeg.Segments.Count} segments, target {ffmpeg.TargetDuration}; yours {ours.Segments.Count}, target {ours.TargetDuration}. See README §Playlists.");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n", 1)]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:two,\nseg0.ts\n", 4)]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\nseg0.ts\n", 3)]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2.5\n#EXTINF:2,\nseg0.ts\n", 2)]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:-1\n", 3)]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg0.ts\n#EXTINF:3.6,\nseg1.ts\n", 5)]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n#EXTINF:2.0,\nseg1.ts\n", 4)]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n\n#EXTINF:2.0,\n", 4)]
    [InlineData("#EXTM3U\n#EXT-X-PLAYLIST-TYPE:LIVE\n#EXT-X-TARGETDURATION:2\n", 2)]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:\n", 2)]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-VERSION:x\n", 3)]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-DISCONTINUITY-SEQUENCE:1.5\n", 3)]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-STREAM-INF:BANDWIDTH=1000\nlow.m3u8\n", 3)]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:,\nseg0.ts\n", 3)]
    [Trait("Milestone", Milestone)]
    public void A_malformed_media_playlist_throws_HlsFormatException_with_the_line(string text, int line)
    {
        var e = Assert.Throws<HlsFormatException>(() => MediaPlaylist.Parse(text));
        Assert.True(e.Line == line && !string.IsNullOrWhiteSpace(e.Expected), $"The playlist\n{text}\nis wrong on line {line}; your HlsFormatException says line {e.Line?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}, Expected \"{e.Expected}\" (what should have been there, in words): {e.Message}. See README §Playlists.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_playlist_without_a_target_duration_is_rejected_and_unknown_tags_are_ignored()
    {
        var none = Assert.Throws<HlsFormatException>(() => MediaPlaylist.Parse("#EXTM3U\n#EXTINF:2.0,\nseg0.ts\n"));
        Assert.True(none.Line is not null && !string.IsNullOrWhiteSpace(none.Expected), $"No #EXT-X-TARGETDURATION: HlsFormatException with the line and Expected in words; you said line {none.Line}, Expected \"{none.Expected}\". See README §Playlists.");
        var playlist = MediaPlaylist.Parse("#EXTM3U\n#EXT-X-TARGETDURATION:4\n# a comment\n#EXT-X-PROGRAM-DATE-TIME:2026-11-26T17:00:00Z\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXTINF:3.5,first\nhttp://example.com/a.ts\n");
        Assert.True(playlist.Segments.Count == 1 && playlist.Segments[0] == new PlaylistSegment("http://example.com/a.ts", 3.5),
            $"RFC 8216 §4.1: a client ignores tags it does not know and comments; an EXTINF may carry a title after its comma. You read {string.Join("; ", playlist.Segments)}. See README §Playlists.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_live_window_slides_the_media_sequence_never_decreases_and_expired_segments_are_returned()
    {
        // A window of 2 over 1 s segments, target 1 (RFC 8216 §6.2.2): a segment that left the window expires once
        // segments lasting the playlist (2 s) + the target (1 s) = 3 s have been added after it left.
        var live = new LivePlaylist(2, 1);
        var expiredAt = new Dictionary<string, int>();
        long last = 0;
        for (int i = 0; i < 8; i++)
        {
            foreach (var gone in live.Add($"seg{i}.ts", 1.0))
            {
                expiredAt[gone.Uri] = i;
            }

            var playlist = live.Snapshot();
            long want = Math.Max(0, i - 1);
            Assert.True(playlist.MediaSequence == want && playlist.MediaSequence >= last,
                $"After adding seg0…seg{i} to a window of 2, MEDIA-SEQUENCE is the number of the first listed segment, {want}; you have {playlist.MediaSequence}. See README §Live playlist.");
            last = playlist.MediaSequence;
            var uris = playlist.Segments.Select(s => s.Uri).ToList();
            var wantUris = Enumerable.Range((int)want, i + 1 - (int)want).Select(n => $"seg{n}.ts").ToList();
            Assert.True(uris.SequenceEqual(wantUris) && !playlist.EndList && playlist.PlaylistType is null,
                $"After seg{i} the window lists {string.Join(", ", wantUris)} without ENDLIST or PLAYLIST-TYPE; yours lists {string.Join(", ", uris)} (ENDLIST {playlist.EndList}, type {playlist.PlaylistType ?? "none"}). See README §Live playlist.");
        }

        // seg0 left at seg2 and expires 3 s later, at seg5; seg1 at seg6; seg2 at seg7.
        var wantExpired = new Dictionary<string, int> { ["seg0.ts"] = 5, ["seg1.ts"] = 6, ["seg2.ts"] = 7 };
        Assert.True(expiredAt.Count == 3 && wantExpired.All(kv => expiredAt.GetValueOrDefault(kv.Key, -1) == kv.Value),
            $"A removed segment stays on disk until the playlist's duration + the target duration has been added after it left: seg0 expires when seg5 is added, seg1 with seg6, seg2 with seg7; yours: {string.Join(", ", expiredAt.Select(kv => $"{kv.Key} at seg{kv.Value}"))}. See README §Live playlist.");
        live.End();
        Assert.True(live.Snapshot().EndList && live.Snapshot().Write().EndsWith("#EXT-X-ENDLIST\n", StringComparison.Ordinal), "When the publisher stops, the live playlist ends with #EXT-X-ENDLIST. See README §Live playlist.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_publisher_restart_is_a_discontinuity_and_its_sequence_counts_when_it_leaves_the_window()
    {
        var live = new LivePlaylist(3, 2);
        live.Add("a0.ts", 2);
        live.Add("a1.ts", 2);
        live.MarkDiscontinuity();
        live.Add("b0.ts", 2);
        var text = live.Snapshot().Write();
        Assert.Contains("#EXTINF:2.000000,\na1.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2.000000,\nb0.ts\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("DISCONTINUITY-SEQUENCE", text, StringComparison.Ordinal);
        live.Add("b1.ts", 2);
        live.Add("b2.ts", 2);
        Assert.True(live.Snapshot() is { MediaSequence: 2, DiscontinuitySequence: 0 }, $"Before b0 leaves, MEDIA-SEQUENCE 2 and DISCONTINUITY-SEQUENCE 0; you have {live.Snapshot().MediaSequence} and {live.Snapshot().DiscontinuitySequence}. See README §Live playlist.");
        live.Add("b3.ts", 2);
        var playlist = live.Snapshot();
        Assert.True(playlist is { MediaSequence: 3, DiscontinuitySequence: 1 } && playlist.Segments.All(s => !s.Discontinuity),
            $"When b0 (with its #EXT-X-DISCONTINUITY) leaves the window, DISCONTINUITY-SEQUENCE becomes 1 (RFC 8216 §4.3.3.3); you have MEDIA-SEQUENCE {playlist.MediaSequence}, DISCONTINUITY-SEQUENCE {playlist.DiscontinuitySequence}. See README §Live playlist.");
        var reread = MediaPlaylist.Parse(playlist.Write());
        Assert.True(reread.DiscontinuitySequence == 1 && reread.MediaSequence == 3, $"Your parser reads back your live playlist's sequences 3 and 1; it read {reread.MediaSequence} and {reread.DiscontinuitySequence}.\n{playlist.Write()}");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_master_playlist_lists_renditions_with_BANDWIDTH_RESOLUTION_and_CODECS()
    {
        var source = FlvSource.Load(Media.Path("av.flv"));
        // av.flv (av.flv.probe.json): H.264 profile High (profile_idc 100 = 0x64), constraint flags 0, level 10 (1.0 = 0x0a); AAC-LC, object type 2.
        string codecs = VariantStream.CodecsOf(source.Video, source.Audio);
        Assert.True(codecs == "avc1.64000a,mp4a.40.2", $"RFC 6381 names av.flv's codecs \"avc1.64000a,mp4a.40.2\" (H.264 High level 1.0, AAC-LC); you wrote \"{codecs}\". See README §Master playlist.");
        var master = new MasterPlaylist([new VariantStream("low/index.m3u8", 150_000, 160, 96, codecs), new VariantStream("high/index.m3u8", 900_000, 640, 360, codecs), new VariantStream("audio/index.m3u8", 40_000)]);
        const string expected = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=150000,RESOLUTION=160x96,CODECS=\"avc1.64000a,mp4a.40.2\"\nlow/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS=\"avc1.64000a,mp4a.40.2\"\nhigh/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=40000\naudio/index.m3u8\n";
        Assert.True(master.Write() == expected, $"Expected the master playlist\n{expected}\ngot\n{master.Write()}\nSee README §Master playlist.");
        var parsed = MasterPlaylist.Parse("#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:PROGRAM-ID=1,CODECS=\"avc1.4d401f,mp4a.40.2\",BANDWIDTH=1280000,RESOLUTION=1280x720\r\nhd.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=65000,CODECS=\"mp4a.40.5\"\naudio.m3u8\n");
        Assert.True(parsed.Variants.SequenceEqual([new VariantStream("hd.m3u8", 1_280_000, 1280, 720, "avc1.4d401f,mp4a.40.2"), new VariantStream("audio.m3u8", 65_000, null, null, "mp4a.40.5")]),
            $"An attribute list's order is free, a quoted-string may hold commas, unknown attributes are ignored (RFC 8216 §4.2); you read {string.Join("; ", parsed.Variants)}. See README §Master playlist.");
    }

    [Theory]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=640x360\nlow.m3u8\n", 2)]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,RESOLUTION=640by360\nlow.m3u8\n", 2)]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS=\"avc1\nlow.m3u8\n", 2)]
    [InlineData("#EXTM3U\n#EXT-X-VERSION:3\nlow.m3u8\n", 3)]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\n", 2)]
    [InlineData("EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\nlow.m3u8\n", 1)]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\n#EXT-X-STREAM-INF:BANDWIDTH=2000\nlow.m3u8\n", 3)]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=\nlow.m3u8\n", 2)]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,=5\nlow.m3u8\n", 2)]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,NOVALUE\nlow.m3u8\n", 2)]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,Res=5\nlow.m3u8\n", 2)]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=9,CODECS=\"avc1\"x\nlow.m3u8\n", 2)]
    [Trait("Milestone", Milestone)]
    public void A_malformed_master_playlist_throws_HlsFormatException_with_the_line(string text, int line)
    {
        var e = Assert.Throws<HlsFormatException>(() => MasterPlaylist.Parse(text));
        Assert.True(e.Line == line && !string.IsNullOrWhiteSpace(e.Expected), $"The master playlist\n{text}\nis wrong on line {line}; your HlsFormatException says line {e.Line?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}, Expected \"{e.Expected}\" (what should have been there, in words): {e.Message}. See README §Master playlist.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_peak_bandwidth_is_the_largest_segment_bit_rate()
    {
        var segments = new[] { new MediaSegment(0, 0, 2.0, true, false, 1, new byte[25_000]), new MediaSegment(1, 0, 1.5, true, false, 1, new byte[30_001]), new MediaSegment(2, 0, 0, true, false, 1, new byte[10]) };
        long peak = VariantStream.PeakBandwidth(segments);
        Assert.True(peak == 160_006, $"RFC 8216 §4.3.4.2: BANDWIDTH is the peak segment bit rate: max(25000 × 8 / 2.0, 30001 × 8 / 1.5) = 160005.33…, rounded up 160006 (a segment of duration 0 has no rate); you gave {peak}. See README §Master playlist.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Playlist_tags_are_read_into_their_fields()
    {
        var live = MediaPlaylist.Parse("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:100000000000000000\n#EXTINF:2.0,\nseg0.ts\n");
        Assert.True(live is { Version: 1, EndList: false, PlaylistType: null, MediaSequence: 100_000_000_000_000_000 },
            $"A playlist without #EXT-X-VERSION is version 1 (RFC 8216 §4.3.1.2), without #EXT-X-ENDLIST it has not ended, and an 18-digit MEDIA-SEQUENCE is a decimal-integer; you read version {live.Version}, ENDLIST {live.EndList}, type {live.PlaylistType ?? "none"}, sequence {live.MediaSequence}. See README §Playlists.");
        var parsed = MediaPlaylist.Parse("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-DISCONTINUITY-SEQUENCE:4\n#EXTINF:2.0,\nseg0.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:1.5,\nseg1.ts\n#EXTINF:1.5,\nseg2.ts\n#EXT-X-ENDLIST\n");
        Assert.True(parsed is { Version: 6, PlaylistType: "EVENT", DiscontinuitySequence: 4, EndList: true } && parsed.Segments.Select(s => s.Discontinuity).SequenceEqual([false, true, false]),
            $"VERSION 6, PLAYLIST-TYPE EVENT, DISCONTINUITY-SEQUENCE 4, ENDLIST, and #EXT-X-DISCONTINUITY flags the segment after it (seg1 only); you read {parsed with { Segments = [] }} and flags {string.Join(", ", parsed.Segments.Select(s => s.Discontinuity))}. See README §Playlists.");
        // README §Bad input: malformed text gives a result or HlsFormatException, nothing else (here an EXTINF without its comma).
        try
        {
            MediaPlaylist.Parse("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0\nseg0.ts\n");
        }
        catch (HlsFormatException)
        {
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_master_playlist_keeps_its_version_and_AVERAGE_BANDWIDTH_both_ways()
    {
        var master = new MasterPlaylist([new VariantStream("hi/index.m3u8", 300_000, 320, 180, "avc1.64000d", 250_000)]);
        const string expected = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=300000,AVERAGE-BANDWIDTH=250000,RESOLUTION=320x180,CODECS=\"avc1.64000d\"\nhi/index.m3u8\n";
        Assert.True(master.Write() == expected, $"AVERAGE-BANDWIDTH comes right after BANDWIDTH when the variant has one:\n{expected}\ngot\n{master.Write()}\nSee README §Master playlist.");
        var parsed = MasterPlaylist.Parse("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-STREAM-INF:AVERAGE-BANDWIDTH=250000,BANDWIDTH=300000\nhi.m3u8\n");
        Assert.True(parsed.Version == 6 && parsed.Variants.SequenceEqual([new VariantStream("hi.m3u8", 300_000, AverageBandwidth: 250_000)]),
            $"#EXT-X-VERSION:6 and AVERAGE-BANDWIDTH=250000 are read; you read version {parsed.Version}, {string.Join("; ", parsed.Variants)}. See README §Master playlist.");
        var plain = MasterPlaylist.Parse("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=300000\nhi.m3u8\n");
        Assert.True(plain.Version == 1, $"A master playlist without #EXT-X-VERSION is version 1 (RFC 8216 §4.3.1.2); you read {plain.Version}. See README §Master playlist.");
    }
}
