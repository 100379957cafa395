using System.Security.Cryptography;

namespace Lab01.RtmpHandshake.Tests;

/// <summary>M5 (stretch): the Flash Player 9 digest handshake (README §Digest), checked with HMACs computed here from the published keys.</summary>
public class M5DigestTests
{
    private const string Milestone = "M5 digest handshake";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static byte[] RandomPacket(int seed) => Spec.C1(0, 0, seed);

    [Fact]
    [Trait("Milestone", Milestone)]
    public void DigestOffset_follows_both_schemes()
    {
        var packet = RandomPacket(31);
        packet[8] = packet[9] = packet[10] = packet[11] = 0xFF;   // 1020 mod 728 = 292; + 12 = 304
        packet[772] = 1; packet[773] = 2; packet[774] = 3; packet[775] = 4; // 10 mod 728 = 10; + 776 = 786

        int scheme0 = HandshakeDigest.DigestOffset(packet, DigestScheme.Scheme0);
        int scheme1 = HandshakeDigest.DigestOffset(packet, DigestScheme.Scheme1);

        Assert.True(scheme0 == 304, $"Scheme 0 with bytes 8-11 = ff ff ff ff: (1020 mod 728) + 12 = 304; you computed {scheme0}. See README §Digest.");
        Assert.True(scheme1 == 786, $"Scheme 1 with bytes 772-775 = 01 02 03 04: (10 mod 728) + 776 = 786; you computed {scheme1}. See README §Digest.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void ComputeDigest_hashes_the_packet_without_the_digest_bytes()
    {
        var packet = RandomPacket(32);
        var key = Spec.PlayerKey[..30];

        var actual = HandshakeDigest.ComputeDigest(packet, 500, key);

        HexDiff.AssertEqual(Spec.Digest(packet, 500, key), actual,
            "HMAC-SHA256 (key: the player key's first 30 bytes) over bytes 0-499 and 532-1535", "README §Digest");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [Trait("Milestone", Milestone)]
    public void FindDigest_finds_the_scheme_of_a_Flash_C1(int scheme)
    {
        var c1 = Spec.DigestC1(scheme, seed: 33 + scheme);

        var found = HandshakeDigest.FindDigest(c1, Spec.PlayerKey[..30]);

        Assert.True(found == (DigestScheme)scheme, $"This C1 carries its digest under scheme {scheme}; FindDigest said {found?.ToString() ?? "none"}. See README §Digest.");
        var plain = HandshakeDigest.FindDigest(RandomPacket(35), Spec.PlayerKey[..30]);
        Assert.True(plain is null, $"A C1 of random bytes has no digest; FindDigest said {plain}. See README §Digest.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void ImprintDigest_writes_a_digest_a_player_can_find()
    {
        var s1 = RandomPacket(36);

        HandshakeDigest.ImprintDigest(s1, DigestScheme.Scheme1, Spec.ServerKey[..36]);

        int offset = Spec.DigestOffset(s1, 1);
        HexDiff.AssertEqual(Spec.Digest(s1, offset, Spec.ServerKey[..36]), s1.AsSpan(offset, 32),
            $"the 32 digest bytes at offset {offset} (scheme 1, keyed with the server key's first 36 bytes)", "README §Digest");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Sign_and_VerifySignature_use_the_key_derived_from_the_peer_digest()
    {
        var s2 = RandomPacket(37);
        var c1Digest = RandomNumberGenerator.GetBytes(32);

        HandshakeDigest.Sign(s2, c1Digest, Spec.ServerKey);

        HexDiff.AssertEqual(Spec.Signature(s2, c1Digest, Spec.ServerKey), s2.AsSpan(1504),
            "S2's last 32 bytes: HMAC(HMAC(68-byte server key, C1's digest), S2 bytes 0-1503)", "README §Digest");
        Assert.True(HandshakeDigest.VerifySignature(s2, c1Digest, Spec.ServerKey), "VerifySignature must accept the signature Sign wrote. See README §Digest.");
        s2[3] ^= 1;
        Assert.False(HandshakeDigest.VerifySignature(s2, c1Digest, Spec.ServerKey), "VerifySignature must reject a packet changed after signing (byte 3 flipped). See README §Digest.");
    }

    /// <summary>A scripted Flash client: digest C1, then checks S1's digest and S2's signature. Returns (S1, S1's digest).</summary>
    private static async Task<(byte[] S1, byte[] S1Digest)> FlashHelloAsync(Stream peer, byte[] c1, int c1Scheme, Task server)
    {
        await peer.WriteAsync((byte[])[3, .. c1], Token);
        var reply = await Expect.PeerStepAsync(Spec.ReadUpToAsync(peer, 3073, Token), server, "S0+S1+S2 after a Flash-style C0+C1 — README §Ordering");
        Assert.True(reply.Length == 3073, $"S0+S1+S2 are 3073 bytes; got {reply.Length}. See README §Ordering.");
        var s1 = reply[1..1537];
        var s2 = reply[1537..];
        Assert.True(s1[4] >= 3, $"A digest S1 carries a server version whose first byte (S1 byte 4) is at least 3 — ffmpeg only checks the digest then; you sent {s1[4]}. See README §Digest.");
        int scheme = Spec.FindDigest(s1, Spec.ServerKey[..36]);
        Assert.True(scheme >= 0, "S1 carries no valid digest under scheme 0 or 1 (HMAC keyed with \"Genuine Adobe Flash Media Server 001\"). See README §Digest.");
        int c1Offset = Spec.DigestOffset(c1, c1Scheme);
        HexDiff.AssertEqual(Spec.Signature(s2, c1.AsSpan(c1Offset, 32), Spec.ServerKey), s2.AsSpan(1504),
            "S2's signature: HMAC(HMAC(68-byte server key, C1's digest), S2 bytes 0-1503)", "README §Digest");
        return (s1, s1.AsSpan(Spec.DigestOffset(s1, scheme), 32).ToArray());
    }

    private static byte[] SignedC2(byte[] s1Digest, int seed)
    {
        var c2 = RandomPacket(seed);
        Spec.Signature(c2, s1Digest, Spec.PlayerKey).CopyTo(c2, 1504);
        return c2;
    }

    [Theory(Timeout = 15000)]
    [InlineData(0)]
    [InlineData(1)]
    [Trait("Milestone", Milestone)]
    public async Task Server_with_UseDigest_answers_a_Flash_client(int scheme)
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, new HandshakeOptions { UseDigest = true }, Token);

        var c1 = Spec.DigestC1(scheme, time: 77, seed: 40 + scheme);
        var (_, s1Digest) = await FlashHelloAsync(pair.Peer, c1, scheme, server);
        await pair.Peer.WriteAsync(SignedC2(s1Digest, 42), Token);

        var result = await Deadline.Within(server, Expect.Limit, "AcceptAsync to accept a C2 signed with the key derived from S1's digest");
        Assert.True(result.UsedDigest, "HandshakeResult.UsedDigest must be true after a digest S1/S2. See README §Digest.");
        Assert.True(result.PeerDigest == (DigestScheme)scheme, $"HandshakeResult.PeerDigest must be Scheme{scheme}; got {result.PeerDigest?.ToString() ?? "null"}. See README §Digest.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_with_UseDigest_rejects_a_C2_with_a_wrong_signature()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, new HandshakeOptions { UseDigest = true }, Token);

        var (_, s1Digest) = await FlashHelloAsync(pair.Peer, Spec.DigestC1(0, seed: 43), 0, server);
        var c2 = SignedC2(s1Digest, 44);
        c2[1535] ^= 0x80;
        await pair.Peer.WriteAsync(c2, Token);

        var error = await Expect.HandshakeErrorAsync(server, "AcceptAsync to reject a C2 that neither echoes S1 nor carries a valid signature");
        Assert.True(error.Packet == "C2", $"HandshakeException.Packet must be \"C2\"; got \"{error.Packet}\". See README §Errors.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task Ffmpeg_playing_accepts_your_digest_S1_and_S2()
    {
        using var listener = Loopback.Listen();
        await using var ffmpeg = Ffmpeg.Play(Loopback.PortOf(listener));
        using var client = await Ffmpeg.AcceptAsync(listener, ffmpeg);
        var stream = client.GetStream();

        var result = await Ffmpeg.ExplainAsync(ffmpeg, () => Deadline.Within(
            HandshakeServer.AcceptAsync(stream, new HandshakeOptions { UseDigest = true }, Token), Ffmpeg.Limit,
            "your AcceptAsync (UseDigest) to finish the handshake with ffmpeg playing"));
        var next = await Ffmpeg.ExplainAsync(ffmpeg, () => Deadline.Within(Spec.ReadUpToAsync(stream, 22, Token), Ffmpeg.Limit, "ffmpeg's connect chunk"));
        var log = await ffmpeg.StopAsync();

        Assert.False(log.StandardError.Contains("validating failed", StringComparison.Ordinal) || log.StandardError.Contains("Signature mismatch", StringComparison.Ordinal),
            $"ffmpeg rejected your digest handshake:\n{log.ErrorTail()}\nSee README §Digest.");
        string? why = Spec.WhyNotConnect(next);
        Assert.True(why is null, $"After accepting your S1/S2, ffmpeg sends connect; but {why}.\nffmpeg said:\n{log.ErrorTail()}\nSee README §Digest.");
        Assert.True(result.PeerDigest == DigestScheme.Scheme0, $"ffmpeg's C1 carries a scheme-0 digest; HandshakeResult.PeerDigest is {result.PeerDigest?.ToString() ?? "null"}. See README §Digest.");
        Assert.True(result.UsedDigest, "HandshakeResult.UsedDigest must be true: ffmpeg offered a digest and you were asked for one. See README §Digest.");
    }

    /// <summary>Sends C0 + <paramref name="c1"/>, expects the plain answer (S1 zero field 0, S2 the echo of C1), sends C2 (the echo of S1).</summary>
    private static async Task<HandshakeResult> PlainAnswerAsync(HandshakeOptions options, byte[] c1, string why)
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, options, Token);
        await pair.Peer.WriteAsync((byte[])[3, .. c1], Token);
        var reply = await Expect.PeerStepAsync(Spec.ReadUpToAsync(pair.Peer, 3073, Token), server, "S0+S1+S2 after C0+C1 — README §Ordering");
        Assert.True(reply.Length == 3073, $"S0+S1+S2 are 3073 bytes; got {reply.Length}. See README §Ordering.");
        var s1 = reply[1..1537];
        var s2 = reply[1537..];
        Assert.True(Spec.Second(s1) == 0, $"{why}: the answer is the plain one, so S1's zero field (bytes 4-7) must be 0; you sent 0x{Spec.Second(s1):x8}. See README §Options and result.");
        Assert.True(Spec.Time(s2) == Spec.Time(c1), $"{why}: S2 is the plain echo of C1, time 0x{Spec.Time(c1):x8} first; you sent 0x{Spec.Time(s2):x8}. See README §C2.");
        HexDiff.AssertEqual(c1.AsSpan(8), s2.AsSpan(8), $"{why}: S2's random echo (the plain answer echoes C1's random field)", "README §C2, §Options and result");
        await pair.Peer.WriteAsync(Spec.EchoOf(s1, 1), Token);
        return await Deadline.Within(server, Expect.Limit, "AcceptAsync to accept a C2 that echoes S1");
    }

    [Theory(Timeout = 15000)]
    [InlineData(0)]
    [InlineData(1)]
    [Trait("Milestone", Milestone)]
    public async Task Server_without_UseDigest_answers_a_Flash_client_plainly_and_reports_its_digest(int scheme)
    {
        var result = await PlainAnswerAsync(new HandshakeOptions { UseDigest = false }, Spec.DigestC1(scheme, time: 5, seed: 50 + scheme), "UseDigest = false");
        Assert.True(result.PeerDigest == (DigestScheme)scheme && !result.UsedDigest && result.PeerZero == Spec.FfmpegClientVersion,
            $"A Flash C1 with a scheme-{scheme} digest, answered plainly: PeerDigest Scheme{scheme}, UsedDigest false, PeerZero 0x09007c02; got {result.PeerDigest?.ToString() ?? "null"}, {result.UsedDigest}, 0x{result.PeerZero:x8}. See README §Options and result.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_with_UseDigest_answers_a_plain_client_plainly()
    {
        var result = await PlainAnswerAsync(new HandshakeOptions { UseDigest = true }, Spec.C1(9, 0, seed: 52), "UseDigest = true, but C1 is plain (zero field 0, no digest)");
        Assert.True(result is { PeerDigest: null, UsedDigest: false },
            $"A plain C1 carries no digest: PeerDigest null, UsedDigest false; got {result.PeerDigest?.ToString() ?? "null"}, {result.UsedDigest}. See README §Options and result.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_with_UseDigest_answers_a_C1_with_a_version_but_no_digest_plainly()
    {
        var result = await PlainAnswerAsync(new HandshakeOptions { UseDigest = true }, Spec.C1(9, Spec.FfmpegClientVersion, seed: 53), "UseDigest = true, C1 has a version (9.0.124.2) but random bytes where a digest would be");
        Assert.True(result is { PeerDigest: null, UsedDigest: false },
            $"This C1 has no valid digest under either scheme: PeerDigest null, UsedDigest false; got {result.PeerDigest?.ToString() ?? "null"}, {result.UsedDigest}. See README §Digest.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_with_UseDigest_accepts_a_C2_that_echoes_S1_from_a_Flash_publisher()
    {
        // README §Digest 6: a publisher (ffmpeg publishing) does not check S1 and echoes it instead of signing C2.
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, new HandshakeOptions { UseDigest = true, Time = 0x00ABCDEF }, Token);
        var (s1, _) = await FlashHelloAsync(pair.Peer, Spec.DigestC1(0, seed: 54), 0, server);
        Assert.True(Spec.Time(s1) == 0x00ABCDEF, $"A digest S1 also carries HandshakeOptions.Time (0x00abcdef) in bytes 0-3; you sent 0x{Spec.Time(s1):x8}. See README §Options and result.");
        await pair.Peer.WriteAsync(Spec.EchoOf(s1, 3), Token);
        var result = await Deadline.Within(server, Expect.Limit, "AcceptAsync (UseDigest) to accept a C2 that echoes the digest S1");
        Assert.True(result is { UsedDigest: true, PeerDigest: DigestScheme.Scheme0, LocalTime: 0x00ABCDEF },
            $"UsedDigest true, PeerDigest Scheme0, LocalTime 0x00abcdef; got {result.UsedDigest}, {result.PeerDigest?.ToString() ?? "null"}, 0x{result.LocalTime:x8}. See README §Digest.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void DigestOffset_of_ffmpegs_scheme_0_at_the_smallest_and_largest_sums()
    {
        var packet = RandomPacket(55);
        packet[8] = packet[9] = packet[10] = packet[11] = 0;           // sum 0: digest right after the offset bytes, at 12
        packet[772] = 0xFF; packet[773] = 0xFF; packet[774] = 0xDA; packet[775] = 0; // 255 + 255 + 218 = 728 → 0 mod 728: at 776
        Assert.True(HandshakeDigest.DigestOffset(packet, DigestScheme.Scheme0) == 12, $"Scheme 0 with bytes 8-11 = 00 00 00 00: (0 mod 728) + 12 = 12; you computed {HandshakeDigest.DigestOffset(packet, DigestScheme.Scheme0)}. See README §Digest.");
        Assert.True(HandshakeDigest.DigestOffset(packet, DigestScheme.Scheme1) == 776, $"Scheme 1 with bytes 772-775 = ff ff da 00: (728 mod 728) + 776 = 776; you computed {HandshakeDigest.DigestOffset(packet, DigestScheme.Scheme1)}. See README §Digest.");
        packet[8] = 0xFF; packet[9] = 0xFF; packet[10] = 0xD9;          // 727: the last position, 727 + 12 = 739
        Assert.True(HandshakeDigest.DigestOffset(packet, DigestScheme.Scheme0) == 739, $"Scheme 0 with bytes 8-11 = ff ff d9 00: (727 mod 728) + 12 = 739; you computed {HandshakeDigest.DigestOffset(packet, DigestScheme.Scheme0)}. See README §Digest.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_with_UseDigest_treats_a_C1_with_zero_field_0_as_plain_even_with_a_digest_inside()
    {
        // README §Digest 3: the zero field decides first; a C1 with 0 there is plain, whatever its bytes happen to be.
        var c1 = Spec.C1(11, 0, seed: 56);
        int offset = Spec.DigestOffset(c1, 0);
        Spec.Digest(c1, offset, Spec.PlayerKey[..30]).CopyTo(c1, offset);
        var result = await PlainAnswerAsync(new HandshakeOptions { UseDigest = true }, c1, "UseDigest = true, C1's zero field is 0 (a scheme-0 digest inside)");
        Assert.True(result is { PeerDigest: null, UsedDigest: false },
            $"A C1 whose zero field is 0 is plain: PeerDigest null, UsedDigest false; got {result.PeerDigest?.ToString() ?? "null"}, {result.UsedDigest}. See README §Digest.");
    }
}
