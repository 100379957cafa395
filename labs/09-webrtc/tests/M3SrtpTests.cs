using System.Buffers.Binary;

namespace Lab09.WebRtc.Tests;

/// <summary>M3: SRTP and SRTCP with AES_CM_128_HMAC_SHA1_80 (RFC 3711), against the vectors of RFC 3711 Appendix B.</summary>
public class M3SrtpTests
{
    internal const string Milestone = "M3 SRTP and SRTCP";

    /// <summary>RFC 3711 Appendix B.2: session key and the IV for SSRC 0, index 0 (the salt, shifted).</summary>
    private static readonly byte[] B2Key = Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C");
    private static readonly byte[] B2Salt = Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");

    /// <summary>RFC 3711 Appendix B.3: the master key and master salt.</summary>
    internal static readonly byte[] B3MasterKey = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    internal static readonly byte[] B3MasterSalt = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Keystream_matches_RFC_3711_B2()
    {
        var iv = Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        var keystream = new byte[0xFF02 * 16];
        AesCounterMode.Keystream(B2Key, iv, keystream);
        (int Counter, string Block)[] expected =
        [
            (0x0000, "E03EAD0935C95E80E166B16DD92B4EB4"),
            (0x0001, "D23513162B02D0F72A43A2FE4A5F97AB"),
            (0x0002, "41E95B3BB0A2E8DD477901E4FCA894C0"),
            (0xFEFF, "EC8CDF7398607CB0F2D21675EA9EA1E4"),
            (0xFF00, "362B7C3C6773516318A077D7FC5073AE"),
            (0xFF01, "6A2CC3787889374FBEB4C81B17BA6C44"),
        ];
        foreach (var (counter, block) in expected)
        {
            HexDiff.AssertEqual(Convert.FromHexString(block), keystream.AsSpan(counter * 16, 16), $"keystream block {counter:x4} (RFC 3711 B.2)", "README §AES-CM");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Keystream_of_a_partial_block_is_the_start_of_the_block()
    {
        var iv = Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        var keystream = new byte[21];
        AesCounterMode.Keystream(B2Key, iv, keystream);
        HexDiff.AssertEqual(Convert.FromHexString("E03EAD0935C95E80E166B16DD92B4EB4D23513162B"), keystream, "21 bytes of keystream (RFC 3711 B.2 blocks 0 and 1)", "README §AES-CM");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Packet_iv_places_salt_ssrc_and_index_as_RFC_3711_4_1_1()
    {
        Span<byte> iv = stackalloc byte[16];
        AesCounterMode.PacketIv(B2Salt, 0, 0, iv);
        HexDiff.AssertEqual(Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), iv, "IV for SSRC 0, index 0 (RFC 3711 B.2)", "README §AES-CM");
        // (salt * 2^16) XOR (0xDEADBEEF * 2^64) XOR (0x123456789ABC * 2^16), worked by hand from §4.1.1.
        AesCounterMode.PacketIv(B2Salt, 0xDEADBEEF, 0x123456789ABC, iv);
        HexDiff.AssertEqual(Convert.FromHexString("f0f1f2f32a584818eacdac8366410000"), iv, "IV for SSRC 0xdeadbeef, index 0x123456789abc", "README §AES-CM");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Key_derivation_matches_RFC_3711_B3()
    {
        HexDiff.AssertEqual(Convert.FromHexString("C61E7A93744F39EE10734AFE3FF7A087"),
            SrtpKeyDerivation.Derive(B3MasterKey, B3MasterSalt, SrtpKeyDerivation.RtpEncryption, 16), "cipher key (label 0, RFC 3711 B.3)", "README §Key derivation");
        HexDiff.AssertEqual(Convert.FromHexString("30CBBC08863D8C85D49DB34A9AE1"),
            SrtpKeyDerivation.Derive(B3MasterKey, B3MasterSalt, SrtpKeyDerivation.RtpSalt, 14), "cipher salt (label 2, RFC 3711 B.3)", "README §Key derivation");
        HexDiff.AssertEqual(Convert.FromHexString(
                "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE" +
                "E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25" +
                "6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2"),
            SrtpKeyDerivation.Derive(B3MasterKey, B3MasterSalt, SrtpKeyDerivation.RtpAuthentication, 94), "auth key, all 94 bytes RFC 3711 B.3 lists (label 1)", "README §Key derivation");

        var context = new SrtpContext(B3MasterKey, B3MasterSalt);
        HexDiff.AssertEqual(Convert.FromHexString("C61E7A93744F39EE10734AFE3FF7A087"), context.RtpEncryptionKey, "SrtpContext.RtpEncryptionKey", "README §Key derivation");
        HexDiff.AssertEqual(Convert.FromHexString("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), context.RtpAuthenticationKey, "SrtpContext.RtpAuthenticationKey (20 bytes)", "README §Key derivation");
        HexDiff.AssertEqual(Convert.FromHexString("30CBBC08863D8C85D49DB34A9AE1"), context.RtpSaltingKey, "SrtpContext.RtpSaltingKey", "README §Key derivation");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Index_estimation_follows_RFC_3711_appendix_A()
    {
        var estimator = new SrtpIndexEstimator();
        Assert.True(estimator.Estimate(1000) == 1000, $"the first sequence number is taken with ROC 0: expected 1000, got {estimator.Estimate(1000)}. See README §Rollover.");
        estimator.Update(1000);
        Assert.True(estimator.Estimate(1001) == 1001 && estimator.Estimate(900) == 900, "near s_l = 1000 the ROC stays 0. See README §Rollover.");
        Assert.True(estimator.Estimate(60000) == -1, $"s_l = 1000, ROC 0: sequence 60000 would be ROC -1, which does not exist: -1. Got {estimator.Estimate(60000)}. See README §Rollover.");
        estimator.Update(65535);
        Assert.True(estimator.RolloverCounter == 0 && estimator.HighestSequence == 65535, "after index 65535: ROC 0, s_l 65535.");
        Assert.True(estimator.Estimate(2) == 65536 + 2, $"s_l = 65535: sequence 2 has wrapped, index 65538 (ROC+1); got {estimator.Estimate(2)}. See README §Rollover.");
        estimator.Update(65536 + 2);
        Assert.True(estimator.RolloverCounter == 1 && estimator.HighestSequence == 2, $"after index 65538: ROC 1, s_l 2; got ROC {estimator.RolloverCounter}, s_l {estimator.HighestSequence}.");
        Assert.True(estimator.Estimate(65530) == 65530, $"s_l = 2, ROC 1: a late sequence 65530 belongs to ROC 0, index 65530; got {estimator.Estimate(65530)}. See README §Rollover.");
        estimator.Update(65530);
        Assert.True(estimator.RolloverCounter == 1 && estimator.HighestSequence == 2, "a late packet does not move ROC or s_l back.");
        estimator.Update(65536 + 40000);
        Assert.True(estimator.Estimate(7000) == 2 * 65536 + 7000 && estimator.Estimate(8000) == 65536 + 8000,
            $"s_l = 40000, ROC 1: 7000 is below s_l - 32768 = 7232, so it has wrapped (ROC 2); 8000 is not (ROC 1); expected 138072 and 73536, got {estimator.Estimate(7000)} and {estimator.Estimate(8000)}. See README §Rollover.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Replay_window_keeps_64_indices()
    {
        var window = new ReplayWindow();
        Assert.True(window.IsFresh(100), "an empty window takes anything. See README §Replay.");
        window.Accept(100);
        Assert.False(window.IsFresh(100), "index 100 was accepted: a second 100 is a replay. See README §Replay.");
        Assert.True(window.IsFresh(37) && window.IsFresh(99) && window.IsFresh(101), "37, 99 (within 64 below the highest, not seen) and 101 are fresh. See README §Replay.");
        Assert.False(window.IsFresh(36), "36 is 64 below the highest (100): outside the window, too old. See README §Replay.");
        window.Accept(99);
        window.Accept(164);
        Assert.True(window.Highest == 164, $"Highest: expected 164, got {window.Highest}.");
        Assert.False(window.IsFresh(100), "after moving to 164, index 100 (64 below) is too old.");
        Assert.True(window.IsFresh(101) && window.IsFresh(163), "101 and 163 are inside the window and not seen.");
        window.Accept(130);
        Assert.False(window.IsFresh(130) || window.IsFresh(164), "130 and 164 were accepted.");
        window.Accept(1000);
        Assert.True(window.IsFresh(999) && !window.IsFresh(1000) && !window.IsFresh(936), "a jump ahead clears the old bits: 999 is fresh, 936 too old.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Protect_then_unprotect_gives_the_packet_back_and_the_tag_covers_every_byte()
    {
        var sender = new SrtpContext(B3MasterKey, B3MasterSalt);
        var receiver = new SrtpContext(B3MasterKey, B3MasterSalt);
        var rtp = Rtp(sequence: 7, ssrc: 0xCAFEBABE, payloadLength: 100, csrcCount: 1, extensionWords: 2);
        var srtp = sender.ProtectRtp(rtp);
        Assert.True(srtp.Length == rtp.Length + 10, $"SRTP adds the 10-byte auth tag: expected {rtp.Length + 10} bytes, got {srtp.Length}. See README §SRTP.");
        HexDiff.AssertEqual(rtp.AsSpan(0, 12 + 4 + 12), srtp.AsSpan(0, 12 + 4 + 12), "the RTP header (CSRC and extension included) stays in the clear", "README §SRTP");
        Assert.False(srtp.AsSpan(28, 100).SequenceEqual(rtp.AsSpan(28, 100)), "the payload must be encrypted. See README §SRTP.");
        var back = receiver.UnprotectRtp(srtp);
        HexDiff.AssertEqual(rtp, back, "the packet after protect and unprotect", "README §SRTP");

        var tampered = sender.ProtectRtp(Rtp(8, 0xCAFEBABE, 100));
        foreach (int at in new[] { 1, 3, 9, 40, tampered.Length - 1 })
        {
            var copy = (byte[])tampered.Clone();
            copy[at] ^= 0x01;
            Assert.True(receiver.UnprotectRtp(copy) is null, $"a packet with byte {at} changed must fail authentication and be dropped. See README §SRTP.");
        }

        Assert.True(receiver.AuthenticationFailures == 5, $"AuthenticationFailures: expected 5, got {receiver.AuthenticationFailures}.");
        Assert.True(receiver.UnprotectRtp(tampered) is not null, "the untouched packet still passes after the tampered copies were dropped (a drop changes no state).");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Replays_and_old_packets_are_dropped_and_counted()
    {
        var sender = new SrtpContext(B3MasterKey, B3MasterSalt);
        var receiver = new SrtpContext(B3MasterKey, B3MasterSalt);
        var packets = Enumerable.Range(0, 80).Select(i => sender.ProtectRtp(Rtp((ushort)(500 + i), 1, 20))).ToArray();
        Assert.True(receiver.UnprotectRtp(packets[70]) is not null, "packet 570 is accepted.");
        Assert.True(receiver.UnprotectRtp(packets[70]) is null, "packet 570 a second time is a replay: dropped. See README §Replay.");
        Assert.True(receiver.UnprotectRtp(packets[10]) is not null, "packet 510 (60 behind, not seen) is accepted: reordering is not replay.");
        Assert.True(receiver.UnprotectRtp(packets[5]) is null, "packet 505 (65 behind 570) is older than the 64-packet window: dropped. See README §Replay.");
        Assert.True(receiver.ReplayedPackets == 2 && receiver.AuthenticationFailures == 0, $"ReplayedPackets: expected 2, got {receiver.ReplayedPackets} (AuthenticationFailures {receiver.AuthenticationFailures}).");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Srtcp_appends_E_and_index_and_counts_from_zero()
    {
        var sender = new SrtpContext(B3MasterKey, B3MasterSalt);
        var receiver = new SrtpContext(B3MasterKey, B3MasterSalt);
        var rr = Convert.FromHexString("81c90007deadbeef0102030400000005000001f40000000a0000000000000000"); // RR with one report block (RFC 3550 §6.4.2)
        var first = sender.ProtectRtcp(rr);
        var second = sender.ProtectRtcp(rr);
        Assert.True(first.Length == rr.Length + 14, $"SRTCP adds 4 bytes of E + index and 10 of tag: expected {rr.Length + 14}, got {first.Length}. See README §SRTCP.");
        HexDiff.AssertEqual(rr.AsSpan(0, 8), first.AsSpan(0, 8), "the first 8 bytes of SRTCP (header and SSRC) stay in the clear", "README §SRTCP");
        HexDiff.AssertEqual([0x80, 0, 0, 0], first.AsSpan(rr.Length, 4), "E = 1 and SRTCP index 0 for the first packet", "README §SRTCP");
        HexDiff.AssertEqual([0x80, 0, 0, 1], second.AsSpan(rr.Length, 4), "E = 1 and SRTCP index 1 for the second packet", "README §SRTCP");
        Assert.False(first.AsSpan(8, rr.Length - 8).SequenceEqual(rr.AsSpan(8)), "the RTCP after the first 8 bytes must be encrypted.");
        HexDiff.AssertEqual(rr, receiver.UnprotectRtcp(second), "SRTCP unprotected", "README §SRTCP");
        HexDiff.AssertEqual(rr, receiver.UnprotectRtcp(first), "an earlier SRTCP index within the window", "README §SRTCP");
        Assert.True(receiver.UnprotectRtcp(first) is null && receiver.ReplayedPackets == 1, "the same SRTCP index again is a replay.");
        var bad = sender.ProtectRtcp(rr);
        bad[^14] ^= 0x80; // clears E: the tag covers it
        Assert.True(receiver.UnprotectRtcp(bad) is null && receiver.AuthenticationFailures == 1, "E and the index are authenticated: changing E must fail the tag. See README §SRTCP.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Short_and_fuzzed_packets_are_dropped_never_thrown()
    {
        var receiver = new SrtpContext(B3MasterKey, B3MasterSalt);
        Assert.True(receiver.UnprotectRtp(new byte[21]) is null && receiver.UnprotectRtcp(new byte[21]) is null && receiver.MalformedPackets == 2,
            $"21 bytes are too short for SRTP (12 + 10) and SRTCP (8 + 4 + 10): dropped and counted as malformed; MalformedPackets {receiver.MalformedPackets}. See README §SRTP.");
        var cc15 = new byte[40];
        cc15[0] = 0x8F; // 15 CSRCs claim 72 bytes of header
        Assert.True(receiver.UnprotectRtp(cc15) is null, "an RTP header that does not fit (15 CSRCs in 30 bytes) is dropped.");
        var random = new Random(3711);
        var sender = new SrtpContext(B3MasterKey, B3MasterSalt);
        for (int i = 0; i < 2000; i++)
        {
            var packet = i % 2 == 0 ? sender.ProtectRtp(Rtp((ushort)i, 9, 30)) : sender.ProtectRtcp(Convert.FromHexString("80c9000100000009"));
            packet[random.Next(packet.Length)] = (byte)random.Next(256);
            var cut = packet.AsSpan(0, random.Next(packet.Length + 1)).ToArray();
            var error = Record.Exception(() =>
            {
                receiver.UnprotectRtp(cut);
                receiver.UnprotectRtcp(cut);
            });
            Assert.True(error is null, $"fuzz case {i} ({Convert.ToHexString(cut)}): unprotect threw {error?.GetType().Name}: {error?.Message}. Drop and count instead. See README §SRTP.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Rtp_header_length_counts_csrcs_and_the_extension()
    {
        Assert.True(SrtpContext.RtpHeaderLength(Rtp(1, 1, 10)) == 12, "no CSRC, no extension: 12 bytes. See README §SRTP.");
        Assert.True(SrtpContext.RtpHeaderLength(Rtp(1, 1, 10, csrcCount: 2)) == 20, "2 CSRCs: 12 + 8 bytes.");
        Assert.True(SrtpContext.RtpHeaderLength(Rtp(1, 1, 10, csrcCount: 1, extensionWords: 3)) == 12 + 4 + 4 + 12, "1 CSRC and a 3-word extension: 12 + 4 + 4 + 12 bytes (RFC 3550 §5.3.1).");
        var error = Record.Exception(() => SrtpContext.RtpHeaderLength(new byte[] { 0x80, 0, 0 }));
        Assert.True(error is WebRtcException, $"3 bytes are no RTP header: expected WebRtcException, got {error?.GetType().Name ?? "nothing"}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Srtp_and_srtcp_match_libsrtp_reference_packets()
    {
        // libSRTP's srtp_validate() (test/srtp_driver.c): AES_CM_128_HMAC_SHA1_80 with the master key and salt of
        // RFC 3711 B.3, SSRC 0xcafebabe. The RTP packet (sequence 0x1234, ROC 0) and its SRTP form:
        var rtp = Convert.FromHexString("800f1234decafbadcafebabe" + string.Concat(Enumerable.Repeat("ab", 16)));
        var srtp = Convert.FromHexString("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
        HexDiff.AssertEqual(srtp, new SrtpContext(B3MasterKey, B3MasterSalt).ProtectRtp(rtp), "libSRTP's reference SRTP packet (encrypted payload, then the 10-byte tag)", "README §SRTP");
        var receiver = new SrtpContext(B3MasterKey, B3MasterSalt);
        HexDiff.AssertEqual(rtp, receiver.UnprotectRtp(srtp), "libSRTP's reference SRTP packet unprotected", "README §SRTP");
        Assert.True(receiver.RolloverCounter(0xCAFEBABE) == 0 && receiver.AuthenticationFailures == 0 && receiver.ReplayedPackets == 0 && receiver.MalformedPackets == 0,
            "one good packet: ROC 0 and nothing counted as dropped.");

        // The sender report and its SRTCP form; libSRTP numbers its first SRTCP packet 1, so it is this context's second.
        var rtcp = Convert.FromHexString("81c8000bcafebabe" + string.Concat(Enumerable.Repeat("ab", 16)));
        var srtcp = Convert.FromHexString("81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798");
        var sender = new SrtpContext(B3MasterKey, B3MasterSalt);
        sender.ProtectRtcp(rtcp);
        HexDiff.AssertEqual(srtcp, sender.ProtectRtcp(rtcp), "libSRTP's reference SRTCP packet (SRTCP index 1: encrypted, E|index, tag)", "README §SRTCP");
        HexDiff.AssertEqual(rtcp, receiver.UnprotectRtcp(srtcp), "libSRTP's reference SRTCP packet unprotected", "README §SRTCP");
        var clear = (byte[])srtcp.Clone();
        Assert.True(receiver.UnprotectRtcp(clear) is null && receiver.ReplayedPackets == 1, "the same SRTCP index a second time is a replay. See README §Replay.");
    }

    internal static byte[] Rtp(ushort sequence, uint ssrc, int payloadLength, int csrcCount = 0, int extensionWords = 0)
    {
        int header = 12 + (4 * csrcCount) + (extensionWords > 0 ? 4 + (4 * extensionWords) : 0);
        var packet = new byte[header + payloadLength];
        packet[0] = (byte)(0x80 | (extensionWords > 0 ? 0x10 : 0) | csrcCount);
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 90000u * sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        int at = 12 + (4 * csrcCount);
        if (extensionWords > 0)
        {
            packet[at] = 0xBE;
            packet[at + 1] = 0xDE;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at + 2), (ushort)extensionWords);
        }

        for (int i = header; i < packet.Length; i++)
        {
            packet[i] = (byte)(i * 7);
        }

        return packet;
    }
}
