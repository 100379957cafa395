using System.Buffers.Binary;

namespace Lab09.WebRtc.Tests;

/// <summary>
/// M3 at the edges the RFC 3711 vectors do not reach: the rollover counter in the tag, unencrypted SRTCP, the limits of the
/// header, the estimate and the window — against the tests' own RFC 3711 lines (<see cref="SrtpSpec"/>, checked here
/// against B.3 first) and the tables of README §Rollover and §Replay.
/// </summary>
public class M3SrtpSpecTests
{
    private const string Milestone = M3SrtpTests.Milestone;

    private static SrtpSpec Spec()
    {
        var spec = new SrtpSpec(M3SrtpTests.B3MasterKey, M3SrtpTests.B3MasterSalt);
        // The oracle checks itself against RFC 3711 B.3 before it is used.
        Assert.True(Convert.ToHexString(spec.Key(0, 16)) == "C61E7A93744F39EE10734AFE3FF7A087" && Convert.ToHexString(spec.Key(2, 14)) == "30CBBC08863D8C85D49DB34A9AE1"
            && Convert.ToHexString(spec.Key(1, 20)) == "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", "the tests' own key derivation disagrees with RFC 3711 B.3 (a broken test).");
        return spec;
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void After_the_wrap_the_tag_carries_ROC_1_on_both_sides()
    {
        var spec = Spec();
        var sender = new SrtpContext(M3SrtpTests.B3MasterKey, M3SrtpTests.B3MasterSalt);
        var receiver = new SrtpContext(M3SrtpTests.B3MasterKey, M3SrtpTests.B3MasterSalt);
        ushort[] sequences = [65534, 65535, 0, 1];
        foreach (ushort sequence in sequences)
        {
            var rtp = M3SrtpTests.Rtp(sequence, 0xCAFEBABE, 24);
            uint roc = sequence < 100 ? 1u : 0u;
            var expected = spec.ProtectRtp(rtp, roc);
            HexDiff.AssertEqual(expected, sender.ProtectRtp(rtp), $"SRTP of sequence {sequence} (ROC {roc}: the tag covers the ROC, the IV holds index 65536 × ROC + SEQ)", "README §SRTP, §Rollover");
            HexDiff.AssertEqual(rtp, receiver.UnprotectRtp(expected), $"SRTP of sequence {sequence} (ROC {roc}) unprotected", "README §Rollover");
        }

        Assert.True(sender.RolloverCounter(0xCAFEBABE) == 1 && receiver.RolloverCounter(0xCAFEBABE) == 1,
            $"after 65535 then 0 both contexts have ROC 1; got sender {sender.RolloverCounter(0xCAFEBABE)}, receiver {receiver.RolloverCounter(0xCAFEBABE)}. See README §Rollover.");
        var first = new SrtpContext(M3SrtpTests.B3MasterKey, M3SrtpTests.B3MasterSalt);
        HexDiff.AssertEqual(M3SrtpTests.Rtp(0, 7, 4), first.UnprotectRtp(spec.ProtectRtp(M3SrtpTests.Rtp(0, 7, 4), 0)),
            "the very first packet with sequence number 0 (index 0)", "README §Rollover");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Srtcp_with_E_0_is_authenticated_but_not_decrypted_and_the_shortest_packets_pass()
    {
        var spec = Spec();
        var receiver = new SrtpContext(M3SrtpTests.B3MasterKey, M3SrtpTests.B3MasterSalt);
        var rr = Convert.FromHexString("81c90007deadbeef0102030400000005000001f40000000a0000000000000000");
        HexDiff.AssertEqual(rr, receiver.UnprotectRtcp(spec.ProtectRtcp(rr, 5, encrypt: false)), "SRTCP with E = 0 (sent in the clear, still authenticated)", "README §SRTCP");
        HexDiff.AssertEqual(rr, receiver.UnprotectRtcp(spec.ProtectRtcp(rr, 6, encrypt: true)), "SRTCP with E = 1 and index 6", "README §SRTCP");

        // An RR without report blocks is 8 bytes: its SRTCP is 8 + 4 + 10 = 22 bytes, the shortest there is.
        var empty = Convert.FromHexString("80c90001deadbeef");
        var sender = new SrtpContext(M3SrtpTests.B3MasterKey, M3SrtpTests.B3MasterSalt);
        var shortest = sender.ProtectRtcp(empty);
        HexDiff.AssertEqual(spec.ProtectRtcp(empty, 0, encrypt: true), shortest, "SRTCP of an 8-byte RTCP packet (index 0)", "README §SRTCP");
        HexDiff.AssertEqual(empty, receiver.UnprotectRtcp(shortest), "the 22-byte SRTCP packet unprotected", "README §SRTCP");

        // An RTP packet that is only its 12-byte header: SRTP of 22 bytes.
        var headerOnly = M3SrtpTests.Rtp(40, 0xCAFEBABE, 0);
        HexDiff.AssertEqual(headerOnly, receiver.UnprotectRtp(spec.ProtectRtp(headerOnly, 0)), "a 12-byte RTP packet (no payload) as 22 bytes of SRTP", "README §SRTP");
        Assert.True(receiver.MalformedPackets == 0 && receiver.AuthenticationFailures == 0 && receiver.ReplayedPackets == 0, "nothing was dropped.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Header_length_at_its_limits()
    {
        Assert.True(SrtpContext.RtpHeaderLength(M3SrtpTests.Rtp(1, 1, 0)) == 12, "a packet that is exactly a 12-byte header: 12. See README §SRTP.");
        var emptyExtension = new byte[16];
        emptyExtension[0] = 0x90; // V=2, X=1: the extension header (profile, length 0) is the last 4 bytes
        Assert.True(SrtpContext.RtpHeaderLength(emptyExtension) == 16, "X set and an extension of 0 words that ends the packet: 12 + 4 = 16.");
        var twoCsrcs = new byte[15];
        twoCsrcs[0] = 0x82;
        var error = Record.Exception(() => SrtpContext.RtpHeaderLength(twoCsrcs));
        Assert.True(error is WebRtcException { Protocol: "RTP" }, $"2 CSRCs need 20 bytes; 15 do not fit: expected WebRtcException (\"RTP\"), got {error?.GetType().Name ?? "nothing"}. See README §SRTP.");
        var version1 = M3SrtpTests.Rtp(1, 1, 10);
        version1[0] = 0x40;
        Assert.True(Record.Exception(() => SrtpContext.RtpHeaderLength(version1)) is WebRtcException, "version 1 is no RTP: WebRtcException. See README §SRTP.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Packet_iv_writes_every_byte_of_its_destination()
    {
        var iv = Enumerable.Repeat((byte)0xFF, 16).ToArray();
        AesCounterMode.PacketIv(Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), 0, 0, iv);
        HexDiff.AssertEqual(Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), iv, "the IV written over a buffer of 0xFF (bytes 14-15 are 0)", "README §AES-CM");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Estimate_at_the_edges_of_appendix_A()
    {
        Assert.True(new SrtpIndexEstimator().Estimate(60000) == 60000, "the first packet ever seen is taken with ROC 0, even with a sequence number above 32768. See README §Rollover.");
        var e = new SrtpIndexEstimator();
        e.Update(1000);
        Assert.True(e.Estimate(33768) == 33768, $"s_l = 1000: SEQ − s_l = 32768 is not more than 32768, so ROC stays 0: expected 33768, got {e.Estimate(33768)}. See README §Rollover.");
        Assert.True(e.Estimate(32000) == 32000, $"s_l = 1000: sequence 32000 is ahead, ROC 0; got {e.Estimate(32000)}.");
        e.Update(65536 + 40000);
        Assert.True(e.Estimate(7232) == 65536 + 7232, $"s_l = 40000, ROC 1: 7232 is not below s_l − 32768 = 7232, so ROC stays 1: expected {65536 + 7232}, got {e.Estimate(7232)}. See README §Rollover.");
        Assert.True(e.Estimate(7231) == (2 * 65536) + 7231, $"7231 is below 7232: ROC 2; got {e.Estimate(7231)}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Window_moves_by_the_difference_and_sets_bits_that_stay_set()
    {
        var window = new ReplayWindow();
        window.Accept(100);
        window.Accept(101);
        Assert.False(window.IsFresh(100) || window.IsFresh(101), "after 100 and 101 both are replays: moving up by 1 shifts the bits by 1. See README §Replay.");
        Assert.True(window.IsFresh(99) && window.IsFresh(38), "99 and 38 (63 below 101) were never accepted: fresh.");
        window.Accept(99);
        window.Accept(99);
        Assert.False(window.IsFresh(99), "accepting 99 twice leaves its bit set. See README §Replay.");
        window.Accept(103);
        Assert.False(window.IsFresh(99) || window.IsFresh(100) || window.IsFresh(101) || window.IsFresh(103), "after moving to 103, 99, 100, 101 and 103 are still replays.");
        Assert.True(window.IsFresh(102) && window.Highest == 103, "102 is fresh; Highest 103.");
    }
}
