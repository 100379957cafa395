using static Lab03.Flv.Tests.Bytes;

namespace Lab03.Flv.Tests;

/// <summary>
/// M5, the way back: .h264 (Annex B) + .aac (ADTS) → FLV. The inputs are ffmpeg's own extractions
/// (testdata/03-flv/CLIP.h264, CLIP.aac); the judge is ffprobe run on your FLV, compared with the committed
/// ffprobe JSON of the clip they came from: same packets, timestamps, sizes, key flags and stream parameters.
/// </summary>
public class M5ConverterTests
{
    private const string Milestone = "M5 muxer";

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", Milestone)]
    public async Task H264_with_B_frames_and_AAC_come_back_with_the_source_timestamps_given_its_timing_list()
    {
        // The timing list is the source's packet list as ffprobe printed it (committed JSON): an Annex B stream has no timestamps.
        var source = Clips.Probe("av");
        var options = new FlvConversionOptions
        {
            VideoTiming = source.Packets.Where(p => p.CodecType == "video").Select(p => new PacketTiming(p.Dts, p.Pts)).ToList(),
            AudioTiming = source.Packets.Where(p => p.CodecType == "audio").Select(p => new PacketTiming(p.Dts, p.Pts)).ToList(),
        };
        var flv = FlvConverter.Convert(Clips.Bytes("av.h264"), Clips.Bytes("av.aac"), options);
        var probe = await ProbeAsync(flv);
        AssertSamePackets(source, probe, "av.h264 + av.aac with av.flv's timing list");
        AssertSameStreams(source, probe, "av.h264 + av.aac");
    }

