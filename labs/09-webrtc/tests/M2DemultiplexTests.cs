namespace Lab09.WebRtc.Tests;

/// <summary>M2: one UDP port, four protocols — the first-byte ranges of RFC 7983 §7 and RFC 5761 §4.</summary>
public class M2DemultiplexTests
{
    private const string Milestone = "M2 demultiplexing one port";

    /// <summary>RFC 7983 §7's table, both ends of every range and the gaps between them.</summary>
    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(0, PacketKind.Stun)]
    [InlineData(1, PacketKind.Stun)]
    [InlineData(3, PacketKind.Stun)]
    [InlineData(4, PacketKind.Unknown)]
    [InlineData(15, PacketKind.Unknown)]
    [InlineData(16, PacketKind.Zrtp)]
    [InlineData(19, PacketKind.Zrtp)]
    [InlineData(20, PacketKind.Dtls)]
    [InlineData(22, PacketKind.Dtls)]
    [InlineData(63, PacketKind.Dtls)]
    [InlineData(64, PacketKind.TurnChannel)]
    [InlineData(79, PacketKind.TurnChannel)]
    [InlineData(80, PacketKind.Unknown)]
    [InlineData(127, PacketKind.Unknown)]
    [InlineData(128, PacketKind.Rtp)]
    [InlineData(144, PacketKind.Rtp)]
    [InlineData(191, PacketKind.Rtp)]
    [InlineData(192, PacketKind.Unknown)]
    [InlineData(255, PacketKind.Unknown)]
    public void First_byte_ranges_follow_RFC_7983(byte first, PacketKind expected)
    {
        byte[] datagram = [first, 0x60, 0x00, 0x01, 0x21, 0x12, 0xA4, 0x42, 0, 0, 0, 0];
        var kind = PacketDemultiplexer.Classify(datagram);
        Assert.True(kind == expected, $"first byte {first}: expected {expected}, got {kind}. See README §Demultiplexing (RFC 7983 §7: 0-3 STUN, 16-19 ZRTP, 20-63 DTLS, 64-79 TURN, 128-191 RTP/RTCP, the rest dropped).");
    }

    /// <summary>RFC 5761 §4: the second byte of an RTCP packet is its packet type, 192–223 (SR 200 … PSFB 206).</summary>
    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(191, PacketKind.Rtp)]
    [InlineData(192, PacketKind.Rtcp)]
    [InlineData(200, PacketKind.Rtcp)]
    [InlineData(201, PacketKind.Rtcp)]
    [InlineData(205, PacketKind.Rtcp)]
    [InlineData(206, PacketKind.Rtcp)]
    [InlineData(223, PacketKind.Rtcp)]
    [InlineData(224, PacketKind.Rtp)]
    [InlineData(96, PacketKind.Rtp)]
    [InlineData(0x80 | 8, PacketKind.Rtp)]
    [InlineData(0, PacketKind.Rtp)]
    public void Second_byte_tells_RTCP_from_RTP(byte second, PacketKind expected)
    {
        byte[] datagram = [0x80, second, 0x00, 0x07, 0, 0, 0, 0, 0, 0, 0, 1];
        var kind = PacketDemultiplexer.Classify(datagram);
        Assert.True(kind == expected,
            $"first byte 0x80, second byte {second}: expected {expected}, got {kind}. See README §Demultiplexing (RFC 5761 §4: RTCP packet types are 192-223).");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Real_packets_are_sorted()
    {
        byte[] senderReport = Convert.FromHexString("80c80006deadbeef00000000000000000000000000000000000000000000"); // V=2, PT=200 (RFC 3550 §6.4.1)
        byte[] pli = Convert.FromHexString("81ce0002deadbeefcafebabe"); // V=2, FMT=1, PT=206 (RFC 4585 §6.3.1)
        byte[] h264 = Convert.FromHexString("80e0000100000000cafebabe65888400"); // V=2, M=1, PT=96
        byte[] clientHello = Convert.FromHexString("16fefd0000000000000000"); // DTLS 1.2 handshake record (RFC 6347 §4.1)
        (byte[] Datagram, PacketKind Expected, string What)[] cases =
        [
            (Rfc5769.Request, PacketKind.Stun, "RFC 5769's Binding request"),
            (Rfc5769.ResponseIPv4, PacketKind.Stun, "RFC 5769's Binding response"),
            (senderReport, PacketKind.Rtcp, "an RTCP sender report"),
            (pli, PacketKind.Rtcp, "an RTCP PLI"),
            (h264, PacketKind.Rtp, "an RTP packet with the marker bit and payload type 96"),
            (clientHello, PacketKind.Dtls, "a DTLS 1.2 handshake record"),
        ];
        foreach (var (datagram, expected, what) in cases)
        {
            var kind = PacketDemultiplexer.Classify(datagram);
            Assert.True(kind == expected, $"{what}: expected {expected}, got {kind}. See README §Demultiplexing.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Empty_and_one_byte_RTP_datagrams_are_unknown_two_bytes_are_enough()
    {
        Assert.True(PacketDemultiplexer.Classify([]) == PacketKind.Unknown, "an empty datagram is Unknown (dropped). See README §Demultiplexing.");
        Assert.True(PacketDemultiplexer.Classify([0x80]) == PacketKind.Unknown, "one byte 0x80 cannot be told RTP or RTCP: Unknown. See README §Demultiplexing.");
        Assert.True(PacketDemultiplexer.Classify([0x80, 200]) == PacketKind.Rtcp && PacketDemultiplexer.Classify([0x80, 96]) == PacketKind.Rtp,
            "two bytes are enough: the second byte tells RTCP (0x80 200) from RTP (0x80 96). See README §Demultiplexing.");
        Assert.True(PacketDemultiplexer.Classify([0x00]) == PacketKind.Stun, "one byte 0x00 is in STUN's range (the STUN parser then rejects it). See README §Demultiplexing.");
    }
}
