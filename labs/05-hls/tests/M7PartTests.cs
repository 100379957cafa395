using System.Globalization;

namespace Lab05.Hls.Tests;

/// <summary>
/// M7 without a server: the parts cut from av.flv (checked against the stream's own timestamps and decoded by ffmpeg),
/// the low-latency playlist read back with the draft's attribute-list grammar, and blocking-reload decisions from the
/// draft's §6.2.5.2.
/// </summary>
public class M7PartTests
{
    private const string Milestone = "M7 low-latency HLS";
    private const double PartTarget = 0.34;

    /// <summary>av.flv (15 fps, a keyframe every second) through the part segmenter at 1 s segments and 0.34 s parts.</summary>
    private static List<(MediaSegment Segment, List<MediaPart> Parts)> CutAvFlv()
    {
        var source = FlvSource.Load(Media.Path("av.flv"));
        var cutter = new PartSegmenter(source.HasVideo, source.HasAudio, 1, 3, PartTarget);
        var result = new List<(MediaSegment, List<MediaPart>)>();
        var open = new List<MediaPart>();
        void Take(PartsClosed closed)
        {
            open.AddRange(closed.Parts);
            if (closed.Segment is { } segment)
            {
                result.Add((segment, open.ToList()));
                open.Clear();
            }
        }

        foreach (var sample in source.Samples)
        {
            Take(cutter.Add(sample));
        }

        Take(cutter.Finish());
        Assert.True(open.Count == 0, $"Finish() must close the last segment with its last part; {open.Count} parts were left without a segment. See README §LL-HLS.");
        return result;
    }

