namespace Lab08.Sfu.Tests;

/// <summary>M1: H.264 over RTP (RFC 6184): depacketising ffmpeg's packets, keyframes, packetising with an MTU.</summary>
public class M1H264Tests
{
    private const string Milestone = "M1 RTP and H.264 payloads";

    private static RtpPacket Packet(ushort sequence, params byte[] payload) =>
        new() { PayloadType = 96, SequenceNumber = sequence, Timestamp = 0, Ssrc = 1, Payload = payload };

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Depacketising_ffmpegs_rtp_gives_the_nal_units_of_its_annex_b_output()
    {
        var expected = Captures.AnnexBNalUnits();
        var depacketizer = new H264Depacketizer();
        var got = new List<byte[]>();
        foreach (var datagram in Captures.RtpPackets())
        {
            got.AddRange(depacketizer.Push(RtpPacket.Parse(datagram)));
        }

        Assert.True(got.Count == expected.Count,
            $"ffmpeg's Annex B output of the same encode (testdata/08-sfu/clip.h264) has {expected.Count} NAL units; you depacketised {got.Count} from its RTP (single NAL units, a STAP-A, FU-As). See README §H.264 payload.");
        for (int i = 0; i < expected.Count; i++)
        {
            HexDiff.AssertEqual(expected[i], got[i], $"NAL unit {i} (type {expected[i][0] & 0x1F})", "README §H.264 payload (RFC 6184 §5.7.1, §5.8)");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Keyframe_packets_are_found_only_in_the_frame_ffprobe_calls_a_keyframe()
    {
        var frames = Captures.ProbedFrames();
        Assert.True(frames[0].Key && frames.Skip(1).All(f => !f.Key), "testdata: ffprobe lists one keyframe, the first frame.");
        var packets = Captures.RtpPackets().Select(d => RtpPacket.Parse(d)).ToList();
        uint keyTimestamp = packets[0].Timestamp;

        var keyPackets = packets.Where(p => H264Payload.IsKeyframe(p.Payload.Span)).ToList();
        Assert.True(keyPackets.Count > 0 && H264Payload.IsKeyframe(packets[0].Payload.Span),
            "The first packet ffmpeg sent (a STAP-A with SPS and PPS before the IDR slice) starts the keyframe: IsKeyframe must be true for it. See README §H.264 payload.");
        Assert.True(keyPackets.All(p => p.Timestamp == keyTimestamp),
            $"Only packets of the first frame (timestamp {keyTimestamp}) start a keyframe; you also flagged timestamps {string.Join(", ", keyPackets.Where(p => p.Timestamp != keyTimestamp).Select(p => p.Timestamp))}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Keyframe_detection_follows_the_nal_types()
    {
        (byte[] Payload, bool Key, string What)[] cases =
        [
            ([0x65, 0x88, 0x80], true, "a single IDR slice (type 5)"),
            ([0x67, 0x42, 0x00], true, "a single SPS (type 7)"),
            ([0x41, 0x9A, 0x00], false, "a single non-IDR slice (type 1)"),
            ([0x06, 0x05, 0x00], false, "a single SEI (type 6)"),
            ([0x7C, 0x85, 0x88], true, "FU-A, S=1, type 5 (first fragment of an IDR slice)"),
            ([0x7C, 0x05, 0x88], false, "FU-A, S=0, type 5 (a middle fragment)"),
            ([0x7C, 0x45, 0x88], false, "FU-A, E=1, type 5 (the last fragment)"),
            ([0x5C, 0x81, 0x9A], false, "FU-A, S=1, type 1"),
            ([0x78, 0x00, 0x02, 0x06, 0x05, 0x00, 0x03, 0x67, 0x42, 0x00], true, "STAP-A: SEI, then SPS"),
            ([0x78, 0x00, 0x02, 0x06, 0x05, 0x00, 0x02, 0x41, 0x9A], false, "STAP-A: SEI, then a non-IDR slice"),
        ];
        foreach (var (payload, key, what) in cases)
        {
            bool got = H264Payload.IsKeyframe(payload);
            Assert.True(got == key, $"IsKeyframe({Convert.ToHexString(payload)}), {what}: expected {key}, got {got}. See README §H.264 payload.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_nal_unit_too_big_for_the_mtu_is_cut_into_fu_a_fragments()
    {
        // NAL header 0x65 (F=0, NRI=3, type 5) and 10 bytes; MTU 12 + 6 leaves 4 data bytes per FU-A.
        byte[] nal = [0x65, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        var payloads = H264Packetizer.Packetize(nal, 18);
        string got = string.Join(" | ", payloads.Select(p => Convert.ToHexString(p)));
        // FU indicator F|NRI|28 = 0x7C; FU header S|E|R|type: 0x85 first, 0x05 middle, 0x45 last (RFC 6184 §5.8).
        const string expected = "7C8500010203 | 7C0504050607 | 7C450809";
        Assert.True(got == expected, $"FU-A fragments of 65 00..09 with MTU 18: expected {expected}, got {got}. See README §H.264 payload.");

        var single = H264Packetizer.Packetize(nal, 12 + nal.Length);
        Assert.True(single.Count == 1 && single[0].AsSpan().SequenceEqual(nal), "A NAL unit that fits in MTU − 12 bytes goes alone in one packet, as it is (RFC 6184 §5.6).");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Fragments_equal_those_ffmpeg_sent_with_the_same_packet_size()
    {
        // make.sh ran ffmpeg with -pkt_size 1200: 12 header bytes, up to 1188 payload bytes.
        var ffmpegPayloads = Captures.RtpPackets().Select(d => RtpPacket.Parse(d).Payload.ToArray())
            .Where(p => (p[0] & 0x1F) != 24).ToList(); // ffmpeg aggregates SPS, PPS and SEI in a STAP-A; the rest is comparable
        var ours = Captures.AnnexBNalUnits().Where(n => (n[0] & 0x1F) is not (6 or 7 or 8))
            .SelectMany(n => H264Packetizer.Packetize(n, 1200)).ToList();
        Assert.True(ours.Count == ffmpegPayloads.Count, $"ffmpeg sent {ffmpegPayloads.Count} single-NAL and FU-A packets for the slices; you made {ours.Count} with MTU 1200. See README §H.264 payload.");
        for (int i = 0; i < ours.Count; i++)
        {
            HexDiff.AssertEqual(ffmpegPayloads[i], ours[i], $"payload {i} of the slices (ffmpeg -pkt_size 1200)", "README §H.264 payload");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Packetising_then_depacketising_gives_back_every_nal_unit_for_any_mtu()
    {
        var nals = Captures.AnnexBNalUnits();
        foreach (int mtu in new[] { 100, 576, 1200, 1500 })
        {
            var depacketizer = new H264Depacketizer();
            var back = new List<byte[]>();
            ushort sequence = 65000;
            foreach (var nal in nals)
            {
                foreach (var payload in H264Packetizer.Packetize(nal, mtu))
                {
                    Assert.True(payload.Length + 12 <= mtu, $"MTU {mtu}: a payload of {payload.Length} bytes makes a {payload.Length + 12}-byte packet. See README §H.264 payload.");
                    back.AddRange(depacketizer.Push(Packet(sequence++, payload)));
                }
            }

            Assert.True(back.Count == nals.Count && back.Zip(nals).All(p => p.First.AsSpan().SequenceEqual(p.Second)),
                $"MTU {mtu}: packetising the {nals.Count} NAL units of clip.h264 and depacketising them must give them back unchanged (across the sequence wrap at 65535); got {back.Count} units.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_lost_fragment_drops_its_nal_unit_and_the_next_one_comes_through()
    {
        var depacketizer = new H264Depacketizer();
        var got = new List<byte[]>();
        got.AddRange(depacketizer.Push(Packet(10, 0x7C, 0x85, 1, 2)));
        // 11 (the middle fragment) is lost
        got.AddRange(depacketizer.Push(Packet(12, 0x7C, 0x45, 5, 6)));
        got.AddRange(depacketizer.Push(Packet(13, 0x41, 9, 9)));
        Assert.True(got.Count == 1 && got[0].AsSpan().SequenceEqual(new byte[] { 0x41, 9, 9 }),
            $"After a lost FU-A fragment the damaged NAL unit is dropped and the next single NAL unit (41 09 09) comes through; got {got.Count} units: {string.Join(" | ", got.Select(Convert.ToHexString))}. See README §H.264 payload.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_dropped_unit_is_counted_and_payloads_mode_1_does_not_allow_throw_RtpException()
    {
        var depacketizer = new H264Depacketizer();
        depacketizer.Push(Packet(10, 0x7C, 0x85, 1, 2)); // FU-A start of an IDR slice
        Assert.True(depacketizer.DroppedFragmentedUnits == 0, $"Nothing is dropped yet; got DroppedFragmentedUnits {depacketizer.DroppedFragmentedUnits}.");
        depacketizer.Push(Packet(12, 0x7C, 0x45, 5, 6)); // 11 is lost: the unit is dropped
        Assert.True(depacketizer.DroppedFragmentedUnits == 1, $"A lost middle fragment drops its NAL unit and counts it: DroppedFragmentedUnits 1; got {depacketizer.DroppedFragmentedUnits}. See README §H.264 payload.");
        var units = depacketizer.Push(Packet(13, 0x78, 0x00, 0x03, 0x67, 0x42, 0x00, 0x00, 0x02, 0x68, 0xCE));
        Assert.True(units.Count == 2 && units[0].AsSpan().SequenceEqual(new byte[] { 0x67, 0x42, 0x00 }) && units[1].AsSpan().SequenceEqual(new byte[] { 0x68, 0xCE }),
            $"A STAP-A (RFC 6184 §5.7.1) with 16-bit sizes 3 and 2 gives its two NAL units 674200 and 68CE; got {string.Join(" | ", units.Select(Convert.ToHexString))}. See README §H.264 payload.");

        (byte[] Payload, string What)[] bad =
        [
            ([0x79, 0x00, 0x01, 0x41], "type 25 (STAP-B)"),
            ([0x7A, 0x00, 0x01, 0x41], "type 26 (MTAP16)"),
            ([0x7B, 0x00, 0x01, 0x41], "type 27 (MTAP24)"),
            ([0x7D, 0x85, 0x00, 0x00, 0x01], "type 29 (FU-B)"),
            ([0x78, 0x00, 0x05, 0x67, 0x42], "a STAP-A whose unit says 5 bytes with 2 left"),
            ([0x7C], "an FU-A without its FU header"),
        ];
        ushort sequence = 14;
        foreach (var (payload, what) in bad)
        {
            var error = Record.Exception(() => new H264Depacketizer().Push(Packet(sequence++, payload)));
            Assert.True(error is RtpException, $"Push of {Convert.ToHexString(payload)}, {what}: expected RtpException (README §H.264 payload, §Errors); got {error?.GetType().Name ?? "no exception"}.");
        }
    }
}
