namespace Lab08.Sfu.Tests;

/// <summary>M1: the RTP packet (RFC 3550 §5.1), RFC 8285 header extensions, wrap-around arithmetic. No network.</summary>
public class M1RtpTests
{
    private const string Milestone = "M1 RTP and H.264 payloads";

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Write_lays_out_the_fixed_header_and_csrcs_as_RFC_3550_5_1_draws_them()
    {
        var packet = new RtpPacket
        {
            Marker = true,
            PayloadType = 96,
            SequenceNumber = 0xFFFE,
            Timestamp = 0xDEADBEEF,
            Ssrc = 0x12345678,
            Payload = new byte[] { 0xAA, 0xBB },
        };
        packet.Csrcs.Add(0x01020304);
        packet.Csrcs.Add(0x0A0B0C0D);

        // V=2 P=0 X=0 CC=2 → 0x82; M=1 PT=96 → 0xE0; then seq, timestamp, SSRC, the two CSRCs, the payload.
        byte[] expected = Bytes("82 E0 FFFE DEADBEEF 12345678 01020304 0A0B0C0D AABB");
        var actual = new byte[64];
        int written = packet.Write(actual);

        Assert.True(written == expected.Length, $"Write returned {written}; the packet is {expected.Length} bytes (12 header + 2×4 CSRC + 2 payload). See README §RTP packets.");
        HexDiff.AssertEqual(expected, actual.AsSpan(0, written), "an RTP packet with M=1, PT=96, two CSRCs", "README §RTP packets (RFC 3550 §5.1)");
        Assert.True(packet.Size == expected.Length, $"Size: expected {expected.Length}, got {packet.Size}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Parse_reads_the_fixed_header_csrcs_and_payload()
    {
        var packet = RtpPacket.Parse(Bytes("82 E0 FFFE DEADBEEF 12345678 01020304 0A0B0C0D AABB"));

        Assert.True(packet.Marker, "M is the top bit of byte 1. See README §RTP packets.");
        Assert.True(packet.PayloadType == 96, $"PT: expected 96 (the low 7 bits of byte 1), got {packet.PayloadType}.");
        Assert.True(packet.SequenceNumber == 0xFFFE, $"Sequence number: expected 0xfffe (bytes 2-3), got 0x{packet.SequenceNumber:x4}.");
        Assert.True(packet.Timestamp == 0xDEADBEEF, $"Timestamp: expected 0xdeadbeef (bytes 4-7), got 0x{packet.Timestamp:x8}.");
        Assert.True(packet.Ssrc == 0x12345678, $"SSRC: expected 0x12345678 (bytes 8-11), got 0x{packet.Ssrc:x8}.");
        Assert.True(packet.Csrcs.SequenceEqual([0x01020304u, 0x0A0B0C0Du]), $"CSRCs: expected 01020304, 0a0b0c0d (CC = 2), got {string.Join(", ", packet.Csrcs.Select(c => c.ToString("x8", null)))}.");
        Assert.True(packet.ExtensionProfile is null, "X = 0: ExtensionProfile must be null.");
        HexDiff.AssertEqual([0xAA, 0xBB], packet.Payload.Span, "the payload after the CSRCs", "README §RTP packets");
        Assert.True(packet.PaddingSize == 0, $"P = 0: PaddingSize must be 0, got {packet.PaddingSize}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Padding_is_cut_from_the_payload_when_parsing_and_written_as_zeros_and_a_count()
    {
        // P=1: 3 payload bytes, then 4 bytes of padding whose last byte is the count (RFC 3550 §5.1).
        byte[] wire = Bytes("A0 60 0001 00000010 00000001 010203 000000 04");
        var packet = RtpPacket.Parse(wire);
        HexDiff.AssertEqual([1, 2, 3], packet.Payload.Span, "the payload of a padded packet (padding removed)", "README §RTP packets (padding)");
        Assert.True(packet.PaddingSize == 4, $"PaddingSize: expected 4 (the last byte), got {packet.PaddingSize}.");
        HexDiff.AssertEqual(wire, packet.ToArray(), "the padded packet written back", "README §RTP packets (padding)");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void One_byte_extension_elements_are_read_as_RFC_8285_4_2_draws_them()
    {
        // RFC 8285 §4.2's figure: 0xBEDE, length 3 words; ID=1 L=0 (1 byte), ID=2 L=1 (2 bytes), two padding
        // bytes, ID=3 L=3 (4 bytes).
        byte[] wire = Bytes("90 60 0001 00000010 00000001 BEDE 0003 10 AA 21 BBCC 00 00 33 01020304 FF");
        var packet = RtpPacket.Parse(wire);

        Assert.True(packet.ExtensionProfile == 0xBEDE, $"ExtensionProfile: expected 0xbede, got {packet.ExtensionProfile:x4}.");
        var got = string.Join(" ", packet.Extensions.Select(e => $"{e.Id}:{Convert.ToHexString(e.Data.Span)}"));
        Assert.True(got == "1:AA 2:BBCC 3:01020304", $"One-byte elements (id:data): expected \"1:AA 2:BBCC 3:01020304\" (length = L + 1, zero bytes are padding), got \"{got}\". See README §Header extensions.");
        HexDiff.AssertEqual(Bytes("10 AA 21 BBCC 00 00 33 01020304"), packet.ExtensionData.Span, "the extension body (3 words)", "README §Header extensions");
        HexDiff.AssertEqual([0xFF], packet.Payload.Span, "the payload after the 12-byte extension", "README §Header extensions");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Two_byte_extension_elements_are_read_as_RFC_8285_4_3_draws_them()
    {
        // RFC 8285 §4.3's figure: 0x1000, length 3 words; ID L=0 (no data), ID L=1, a padding byte, ID L=4.
        byte[] wire = Bytes("90 60 0001 00000010 00000001 1000 0003 07 00 08 01 AA 00 09 04 01020304 EE");
        var packet = RtpPacket.Parse(wire);
        var got = string.Join(" ", packet.Extensions.Select(e => $"{e.Id}:{Convert.ToHexString(e.Data.Span)}"));
        Assert.True(got == "7: 8:AA 9:01020304", $"Two-byte elements (id:data): expected \"7: 8:AA 9:01020304\" (8-bit id, 8-bit length, zero bytes between elements are padding), got \"{got}\". See README §Header extensions.");
        HexDiff.AssertEqual([0xEE], packet.Payload.Span, "the payload after the extension", "README §Header extensions");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Id_15_stops_one_byte_processing()
    {
        byte[] wire = Bytes("90 60 0001 00000010 00000001 BEDE 0002 10 AA F0 55 20 BB 00 00");
        var packet = RtpPacket.Parse(wire);
        var got = string.Join(" ", packet.Extensions.Select(e => $"{e.Id}:{Convert.ToHexString(e.Data.Span)}"));
        Assert.True(got == "1:AA", $"RFC 8285 §4.2: ID 15 is reserved and processing stops at it; expected only \"1:AA\", got \"{got}\".");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Write_puts_elements_in_the_profiles_form_padded_to_a_word()
    {
        var one = new RtpPacket { PayloadType = 96, SequenceNumber = 1, Timestamp = 16, Ssrc = 1, ExtensionProfile = 0xBEDE, Payload = new byte[] { 0xFF } };
        one.Extensions.Add(new RtpHeaderExtension(1, new byte[] { 0xAA }));
        one.Extensions.Add(new RtpHeaderExtension(2, new byte[] { 0xBB, 0xCC }));
        HexDiff.AssertEqual(Bytes("90 60 0001 00000010 00000001 BEDE 0002 10 AA 21 BBCC 000000 FF"), one.ToArray(),
            "one-byte form: 0xBEDE, length 2 words, (ID<<4 | len-1) then data, zeros to the word boundary", "README §Header extensions (RFC 8285 §4.2)");

        var two = new RtpPacket { PayloadType = 96, SequenceNumber = 1, Timestamp = 16, Ssrc = 1, ExtensionProfile = 0x1000, Payload = new byte[] { 0xFF } };
        two.Extensions.Add(new RtpHeaderExtension(200, new byte[] { 0xAA, 0xBB, 0xCC }));
        HexDiff.AssertEqual(Bytes("90 60 0001 00000010 00000001 1000 0002 C8 03 AABBCC 000000 FF"), two.ToArray(),
            "two-byte form: 0x1000, length 2 words, ID, length, data, zeros to the word boundary", "README §Header extensions (RFC 8285 §4.3)");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Write_and_Packetize_throw_ArgumentException_for_what_they_cannot_write()
    {
        static RtpPacket Packet(ushort? profile = null) => new() { PayloadType = 96, SequenceNumber = 1, Timestamp = 16, Ssrc = 1, ExtensionProfile = profile, Payload = new byte[] { 0xFF } };
        static void Throws(string what, Action action)
        {
            var error = Record.Exception(action);
            Assert.True(error is ArgumentException, $"{what}: expected ArgumentException (README §Errors); got {error?.GetType().Name ?? "no exception"}.");
        }

        static void Writes(string what, RtpPacket packet)
        {
            var error = Record.Exception(() => packet.ToArray());
            Assert.True(error is null, $"{what} can be written (RFC 8285); got {error?.GetType().Name}: {error?.Message}.");
        }

        Throws("a 13-byte packet into 12 bytes", () => Packet().Write(new byte[12]));
        var csrcs = Packet();
        for (uint c = 0; c < 16; c++)
        {
            csrcs.Csrcs.Add(c);
        }

        Throws("16 CSRCs (CC is 4 bits)", () => csrcs.ToArray());
        csrcs.Csrcs.RemoveAt(15);
        Assert.True(csrcs.ToArray()[0] == 0x8F, "15 CSRCs fit: the first byte is 8F (V=2, CC=15). See README §RTP packets.");

        (byte Id, int Length, bool Fits)[] oneByte = [(0, 1, false), (15, 1, false), (1, 0, false), (1, 17, false), (14, 16, true), (1, 1, true)];
        foreach (var (id, length, fits) in oneByte)
        {
            var packet = Packet(0xBEDE);
            packet.Extensions.Add(new RtpHeaderExtension(id, new byte[length]));
            string what = $"a one-byte-form element (0xBEDE) with id {id} and {length} bytes";
            if (fits)
            {
                Writes(what, packet);
            }
            else
            {
                Throws(what + " (RFC 8285 §4.2: id 1-14, 1-16 bytes)", () => packet.ToArray());
            }
        }

        (byte Id, int Length, bool Fits)[] twoByte = [(0, 1, false), (1, 256, false), (255, 255, true), (1, 0, true)];
        foreach (var (id, length, fits) in twoByte)
        {
            var packet = Packet(0x1000);
            packet.Extensions.Add(new RtpHeaderExtension(id, new byte[length]));
            string what = $"a two-byte-form element (0x1000) with id {id} and {length} bytes";
            if (fits)
            {
                Writes(what, packet);
            }
            else
            {
                Throws(what + " (RFC 8285 §4.3: id 1-255, 0-255 bytes)", () => packet.ToArray());
            }
        }

        var raw = Packet(0x1234);
        raw.ExtensionData = new byte[] { 1, 2, 3 };
        Throws("an extension body of 3 bytes (RFC 3550 §5.3.1: whole 32-bit words)", () => raw.ToArray());

        Throws("an empty NAL unit", () => H264Packetizer.Packetize([], 1200));
        Throws("MTU 14: 2 payload bytes, no room for an FU-A's data", () => H264Packetizer.Packetize([0x65, 1, 2, 3], 14));
        string got = string.Join(" | ", H264Packetizer.Packetize([0x65, 1, 2, 3], 15).Select(Convert.ToHexString));
        Assert.True(got == "7C8501 | 7C0502 | 7C4503", $"MTU 15 leaves 3 payload bytes: FU-As of one data byte each, 7C8501 | 7C0502 | 7C4503; got {got}. See README §H.264 payload.");
    }

    public static TheoryData<string, string, int> BadPackets => new()
    {
        { "80 60 0001 00000010 000000", "header", 11 },                              // 11 bytes: shorter than the fixed header
        { "40 60 0001 00000010 00000001 AA", "version", 0 },                        // V = 1
        { "C0 60 0001 00000010 00000001 AA", "version", 0 },                        // V = 3
        { "83 60 0001 00000010 00000001 01020304 05060708", "csrc", 12 },           // CC = 3, only 2 CSRCs
        { "90 60 0001 00000010 00000001 BE", "extension", 12 },                     // X = 1, extension header cut
        { "90 60 0001 00000010 00000001 BEDE 0002 10AA0000", "extension", 14 },     // length 2 words, only 1 present
        { "A0 60 0001 00000010 00000001 0102 05", "padding", 14 },                  // padding count 5, only 3 bytes after the header
        { "A0 60 0001 00000010 00000001 0102 00", "padding", 14 },                  // padding count 0
        { "90 60 0001 00000010 00000001 BEDE 0001 13 AABB00", "extension element", 16 }, // L=3 (4 bytes) in a 4-byte body
        { "90 60 0001 00000010 00000001 1000 0001 05 04 AABB", "extension element", 16 },  // two-byte form: 4 bytes of data, 2 present
        { "90 60 0001 00000010 00000001 1000 0001 00 00 00 05", "extension element", 19 }, // two-byte form: an id with no length byte
    };

    [Theory]
    [MemberData(nameof(BadPackets))]
    [Trait("Milestone", Milestone)]
    public void Bad_packets_throw_RtpException_with_the_field_and_offset(string hex, string field, int offset)
    {
        var error = Record.Exception(() => RtpPacket.Parse(Bytes(hex)));
        Assert.True(error is RtpException, $"Parsing {hex} must throw RtpException (field \"{field}\"); got {error?.GetType().Name ?? "no exception"}: {error?.Message}. See README §Errors.");
        var rtp = (RtpException)error!;
        Assert.True(rtp.Field == field && rtp.Offset == offset, $"Parsing {hex}: expected field \"{field}\" at offset {offset}, got \"{rtp.Field}\" at {rtp.Offset}. See README §Errors.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Every_packet_ffmpeg_sent_parses_and_writes_back_byte_for_byte()
    {
        var packets = Captures.RtpPackets();
        for (int i = 0; i < packets.Count; i++)
        {
            var packet = RtpPacket.Parse(packets[i]);
            Assert.True(packet.PayloadType == 96 && packet.Ssrc == 305419896,
                $"Packet {i} of testdata/08-sfu/clip.rtpcap: ffmpeg sent PT 96 and SSRC 305419896 (make.sh), you read PT {packet.PayloadType} and SSRC {packet.Ssrc}.");
            if (i > 0)
            {
                var previous = RtpPacket.Parse(packets[i - 1]);
                Assert.True(packet.SequenceNumber == (ushort)(previous.SequenceNumber + 1), $"Packet {i}: sequence numbers go up by one; got {previous.SequenceNumber} then {packet.SequenceNumber}.");
            }

            HexDiff.AssertEqual(packets[i], packet.ToArray(), $"packet {i} of ffmpeg's capture, parsed and written back", "README §RTP packets");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Sequence_numbers_and_timestamps_compare_across_wrap_around()
    {
        Assert.True(RtpSequence.Distance(65535, 2) == 3, $"Distance(65535, 2): expected +3 (wrap-around), got {RtpSequence.Distance(65535, 2)}. See README §Sequence numbers.");
        Assert.True(RtpSequence.Distance(2, 65535) == -3, $"Distance(2, 65535): expected -3, got {RtpSequence.Distance(2, 65535)}.");
        Assert.True(RtpSequence.Distance(100, 100 + 32767) == 32767, $"Distance(100, 32867): expected 32767, got {RtpSequence.Distance(100, 32867)}.");
        Assert.True(RtpSequence.IsNewer(2, 65535), "2 is newer than 65535 (it came after the wrap).");
        Assert.False(RtpSequence.IsNewer(65535, 2), "65535 is older than 2 when 2 came after the wrap.");
        Assert.False(RtpSequence.IsNewer(7, 7), "A number is not newer than itself.");
        Assert.True(RtpSequence.IsNewer(40000, 10000), "40000 is 30000 ahead of 10000: newer.");
        Assert.False(RtpSequence.IsNewer(50000, 10000), "50000 is 40000 ahead of 10000, more than half the space: it is older (RFC 1982).");
        Assert.True(RtpSequence.TimestampDistance(0xFFFFFF00, 0x100) == 512, $"TimestampDistance(0xffffff00, 0x100): expected 512, got {RtpSequence.TimestampDistance(0xFFFFFF00, 0x100)}.");
        Assert.True(RtpSequence.TimestampDistance(0x100, 0xFFFFFF00) == -512, $"TimestampDistance(0x100, 0xffffff00): expected -512, got {RtpSequence.TimestampDistance(0x100, 0xFFFFFF00)}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_unwrapper_counts_cycles_and_places_late_packets()
    {
        var unwrapper = new SequenceUnwrapper();
        long[] got = [.. new ushort[] { 65534, 65535, 0, 65535, 1, 2 }.Select(s => unwrapper.Unwrap(s))];
        long[] expected = [65534, 65535, 65536, 65535, 65537, 65538];
        Assert.True(got.SequenceEqual(expected), $"Extended sequence numbers of 65534, 65535, 0, 65535 (late), 1, 2: expected {string.Join(", ", expected)}, got {string.Join(", ", got)}. See README §Sequence numbers (RFC 3550 §A.1).");
        Assert.True(unwrapper.Highest == 65538, $"Highest: expected 65538, got {unwrapper.Highest}.");
    }
}
