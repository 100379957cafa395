using System.Globalization;
using System.Text.RegularExpressions;

namespace Lab05.Hls.Tests;

/// <summary>
/// M3: the segmenter. Cuts against the source's keyframes (ffprobe), the segment count and durations against ffmpeg's
/// own HLS muxer on the same clip (testdata/05-hls/hls), every segment read by ffprobe and decoded by ffmpeg.
/// </summary>
public partial class M3SegmenterTests
{
    private const string Milestone = "M3 segmenter";

    /// <summary>The source's video keyframes as DTS in 90 kHz, from ffprobe (FLV's time base is 1/1000).</summary>
    private static List<long> SourceKeyframes(string clip) => Media.Probe(clip).Where(p => p.CodecType == "video" && p.Key).Select(p => p.Dts!.Value * 90).ToList();

    [GeneratedRegex(@"^#EXTINF:([0-9.]+),", RegexOptions.Multiline)]
    private static partial Regex ExtInf();

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Side_by_side_with_ffmpegs_HLS_muxer_the_segment_count_and_durations_agree_within_one_GOP()
    {
        var ffmpeg = ExtInf().Matches(File.ReadAllText(Media.Path("hls/index.m3u8"))).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        var segments = Segmenter.CutAll(FlvSource.Load(Media.Path("av.flv")), 2, 6);
        Assert.True(segments.Count == ffmpeg.Count, $"ffmpeg -f hls -hls_time 2 cuts av.flv into {ffmpeg.Count} segments ({string.Join(", ", ffmpeg)} s); you cut {segments.Count} ({string.Join(", ", segments.Select(s => s.Duration.ToString("0.###", CultureInfo.InvariantCulture)))} s). See README §Segmenting.");
        for (int i = 0; i < ffmpeg.Count; i++)
        {
            Assert.True(Math.Abs(segments[i].Duration - ffmpeg[i]) <= 1.0, $"Segment {i}: ffmpeg's is {ffmpeg[i]} s, yours {segments[i].Duration:0.###} s; they must agree within one GOP (1 s in av.flv). See README §Segmenting.");
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(2.0)]
    [InlineData(2.5)]
    [Trait("Milestone", Milestone)]
    public void Cuts_come_only_at_keyframes_at_the_first_one_past_the_target_and_durations_come_from_timestamps(double target)
    {
        var keys = SourceKeyframes("av.flv");
        var segments = Segmenter.CutAll(FlvSource.Load(Media.Path("av.flv")), target, 10);
        // README §Segmenting's rule on ffprobe's keyframes: a cut at the first keyframe whose DTS is at least the target past the segment's start.
        var expected = new List<long> { keys[0] };
        foreach (long key in keys.Skip(1))
        {
            if (key - expected[^1] >= (long)(target * 90_000))
            {
                expected.Add(key);
            }
        }

        var starts = segments.Select(s => s.StartTime).ToList();
        Assert.True(starts.SequenceEqual(expected), $"With a {target} s target and keyframes at DTS {string.Join(", ", keys)} (ffprobe × 90), segments start at {string.Join(", ", expected)}; yours start at {string.Join(", ", starts)}. See README §Segmenting.");
        for (int i = 0; i + 1 < segments.Count; i++)
        {
            double want = (expected[i + 1] - expected[i]) / 90_000.0;
            Assert.True(Math.Abs(segments[i].Duration - want) < 1e-9 && segments[i].StartsWithKeyFrame && !segments[i].ForcedCut,
                $"Segment {i} runs from DTS {expected[i]} to {expected[i + 1]}: {want} s, starting with a keyframe, not forced; yours: {segments[i].Duration} s, keyframe {segments[i].StartsWithKeyFrame}, forced {segments[i].ForcedCut}. See README §Segmenting.");
        }

        var video = Media.Probe("av.flv").Where(p => p.CodecType == "video").ToList();
        double end = (video[^1].Dts!.Value + (video[^1].Dts!.Value - video[^2].Dts!.Value)) * 90 / 90_000.0;
        Assert.True(Math.Abs(segments[^1].Duration - (end - expected[^1] / 90_000.0)) < 1e-6,
            $"The last segment ends where its last frame ends (last DTS + one frame = {end} s): {end - expected[^1] / 90_000.0} s; yours is {segments[^1].Duration} s. See README §Segmenting.");
        Assert.True(segments.Select(s => s.Index).SequenceEqual(Enumerable.Range(0, segments.Count)), $"Segments are numbered 0, 1, 2, …; yours: {string.Join(", ", segments.Select(s => s.Index))}.");
    }

    [Fact(Timeout = 180_000)]
    [Trait("Milestone", Milestone)]
    public async Task Every_segment_starts_with_PAT_PMT_and_an_IDR_and_plays_on_its_own_and_together_they_hold_every_frame()
    {
        var segments = Segmenter.CutAll(FlvSource.Load(Media.Path("av.flv")), 2, 6);
        var dir = Media.TempFolder();
        try
        {
            int frames = 0;
            var all = new List<byte>();
            foreach (var segment in segments)
            {
                var bytes = segment.Data.ToArray();
                all.AddRange(bytes);
                var packets = TsWalk.Packets(bytes);
                Assert.True(packets.Count > 2 && packets[0].Pid == 0 && packets[1].Pid == 0x1000, $"Segment {segment.Index} must start with the PAT and the PMT (RFC 8216 §3.2); its first PIDs are {string.Join(", ", packets.Take(2).Select(p => $"0x{p.Pid:X}"))}. See README §Segmenting.");
                var first = TsWalk.Pes(packets, 0x100)[0];
                var types = TsWalk.NalTypes(first.Payload);
                Assert.True(first.First.RandomAccess && types.Contains(7) && types.Contains(8) && types.Contains(5), $"Segment {segment.Index}'s first video PES must be an IDR with its SPS and PPS; its NAL types are {string.Join(",", types)}. See README §Segmenting.");
                var path = Path.Combine(dir, $"seg{segment.Index}.ts");
                await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);
                var probed = await Media.ProbeAsync(path, "README §Segmenting");
                Assert.True(probed.First(p => p.CodecType == "video").Key, $"ffprobe: the first video packet of segment {segment.Index} is not a keyframe. See README §Segmenting.");
                var (errors, decoded) = await Media.DecodeAsync(path);
                Assert.True(errors.Length == 0, $"ffmpeg decodes segment {segment.Index} on its own with messages:\n{errors}\nSee README §Segmenting.");
                frames += decoded;
            }

            int source = Media.Probe("av.flv").Count(p => p.CodecType == "video");
            Assert.True(frames == source, $"av.flv has {source} video frames; ffmpeg decodes {frames} from your segments one by one. See README §Segmenting.");
            var continuity = new Dictionary<int, int>();
            foreach (var p in TsWalk.Packets(all.ToArray()).Where(p => (p.AdaptationControl & 1) != 0))
            {
                Assert.True(!continuity.TryGetValue(p.Pid, out int last) || p.Continuity == ((last + 1) & 15),
                    $"The continuity counters continue from one segment into the next (one muxer for the whole stream); in the segments laid end to end, the packet at byte {p.Offset} on PID 0x{p.Pid:X} has {p.Continuity} after {last}. See README §Segmenting.");
                continuity[p.Pid] = p.Continuity;
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_stream_without_keyframes_is_cut_at_the_maximum_duration_and_the_cut_is_flagged()
    {
        var video = Media.Probe("nokey.flv").Where(p => p.CodecType == "video").ToList();
        Assert.True(video.Count(p => p.Key) == 1, "nokey.flv has a single keyframe (make.sh).");
        var segments = Segmenter.CutAll(FlvSource.Load(Media.Path("nokey.flv")), 1, 1.5);
        // nokey.flv: 40 frames at 10 fps (ffprobe), DTS 0, 100, … 3900 ms: with a 1.5 s maximum, cuts at 1.5, 3.0 s.
        var starts = segments.Select(s => s.StartTime / 90).ToList();
        Assert.True(starts.SequenceEqual([0L, 1500, 3000]), $"nokey.flv's only keyframe is its first frame: with a 1 s target and a 1.5 s maximum, segments start at 0, 1500 and 3000 ms; yours start at {string.Join(", ", starts)} ms. See README §Segmenting.");
        Assert.True(segments[0].ForcedCut && segments[1].ForcedCut && !segments[2].ForcedCut,
            $"The first two segments were cut at the maximum (ForcedCut), the last ends with the stream; yours: {string.Join(", ", segments.Select(s => s.ForcedCut))}. See README §Segmenting.");
        Assert.True(segments[0].StartsWithKeyFrame && !segments[1].StartsWithKeyFrame && !segments[2].StartsWithKeyFrame,
            $"Only the first segment starts with a keyframe; yours: {string.Join(", ", segments.Select(s => s.StartsWithKeyFrame))}. See README §Segmenting.");
        Assert.True(segments.All(s => s.Duration <= 1.5 + 1e-9), $"No segment is longer than the maximum 1.5 s; yours: {string.Join(", ", segments.Select(s => s.Duration))}. See README §Segmenting.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void An_audio_only_stream_is_cut_by_time_at_audio_frames()
    {
        var source = FlvSource.Load(Media.Path("av.flv"));
        var audioOnly = new FlvSource(source.Samples.Where(s => s.Track == TrackKind.Audio).ToList(), null, source.Audio);
        var segments = Segmenter.CutAll(audioOnly, 2, 6);
        var audio = Media.Probe("av.flv").Where(p => p.CodecType == "audio").Select(p => p.Dts!.Value * 90).ToList();
        var expected = new List<long> { audio[0] };
        foreach (long dts in audio.Skip(1))
        {
            if (dts - expected[^1] >= 180_000)
            {
                expected.Add(dts);
            }
        }

        Assert.True(segments.Select(s => s.StartTime).SequenceEqual(expected) && segments.All(s => s.StartsWithKeyFrame && !s.ForcedCut),
            $"Without video every audio frame may start a segment: with a 2 s target the segments start at {string.Join(", ", expected)} (ffprobe's audio DTS × 90); yours at {string.Join(", ", segments.Select(s => s.StartTime))}. See README §Segmenting.");
    }
}
