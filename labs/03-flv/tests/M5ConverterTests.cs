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
    [InlineData("aac", "fff15080 0d7ffc aa", 3)]             // aac_frame_length 107 (bits at offset 3-5) with 8 bytes there
    [InlineData("aac", "fff15080 00dffc", 3)]                // aac_frame_length 6: shorter than its own 7-byte header
    [InlineData("aac", "fff15080 00fffc ff00", 9)]           // a 7-byte frame, then a header cut short at the end (9)
    [InlineData("aac", "0ff15080 00fffc", 0)]                // no syncword FFF
    [InlineData("aac", "fff17480 00fffc", 2)]                // sampling_frequency_index 13: reserved (14496-3 Table 1.18)
    [InlineData("h264", "4142 00000001 6588", 0)]            // bytes before the first start code
    [InlineData("h264", "00000001 6588 00000001 419a", 4)]   // slices before any SPS/PPS
    [Trait("Milestone", Milestone)]
    public void Broken_elementary_streams_throw_FlvFormatException_at_their_offset(string kind, string hex, long offset)
    {
        var bytes = Hex(hex);
        var options = new FlvConversionOptions { FrameRate = 25 };
        var error = Assert.Throws<FlvFormatException>(() => FlvConverter.Convert(kind == "h264" ? bytes : [], kind == "aac" ? bytes : [], options));
        Assert.True(error.Offset == offset, $"{kind} bytes {hex}: the error belongs at offset {offset} of the stream; yours says {error.Offset}: {error.Message}. See README §Converting back.");
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
}
