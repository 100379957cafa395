namespace Lab08.Sfu.Tests;

/// <summary>M2: RTCP (RFC 3550 §6, RFC 4585 §6.2.1 and §6.3.1), reception statistics (§A.3, §A.8), bad input.</summary>
public class M2RtcpTests
{
    private const string Milestone = "M2 RTCP";

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    private static T Single<T>(byte[] datagram)
        where T : RtcpPacket
    {
        var packets = RtcpCompound.Parse(datagram);
        Assert.True(packets.Count == 1 && packets[0] is T, $"Parsing {Convert.ToHexString(datagram)}: expected one {typeof(T).Name}, got [{string.Join(", ", packets.Select(p => p.GetType().Name))}]. See README §RTCP.");
        return (T)packets[0];
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Ffmpegs_sender_reports_count_the_packets_and_payload_octets_it_sent()
    {
        var rtp = Captures.RtpPackets();
        long octets = rtp.Sum(p => p.Length - 12 - (4 * (p[0] & 0x0F))); // ffmpeg sends no extension and no padding
        var rtcp = Captures.RtcpPackets();
        Assert.True(rtcp.Count == 2, "testdata: ffmpeg sent two RTCP datagrams (an SR at the start, SR + BYE at the end).");

        var first = Single<SenderReport>(rtcp[0]);
        Assert.True(first.Ssrc == 305419896 && first.PacketCount == 0 && first.OctetCount == 0 && first.Reports.Count == 0,
            $"ffmpeg's first SR (before any RTP): SSRC 305419896, 0 packets, 0 octets, no blocks; you read SSRC {first.Ssrc}, {first.PacketCount} packets, {first.OctetCount} octets, {first.Reports.Count} blocks. See README §RTCP.");

        var last = RtcpCompound.Parse(rtcp[1]);
        Assert.True(last.Count == 2 && last[0] is SenderReport && last[1] is Goodbye, $"ffmpeg's last datagram is a compound SR + BYE; you read [{string.Join(", ", last.Select(p => p.GetType().Name))}].");
        var sr = (SenderReport)last[0];
        Assert.True(sr.PacketCount == rtp.Count && sr.OctetCount == octets,
            $"ffmpeg's last SR counts every RTP packet ({rtp.Count}) and payload octet ({octets}) of testdata/08-sfu/clip.rtpcap; you read {sr.PacketCount} packets and {sr.OctetCount} octets. See README §RTCP (RFC 3550 §6.4.1).");
        Assert.True(sr.NtpTimestamp > first.NtpTimestamp && (sr.NtpTimestamp >> 32) - (first.NtpTimestamp >> 32) <= 3,
            $"The NTP timestamps of the two SRs are one run of about a second apart: {first.NtpTimestamp:x16} then {sr.NtpTimestamp:x16}.");
        var bye = (Goodbye)last[1];
        Assert.True(bye.Sources.SequenceEqual([305419896u]) && bye.Reason is null, $"BYE: expected source 305419896 and no reason, got [{string.Join(", ", bye.Sources)}] '{bye.Reason}'.");

        HexDiff.AssertEqual(rtcp[1], RtcpCompound.Write(last), "ffmpeg's SR + BYE written back", "README §RTCP");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_receiver_report_block_is_laid_out_as_RFC_3550_6_4_1_draws_it()
    {
        var rr = new ReceiverReport { Ssrc = 0x01020304 };
        rr.Reports.Add(new ReceptionReport(0x12345678, 51, -1, 0x0001FFFF, 0x12, 0xA1B2C3D4, 0x00010000));
        // 0x81 (V=2, RC=1), 201, length 7 (32 bytes), reporter SSRC, then the 24-byte block; -1 is FF FF FF in 24 bits.
        byte[] expected = Bytes("81 C9 0007 01020304 12345678 33 FFFFFF 0001FFFF 00000012 A1B2C3D4 00010000");
        HexDiff.AssertEqual(expected, RtcpCompound.Write(rr), "an RR with one report block (fraction 51/256, cumulative lost -1)", "README §RTCP");

        var back = Single<ReceiverReport>(expected);
        Assert.True(back.Ssrc == 0x01020304 && back.Reports.Count == 1 && back.Reports[0] == rr.Reports[0],
            $"Parsing the RR back: expected {rr.Reports[0]}, got {(back.Reports.Count > 0 ? back.Reports[0].ToString() : "no block")}. The cumulative loss is 24-bit signed.");

        var clamped = new ReceiverReport { Ssrc = 1 };
        clamped.Reports.Add(new ReceptionReport(2, 0, 10_000_000, 0, 0, 0, 0));
        HexDiff.AssertEqual(Bytes("7FFFFF"), RtcpCompound.Write(clamped).AsSpan(13, 3), "a cumulative loss of 10 000 000 clamped to 24 bits", "README §RTCP (RFC 3550 §A.3)");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Sdes_bye_and_pli_have_their_rfc_layouts()
    {
        var sdes = new SourceDescription();
        sdes.Chunks.Add(new SdesChunk(0x12345678, [new SdesItem(SdesItem.Cname, "ab")]));
        // chunk: SSRC, CNAME (1) length 2 "ab", END (0), zeros to the word: 4 + 8 bytes; packet 16 bytes, length 3.
        HexDiff.AssertEqual(Bytes("81 CA 0003 12345678 01 02 6162 00 000000"), RtcpCompound.Write(sdes), "SDES with CNAME \"ab\"", "README §RTCP (RFC 3550 §6.5)");
        var sdesBack = Single<SourceDescription>(Bytes("81 CA 0003 12345678 01 02 6162 00 000000"));
        Assert.True(sdesBack.Chunks.Count == 1 && sdesBack.Chunks[0].Ssrc == 0x12345678 && sdesBack.Chunks[0].Items.Single() == new SdesItem(1, "ab"), "Parsing SDES back: one chunk, CNAME \"ab\".");

        var bye = new Goodbye { Reason = "bye" };
        bye.Sources.Add(0x12345678);
        HexDiff.AssertEqual(Bytes("81 CB 0002 12345678 03 627965"), RtcpCompound.Write(bye), "BYE with a reason \"bye\"", "README §RTCP (RFC 3550 §6.6)");
        var byeBack = Single<Goodbye>(Bytes("81 CB 0002 12345678 03 627965"));
        Assert.True(byeBack.Reason == "bye" && byeBack.Sources.Single() == 0x12345678, $"Parsing BYE back: source 12345678, reason \"bye\"; got '{byeBack.Reason}'.");

        var pli = new PictureLossIndication { SenderSsrc = 1, MediaSsrc = 0x12345678 };
        HexDiff.AssertEqual(Bytes("81 CE 0002 00000001 12345678"), RtcpCompound.Write(pli), "PLI: PSFB 206, FMT 1, sender and media SSRC", "README §PLI (RFC 4585 §6.3.1)");
        var pliBack = Single<PictureLossIndication>(Bytes("81 CE 0002 00000001 12345678"));
        Assert.True(pliBack.SenderSsrc == 1 && pliBack.MediaSsrc == 0x12345678, "Parsing PLI back: sender 1, media 12345678.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Nack_items_pack_up_to_17_losses_each()
    {
        static string Show(IEnumerable<NackItem> items) => string.Join(" ", items.Select(i => $"{i.PacketId}/{i.LostBitmask:X4}"));

        Assert.True(Show(GenericNack.Pack([100, 102, 116])) == "100/8002", $"Lost 100, 102, 116: expected one item PID 100, BLP 0x8002 (bit 1 = 102, bit 15 = 116); got {Show(GenericNack.Pack([100, 102, 116]))}. See README §NACK.");
        var seventeen = Enumerable.Range(100, 17).Select(i => (ushort)i);
        Assert.True(Show(GenericNack.Pack(seventeen)) == "100/FFFF", $"17 consecutive losses 100..116 fit one item (100/FFFF); got {Show(GenericNack.Pack(seventeen))}.");
        var eighteen = Enumerable.Range(100, 18).Select(i => (ushort)i);
        Assert.True(Show(GenericNack.Pack(eighteen)) == "100/FFFF 117/0000", $"18 consecutive losses need two items (100/FFFF 117/0000); got {Show(GenericNack.Pack(eighteen))}.");
        Assert.True(Show(GenericNack.Pack([65535, 0, 1])) == "65535/0003", $"Losses across the wrap 65535, 0, 1: one item 65535/0003; got {Show(GenericNack.Pack([65535, 0, 1]))}.");
        Assert.True(Show(GenericNack.Pack([10, 30])) == "10/0000 30/0000", $"10 and 30 are 20 apart: two items; got {Show(GenericNack.Pack([10, 30]))}.");
        Assert.True(GenericNack.Pack([]).Count == 0, "No losses: no items.");

        var nack = new GenericNack { SenderSsrc = 1, MediaSsrc = 0x12345678 };
        nack.Items.Add(new NackItem(100, 0x8002));
        nack.Items.Add(new NackItem(65535, 0x0001));
        byte[] expected = Bytes("81 CD 0004 00000001 12345678 0064 8002 FFFF 0001");
        HexDiff.AssertEqual(expected, RtcpCompound.Write(nack), "generic NACK: RTPFB 205, FMT 1, two (PID, BLP) items", "README §NACK (RFC 4585 §6.2.1)");
        var back = Single<GenericNack>(expected);
        var lost = back.LostSequenceNumbers().ToArray();
        Assert.True(lost.SequenceEqual(new ushort[] { 100, 102, 116, 65535, 0 }), $"LostSequenceNumbers of 100/8002 65535/0001: expected 100 102 116 65535 0, got {string.Join(" ", lost)}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_compound_packet_is_read_in_order_and_unknown_types_are_skipped()
    {
        // RR (no blocks), APP (204, skipped: 12 bytes), PLI.
        byte[] datagram = Bytes("80 C9 0001 00000009  80 CC 0002 00000009 61626364  81 CE 0002 00000009 12345678");
        var packets = RtcpCompound.Parse(datagram);
        string got = string.Join(", ", packets.Select(p => p.GetType().Name));
        Assert.True(got == "ReceiverReport, PictureLossIndication", $"RR + APP + PLI: expected \"ReceiverReport, PictureLossIndication\" (APP skipped by its length), got \"{got}\". See README §RTCP.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Rtp_and_rtcp_on_one_port_are_told_apart_by_the_second_byte()
    {
        (string Hex, bool Rtcp)[] cases = [("80C8", true), ("81CD", true), ("80C0", true), ("80DF", true), ("80E0", false), ("80BF", false), ("8060", false), ("80", false)];
        foreach (var (hex, rtcp) in cases)
        {
            Assert.True(RtcpCompound.IsRtcp(Bytes(hex)) == rtcp, $"IsRtcp({hex}): expected {rtcp} (RFC 5761 §4: the second byte is 192-223 for RTCP). See README §RTCP.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Sender_and_receiver_reports_carry_their_blocks_one_after_the_other()
    {
        // RFC 3550 §6.4.1: SR header (RC = 2), sender info (SSRC, NTP 64 bits, RTP timestamp, packet count, octet count), then
        // two 24-byte blocks; length (4 + 24 + 48) / 4 − 1 = 18. The second block's cumulative loss of −10 000 000 is clamped
        // to −8388608, 80 00 00 in 24 bits.
        var sr = new SenderReport { Ssrc = 0x12345678, NtpTimestamp = 0xE123456789ABCDEF, RtpTimestamp = 90000, PacketCount = 10, OctetCount = 4096 };
        sr.Reports.Add(new ReceptionReport(0x0000ABCD, 25, 5, 0x00010010, 32, 0x456789AB, 1024));
        sr.Reports.Add(new ReceptionReport(0x0000DCBA, 0, -10_000_000, 7, 0, 0, 0));
        byte[] expected = Bytes("82 C8 0012 12345678 E1234567 89ABCDEF 00015F90 0000000A 00001000" +
            " 0000ABCD 19 000005 00010010 00000020 456789AB 00000400" +
            " 0000DCBA 00 800000 00000007 00000000 00000000 00000000");
        HexDiff.AssertEqual(expected, RtcpCompound.Write(sr), "an SR with two report blocks (the second's loss clamped)", "README §RTCP (RFC 3550 §6.4.1)");
        var back = Single<SenderReport>(expected);
        Assert.True(back.Ssrc == 0x12345678 && back.NtpTimestamp == 0xE123456789ABCDEF && back.RtpTimestamp == 90000 && back.PacketCount == 10 && back.OctetCount == 4096,
            $"The SR's sender info read back: expected SSRC 12345678, NTP e123456789abcdef, RTP 90000, 10 packets, 4096 octets; got {back.Ssrc:x8}, {back.NtpTimestamp:x16}, {back.RtpTimestamp}, {back.PacketCount}, {back.OctetCount}. See README §RTCP.");
        Assert.True(back.Reports.Count == 2 && back.Reports[0] == sr.Reports[0] && back.Reports[1] == new ReceptionReport(0x0000DCBA, 0, -8388608, 7, 0, 0, 0),
            $"The SR's two blocks read back: expected {sr.Reports[0]} and the second with cumulative lost -8388608; got {string.Join(" and ", back.Reports)}. See README §RTCP.");

        // RFC 3550 §6.4.2: RR header (RC = 2), the reporter's SSRC, two blocks; length (4 + 4 + 48) / 4 − 1 = 13.
        var rr = new ReceiverReport { Ssrc = 0x01020304 };
        rr.Reports.Add(new ReceptionReport(0x0000ABCD, 25, -2, 0x00010010, 32, 0x456789AB, 1024));
        rr.Reports.Add(new ReceptionReport(0x0000DCBA, 255, 0x7FFFFF, 7, 1, 2, 3));
        byte[] expectedRr = Bytes("82 C9 000D 01020304" +
            " 0000ABCD 19 FFFFFE 00010010 00000020 456789AB 00000400" +
            " 0000DCBA FF 7FFFFF 00000007 00000001 00000002 00000003");
        HexDiff.AssertEqual(expectedRr, RtcpCompound.Write(rr), "an RR with two report blocks", "README §RTCP (RFC 3550 §6.4.2)");
        var backRr = Single<ReceiverReport>(expectedRr);
        Assert.True(backRr.Ssrc == 0x01020304 && backRr.Reports.SequenceEqual(rr.Reports),
            $"The RR read back: expected reporter 01020304 and {string.Join(" and ", rr.Reports)}; got {backRr.Ssrc:x8} and {string.Join(" and ", backRr.Reports)}. See README §RTCP.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_common_header_holds_a_5_bit_count_and_a_length_in_words()
    {
        var header = new byte[4];
        RtcpPacket.WriteHeader(header, 31, 201, 4);
        HexDiff.AssertEqual(Bytes("9F C9 0000"), header, "the header of a 4-byte RR with count 31 (V=2, P=0, RC=31, PT 201, length 0)", "README §RTCP (RFC 3550 §6.4.1)");
        RtcpPacket.WriteHeader(header, 0, 203, 65536 * 4);
        HexDiff.AssertEqual(Bytes("80 CB FFFF"), header, "the header of the largest packet (65536 words: length 65535)", "README §RTCP");
        foreach (var (count, size, what) in new[] { (32, 8, "count 32 (5 bits)"), (-1, 8, "count -1"), (1, 6, "size 6 (not whole words)"), (1, 0, "size 0 (shorter than the header)") })
        {
            var error = Record.Exception(() => RtcpPacket.WriteHeader(header, count, 201, size));
            Assert.True(error is ArgumentException, $"WriteHeader with {what}: expected ArgumentException (README §RTCP); got {error?.GetType().Name ?? "no exception"}.");
        }

        var sdes = new SourceDescription();
        sdes.Chunks.Add(new SdesChunk(1, [new SdesItem(SdesItem.Cname, new string('a', 256))]));
        var bye = new Goodbye { Reason = new string('b', 256) };
        Assert.True(Record.Exception(() => RtcpCompound.Write(sdes)) is ArgumentException && Record.Exception(() => RtcpCompound.Write(bye)) is ArgumentException,
            "An SDES item or a BYE reason of 256 bytes does not fit its 8-bit length (RFC 3550 §6.5, §6.6): ArgumentException. See README §RTCP.");
        var item0 = new SourceDescription();
        item0.Chunks.Add(new SdesChunk(1, [new SdesItem(0, "a")]));
        Assert.True(Record.Exception(() => RtcpCompound.Write(item0)) is ArgumentException, "An SDES item of type 0 would read as END (RFC 3550 §6.5): ArgumentException. See README §RTCP.");
        var longest = new Goodbye { Reason = new string('c', 255) };
        longest.Sources.Add(7);
        var back = Single<Goodbye>(RtcpCompound.Write(longest));
        Assert.True(back.Reason == longest.Reason && back.Sources.SequenceEqual([7u]), "A BYE reason of 255 bytes fits and reads back. See README §RTCP.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Padding_is_cut_from_a_packets_body_and_the_next_packet_follows_its_length()
    {
        // RFC 3550 §6.4.1: with P = 1 the packet's last byte counts the padding bytes (itself included) that are not part
        // of the body; the length field still covers them. A BYE whose body is its source and 4 bytes of padding: no reason.
        var packets = RtcpCompound.Parse(Bytes("A1 CB 0002 12345678 00000004  81 CE 0002 00000001 12345678"));
        var bye = packets.Count > 0 ? packets[0] as Goodbye : null;
        Assert.True(packets.Count == 2 && bye is not null && bye.Sources.SequenceEqual([0x12345678u]) && bye.Reason is null && packets[1] is PictureLossIndication,
            $"A padded BYE (source 12345678, 4 bytes of padding, no reason) then a PLI: expected [Goodbye, PictureLossIndication] with no reason; got [{string.Join(", ", packets.Select(p => p.GetType().Name))}]" +
            $"{(bye is null ? "" : $", reason {(bye.Reason is null ? "null" : $"\"{bye.Reason}\"")}")}. See README §RTCP.");

        // The padding may be the whole body: a BYE with no sources, 4 bytes of padding.
        var empty = RtcpCompound.Parse(Bytes("A0 CB 0001 00000004"));
        Assert.True(empty.Count == 1 && empty[0] is Goodbye { Sources.Count: 0, Reason: null },
            $"\"A0 CB 0001 00000004\" is a BYE whose 4-byte body is all padding (count 4 = the body's length): no sources, no reason; got [{string.Join(", ", empty.Select(p => p.GetType().Name))}]. See README §RTCP.");
    }

    public static TheoryData<string, string, int> BadRtcp => new()
    {
        { "80 C8", "rtcp header", 0 },
        { "80 C9 0001 00000001 80", "rtcp header", 8 },
        { "40 C9 0001 00000001", "version", 0 },
        { "80 C9 0001 00000001 C0C9 0001 00000001", "version", 8 },
        { "80 C9 0005 00000001", "rtcp length", 2 },
        { "82 C9 0001 00000001", "report count", 4 },
        { "80 C8 0001 00000001", "report count", 4 },
        { "A0 C9 0001 00000000", "padding", 7 },
        { "81 CA 0002 00000001 0105 6162", "sdes", 8 },
        { "82 CB 0001 00000001", "bye", 4 },
        { "81 CD 0001 00000001", "feedback", 4 },
        { "81 CE 0001 00000001", "feedback", 4 },                    // a PLI with only one SSRC
        { "82 CA 0003 00000001 01 02 6162 00 000000", "sdes", 16 },  // two chunks announced, the second starts at the end
        { "81 CA 0002 00000001 01 02 6162", "sdes", 12 },            // the items run to the end with no END byte
        { "81 CA 0002 00000001 01 01 61 07", "sdes", 11 },           // an item of type 7 with no length byte
        { "81 CB 0002 12345678 05 616263", "bye", 8 },               // a reason of 5 bytes, 3 present
    };

    [Theory]
    [MemberData(nameof(BadRtcp))]
    [Trait("Milestone", Milestone)]
    public void Bad_rtcp_throws_RtpException_with_the_field_and_offset(string hex, string field, int offset)
    {
        var error = Record.Exception(() => RtcpCompound.Parse(Bytes(hex)));
        Assert.True(error is RtpException, $"Parsing RTCP {hex} must throw RtpException (field \"{field}\"); got {error?.GetType().Name ?? "no exception"}: {error?.Message}. See README §Errors.");
        var rtp = (RtpException)error!;
        Assert.True(rtp.Field == field && rtp.Offset == offset, $"Parsing RTCP {hex}: expected field \"{field}\" at offset {offset}, got \"{rtp.Field}\" at {rtp.Offset}. See README §Errors.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Reception_statistics_follow_RFC_3550_A_3_across_the_wrap()
    {
        var stats = new ReceptionStatistics();
        foreach (ushort sequence in new ushort[] { 65534, 65535, 1, 2 }) // 0 is lost
        {
            stats.OnPacket(sequence, 0, 0);
        }

        var first = stats.CreateReport(7);
        // expected = 65538 - 65534 + 1 = 5, received 4: 1 lost, fraction (1 << 8) / 5 = 51.
        Assert.True(first.Ssrc == 7 && first.ExtendedHighestSequence == 65538 && first.CumulativeLost == 1 && first.FractionLost == 51,
            $"After 65534, 65535, (0 lost), 1, 2: expected extended highest 65538, cumulative lost 1, fraction 51 (= 256 × 1/5); got {first.ExtendedHighestSequence}, {first.CumulativeLost}, {first.FractionLost}. See README §Reports (RFC 3550 §A.3).");

        foreach (ushort sequence in new ushort[] { 3, 4, 5, 5 }) // a duplicate counts as received (§A.3)
        {
            stats.OnPacket(sequence, 0, 0);
        }

        var second = stats.CreateReport(7);
        Assert.True(second.FractionLost == 0 && second.CumulativeLost == 0 && second.ExtendedHighestSequence == 65541,
            $"Then 3, 4, 5 and 5 again: nothing lost in the interval (fraction 0), and the duplicate makes the cumulative loss 0 (expected 8, received 8); got fraction {second.FractionLost}, cumulative {second.CumulativeLost}, highest {second.ExtendedHighestSequence}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_late_packet_older_than_the_first_becomes_the_base()
    {
        var stats = new ReceptionStatistics();
        foreach (ushort sequence in new ushort[] { 100, 102, 99 }) // 101 lost; 99 arrives late, after 100 and 102
        {
            stats.OnPacket(sequence, 0, 0);
        }

        Assert.True(stats.Expected == 4 && stats.Received == 3 && stats.CumulativeLost == 1 && stats.ExtendedHighest == 102,
            $"After 100, 102 and a late 99: the base is 99 (README §Reports), so expected 4 (99..102), received 3, cumulative lost 1 (101), extended highest 102; got expected {stats.Expected}, received {stats.Received}, lost {stats.CumulativeLost}, highest {stats.ExtendedHighest}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Jitter_is_computed_as_RFC_3550_A_8_does()
    {
        var stats = new ReceptionStatistics();
        // 30 fps at 90 kHz: timestamps 3000 apart. The second packet arrives 160 units late, the others on time.
        (uint Timestamp, uint Arrival)[] packets = [(0, 1000), (3000, 4160), (6000, 7000), (9000, 10000)];
        uint[] expected = [0, 10, 19, 18]; // J += (|D| - J) / 16: 160/16 = 10; 10 + (160 - 10)/16 = 19.4; 19.4 - 19.4/16 = 18.2
        for (int i = 0; i < packets.Length; i++)
        {
            stats.OnPacket((ushort)(i + 1), packets[i].Timestamp, packets[i].Arrival);
            Assert.True(stats.Jitter == expected[i], $"Jitter after packet {i + 1} (transit differences 160, 160, 0): expected {expected[i]}, got {stats.Jitter}. See README §Reports (RFC 3550 §A.8).");
        }

        Assert.True(stats.CreateReport(1).Jitter == 18, "The report block carries the jitter.");
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", Milestone)]
    public void A_seeded_fuzz_of_every_parser_throws_only_RtpException()
    {
        var seeds = new List<byte[]>();
        seeds.AddRange(Captures.RtpPackets().Take(8));
        seeds.AddRange(Captures.RtcpPackets());
        seeds.Add(Bytes("90 60 0001 00000010 00000001 BEDE 0003 10 AA 21 BBCC 00 00 33 01020304 FF"));
        seeds.Add(Bytes("90 60 0001 00000010 00000001 1000 0003 07 00 08 01 AA 00 09 04 01020304 EE"));
        seeds.Add(Bytes("81 CA 0003 12345678 01 02 6162 00 000000 81 CD 0004 00000001 12345678 0064 8002 FFFF 0001"));
        seeds.Add(Bytes("81 CB 0002 12345678 03 627965 81 CE 0002 00000001 12345678"));
        var random = new Random(8);
        int rejected = 0;
        for (int n = 0; n < 4000; n++)
        {
            var input = seeds[random.Next(seeds.Count)].ToArray();
            int flips = random.Next(1, 4);
            for (int f = 0; f < flips; f++)
            {
                input[random.Next(Math.Min(input.Length, 40))] = (byte)random.Next(256);
            }

            if (random.Next(3) == 0)
            {
                input = input[..random.Next(input.Length + 1)];
            }

            try
            {
                if (RtcpCompound.IsRtcp(input))
                {
                    RtcpCompound.Parse(input);
                }
                else
                {
                    var packet = RtpPacket.Parse(input);
                    H264Payload.IsKeyframe(packet.Payload.Span);
                    new H264Depacketizer().Push(packet);
                }
            }
            catch (RtpException)
            {
                rejected++;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"Fuzz input {n}, {Convert.ToHexString(input)}: expected a parse or RtpException, got {e.GetType().Name}: {e.Message}. See README §Errors.");
            }
        }

        Assert.True(rejected > 500, $"Of 4000 damaged packets only {rejected} were rejected: check the bounds (README §Errors).");
    }
}
