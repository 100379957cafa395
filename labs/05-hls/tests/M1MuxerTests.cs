using System.Buffers;
using System.Text;

namespace Lab05.Hls.Tests;

/// <summary>
/// M1: the MPEG-TS muxer. Field by field against ISO/IEC 13818-1 and against the bytes of ffmpeg's own mpegts muxer
/// (testdata/05-hls/ffmpeg.ts); the whole stream against ffprobe and ffmpeg's decoder.
/// </summary>
public class M1MuxerTests
{
    private const string Milestone = "M1 MPEG-TS muxer";

    private static byte[] FfmpegPacket(int index) => Media.Bytes("ffmpeg.ts").AsSpan(188 * index, 188).ToArray();

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_CRC32_gives_the_CRC_32_MPEG_2_check_value_and_ffmpegs_PAT_CRC()
    {
        uint check = Crc32Mpeg2.Compute("123456789"u8);
        Assert.True(check == 0x0376E6E7, $"CRC-32/MPEG-2 of the ASCII bytes \"123456789\" is 0x0376E6E7 (the CRC catalogue's check value); you computed 0x{check:X8}. Preset 0xFFFFFFFF, MSB first, no reflection, no final XOR. See README §CRC32.");
        var pat = FfmpegPacket(1).AsSpan(5, 16); // ffmpeg's PAT: pointer_field at 4, then 12 bytes of section and its CRC_32
        uint crc = Crc32Mpeg2.Compute(pat[..12]);
        Assert.True(crc == 0x2AB104B2, $"ffmpeg's PAT section 00 b0 0d 00 01 c1 00 00 00 01 f0 00 ends with CRC_32 2a b1 04 b2; you computed {crc:x8}. See README §CRC32.");
        Assert.True(Crc32Mpeg2.Compute(pat) == 0, "Run over a whole section, its CRC included, the CRC is 0 (ISO/IEC 13818-1 Annex A); yours was not. See README §CRC32.");
        Assert.True(Crc32Mpeg2.Compute([]) == 0xFFFFFFFF, $"The CRC of no bytes is the preset 0xFFFFFFFF; you gave 0x{Crc32Mpeg2.Compute([]):X8}. See README §CRC32.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_PAT_and_PMT_packets_are_byte_identical_to_ffmpegs()
    {
        var output = new ArrayBufferWriter<byte>();
        var muxer = new TsMuxer(hasVideo: true, hasAudio: true);
        muxer.WriteTables(output);
        Assert.True(output.WrittenCount == 376, $"WriteTables writes two 188-byte packets (PAT, PMT); you wrote {output.WrittenCount} bytes. See README §PAT and PMT.");
        HexDiff.AssertEqual(FfmpegPacket(1), output.WrittenSpan[..188], "the PAT packet (ffmpeg.ts, packet 1: PID 0, transport_stream_id 1, program 1 → PMT PID 0x1000)", "README §PAT and PMT");
        HexDiff.AssertEqual(FfmpegPacket(2), output.WrittenSpan[188..376], "the PMT packet (ffmpeg.ts, packet 2: PCR PID 0x100, H.264 0x1B on 0x100, AAC 0x0F on 0x101)", "README §PAT and PMT");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_PMT_of_a_program_without_video_puts_the_PCR_on_the_audio_PID()
    {
        var section = new byte[188];
        int length = new TsMuxer(hasVideo: false, hasAudio: true).Pmt.Write(section);
        // Hand-made from Table 2-33: 02 b0 12 | 00 01 | c1 00 00 | e1 01 (PCR_PID 0x101) f0 00 | 0f e1 01 f0 00 | CRC
        HexDiff.AssertEqual(Hex.Bytes("02 b0 12 00 01 c1 00 00 e1 01 f0 00 0f e1 01 f0 00"), section.AsSpan(0, Math.Min(length, 17)), "an audio-only PMT section before its CRC", "README §PAT and PMT");
        Assert.True(length == 21 && Crc32Mpeg2.Compute(section.AsSpan(0, length)) == 0, $"The section is 21 bytes with a CRC_32 that checks; you wrote {length}. See README §CRC32.");
    }

    [Theory]
    [InlineData(0b0010, 0L, "21 00 01 00 01")]
    [InlineData(0b0011, (1L << 33) - 1, "3f ff ff ff ff")]
    [InlineData(0b0001, 0x1_2345_6789L, "19 8d 15 cf 13")]
    [InlineData(0b0010, (1L << 33) + 90_000, "21 00 05 bf 21")]
    [Trait("Milestone", Milestone)]
    public void A_PTS_or_DTS_field_is_33_bits_in_pieces_with_marker_bits_and_wraps_at_2_to_the_33(int prefix, long value, string expected)
    {
        var field = new byte[5];
        PesHeader.WriteTimestamp(field, prefix, value);
        HexDiff.AssertEqual(Hex.Bytes(expected), field, $"the PTS/DTS field for {value} (prefix {Convert.ToString(prefix, 2).PadLeft(4, '0')}; 2^33 = 8589934592 wraps to 0)", "README §PTS and DTS");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_PES_headers_are_byte_identical_to_ffmpegs_first_video_and_audio_PES()
    {
        var packets = TsWalk.Packets(Media.Bytes("ffmpeg.ts"));
        var video = TsWalk.Pes(packets, 0x100)[0];
        var header = new byte[19];
        int size = PesHeader.Write(header, PesHeader.VideoStreamId, -1, video.Pts!.Value, video.Dts!.Value);
        Assert.True(size == 19, $"A PES header with PTS and DTS is 9 + 10 = 19 bytes; Write returned {size}. See README §PES.");
        HexDiff.AssertEqual(video.Bytes.AsSpan(0, 19), header, $"ffmpeg's first video PES header (PES_packet_length 0, PTS {video.Pts} and DTS {video.Dts})", "README §PES");

        var audio = TsWalk.Pes(packets, 0x101)[0];
        int payload = (audio.Bytes[4] << 8 | audio.Bytes[5]) - 8;
        header = new byte[14];
        size = PesHeader.Write(header, PesHeader.AudioStreamId, payload, audio.Pts!.Value, null);
        Assert.True(size == 14, $"A PES header with a PTS only is 9 + 5 = 14 bytes; Write returned {size}. See README §PES.");
        HexDiff.AssertEqual(audio.Bytes.AsSpan(0, 14), header, $"ffmpeg's first audio PES header ({payload} bytes of ADTS after it, PTS {audio.Pts})", "README §PES");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Packet_headers_and_adaptation_fields_match_the_spec_and_ffmpegs_bytes()
    {
        var first = FfmpegPacket(3); // ffmpeg's first video packet: 47 41 00 30, adaptation field 07 50 00 00 7b 0c 7e 00
        var bytes = new byte[8];
        new TsPacketHeader(0x100, true, AdaptationFieldControl.AdaptationFieldAndPayload, 0).Write(bytes);
        HexDiff.AssertEqual(first.AsSpan(0, 4), bytes.AsSpan(0, 4), "the header of ffmpeg's first video packet (PID 0x100, payload_unit_start, adaptation field and payload, CC 0)", "README §Packets");
        new TsPacketHeader(0x1FFF, false, AdaptationFieldControl.PayloadOnly, 15, TransportError: true).Write(bytes);
        HexDiff.AssertEqual(Hex.Bytes("47 9f ff 1f"), bytes.AsSpan(0, 4), "a header with transport_error_indicator, PID 0x1FFF, payload only, CC 15", "README §Packets");

        AdaptationField.Write(bytes, 8, randomAccess: true, pcrBase: 63_000);
        HexDiff.AssertEqual(first.AsSpan(4, 8), bytes, "ffmpeg's adaptation field: length 7, random_access_indicator and PCR_flag, PCR base 63000 (0.7 s) with extension 0", "README §Adaptation field and §PCR");
        var stuffing = new byte[5];
        AdaptationField.Write(stuffing, 5, randomAccess: false, pcrBase: null);
        HexDiff.AssertEqual(Hex.Bytes("04 00 ff ff ff"), stuffing, "a 5-byte stuffing adaptation field (length 4, no flags, three 0xFF)", "README §Adaptation field");
        var one = new byte[] { 0xAA };
        AdaptationField.Write(one, 1, randomAccess: false, pcrBase: null);
        Assert.True(one[0] == 0, $"A 1-byte adaptation field is its length byte 0 alone (§2.4.3.5); you wrote 0x{one[0]:X2}. See README §Adaptation field.");
        var pcr = new byte[6];
        AdaptationField.WritePcr(pcr, (1L << 33) + 1, 299);
        HexDiff.AssertEqual(Hex.Bytes("00 00 00 00 ff 2b"), pcr, "PCR base 2^33 + 1 (wraps to 1) with extension 299", "README §PCR");
    }

    [Fact(Timeout = 120_000)]
    [Trait("Milestone", Milestone)]
    public async Task The_muxed_clip_reads_cleanly_in_ffprobe_and_ffmpeg_with_every_frame_and_timestamp_of_the_source()
    {
        var source = Media.Probe("av.flv");
        var ts = FlvSource.Load(Media.Path("av.flv")).ToTransportStream();
        var dir = Media.TempFolder();
        try
        {
            var path = Path.Combine(dir, "av.ts");
            await File.WriteAllBytesAsync(path, ts, TestContext.Current.CancellationToken);
            var probed = await Media.ProbeAsync(path, "README §PES");
            foreach (var kind in new[] { "video", "audio" })
            {
                var want = source.Where(p => p.CodecType == kind).ToList();
                var got = probed.Where(p => p.CodecType == kind).ToList();
                Assert.True(want.Count == got.Count, $"av.flv has {want.Count} {kind} packets (ffprobe); ffprobe reads {got.Count} from your TS. See README §PES.");
                for (int i = 0; i < want.Count; i++)
                {
                    Assert.True(got[i].Pts == want[i].Pts * 90 && got[i].Dts == want[i].Dts * 90,
                        $"{kind} packet {i}: av.flv has PTS {want[i].Pts} ms, DTS {want[i].Dts} ms, so in 90 kHz PTS {want[i].Pts * 90}, DTS {want[i].Dts * 90}; ffprobe reads PTS {got[i].Pts}, DTS {got[i].Dts} from your TS. See README §PTS and DTS.");
                }
            }

            Assert.True(probed.Where(p => p.CodecType == "video").Select(p => p.Key).SequenceEqual(source.Where(p => p.CodecType == "video").Select(p => p.Key)),
                "ffprobe's keyframe flags on your video packets differ from the source's: every IDR access unit must come with its SPS and PPS. See README §H.264 in TS.");
            var (errors, frames) = await Media.DecodeAsync(path);
            Assert.True(errors.Length == 0, $"ffmpeg -v error -i your.ts -f null - must print nothing; it printed:\n{errors}\nSee README §Packets.");
            int sourceFrames = source.Count(p => p.CodecType == "video");
            Assert.True(frames == sourceFrames, $"ffprobe -count_frames decodes {frames} video frames from your TS; the source has {sourceFrames}. See README §H.264 in TS.");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Continuity_counters_count_per_PID_and_every_PES_starts_a_packet_with_its_PCR_and_AUD()
    {
        var flv = FlvSource.Load(Media.Path("av.flv"));
        var packets = TsWalk.Packets(flv.ToTransportStream());
        Assert.True(packets.Count > 2 && packets[0].Pid == 0 && packets[1].Pid == 0x1000, $"The stream starts with the PAT (PID 0) then the PMT (PID 0x1000); yours starts with PIDs {string.Join(", ", packets.Take(2).Select(p => $"0x{p.Pid:X}"))}. See README §PAT and PMT.");
        var expected = new Dictionary<int, int>();
        foreach (var p in packets.Where(p => (p.AdaptationControl & 1) != 0))
        {
            int want = expected.GetValueOrDefault(p.Pid);
            Assert.True(p.Continuity == want, $"The packet at byte {p.Offset} (PID 0x{p.Pid:X}) has continuity_counter {p.Continuity}; after the previous packet of that PID it must be {want} (per PID, +1 modulo 16, packets with a payload only). See README §Packets.");
            expected[p.Pid] = (want + 1) & 15;
        }

        var videoSamples = flv.Samples.Where(s => s.Track == TrackKind.Video).ToList();
        var videoPes = TsWalk.Pes(packets, 0x100);
        Assert.True(videoPes.Count == videoSamples.Count, $"One PES per access unit: {videoSamples.Count} access units, {videoPes.Count} video PES packets in your stream. See README §PES.");
        for (int i = 0; i < videoPes.Count; i++)
        {
            var pes = videoPes[i];
            Assert.True(pes.First.PcrBase == videoSamples[i].Dts, $"The first packet of video PES {i} (byte {pes.Offset}) carries the PCR, base = its DTS {videoSamples[i].Dts}; yours has {(pes.First.PcrBase?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no PCR")}. See README §PCR.");
            Assert.True(pes.First.RandomAccess == videoSamples[i].IsKeyFrame, $"random_access_indicator is set on the first packet of a keyframe's PES and only there; video PES {i} (keyframe: {videoSamples[i].IsKeyFrame}) has it {pes.First.RandomAccess}. See README §Adaptation field.");
            var types = TsWalk.NalTypes(pes.Payload);
            Assert.True(types.Count > 0 && types[0] == 9, $"Video PES {i} must start with an access unit delimiter (NAL type 9); its NAL types are {string.Join(",", types)}. See README §H.264 in TS.");
            if (videoSamples[i].IsKeyFrame)
            {
                int idr = types.IndexOf(5);
                Assert.True(idr > 0 && types.Take(idr).Contains(7) && types.Take(idr).Contains(8), $"The keyframe in PES {i} needs an SPS (7) and a PPS (8) before its IDR slice (5); its NAL types are {string.Join(",", types)}. See README §H.264 in TS.");
            }
        }

        var audioPes = TsWalk.Pes(packets, 0x101);
        Assert.True(audioPes.All(p => p.First.PcrBase is null) && audioPes.All(p => (p.Bytes[4] << 8 | p.Bytes[5]) == p.Bytes.Length - 6),
            "Audio PES packets carry no PCR (it is on the video PID) and their PES_packet_length is the bytes after that field. See README §PES.");
    }

    [Fact(Timeout = 120_000)]
    [Trait("Milestone", Milestone)]
    public async Task Timestamps_that_cross_2_to_the_33_wrap_and_ffmpeg_still_decodes_every_frame()
    {
        long start = (1L << 33) - 2 * 90_000; // two seconds before the 33-bit clock wraps, ≈ 26.5 h into a stream
        var flv = FlvSource.Load(Media.Path("av.flv"), start);
        var ts = flv.ToTransportStream();
        var pes = TsWalk.Pes(TsWalk.Packets(ts), 0x100);
        var wrapped = pes.Where(p => p.Dts is long d && d < 90_000 * 5).ToList();
        Assert.True(wrapped.Count > 0 && pes[0].Dts > (1L << 33) - 3 * 90_000,
            $"With timestamps from 2^33 - 180000 on, the first DTS is near 2^33 and those after 2 s wrap to small values (modulo 2^33); yours start at {pes[0].Dts} and {wrapped.Count} are small. See README §PTS and DTS.");
        var dir = Media.TempFolder();
        try
        {
            var path = Path.Combine(dir, "wrap.ts");
            await File.WriteAllBytesAsync(path, ts, TestContext.Current.CancellationToken);
            var (errors, frames) = await Media.DecodeAsync(path);
            int sourceFrames = Media.Probe("av.flv").Count(p => p.CodecType == "video");
            Assert.True(errors.Length == 0 && frames == sourceFrames, $"ffmpeg decodes {frames} of the {sourceFrames} frames across the 33-bit wrap and printed: {errors}. See README §PTS and DTS.");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
