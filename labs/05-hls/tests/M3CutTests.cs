using System.Buffers;

namespace Lab05.Hls.Tests;

/// <summary>
/// The muxer, the segmenter and the part segmenter on samples the test makes itself, with round timestamps, so that the
/// README's rules (§PES, §H.264 in TS, §Segmenting, §LL-HLS) give every expected cut, duration and byte by hand.
/// </summary>
public class M3CutTests
{
    private static MediaSample Video(long dts, bool key, byte[]? data = null, long? pts = null) =>
        new(TrackKind.Video, pts ?? dts, dts, key, data ?? [0, 0, 0, 1, (byte)(key ? 0x65 : 0x41), .. Enumerable.Repeat((byte)0x5A, 400)]);

    private static MediaSample Audio(long dts) => new(TrackKind.Audio, dts, dts, true, Hex.Bytes("ff f1 50 80 04 3f fc 21 00 49 90 02 19 00 23 80"));

    [Fact]
    [Trait("Milestone", "M1 MPEG-TS muxer")]
    public void The_muxer_adds_one_AUD_to_video_only_and_writes_DTS_and_lengths_as_the_README_says()
    {
        var muxer = new TsMuxer();
        var output = new ArrayBufferWriter<byte>();
        muxer.WriteTables(output);
        byte[] withAud = [0, 0, 0, 1, 0x09, 0xF0, 0, 0, 0, 1, 0x41, 1, 2, 3];
        byte[] withShortAud = [0, 0, 1, 0x09, 0xF0, 0, 0, 1, 0x41, 1, 2, 3];
        muxer.WriteSample(Video(9000, true), output);                       // IDR, 405 bytes: three packets
        muxer.WriteSample(Audio(9000), output);
        muxer.WriteSample(Video(12_000, false, withAud), output);          // starts with an AUD (4-byte start code)
        muxer.WriteSample(Video(15_000, false, withShortAud), output);     // starts with an AUD (3-byte start code)
        muxer.WriteSample(Video(18_000, false, pts: 24_000), output);      // PTS ≠ DTS
        muxer.WriteSample(Video(21_000, false, [0xAB, 0xCD, 0xEF, 0x09, 0xF0, 1, 2]), output); // 0x09 at byte 3 but no start code: not an AUD
        muxer.WriteSample(Video(24_000, false, [0, 0, 1, 0x09]), output);   // four bytes: too short to be an AUD and a slice
        var packets = TsWalk.Packets(output.WrittenSpan.ToArray());
        Assert.True(muxer.PacketsWritten == packets.Count, $"PacketsWritten counts every packet written: {packets.Count}; it says {muxer.PacketsWritten}.");
        var video = TsWalk.Pes(packets, TsMuxer.VideoPid);
        var audio = Assert.Single(TsWalk.Pes(packets, TsMuxer.AudioPid));
        const string See = "README §PES and §H.264 in TS";
        Assert.True(video.Count == 6 && video[4].Payload.StartsWith(new byte[] { 0, 0, 0, 1, 0x09, 0xF0 }) && video[5].Payload.StartsWith(new byte[] { 0, 0, 0, 1, 0x09, 0xF0 }),
            $"AB CD EF 09 … and the 4-byte 00 00 01 09 do not start with an AUD (00 00 00 01 09 or 00 00 01 09 and a byte after it): each gets one. See {See}.");
        Assert.True(video.Count == 6 && video.All(p => p.Bytes[3] == 0xE0 && p.Bytes[4] == 0 && p.Bytes[5] == 0) && audio.Bytes[3] == 0xC0,
            $"Video PES have stream_id 0xE0 and PES_packet_length 0; audio 0xC0. You wrote {video.Count} video PES: {string.Join(", ", video.Select(p => Convert.ToHexString(p.Bytes.AsSpan(3, 3))))}, audio {Convert.ToHexString(audio.Bytes.AsSpan(3, 3))}. See {See}.");
        int audioLength = audio.Bytes[4] << 8 | audio.Bytes[5];
        Assert.True(audioLength == audio.Bytes.Length - 6 && audio.Payload.SequenceEqual(Audio(0).Data.Span),
            $"The audio PES gives its length (bytes after PES_packet_length: {audio.Bytes.Length - 6}; you wrote {audioLength}) and carries the ADTS frame alone, no AUD: {Convert.ToHexString(audio.Payload[..Math.Min(8, audio.Payload.Length)])}. See {See}.");
        byte[] aud = [0, 0, 0, 1, 0x09, 0xF0];
        Assert.True(video[0].Payload.StartsWith(aud) && video[0].Payload[6..].SequenceEqual(Video(0, true).Data.Span),
            $"An access unit without an AUD gets 00 00 00 01 09 F0 in front; the first video PES payload starts {Convert.ToHexString(video[0].Payload[..10])}. See {See}.");
        Assert.True(video[1].Payload.SequenceEqual(withAud) && video[2].Payload.SequenceEqual(withShortAud),
            $"An access unit that starts with an AUD (00 00 00 01 09 or 00 00 01 09) gets no second one; you wrote {Convert.ToHexString(video[1].Payload[..8])} and {Convert.ToHexString(video[2].Payload[..8])}. See {See}.");
        Assert.True(video.Take(3).Concat(video.Skip(4)).All(p => p.Bytes[7] == 0x80 && p.Dts is null) && video[3].Bytes[7] == 0xC0 && video[3].Pts == 24_000 && video[3].Dts == 18_000 && audio.Bytes[7] == 0x80,
            $"PTS_DTS_flags '10' (PTS only) when DTS = PTS, '11' with the DTS when they differ; you wrote {string.Join(", ", video.Select(p => $"{p.Bytes[7]:X2}"))} (audio {audio.Bytes[7]:X2}). See {See}.");
        var first = video[0].First;
        var middle = packets.Where(p => p.Pid == TsMuxer.VideoPid && !p.Start).ToList();
        Assert.True(first.Adaptation.Length == 7 && middle.Count >= 1 && middle[0].AdaptationControl == 1,
            $"The IDR's PES (425 bytes) takes three packets: the first with random access and the PCR (an adaptation field of 7 bytes after its length), the middle one payload only (adaptation_field_control '01'), the last stuffed; you wrote {first.Adaptation.Length} and control {middle.FirstOrDefault()?.AdaptationControl}. See README §Adaptation field.");
    }