    [Fact(Timeout = 120_000)]
    [Trait("Milestone", Milestone)]
    public async Task The_parts_of_each_segment_are_the_segment_and_ffmpeg_decodes_them_concatenated()
    {
        var cut = CutAvFlv();
        Assert.True(cut.Count >= 5, $"av.flv lasts 6 s with a keyframe every second: 1 s segments make 6 of them; you made {cut.Count}. See README §LL-HLS.");
        var dir = Media.TempFolder();
        try
        {
            int frames = 0;
            foreach (var (segment, parts) in cut)
            {
                Assert.True(parts.Count > 0, $"Segment {segment.Index} came with no parts. See README §LL-HLS.");
                byte[] joined = parts.SelectMany(p => p.Data.ToArray()).ToArray();
                byte[] whole = segment.Data.ToArray();
                int differs = Enumerable.Range(0, Math.Min(joined.Length, whole.Length)).FirstOrDefault(i => joined[i] != whole[i], -1);
                Assert.True(joined.Length == whole.Length && differs < 0,
                    $"The parts of segment {segment.Index}, concatenated in order, must be the segment byte for byte: {joined.Length} bytes against {whole.Length}, first difference at {differs}. See README §LL-HLS.");
                Assert.True(parts.Select(p => p.Index).SequenceEqual(Enumerable.Range(0, parts.Count)), $"Part indexes of segment {segment.Index} count 0, 1, 2, …; you gave {string.Join(", ", parts.Select(p => p.Index))}.");
                string file = Path.Combine(dir, $"joined{segment.Index}.ts");
                await File.WriteAllBytesAsync(file, joined, TestContext.Current.CancellationToken);
                var (errors, decoded) = await Media.DecodeAsync(file);
                Assert.True(errors.Length == 0 && decoded > 0, $"ffmpeg -v error -i (the parts of segment {segment.Index} concatenated) -f null - must decode cleanly: {decoded} frames, and it printed: {errors}. See README §LL-HLS.");
                frames += decoded;
            }

            int sourceFrames = Media.Probe("av.flv").Count(p => p.CodecType == "video");
            Assert.True(frames == sourceFrames, $"ffprobe counts {sourceFrames} video frames in av.flv; ffmpeg decoded {frames} from your parts, segment by segment. See README §LL-HLS.");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", Milestone)]
    public void Part_durations_come_from_the_streams_timestamps_and_keep_to_the_part_target()
    {
        foreach (var (segment, parts) in CutAvFlv())
        {
            // The DTS of the first video PES in each part, read by the test's own TS walk over the segment (ISO/IEC 13818-1 §2.4.3.7).
            var packets = TsWalk.Packets(segment.Data.ToArray());
            var video = TsWalk.Pes(packets, TsMuxer.VideoPid);
            long partStart = 0;
            var starts = new List<long?>();
            foreach (var part in parts)
            {
                long end = partStart + part.Data.Length;
                var first = video.FirstOrDefault(p => p.Offset >= partStart && p.Offset < end);
                starts.Add(first is null ? null : first.Dts ?? first.Pts);
                partStart = end;
            }

            Assert.True(starts[0] is not null && parts[0].Independent && TsWalk.NalTypes(video[0].Payload).Contains(5),
                $"The first part of segment {segment.Index} starts the segment: its first video access unit is the IDR, so it is INDEPENDENT=YES (got Independent {parts[0].Independent}). See README §LL-HLS.");
            Assert.True(Math.Abs(parts.Sum(p => p.Duration) - segment.Duration) < 1e-6,
                $"The parts of segment {segment.Index} last {parts.Sum(p => p.Duration):0.######} s together; the segment lasts {segment.Duration:0.######} s. See README §LL-HLS.");
            for (int k = 0; k < parts.Count; k++)
            {
                var part = parts[k];
                bool last = k == parts.Count - 1;
                Assert.True(part.Duration <= PartTarget + 1e-9,
                    $"Part {k} of segment {segment.Index} lasts {part.Duration:0.######} s: RFC 8216bis §4.4.4.9 says no part is longer than PART-TARGET ({PartTarget} s). See README §LL-HLS.");
                Assert.True(last || part.Independent || part.Duration >= 0.85 * PartTarget - 1e-9,
                    $"Part {k} of segment {segment.Index} lasts {part.Duration:0.######} s: every part but an INDEPENDENT one and the last of its segment lasts at least 85 % of PART-TARGET ({0.85 * PartTarget:0.###} s), RFC 8216bis §4.4.4.9. See README §LL-HLS.");
                if (!last && starts[k] is long a && starts[k + 1] is long b)
                {
                    Assert.True(Math.Abs(part.Duration - (b - a) / 90000.0) < 1e-6,
                        $"Part {k} of segment {segment.Index} says {part.Duration:0.######} s; its first video DTS is {a} and the next part's is {b}: {(b - a) / 90000.0:0.######} s. See README §LL-HLS.");
                }
            }
        }
    }

    [Fact(Timeout = 30_000)]
    [Trait("Milestone", Milestone)]
    public void The_playlist_lists_parts_server_control_and_a_preload_hint_by_the_drafts_rules()
    {
        var live = new LivePlaylist(4, 3);
        var playlist = new LowLatencyPlaylist(live, 3, PartTarget);
        double[] durations = [0.333, 0.334, 0.333];
        for (int s = 0; s < 12; s++)
        {
            for (int k = 0; k < 3; k++)
            {
                playlist.AddPart(new PlaylistPart(LowLatencyPlaylist.PartName(s, k), durations[k], k == 0));
            }

            playlist.AddSegment($"seg{s}.ts", 1.0);
        }

        playlist.AddPart(new PlaylistPart("seg12.0.ts", 0.333, true));
        playlist.AddPart(new PlaylistPart("seg12.1.ts", 0.334, false));
        string text = playlist.Write();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines[0] == "#EXTM3U", $"A playlist starts with #EXTM3U; yours starts with {lines[0]}.");
        string See(string what) => $"{what}\nYour playlist:\n{text}\nSee README §LL-HLS.";

        var partInf = Playlists.Attributes(Playlists.Tag(lines, "#EXT-X-PART-INF") ?? throw new Xunit.Sdk.XunitException(See("A playlist with EXT-X-PART tags must have #EXT-X-PART-INF (RFC 8216bis §4.4.3.7).")));
        double partTarget = Playlists.Decimal(partInf, "PART-TARGET", See);
        Assert.True(Math.Abs(partTarget - PartTarget) < 1e-9, See($"PART-TARGET is the part target, {PartTarget}; you wrote {partTarget}."));
        var control = Playlists.Attributes(Playlists.Tag(lines, "#EXT-X-SERVER-CONTROL") ?? throw new Xunit.Sdk.XunitException(See("A server that holds blocking reloads says so in #EXT-X-SERVER-CONTROL (RFC 8216bis §4.4.3.8).")));
        Assert.True(control.GetValueOrDefault("CAN-BLOCK-RELOAD") == "YES", See("#EXT-X-SERVER-CONTROL needs CAN-BLOCK-RELOAD=YES."));
        double holdBack = Playlists.Decimal(control, "PART-HOLD-BACK", See);
        Assert.True(holdBack >= 3 * PartTarget - 1e-9, See($"PART-HOLD-BACK must be at least 2 × PART-TARGET and should be at least 3 × ({3 * PartTarget:0.###} s), RFC 8216bis §4.4.3.8; you wrote {holdBack}."));
        Assert.True(Playlists.Tag(lines, "#EXT-X-MEDIA-SEQUENCE") == "8", See("12 segments through a window of 4: #EXT-X-MEDIA-SEQUENCE:8."));

        // Walk the segments: the EXT-X-PART tags before a URI are that segment's parts.
        var segments = new List<(string Uri, List<string> Parts)>();
        var pending = new List<string>();
        string? hint = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("#EXT-X-PART:", StringComparison.Ordinal))
            {
                var part = Playlists.Attributes(line["#EXT-X-PART:".Length..]);
                Assert.True(part.TryGetValue("URI", out var uri) && uri.Length > 2 && uri[0] == '"' && uri[^1] == '"', See($"EXT-X-PART's URI is a quoted-string (RFC 8216bis §4.4.4.9): {line}"));
                double duration = Playlists.Decimal(part, "DURATION", See);
                Assert.True(duration <= partTarget, See($"{line}: a part lasts at most PART-TARGET {partTarget}."));
                Assert.True(!part.TryGetValue("INDEPENDENT", out var independent) || independent == "YES", See($"{line}: INDEPENDENT is YES or absent."));
                Assert.True(hint is null, See("#EXT-X-PRELOAD-HINT comes after the last part it follows."));
                pending.Add(uri.Trim('"'));
            }
            else if (line.StartsWith("#EXT-X-PRELOAD-HINT:", StringComparison.Ordinal))
            {
                var attributes = Playlists.Attributes(line["#EXT-X-PRELOAD-HINT:".Length..]);
                Assert.True(attributes.GetValueOrDefault("TYPE") == "PART" && attributes.TryGetValue("URI", out var uri) && uri.StartsWith('"'), See($"{line}: TYPE=PART and a quoted URI (RFC 8216bis §4.4.5.3)."));
                hint = attributes["URI"].Trim('"');
            }
            else if (!line.StartsWith('#'))
            {
                segments.Add((line, pending.ToList()));
                pending.Clear();
            }
        }

