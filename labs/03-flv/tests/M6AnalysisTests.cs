namespace Lab03.Flv.Tests;

/// <summary>
/// M6: the analysis. Every expected number is computed here from the committed ffprobe packet JSON of the
/// clip (pts, dts, size, flags, pos) — never from the lab's reader; gap.flv has a crafted gap and jump back.
/// </summary>
public class M6AnalysisTests
{
    private const string Milestone = "M6 stream analysis";

    public static TheoryData<string> Clips_ => new("av", "audio", "video", "gap", "changed");

    [Theory]
    [MemberData(nameof(Clips_))]
    [Trait("Milestone", Milestone)]
    public void The_media_rows_of_the_tag_table_are_ffprobes_packets(string clip)
    {
        var packets = Clips.Probe(clip).Packets;
        var analysis = FlvAnalysis.Analyse(FlvFile.Read(Clips.Flv(clip)));
        var media = analysis.Tags.Where(t => t.IsMedia).ToList();
        Assert.True(media.Count == packets.Count, $"{clip}.flv: ffprobe lists {packets.Count} packets (frames, not sequence headers or script tags); your table has {media.Count} media rows. See README §Analysis.");
        for (int i = 0; i < packets.Count; i++)
        {
            var (p, r) = (packets[i], media[i]);
            string type = r.Type == FlvTagType.Video ? "video" : "audio";
            Assert.True(p.Pos == r.Offset && p.CodecType == type && p.Dts == r.Dts && p.Pts == r.Pts && p.Size == r.PayloadSize && p.Key == (r.Type == FlvTagType.Audio || r.IsKeyFrame),
                $"{clip}.flv packet {i}: ffprobe says {p.CodecType} at {p.Pos}, dts {p.Dts}, pts {p.Pts}, size {p.Size}, key {p.Key}; your row says {type} at {r.Offset}, dts {r.Dts}, pts {r.Pts}, payload {r.PayloadSize}, key {r.IsKeyFrame}. See README §Analysis.");
        }
    }

    [Theory]
    [MemberData(nameof(Clips_))]
    [Trait("Milestone", Milestone)]
    public void Key_frames_and_GOP_lengths_agree_with_ffprobes_flags(string clip)
    {
        var video = Clips.Probe(clip).Packets.Where(p => p.CodecType == "video").ToList();
        var keyIndexes = video.Select((p, i) => (p, i)).Where(x => x.p.Key).Select(x => x.i).ToList();
        var expectedGops = keyIndexes.Select((k, j) => (j + 1 < keyIndexes.Count ? keyIndexes[j + 1] : video.Count) - k).ToList();
        var analysis = FlvAnalysis.Analyse(FlvFile.Read(Clips.Flv(clip)));
        var keys = analysis.KeyFrames.Select(k => (k.FrameIndex, k.Dts, k.Offset)).ToList();
        var expected = keyIndexes.Select(i => (i, video[i].Dts, video[i].Pos)).ToList();
        Assert.True(keys.SequenceEqual(expected), $"{clip}.flv: ffprobe's key frames (frame index, dts, pos) are {string.Join(" ", expected)}; you found {string.Join(" ", keys)}. See README §Analysis.");
        Assert.True(analysis.GopLengths.SequenceEqual(expectedGops), $"{clip}.flv: GOP lengths {string.Join(" ", expectedGops)} (frames from key frame to key frame); you have {string.Join(" ", analysis.GopLengths)}. See README §Analysis.");
    }

    [Theory]
    [MemberData(nameof(Clips_))]
    [Trait("Milestone", Milestone)]
    public void Bits_per_second_add_up_ffprobes_packet_sizes(string clip)
    {
        var packets = Clips.Probe(clip).Packets;
        int seconds = packets.Count == 0 ? 0 : (int)(packets.Max(p => p.Dts) / 1000) + 1;
        long[] Expected(string type)
        {
            var bits = new long[seconds];
            foreach (var p in packets.Where(p => p.CodecType == type))
            {
                bits[Math.Max(0, p.Dts) / 1000] += 8L * p.Size;
            }

            return bits;
        }

        var analysis = FlvAnalysis.Analyse(FlvFile.Read(Clips.Flv(clip)));
        long[] video = Expected("video"), audio = Expected("audio");
        Assert.True(analysis.VideoBitsPerSecond.SequenceEqual(video) && analysis.AudioBitsPerSecond.SequenceEqual(audio),
            $"{clip}.flv bits per second (8 × ffprobe's sizes by dts / 1000): video {string.Join(" ", video)}, audio {string.Join(" ", audio)}; you have video {string.Join(" ", analysis.VideoBitsPerSecond)}, audio {string.Join(" ", analysis.AudioBitsPerSecond)}. See README §Analysis.");
    }