    [Fact]
    [Trait("Milestone", "M3 segmenter")]
    public void Audio_before_the_first_video_frame_opens_the_segment_whose_start_is_that_frame()
    {
        var segmenter = new Segmenter(true, true, 1, 3);
        Assert.Null(segmenter.Add(Audio(0)));
        Assert.Null(segmenter.Add(Audio(1920)));
        var cuts = new List<MediaSegment>();
        for (int k = 0; k < 40; k++)
        {
            if (segmenter.Add(Video(3000 + 3000L * k, k % 30 == 0)) is { } done)
            {
                cuts.Add(done);
            }
        }

        cuts.Add(segmenter.Finish()!);
        // Frames every 3000 ticks from 3000, keyframes at frames 0 and 30: the cut is at frame 30 (DTS 93000).
        Assert.True(cuts.Count == 2 && cuts[0] is { StartTime: 3000, StartsWithKeyFrame: true, ForcedCut: false, Samples: 32 } && Math.Abs(cuts[0].Duration - 1.0) < 1e-9,
            $"Audio at 0 and 1920 opens the first segment; its start is the first video frame's DTS, 3000, so it lasts 1 s up to the keyframe at 93000, with 32 samples. You made {string.Join("; ", cuts.Select(c => $"start {c.StartTime}, {c.Duration} s, key {c.StartsWithKeyFrame}, {c.Samples} samples"))}. See README §Segmenting.");
        Assert.True(cuts[1] is { StartTime: 93_000, Samples: 10 } && Math.Abs(cuts[1].Duration - 10 * 3000 / 90000.0) < 1e-9,
            $"The last segment (frames 30–39) lasts to the end of its last frame: 120000 + 3000 − 93000 = 30000 ticks; you made start {cuts[1].StartTime}, {cuts[1].Duration} s. See README §Segmenting.");
        foreach (var segment in cuts)
        {
            var packets = TsWalk.Packets(segment.Data.ToArray());
            Assert.True(packets[0].Pid == 0 && packets[1].Pid == TsMuxer.PmtPid, $"Segment {segment.Index} starts with PID 0x{packets[0].Pid:X} and 0x{packets[1].Pid:X}; every segment starts with the PAT and the PMT (RFC 8216 §3.2). See README §Segmenting.");
        }

        var audioOnly = new Segmenter(true, true, 1, 3);
        audioOnly.Add(Audio(0));
        audioOnly.Add(Audio(1920));
        Assert.True(audioOnly.Finish() is { StartsWithKeyFrame: false }, "A segment of a stream with video that holds no video frame does not start with a keyframe. See README §Segmenting.");
    }