        Assert.True(segments.Select(s => s.Uri).SequenceEqual(["seg8.ts", "seg9.ts", "seg10.ts", "seg11.ts"]), See("The window holds seg8.ts … seg11.ts."));
        for (int i = 0; i < segments.Count; i++)
        {
            var (uri, parts) = segments[i];
            string stem = uri[..^3];
            Assert.True(parts.SequenceEqual([$"{stem}.0.ts", $"{stem}.1.ts", $"{stem}.2.ts"]), See($"{uri}'s three parts ({stem}.0.ts, .1.ts, .2.ts) come right before its #EXTINF and URI, since it ends within three target durations of the end; you listed {string.Join(", ", parts)}."));
        }

        Assert.True(pending.SequenceEqual(["seg12.0.ts", "seg12.1.ts"]), See("The parts of the segment being made, seg12.0.ts and seg12.1.ts, come after the last segment."));
        Assert.True(hint == "seg12.2.ts", See($"#EXT-X-PRELOAD-HINT names the next part, seg12.2.ts; you named {hint ?? "none"}."));

        live.End();
        string ended = playlist.Write();
        Assert.True(ended.Contains("#EXT-X-ENDLIST\n", StringComparison.Ordinal) && !ended.Contains("#EXT-X-PRELOAD-HINT", StringComparison.Ordinal),
            $"An ended playlist has #EXT-X-ENDLIST and hints no part that will never come:\n{ended}\nSee README §LL-HLS.");
    }

    [Fact(Timeout = 30_000)]
    [Trait("Milestone", Milestone)]
    public void Parts_leave_the_playlist_three_target_durations_from_its_end()
    {
        var live = new LivePlaylist(8, 1);
        var playlist = new LowLatencyPlaylist(live, 1, 0.5);
        for (int s = 0; s < 8; s++)
        {
            playlist.AddPart(new PlaylistPart(LowLatencyPlaylist.PartName(s, 0), 0.5, true));
            playlist.AddPart(new PlaylistPart(LowLatencyPlaylist.PartName(s, 1), 0.5, false));
            playlist.AddSegment($"seg{s}.ts", 1.0);
        }

        string text = playlist.Write();
        // Eight 1 s segments, target duration 1: seg5.ts ends 2 s from the end, seg4.ts 3 s, seg3.ts 4 s (RFC 8216bis §6.2.2: more than three target durations).
        foreach (int s in new[] { 4, 5, 6, 7 })
        {
            Assert.True(text.Contains($"URI=\"seg{s}.0.ts\"", StringComparison.Ordinal), $"seg{s}.ts ends at most 3 target durations (3 s) from the end of the playlist, so its parts are listed:\n{text}\nSee README §LL-HLS.");
        }

        foreach (int s in new[] { 0, 1, 2, 3 })
        {
            Assert.False(text.Contains($"URI=\"seg{s}.0.ts\"", StringComparison.Ordinal), $"seg{s}.ts ends more than 3 target durations from the end of the playlist: its EXT-X-PART tags leave it (RFC 8216bis §6.2.2):\n{text}\nSee README §LL-HLS.");
        }
    }

    public static TheoryData<string?, string?, int, string, string> Requests => new()
    {
        // msn, part, open parts, expected, why
        { null, null, 2, "Ready", "no directive: an ordinary reload" },
        { "10", null, 2, "Ready", "segment 10 is complete" },
        { "11", null, 2, "Wait", "segment 11 is still being made" },
        { "12", null, 2, "Wait", "last segment + 2 may be waited for" },
        { "13", null, 2, "BadRequest", "more than the last segment + 2 (§6.2.5.2)" },
        { "9", "0", 2, "Ready", "a part of an older segment" },
        { "10", "2", 2, "Ready", "the last part of segment 10" },
        { "10", "3", 2, "Ready", "past segment 10's last part means part 0 of segment 11, which is listed" },
        { "10", "3", 0, "Wait", "part 0 of segment 11, not listed yet" },
        { "11", "1", 2, "Ready", "part 1 of the open segment is listed" },
        { "11", "2", 2, "Wait", "the next part: the blocking reload" },
        { "11", "9", 2, "Wait", "8 parts past the last listed one, within the Advance Part Limit 3 / 0.34 = 8.8" },
        { "11", "10", 2, "BadRequest", "9 parts past the last listed one, beyond the Advance Part Limit" },
        { null, "1", 2, "BadRequest", "_HLS_part without _HLS_msn (§6.2.5.2: MUST be 400)" },
        { "x", null, 2, "BadRequest", "not a decimal-integer" },
        { "10", "0", 0, "Ready", "part 0 of the last complete segment" },
        { "", null, 2, "BadRequest", "an empty value is not a decimal-integer" },
        { "11", "-1", 2, "BadRequest", "not a decimal-integer" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    [Trait("Milestone", Milestone)]
    public void Blocking_reload_decisions_follow_the_draft(string? msn, string? part, int openParts, string expected, string why)
    {
        // The last complete segment is 10 with 3 parts; segment 11 is being made; parts of 0.34 s.
        var at = new ReloadPosition(10, 3, openParts, 0.34, false);
        var got = BlockingReload.Decide(at, msn, part);
        Assert.True(got.ToString() == expected,
            $"_HLS_msn={msn ?? "(none)"}&_HLS_part={part ?? "(none)"} with segment 10 (3 parts) complete and {openParts} parts of segment 11 listed: {expected} ({why}); you decided {got}. See README §LL-HLS and RFC 8216bis §6.2.5.2.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void An_ended_playlist_ignores_the_directives_and_the_advance_part_limit_is_three_seconds_of_parts()
    {
        var got = BlockingReload.Decide(new ReloadPosition(10, 3, 0, 0.34, true), "20", "0");
        Assert.True(got == ReloadDecision.Ready, $"RFC 8216bis §6.2.5.2: a server ignores _HLS_msn and _HLS_part once the playlist has EXT-X-ENDLIST; you decided {got}. See README §LL-HLS.");
        Assert.True(Math.Abs(BlockingReload.AdvancePartLimit(0.5) - 6) < 1e-9 && Math.Abs(BlockingReload.AdvancePartLimit(2) - 3) < 1e-9,
            $"The Advance Part Limit is 3 / PART-TARGET under one second and 3 otherwise (RFC 8216bis §6.2.5.2): 6 for 0.5 s, 3 for 2 s; you gave {BlockingReload.AdvancePartLimit(0.5)} and {BlockingReload.AdvancePartLimit(2)}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_advance_part_limit_is_a_bound_and_long_numbers_are_decimal_integers()
    {
        // PART-TARGET 0.5: the Advance Part Limit is 3 / 0.5 = 6 parts past the last listed one (§6.2.5.2); two parts of 11 listed (0 and 1).
        var at = new ReloadPosition(10, 3, 2, 0.5, false);
        var six = BlockingReload.Decide(at, "11", "7");
        var seven = BlockingReload.Decide(at, "11", "8");
        Assert.True(six == ReloadDecision.Wait && seven == ReloadDecision.BadRequest,
            $"With parts 0 and 1 of segment 11 listed and PART-TARGET 0.5 (limit 6): part 7 is 6 past the last listed, at the limit: Wait; part 8 is 7 past, beyond it: BadRequest. You decided {six} and {seven}. See README §LL-HLS.");
        var far = BlockingReload.Decide(new ReloadPosition(999_999_999_999_999_999, 3, 0, 0.34, false), "999999999999999999", null);
        Assert.True(far == ReloadDecision.Ready, $"_HLS_msn=999999999999999999 (18 digits, a decimal-integer) names the last complete segment: Ready; you decided {far}. See README §LL-HLS.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_playlist_text_follows_the_README_line_by_line_across_discontinuities()
    {
        var live = new LivePlaylist(2, 1);
        var playlist = new LowLatencyPlaylist(live, 1, 0.5);
        void Segment(int s, bool discontinuity)
        {
            if (discontinuity)
            {
                live.MarkDiscontinuity();
            }

            playlist.AddPart(new PlaylistPart(LowLatencyPlaylist.PartName(s, 0), 0.5, true));
            playlist.AddPart(new PlaylistPart(LowLatencyPlaylist.PartName(s, 1), 0.5, false));
            playlist.AddSegment($"seg{s}.ts", 1.0);
        }

        const string Head = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500000\n#EXT-X-PART-INF:PART-TARGET=0.500000\n";
        static string Parts(int s) => $"#EXT-X-PART:DURATION=0.500000,URI=\"seg{s}.0.ts\",INDEPENDENT=YES\n#EXT-X-PART:DURATION=0.500000,URI=\"seg{s}.1.ts\"\n#EXTINF:1.000000,\nseg{s}.ts\n";
        Segment(0, false);
        Segment(1, true);
        string first = playlist.Write();
        string expected = Head + "#EXT-X-MEDIA-SEQUENCE:0\n" + Parts(0) + "#EXT-X-DISCONTINUITY\n" + Parts(1) + "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg2.0.ts\"\n";
        Assert.True(first == expected, $"Two segments, the second after a discontinuity, nothing of seg2 yet:\n{expected}\ngot\n{first}\nSee README §LL-HLS.");
        Segment(2, false);
        Segment(3, false);
        live.MarkDiscontinuity();
        playlist.AddPart(new PlaylistPart(LowLatencyPlaylist.PartName(4, 0), 0.5, true));
        string second = playlist.Write();
        expected = Head + "#EXT-X-MEDIA-SEQUENCE:2\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n" + Parts(2) + Parts(3) +
                   "#EXT-X-DISCONTINUITY\n#EXT-X-PART:DURATION=0.500000,URI=\"seg4.0.ts\",INDEPENDENT=YES\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg4.1.ts\"\n";
        Assert.True(second == expected, $"seg1 (with its discontinuity) has left the window (DISCONTINUITY-SEQUENCE 1), and a new discontinuity comes before the open segment's first part:\n{expected}\ngot\n{second}\nSee README §LL-HLS.");
    }
}

/// <summary>Playlist lines read by the test itself with RFC 8216 §4.2's attribute-list grammar (not with the lab's parser).</summary>
internal static class Playlists
{
    /// <summary>The value after "TAG:" on the first line with that tag, or null.</summary>
    public static string? Tag(IEnumerable<string> lines, string tag) =>
        lines.FirstOrDefault(l => l.StartsWith(tag + ":", StringComparison.Ordinal))?[(tag.Length + 1)..];

    /// <summary>NAME=VALUE pairs separated by commas; a quoted-string keeps its quotes and may hold commas (§4.2).</summary>
    public static Dictionary<string, string> Attributes(string list)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        int at = 0;
        while (at < list.Length)
        {
            int equals = list.IndexOf('=', at);
            Assert.True(equals > at, $"\"{list}\" is not an attribute-list (NAME=VALUE,…) at {at} (RFC 8216 §4.2).");
            string name = list[at..equals];
            Assert.True(name.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '-'), $"\"{name}\" is not an AttributeName (A-Z, 0-9, '-'), RFC 8216 §4.2.");
            int end;
            if (equals + 1 < list.Length && list[equals + 1] == '"')
            {
                int close = list.IndexOf('"', equals + 2);
                Assert.True(close > 0, $"A quoted-string in \"{list}\" never closes (RFC 8216 §4.2).");
                end = close + 1;
            }
            else
            {
                end = list.IndexOf(',', equals);
                end = end < 0 ? list.Length : end;
            }

            result[name] = list[(equals + 1)..end];
            at = end < list.Length && list[end] == ',' ? end + 1 : end;
        }

        return result;
    }

    /// <summary>A decimal-floating-point attribute (§4.2: digits, a point, digits; no sign, no exponent).</summary>
    public static double Decimal(Dictionary<string, string> attributes, string name, Func<string, string> see)
    {
        Assert.True(attributes.TryGetValue(name, out var value), see($"The attribute {name} is missing."));
        Assert.True(value.Length > 0 && value.All(c => char.IsAsciiDigit(c) || c == '.') && double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _),
            see($"{name}={value} is not a decimal-floating-point (RFC 8216 §4.2)."));
        return double.Parse(value, CultureInfo.InvariantCulture);
    }

}