    [Theory(Timeout = 60_000)]
    [InlineData("video", 10.0)] // make.sh: testsrc2 rate=10, no B-frames
    [InlineData("audio", null)] // make.sh: AAC at 16 kHz: 1024 samples = 64 ms a frame
    [Trait("Milestone", Milestone)]
    public async Task Without_B_frames_a_frame_rate_is_enough(string clip, double? frameRate)
    {
        var source = Clips.Probe(clip);
        byte[] h264 = clip == "video" ? Clips.Bytes("video.h264") : [], aac = clip == "audio" ? Clips.Bytes("audio.aac") : [];
        var flv = FlvConverter.Convert(h264, aac, new FlvConversionOptions { FrameRate = frameRate });
        var probe = await ProbeAsync(flv);
        AssertSamePackets(source, probe, $"{clip}.{(clip == "video" ? "h264 at 10 fps" : "aac at 1024 samples a frame")}");
        AssertSameStreams(source, probe, clip);
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_AVC_sequence_header_is_the_one_ffmpeg_wrote_in_the_source()
    {
        // Find ffmpeg's own sequence header in av.flv by its bytes (17 00 000000, configurationVersion 1, profile 100)
        // and its DataSize in the 11 bytes before it — no reader involved.
        var source = Clips.Flv("av");
        int at = source.AsSpan().IndexOf(Hex("17 00 000000 01 64"));
        int size = source[at - 10] << 16 | source[at - 9] << 8 | source[at - 8];
        var expected = source.AsSpan(at, size);
        var tags = FlvConverter.VideoTags(Clips.Bytes("av.h264"), new FlvConversionOptions { FrameRate = 15 });
        HexDiff.AssertEqual(expected, tags[0].Data, "the first video tag: av.flv's AVC sequence header (with the High profile's chroma_format and bit depths)", "README §Converting back");
        Assert.True(tags.Count(t => t.Data[1] == 0) == 1, $"av.h264 repeats the same SPS/PPS before every IDR: one sequence header, not {tags.Count(t => t.Data[1] == 0)}. See README §Converting back.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Annex_B_NAL_units_and_access_units_follow_the_start_codes_and_first_mb_in_slice()
    {
        // SPS (4-byte start code), PPS, IDR slice with first_mb_in_slice 0 (0x88: ue "1"), a second IDR slice of the
        // same picture (first_mb 1: 0x40 = ue "010"), trailing zero, then a P slice (41 9a) starting the next access unit.
        var stream = Hex("00000001 6742 00000001 68ce 00000001 6588aa 000001 6540bb 00 00000001 419a");
        var nals = AnnexBReader.ReadNalUnits(stream);
        var expected = new[] { (4, 2, 7), (10, 2, 8), (16, 3, 5), (22, 3, 5), (30, 2, 1) };
        Assert.True(nals.Select(n => (n.Offset, n.Length, (int)n.Type)).SequenceEqual(expected),
            $"NAL units (offset, length, type) must be {string.Join(" ", expected)}; you found {string.Join(" ", nals.Select(n => (n.Offset, n.Length, (int)n.Type)))}. See README §Converting back.");
        var units = AnnexBReader.ReadAccessUnits(stream);
        Assert.True(units.Count == 2 && units[0].NalUnits.Count == 4 && units[0].IsIdr && !units[1].IsIdr,
            $"Two access units: SPS PPS IDR IDR (one picture: the second slice's first_mb_in_slice is not 0), then the P slice; you grouped {string.Join(" | ", units.Select(u => string.Join(" ", u.NalUnits.Select(n => (int)n.Type))))}. See README §Converting back.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void ADTS_frames_read_back_bit_by_bit()
    {
        // The README's header: LC, 44.1 kHz, stereo, aac_frame_length 107; then one with protection_absent 0 (a 2-byte CRC), 22.05 kHz mono, 12 bytes.
        var stream = Hex("fff15080 0d7ffc" + new string('a', 200) + "fff05c40 019ffc 1234 aaaaaa");
        var frames = AdtsReader.ReadFrames(stream);
        Assert.True(frames.Count == 2
            && frames[0] is { Offset: 0, HeaderLength: 7, Length: 107, Config: { ObjectType: 2, SamplingFrequency: 44100, ChannelConfiguration: 2 } }
            && frames[1] is { Offset: 107, HeaderLength: 9, Length: 12, Config: { ObjectType: 2, SamplingFrequency: 22050, ChannelConfiguration: 1 } },
            $"Two frames: at 0 (7-byte header, 107 bytes, LC 44100 Hz stereo) and at 107 (9-byte header with CRC, 12 bytes, LC 22050 Hz mono); you read {string.Join(", ", frames)}. See README §ADTS.");
    }

    [Theory]
    // README §Bad input: the offset lies in the field that is wrong, or from the start of what is cut short to the end of the stream.
    [InlineData("aac", "fff15080 0d7ffc aa", 3, 8)]           // aac_frame_length 107 (bits in bytes 3-5) with 8 bytes there: the length, or the frame it announces
    [InlineData("aac", "fff15080 00dffc", 3, 5)]              // aac_frame_length 6: shorter than its own 7-byte header
    [InlineData("aac", "fff15080 00fffc ff00", 7, 9)]         // a 7-byte frame, then a header cut short at the end (7-9)
    [InlineData("aac", "fff15080 00fffc fff15080 015ffc aa", 10, 15)] // the second frame (at 7) says aac_frame_length 10 with 8 bytes left
    [InlineData("aac", "0ff15080 00fffc", 0, 1)]              // no syncword FFF (bytes 0-1)
    [InlineData("aac", "fff17480 00fffc", 2, 2)]              // sampling_frequency_index 13 (byte 2): reserved (14496-3 Table 1.18)
    [InlineData("h264", "4142 00000001 6588", 0, 1)]          // bytes before the first start code
    [InlineData("h264", "00000001 6588 00000001 419a", 0, 5)] // a slice (start code at 0, NAL header at 4) before any SPS/PPS
    [Trait("Milestone", Milestone)]
    public void Broken_elementary_streams_throw_FlvFormatException_at_their_offset(string kind, string hex, long offset, long offsetTo)
    {
        var bytes = Hex(hex);
        var options = new FlvConversionOptions { FrameRate = 25 };
        var error = Assert.Throws<FlvFormatException>(() => FlvConverter.Convert(kind == "h264" ? bytes : [], kind == "aac" ? bytes : [], options));
        Assert.True(error.Offset >= offset && error.Offset <= offsetTo,
            $"{kind} bytes {hex}: the error belongs at offset {(offset == offsetTo ? $"{offset}" : $"{offset}–{offsetTo}")} of the stream; yours says {error.Offset}: {error.Message}. See README §Bad input.");
    }

    private static async Task<Probe> ProbeAsync(byte[] flv)
    {
        var path = Path.Combine(Path.GetTempPath(), $"lab03-convert-{Guid.NewGuid():N}.flv");
        await File.WriteAllBytesAsync(path, flv, TestContext.Current.CancellationToken);
        try
        {
            var result = await ToolRun.RunAsync(RealTools.Ffprobe(), ["-v", "error", "-show_packets", "-show_streams", "-of", "json", path], TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
            Assert.True(result.ExitCode == 0 && result.StandardError.Trim().Length == 0,
                $"ffprobe must read your FLV without complaint; it exited {result.ExitCode} and said: {result.ErrorTail()}. See README §Converting back.");
            return Clips.ParseProbe(result.StandardOutput);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertSamePackets(Probe source, Probe yours, string what)
    {
        foreach (var type in new[] { "video", "audio" })
        {
            var expected = source.Packets.Where(p => p.CodecType == type).ToList();
            var actual = yours.Packets.Where(p => p.CodecType == type).ToList();
            Assert.True(expected.Count == actual.Count, $"{what}: ffprobe lists {actual.Count} {type} packets in your FLV; the source has {expected.Count}. See README §Converting back.");
            for (int i = 0; i < expected.Count; i++)
            {
                var (e, a) = (expected[i], actual[i]);
                Assert.True(e.Pts == a.Pts && e.Dts == a.Dts && e.Size == a.Size && e.Key == a.Key,
                    $"{what}: {type} packet {i} is pts {a.Pts} dts {a.Dts} size {a.Size} key {a.Key} in your FLV; the source has pts {e.Pts} dts {e.Dts} size {e.Size} key {e.Key}. See README §Converting back.");
            }
        }
    }

    private static void AssertSameStreams(Probe source, Probe yours, string what)
    {
        foreach (var e in source.Streams)
        {
            var a = yours.Streams.FirstOrDefault(s => s.CodecType == e.CodecType);
            Assert.True(a is not null && a.CodecName == e.CodecName && a.Profile == e.Profile && a.Width == e.Width && a.Height == e.Height
                && a.SampleRate == e.SampleRate && a.Channels == e.Channels && a.Level == e.Level,
                $"{what}: ffprobe must see the source's {e.CodecType} stream ({e.CodecName} {e.Profile} {e.Width}x{e.Height} level {e.Level} {e.SampleRate} Hz {e.Channels} ch); in your FLV it sees {(a is null ? "none" : $"{a.CodecName} {a.Profile} {a.Width}x{a.Height} level {a.Level} {a.SampleRate} Hz {a.Channels} ch")}. See README §Converting back.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Converted_tags_carry_the_source_tags_bytes_key_flags_and_composition_times()
    {
        // With av.flv's timing list, every NALU tag and AAC frame tag made from av.h264/av.aac is byte for byte the
        // tag ffmpeg wrote in av.flv (17 or 27, 01, CompositionTime, then the same NAL units with 4-byte lengths).
        var source = Clips.Probe("av");
        var options = new FlvConversionOptions
        {
            VideoTiming = source.Packets.Where(p => p.CodecType == "video").Select(p => new PacketTiming(p.Dts, p.Pts)).ToList(),
            AudioTiming = source.Packets.Where(p => p.CodecType == "audio").Select(p => new PacketTiming(p.Dts, p.Pts)).ToList(),
        };
        var flv = Clips.Flv("av");
        foreach (var (type, tags) in new[] { (9, FlvConverter.VideoTags(Clips.Bytes("av.h264"), options)), (8, FlvConverter.AudioTags(Clips.Bytes("av.aac"), options)) })
        {
            var expected = SourceTags(flv, type).Where(t => t.Data[1] == 1).ToList(); // AVCPacketType / AACPacketType 1: the frames
            var actual = tags.Where(t => t.Data[1] == 1).ToList();
            Assert.True(actual.Count == expected.Count, $"av.flv has {expected.Count} {(type == 9 ? "NALU" : "AAC frame")} tags; you made {actual.Count}. See README §Converting back.");
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.True(actual[i].Timestamp == expected[i].Timestamp, $"{(type == 9 ? "Video" : "Audio")} frame {i}: DTS {expected[i].Timestamp} (the timing list); you wrote {actual[i].Timestamp}. See README §Converting back.");
                HexDiff.AssertEqual(expected[i].Data, actual[i].Data,
                    $"{(type == 9 ? "video" : "audio")} frame {i}'s tag data, as ffmpeg wrote it in av.flv ({(type == 9 ? "17 key / 27 inter, 01, the signed CompositionTime = PTS − DTS, the NAL units" : "AF 01, the raw frame")})", "README §Converting back");
            }

            var header = tags.FirstOrDefault(t => t.Data[1] == 0);
            Assert.True(header is not null && tags[0] == header && header.Timestamp == expected[0].Timestamp,
                $"The first {(type == 9 ? "video" : "audio")} tag is the sequence header, at the first frame's time ({expected[0].Timestamp} ms); yours is {(header is null ? "missing" : $"at {header.Timestamp} ms, tag {tags.IndexOf(header)}")}. See README §Converting back.");
        }

        var aacHeader = FlvConverter.AudioTags(Clips.Bytes("av.aac"), options)[0].Data;
        HexDiff.AssertEqual(Hex("af00 1388"), aacHeader, "the AAC sequence header: AF 00, then LC (2), 22050 Hz (index 7), mono (1) = 13 88", "README §Converting back");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Audio_timestamps_follow_1024_samples_a_frame_without_a_timing_list()
    {
        var tags = FlvConverter.AudioTags(Clips.Bytes("av.aac"), new FlvConversionOptions()).Where(t => t.Data[1] == 1).ToList();
        for (int n = 0; n < tags.Count; n++)
        {
            long expected = (long)Math.Round(n * 1024 * 1000 / 22050.0, MidpointRounding.AwayFromZero); // README: round(n × 1024 × 1000 / rate)
            Assert.True(tags[n].Timestamp == expected, $"AAC frame {n} at 22050 Hz is at round({n} × 1024 × 1000 / 22050) = {expected} ms; you wrote {tags[n].Timestamp}. See README §Converting back.");
        }
    }

    /// <summary>The tags of an FLV file of the given type, walked by the spec (E.3): 13 bytes, then tag header, data, PreviousTagSize.</summary>
    private static List<(int Timestamp, byte[] Data)> SourceTags(byte[] flv, int type)
    {
        var tags = new List<(int, byte[])>();
        for (int at = 13; at + 11 <= flv.Length;)
        {
            int size = flv[at + 1] << 16 | flv[at + 2] << 8 | flv[at + 3];
            int timestamp = flv[at + 7] << 24 | flv[at + 4] << 16 | flv[at + 5] << 8 | flv[at + 6];
            if ((flv[at] & 0x1F) == type)
            {
                tags.Add((timestamp, flv.AsSpan(at + 11, size).ToArray()));
            }

            at += 11 + size + 4;
        }

        return tags;
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Missing_or_miscounted_timing_is_the_callers_ArgumentException()
    {
        // README §Converting back: a .h264 stream has no timestamps; the caller gives a frame rate or one timing per frame.
        var h264 = Clips.Bytes("video.h264");
        var aac = Clips.Bytes("audio.aac");
        int videoFrames = Clips.Probe("video").Packets.Count, audioFrames = Clips.Probe("audio").Packets.Count;
        Assert.Throws<ArgumentException>(() => FlvConverter.VideoTags(h264, new FlvConversionOptions()));
        Assert.Throws<ArgumentException>(() => FlvConverter.VideoTags(h264, new FlvConversionOptions { VideoTiming = Enumerable.Range(0, videoFrames - 1).Select(n => new PacketTiming(n * 100, n * 100)).ToList() }));
        Assert.Throws<ArgumentException>(() => FlvConverter.AudioTags(aac, new FlvConversionOptions { AudioTiming = Enumerable.Range(0, audioFrames + 1).Select(n => new PacketTiming(n * 64, n * 64)).ToList() }));
        var exact = FlvConverter.VideoTags(h264, new FlvConversionOptions { VideoTiming = Enumerable.Range(0, videoFrames).Select(n => new PacketTiming(n * 100, n * 100 + (n % 2 == 0 ? 7 : -40))).ToList() });
        // CompositionTime is SI24: +7 is 00 00 07, −40 is ff ff d8.
        Assert.True(exact.Count(t => t.Data[1] == 1) == videoFrames && exact.Where(t => t.Data[1] == 1).Select((t, n) => t.Timestamp == n * 100 && Convert.ToHexString(t.Data, 2, 3) == (n % 2 == 0 ? "000007" : "FFFFD8")).All(ok => ok),
            $"With one timing per frame, each of the {videoFrames} NALU tags is at its DTS (n × 100) with CompositionTime PTS − DTS: 00 00 07 (+7) or ff ff d8 (−40). See README §Converting back.");
        Assert.True(FlvConverter.VideoTags([], new FlvConversionOptions()).Count == 0, "An empty .h264 needs no timing: no video tags. See README §Converting back.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Tags_come_in_DTS_order_with_video_first_at_the_same_timestamp()
    {
        // video.h264 at 10 fps (0, 100, 200 … ms) and audio.aac at 16 kHz (0, 64, 128 … ms): both start at 0.
        var flv = FlvConverter.Convert(Clips.Bytes("video.h264"), Clips.Bytes("audio.aac"), new FlvConversionOptions { FrameRate = 10 });
        var order = new List<(int Type, int Timestamp)>();
        for (int at = 13; at + 11 <= flv.Length;)
        {
            int size = flv[at + 1] << 16 | flv[at + 2] << 8 | flv[at + 3];
            order.Add((flv[at] & 0x1F, flv[at + 7] << 24 | flv[at + 4] << 16 | flv[at + 5] << 8 | flv[at + 6]));
            at += 11 + size + 4;
        }

        int videoTags = order.Count(t => t.Type == 9), audioTags = order.Count(t => t.Type == 8);
        int videoFrames = Clips.Probe("video").Packets.Count, audioFrames = Clips.Probe("audio").Packets.Count;
        Assert.True(order[0].Type == 18 && videoTags == videoFrames + 1 && audioTags == audioFrames + 1,
            $"onMetaData first, then {videoFrames + 1} video tags (a sequence header and {videoFrames} frames) and {audioFrames + 1} audio tags; you wrote {string.Join(" ", order.Take(8).Select(t => $"{t.Type}@{t.Timestamp}"))} … ({videoTags} video, {audioTags} audio). See README §Converting back.");
        var expected = order.Skip(1).OrderBy(t => t.Timestamp).ThenBy(t => t.Type == 9 ? 0 : 1).ToList();
        var media = order.Skip(1).ToList();
        int first = Enumerable.Range(0, media.Count).FirstOrDefault(i => media[i] != expected[i], -1);
        Assert.True(first < 0, $"Tags go in DTS order, video before audio at the same timestamp: tag {first + 1} should be {(first < 0 ? "" : $"{(expected[first].Type == 9 ? "video" : "audio")} at {expected[first].Timestamp}")}; you wrote {(first < 0 ? "" : $"{(media[first].Type == 9 ? "video" : "audio")} at {media[first].Timestamp}")}. See README §Converting back.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_changed_SPS_makes_a_second_sequence_header()
    {
        // video.h264 then big.h264 (make.sh, each as ffmpeg extracts it): two configurations. changed.flv carries both records as ffmpeg wrote them.
        var tags = FlvConverter.VideoTags([.. Clips.Bytes("video.h264"), .. Clips.Bytes("big.h264")], new FlvConversionOptions { FrameRate = 10 });
        var headers = tags.Where(t => t.Data[1] == 0).ToList();
        Assert.True(headers.Count == 2, $"video.h264 + big.h264 switches from a Baseline 128×72 SPS to a High 320×192 one: 2 sequence headers; you made {headers.Count}. See README §Converting back.");
        var flv = Clips.Flv("changed");
        int high = flv.AsSpan().IndexOf(Hex("17 00 000000 01 64"));
        int size = flv[high - 10] << 16 | flv[high - 9] << 8 | flv[high - 8];
        HexDiff.AssertEqual(flv.AsSpan(high, size), headers[1].Data, "the second sequence header: big.flv's record as ffmpeg wrote it in changed.flv", "README §Converting back");
    }

    [Theory]
    [InlineData("6742", 0, 1)]                  // bytes but no start code at all
    [InlineData("00000001 e7 00", 4, 4)]        // a NAL header with forbidden_zero_bit set (0xe7)
    [Trait("Milestone", Milestone)]
    public void Broken_Annex_B_throws_FlvFormatException_at_its_offset(string hex, long offset, long offsetTo)
    {
        var error = Record.Exception(() => AnnexBReader.ReadNalUnits(Hex(hex)));
        Assert.True(error is FlvFormatException f && f.Offset >= offset && f.Offset <= offsetTo,
            $"Annex B {hex}: FlvFormatException at {offset}–{offsetTo}; you {(error is null ? "threw nothing" : $"threw {error.GetType().Name} at {(error as FlvFormatException)?.Offset}")}. See README §Converting back, §Bad input.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Annex_B_edge_cases_start_codes_at_the_edges_and_delimiters()
    {
        // H.264 §B.1.1: a 3-byte start code at 0; trailing zero bytes dropped; a start code at the very end gives no NAL unit.
        var nals = AnnexBReader.ReadNalUnits(Hex("000001 6742 0000 000001 68ce 00 000001"));
        Assert.True(nals.Select(n => (n.Offset, n.Length)).SequenceEqual([(3, 2), (10, 2)]),
            $"NAL units (offset, length) must be (3, 2) and (10, 2); you found {string.Join(" ", nals.Select(n => (n.Offset, n.Length)))}. See README §Converting back.");
        // Access units (§7.4.1.2.3): AUD + IDR; then an SEI after a slice starts the next one, with its P slice; a second
        // P slice whose first_mb_in_slice is not 0 (41 1a: the top bit of the second byte is clear) stays in it.
        var stream = Hex("00000001 09f0 00000001 6588 00000001 0605 00000001 419a 00000001 411a");
        var units = AnnexBReader.ReadAccessUnits(stream);
        Assert.True(units.Count == 2 && units[0].NalUnits.Select(n => (int)n.Type).SequenceEqual([9, 5]) && units[1].NalUnits.Select(n => (int)n.Type).SequenceEqual([6, 1, 1]) && units[0].IsIdr && !units[1].IsIdr,
            $"Two access units: [9 5] (AUD, IDR) and [6 1 1] (SEI starts a new one after a slice; the second P slice's first_mb_in_slice is not 0); you grouped {string.Join(" | ", units.Select(u => string.Join(" ", u.NalUnits.Select(n => (int)n.Type))))}. See README §Converting back.");
        var aud = AnnexBReader.ReadAccessUnits(Hex("00000001 6588 00000001 09f0 00000001 419a"));
        Assert.True(aud.Count == 2 && aud[1].NalUnits.Select(n => (int)n.Type).SequenceEqual([9, 1]),
            $"An access unit delimiter after a slice starts the next access unit: [5] | [9 1]; you grouped {string.Join(" | ", aud.Select(u => string.Join(" ", u.NalUnits.Select(n => (int)n.Type))))}. See README §Converting back.");
    }
}