    [Theory]
    [MemberData(nameof(Clips_))]
    [Trait("Milestone", Milestone)]
    public void Gaps_and_jumps_are_the_steps_ffprobes_dts_make(string clip)
    {
        var packets = Clips.Probe(clip).Packets;
        var expected = new List<(MediaStream, int, long, long)>();
        var intervals = new Dictionary<string, long>();
        foreach (var (type, stream) in new[] { ("video", MediaStream.Video), ("audio", MediaStream.Audio) })
        {
            var dts = packets.Where(p => p.CodecType == type).Select(p => p.Dts).ToList();
            var steps = dts.Zip(dts.Skip(1), (a, b) => b - a).ToList();
            var sorted = steps.Order().ToList();
            long interval = sorted.Count == 0 ? 0 : sorted[(sorted.Count - 1) / 2];
            intervals[type] = interval;
            expected.AddRange(steps.Select((s, i) => (s, i)).Where(x => x.s < 0 || x.s > 2 * interval).Select(x => (stream, x.i + 1, dts[x.i], dts[x.i + 1])));
        }

        var analysis = FlvAnalysis.Analyse(FlvFile.Read(Clips.Flv(clip)));
        var jumps = analysis.Jumps.Select(j => (j.Stream, j.FrameIndex, j.FromDts, j.ToDts)).ToList();
        Assert.True(analysis.VideoInterval == intervals["video"] && analysis.AudioInterval == intervals["audio"],
            $"{clip}.flv: the median DTS steps are {intervals["video"]} ms (video) and {intervals["audio"]} ms (audio); you have {analysis.VideoInterval} and {analysis.AudioInterval}. See README §Analysis.");
        Assert.True(jumps.SequenceEqual(expected), $"{clip}.flv: the breaks (stream, frame, from, to) are [{string.Join(" ", expected)}]; you found [{string.Join(" ", jumps)}]. See README §Analysis.");
        if (clip == "gap")
        {
            // craft.py: +2000 ms from 1000 ms (a forward gap in each stream), then back to 500 ms (a jump backwards in each).
            Assert.True(jumps.Count(j => j.ToDts - j.FromDts > 1000) == 2 && analysis.Jumps.Count(j => j.IsBackwards) == 2,
                $"gap.flv has a 2 s gap and a jump back in each stream (craft.py); you found {string.Join(", ", analysis.Jumps)}. See README §Analysis.");
        }
    }

    [Theory]
    [MemberData(nameof(Clips_))]
    [Trait("Milestone", Milestone)]
    public void Composition_times_give_ffprobes_pts_and_the_B_frames(string clip)
    {
        var video = Clips.Probe(clip).Packets.Where(p => p.CodecType == "video").ToList();
        int reordered = 0;
        long max = long.MinValue;
        foreach (var p in video)
        {
            reordered += p.Pts < max ? 1 : 0;
            max = Math.Max(max, p.Pts);
        }

        var analysis = FlvAnalysis.Analyse(FlvFile.Read(Clips.Flv(clip)));
        var offsets = analysis.VideoFrames.Select(f => f.CompositionTime).ToList();
        var expected = video.Select(p => (int)(p.Pts - p.Dts)).ToList();
        Assert.True(offsets.SequenceEqual(expected), $"{clip}.flv: PTS − DTS per frame (ffprobe) is {string.Join(" ", expected)}; your composition times are {string.Join(" ", offsets)}. See README §Analysis.");
        Assert.True(analysis.ReorderedFrames == reordered, $"{clip}.flv: {reordered} frames are shown before a frame decoded earlier (ffprobe's pts); you count {analysis.ReorderedFrames}. See README §Analysis.");
        if (clip == "av")
        {
            Assert.True(reordered > 0, "av.flv has B-frames (make.sh: -bf 2): the oracle must see reordering.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_file_without_media_has_empty_statistics()
    {
        // Only an onMetaData-less script tag: "onX" and nothing else (spec bytes: 02 0003 "onX").
        var analysis = FlvAnalysis.Analyse(FlvFile.Read(Craft.File(Craft.Tag(18, 0, 2, 0, 3, (byte)'o', (byte)'n', (byte)'X'))));
        Assert.True(analysis.Tags.Count == 1 && !analysis.Tags[0].IsMedia && analysis.KeyFrames.Count == 0 && analysis.VideoBitsPerSecond.Count == 0 && analysis.Jumps.Count == 0 && analysis.VideoInterval == 0,
            $"A file with one script tag: one non-media row, no key frames, no seconds, no jumps; you have {analysis.Tags.Count} rows, {analysis.KeyFrames.Count} key frames, {analysis.VideoBitsPerSecond.Count} seconds, {analysis.Jumps.Count} jumps. See README §Analysis.");
    }
}