    [Fact]
    [Trait("Milestone", "M3 segmenter")]
    public void The_last_segment_lasts_to_its_last_frame_plus_the_last_step_wherever_the_stream_starts()
    {
        var segmenter = new Segmenter(true, false, 1, 3);
        long[] dts = [900_000, 903_000, 906_000, 909_003];
        foreach (long d in dts)
        {
            Assert.Null(segmenter.Add(Video(d, d == 900_000)));
        }

        Assert.Null(new Segmenter(true, false, 1, 3).Finish());
        Assert.True(new PartSegmenter(true, false, 1, 3, 0.34).Finish() is { Parts.Count: 0, Segment: null }, "A part segmenter that got no sample closes nothing at Finish. See README §LL-HLS.");
        var single = new Segmenter(true, false, 1, 3);
        single.Add(Video(900_000, true));
        Assert.True(single.Finish() is { StartTime: 900_000, Duration: 0 }, "A stream of one frame has no DTS step: its only segment lasts 0 s (README §Segmenting).");
        var last = segmenter.Finish()!;
        Assert.True(last.StartTime == 900_000 && Math.Abs(last.Duration - (909_003 + 3003 - 900_000) / 90000.0) < 1e-9,
            $"Frames at 900000, 903000, 906000, 909003: the segment lasts to 909003 + the last step 3003, {(909_003 + 3003 - 900_000) / 90000.0:0.######} s; you made start {last.StartTime}, {last.Duration:0.######} s. See README §Segmenting.");
    }

    /// <summary>One audio frame at 0, then video every 3000 ticks from 3000 with a keyframe every 30 frames, through a part segmenter.</summary>
    private static List<(MediaSegment Segment, List<MediaPart> Parts)> Cut(double partTarget, int frames = 60)
    {
        var cutter = new PartSegmenter(true, true, 1, 3, partTarget);
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

        Take(cutter.Add(Audio(0)));
        for (int k = 0; k < frames; k++)
        {
            Take(cutter.Add(Video(3000 + 3000L * k, k % 30 == 0)));
        }

        Take(cutter.Finish());
        return result;
    }

    [Theory]
    [InlineData(0.301, new[] { 9, 9, 9, 3 })]   // DTS − start + step + 90 > 27090 first at 9 frames (27000 + 3090)
    [InlineData(0.3005, new[] { 8, 8, 8, 6 })]  // > 27045 first at 8 frames (24000 + 3090 = 27090)
    [InlineData(0.34, new[] { 10, 10, 10 })]    // > 30600 at 10 frames: the part ends with the segment, no empty part
    [Trait("Milestone", "M7 low-latency HLS")]
    public void Parts_end_where_the_README_formula_says_and_make_up_their_segment(double partTarget, int[] frames)
    {
        var cut = Cut(partTarget);
        Assert.True(cut.Count == 2, $"60 frames at 30 fps with a keyframe every 30 make two 1 s segments; you made {cut.Count}. See README §Segmenting.");
        foreach (var (segment, parts) in cut)
        {
            var got = parts.Select(p => (int)Math.Round(p.Duration * 30)).ToList();
            Assert.True(got.SequenceEqual(frames) && parts.Select(p => p.Index).SequenceEqual(Enumerable.Range(0, parts.Count)),
                $"PART-TARGET {partTarget}: a part ends before the frame for which DTS − part start + the last step (3000) + StepSlack (90) > {Math.Round(partTarget * 90000)}, so segment {segment.Index}'s parts last {string.Join(", ", frames)} frames with indexes 0, 1, …; yours last {string.Join(", ", got)} frames (durations {string.Join(", ", parts.Select(p => p.Duration.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)))}), indexes {string.Join(", ", parts.Select(p => p.Index))}. See README §LL-HLS.");
            Assert.True(parts[0].Independent && parts.Skip(1).All(p => !p.Independent),
                $"Part 0 of a segment starts with its keyframe (INDEPENDENT=YES); the others start with other frames. You flagged {string.Join(", ", parts.Select(p => p.Independent))}. See README §LL-HLS.");
            byte[] joined = parts.SelectMany(p => p.Data.ToArray()).ToArray();
            Assert.True(joined.AsSpan().SequenceEqual(segment.Data.Span), $"The parts of segment {segment.Index}, concatenated, must be the segment ({joined.Length} against {segment.Data.Length} bytes). See README §LL-HLS.");
        }
    }
}
