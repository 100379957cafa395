using System.Text.RegularExpressions;

namespace Lab01.RtmpHandshake.Tests;

/// <summary>M2: the server's handshake over a stream, against a scripted client played by the test.</summary>
public class M2ServerTests
{
    private const string Milestone = "M2 server handshake";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Sends C0+C1, reads S0+S1+S2 (without sending C2 first), checks them against the spec. Returns S1.</summary>
    private static async Task<byte[]> ClientHelloAsync(Stream peer, byte[] c1, Task server)
    {
        await peer.WriteAsync((byte[])[3, .. c1], Token);
        var reply = await Expect.PeerStepAsync(Spec.ReadUpToAsync(peer, 1 + 2 * Spec.PacketSize, Token), server,
            "S0+S1+S2 (3073 bytes) after C0+C1. The server must send S2 without waiting for C2: ffmpeg reads S2 before it writes C2 — README §Ordering");
        Assert.True(reply.Length == 3073, $"The server closed after sending {reply.Length} bytes; S0+S1+S2 are 1+1536+1536 = 3073 bytes. See README §Ordering.");
        Assert.True(reply[0] == 3, $"S0 must be the version byte 3; you sent {reply[0]}. See README §C0.");
        var s1 = reply.AsSpan(1, Spec.PacketSize);
        var s2 = reply.AsSpan(1 + Spec.PacketSize, Spec.PacketSize);
        Assert.True(Spec.Second(s1) == 0, $"S1's zero field (bytes 4-7) must be 0 in the plain handshake (ffmpeg checks a digest otherwise); you sent 0x{Spec.Second(s1):x8}. See README §C1.");
        Assert.True(Spec.Time(s2) == Spec.Time(c1), $"S2's time (bytes 0-3) must echo C1's time 0x{Spec.Time(c1):x8}; you sent 0x{Spec.Time(s2):x8}. See README §C2.");
        HexDiff.AssertEqual(c1.AsSpan(8), s2[8..], "S2's random echo (bytes 8-1535 of S2 must be C1's random field)", "README §C2");
        return s1.ToArray();
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_sends_S0_S1_S2_before_C2_and_then_accepts_C2()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, null, Token);

        var c1 = Spec.C1(0x00001000, 0);
        var s1 = await ClientHelloAsync(pair.Peer, c1, server);
        Assert.False(server.IsCompleted && server.IsCompletedSuccessfully, "The server finished before C2 arrived; it must read C2. See README §Ordering.");
        await pair.Peer.WriteAsync(Spec.EchoOf(s1, 0x00001001), Token);

        var result = await Deadline.Within(server, Limit, "AcceptAsync to finish after C2 arrived");
        Assert.True(result.PeerVersion == 3, $"HandshakeResult.PeerVersion must be the version byte the peer sent, 3; got {result.PeerVersion}. See README §C0.");
        Assert.True(result.PeerTime == 0x1000, $"HandshakeResult.PeerTime must be C1's time 0x00001000; got 0x{result.PeerTime:x8}. See README §C1 (the time and zero fields).");
        Assert.True(result.PeerZero == 0, $"HandshakeResult.PeerZero must be C1's zero field 0; got 0x{result.PeerZero:x8}. See README §C1 (the time and zero fields).");
        Assert.True(result.LocalTime == Spec.Time(s1), $"HandshakeResult.LocalTime must be the time you sent in S1 (0x{Spec.Time(s1):x8}); got 0x{result.LocalTime:x8}. See README §C1 (the time and zero fields).");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_works_when_bytes_arrive_one_at_a_time()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var trickle = new TrickleStream(pair.Mine, maxRead: 1);
        var server = HandshakeServer.AcceptAsync(trickle, null, Token);

        var c1 = Spec.C1(42, 0, seed: 11);
        var s1 = await ClientHelloAsync(pair.Peer, c1, server);
        await pair.Peer.WriteAsync(Spec.EchoOf(s1, 43), Token);

        var result = await Deadline.Within(server, Limit,
            "AcceptAsync when every read returns 1 byte. A read may return fewer bytes than you asked for: loop until the packet is complete — README §Errors");
        Assert.True(result.PeerTime == 42, $"PeerTime must be 42; got {result.PeerTime}. See README §C1 (the time and zero fields).");
        Assert.True(trickle.Reads >= 1 + 2 * Spec.PacketSize, $"The server made {trickle.Reads} reads of 1 byte but C0+C1+C2 are 3073 bytes. See README §Ordering.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_leaves_what_follows_C2_in_the_stream()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, null, Token);

        var s1 = await ClientHelloAsync(pair.Peer, Spec.C1(7, 0, seed: 12), server);
        var connect = Spec.ConnectChunk();
        await pair.Peer.WriteAsync((byte[])[.. Spec.EchoOf(s1, 8), .. connect], Token); // C2 and connect in one TCP write, as ffmpeg does
        await Deadline.Within(server, Limit, "AcceptAsync to finish after C2 (followed at once by a connect chunk)");

        var next = new byte[connect.Length];
        await Deadline.Within(pair.Mine.ReadExactlyAsync(next, Token).AsTask(), Limit,
            $"the {connect.Length} bytes of the connect chunk that followed C2. Your server read more than 1536 bytes of C2 — README §Ordering");
        HexDiff.AssertEqual(connect, next, "the bytes after C2 (the client's connect chunk, which belongs to the caller)", "README §Ordering");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_accepts_a_nonzero_zero_field_in_C1()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, null, Token);

        // ffmpeg's C1 carries its client version 9.0.124.2 where the spec says zero.
        var s1 = await ClientHelloAsync(pair.Peer, Spec.C1(5, Spec.FfmpegClientVersion, seed: 13), server);
        await pair.Peer.WriteAsync(Spec.EchoOf(s1, 6), Token);

        var result = await Deadline.Within(server, Limit, "AcceptAsync with a C1 whose zero field is 9.0.124.2");
        Assert.True(result.PeerZero == Spec.FfmpegClientVersion, $"PeerZero must be 0x09007c02 (9.0.124.2); got 0x{result.PeerZero:x8}. See README §C1.");
    }

    [Theory(Timeout = 15000)]
    [InlineData(6, "RTMPE")]
    [InlineData(0x47, "HTTP")]
    [InlineData(0, "")]
    [Trait("Milestone", Milestone)]
    public async Task Server_rejects_a_wrong_version_byte(byte version, string kind)
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, null, Token);
        await pair.Peer.WriteAsync((byte[])[version, .. Spec.C1(1, 0)], Token);

        var handshake = await Expect.HandshakeErrorAsync(server, $"AcceptAsync to reject version byte {version}");
        Assert.True(handshake.Packet == "C0", $"HandshakeException.Packet must be \"C0\"; got \"{handshake.Packet}\". See README §Errors.");
        Assert.True(handshake.Field == "version", $"HandshakeException.Field must be \"version\"; got \"{handshake.Field}\". See README §Errors.");
        Assert.True(handshake.Offset == 0, $"HandshakeException.Offset must be 0 (C0 is the first byte); got {handshake.Offset}. See README §Errors.");
        // README §Errors: the message names the byte, in decimal (71) or hex (0x47), either will do.
        bool namesByte = Regex.IsMatch(handshake.Message, $@"(?<![0-9A-Za-z]){version}(?![0-9])")
            || handshake.Message.Contains($"0x{version:x2}", StringComparison.OrdinalIgnoreCase);
        Assert.True(namesByte && handshake.Message.Contains(kind, StringComparison.Ordinal),
            $"The message must name the version byte ({version} or 0x{version:x2}){(kind == "" ? "" : " and say it looks like " + kind)}; it says: {handshake.Message}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_reports_a_client_that_closes_inside_C1()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, null, Token);
        await pair.Peer.WriteAsync((byte[])[3, .. Spec.C1(1, 0).AsSpan(0, 100)], Token);
        Spec.CloseSending(pair.Peer);

        var handshake = await Expect.HandshakeErrorAsync(server, "AcceptAsync to notice the client closed after 100 bytes of C1");
        Assert.True(handshake.Packet == "C1", $"HandshakeException.Packet must be \"C1\"; got \"{handshake.Packet}\". See README §Errors.");
        Assert.True(handshake.Offset == 101, $"HandshakeException.Offset must be 101 (C0 + 100 bytes of C1 arrived); got {handshake.Offset}. See README §Errors.");
        Assert.True(handshake.Message.Contains("100", StringComparison.Ordinal), $"The message must say how many bytes of C1 arrived (100); it says: {handshake.Message}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_reports_a_client_that_closes_inside_C2()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, null, Token);
        var s1 = await ClientHelloAsync(pair.Peer, Spec.C1(1, 0, seed: 14), server);
        await pair.Peer.WriteAsync(Spec.EchoOf(s1, 2).AsMemory(0, 1000), Token);
        Spec.CloseSending(pair.Peer);

        var handshake = await Expect.HandshakeErrorAsync(server, "AcceptAsync to notice the client closed after 1000 bytes of C2");
        Assert.True(handshake.Packet == "C2", $"HandshakeException.Packet must be \"C2\"; got \"{handshake.Packet}\". See README §Errors.");
        Assert.True(handshake.Offset == 1537 + 1000, $"HandshakeException.Offset must be 2537 (C0 + C1 + 1000 bytes of C2); got {handshake.Offset}. See README §Errors.");
        Assert.True(handshake.Message.Contains("1000", StringComparison.Ordinal), $"The message must say how many bytes of C2 arrived (1000); it says: {handshake.Message}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_rejects_a_C2_that_does_not_echo_S1()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, null, Token);
        var s1 = await ClientHelloAsync(pair.Peer, Spec.C1(1, 0, seed: 15), server);
        var c2 = Spec.EchoOf(s1, 2);
        c2[700] ^= 0x5A;
        await pair.Peer.WriteAsync(c2, Token);

        var handshake = await Expect.HandshakeErrorAsync(server, "AcceptAsync to reject a C2 whose byte 700 differs from S1");
        Assert.True(handshake.Packet == "C2", $"HandshakeException.Packet must be \"C2\"; got \"{handshake.Packet}\". See README §Errors.");
        Assert.True(handshake.Field == "random echo", $"HandshakeException.Field must be \"random echo\"; got \"{handshake.Field}\". See README §Errors.");
        Assert.True(handshake.Offset == 1537 + 700, $"HandshakeException.Offset must be 2237 (C2 starts at 1537, the bad byte is its byte 700); got {handshake.Offset}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_stops_when_cancelled_while_the_client_is_silent()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        using var cancel = Deadline.After(TimeSpan.FromMilliseconds(300));
        var server = HandshakeServer.AcceptAsync(pair.Mine, null, cancel.Token);

        var error = await Expect.FailureAsync(server,
            "AcceptAsync to stop after its CancellationToken was cancelled (the client sent nothing). Pass the token to every ReadAsync — README §Errors");
        Assert.True(error is OperationCanceledException, $"A cancelled handshake must throw OperationCanceledException; got {error.GetType().Name}: {error.Message}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_puts_HandshakeOptions_Time_in_S1()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, new HandshakeOptions { Time = 0xCAFEBABE }, Token);

        var s1 = await ClientHelloAsync(pair.Peer, Spec.C1(0x00000500, 0, seed: 16), server);
        Assert.True(Spec.Time(s1) == 0xCAFEBABE, $"With HandshakeOptions.Time = 0xcafebabe, S1's time (bytes 0-3) must be 0xcafebabe; you sent 0x{Spec.Time(s1):x8}. See README §Options and result.");
        await pair.Peer.WriteAsync(Spec.EchoOf(s1, 0x00000501), Token);
        var result = await Deadline.Within(server, Limit, "AcceptAsync to finish after C2 arrived");
        Assert.True(result.LocalTime == 0xCAFEBABE && result.PeerTime == 0x500,
            $"HandshakeResult.LocalTime must be the time you sent in S1 (0xcafebabe) and PeerTime C1's (0x00000500); got 0x{result.LocalTime:x8} and 0x{result.PeerTime:x8}. See README §Options and result.");
        Assert.True(result is { UsedDigest: false, PeerDigest: null },
            $"A plain C1 (zero field 0) gets the plain answer: UsedDigest false, PeerDigest null; got {result.UsedDigest}, {result.PeerDigest?.ToString() ?? "null"}. See README §Options and result.");
    }

    [Theory(Timeout = 15000)]
    [InlineData("GET ")]
    [InlineData("G")]
    [Trait("Milestone", Milestone)]
    public async Task Server_refuses_an_HTTP_request_without_waiting_for_C1(string sent)
    {
        // An HTTP client sends a short request and waits for the answer: only these bytes ever come.
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, null, Token);
        await pair.Peer.WriteAsync(System.Text.Encoding.ASCII.GetBytes(sent), Token);

        var handshake = await Expect.HandshakeErrorAsync(server,
            $"AcceptAsync to refuse C0 = 'G' (0x47) after the client sent \"{sent}\" and nothing more. Check the version byte as soon as it is in, before reading C1 — README §Ordering");
        Assert.True(handshake is { Packet: "C0", Field: "version", Offset: 0 },
            $"Expected Packet \"C0\", Field \"version\", Offset 0; got \"{handshake.Packet}\", \"{handshake.Field}\", {handshake.Offset}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_reports_a_client_that_closes_before_C0()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, null, Token);
        Spec.CloseSending(pair.Peer);

        var handshake = await Expect.HandshakeErrorAsync(server, "AcceptAsync to notice the client closed before sending C0");
        Assert.True(handshake.Packet == "C0" && handshake.Offset == 0 && handshake.Field is null,
            $"Expected Packet \"C0\", Field null (cut short), Offset 0 (nothing arrived); got \"{handshake.Packet}\", \"{handshake.Field}\", {handshake.Offset}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_reports_a_client_that_closes_right_after_C0()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, null, Token);
        await pair.Peer.WriteAsync((byte[])[3], Token);
        Spec.CloseSending(pair.Peer);

        var handshake = await Expect.HandshakeErrorAsync(server, "AcceptAsync to notice the client closed after C0, before any byte of C1");
        Assert.True(handshake.Packet == "C1" && handshake.Offset == 1 && handshake.Field is null,
            $"Expected Packet \"C1\", Field null (cut short), Offset 1 (only C0 arrived); got \"{handshake.Packet}\", \"{handshake.Field}\", {handshake.Offset}. See README §Errors.");
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(handshake.Message, @"(?<![0-9])0(?![0-9])"),
            $"The message must say how many bytes of C1 arrived (0); it says: {handshake.Message}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_rejects_a_C2_whose_first_random_byte_differs()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, null, Token);
        var s1 = await ClientHelloAsync(pair.Peer, Spec.C1(1, 0, seed: 17), server);
        var c2 = Spec.EchoOf(s1, 2);
        c2[8] ^= 0x01;
        await pair.Peer.WriteAsync(c2, Token);

        var handshake = await Expect.HandshakeErrorAsync(server, "AcceptAsync to reject a C2 whose byte 8 (the first of the random echo) differs from S1");
        Assert.True(handshake is { Packet: "C2", Field: "random echo" } && handshake.Offset == 1537 + 8,
            $"Expected Packet \"C2\", Field \"random echo\", Offset 1545 (C2 starts at 1537, its random echo at byte 8); got \"{handshake.Packet}\", \"{handshake.Field}\", {handshake.Offset}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_accepts_a_C2_with_the_clients_own_time2()
    {
        // README §C2, §Errors: time2 (bytes 4-7) is when the client read S1, by its own clock; a spec-following client's C2
        // differs from S1 there, and only the random echo is compared.
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(pair.Mine, null, Token);
        var s1 = await ClientHelloAsync(pair.Peer, Spec.C1(1, 0, seed: 18), server);
        await pair.Peer.WriteAsync(Spec.EchoOf(s1, 0xFFFFFFFF), Token);
        await Deadline.Within(server, Limit, "AcceptAsync to accept a C2 whose time2 is the client's clock (0xffffffff) and whose random echo matches S1 — README §Errors");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Server_flushes_S0_S1_S2_on_a_stream_that_holds_writes()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var server = HandshakeServer.AcceptAsync(new HoldWritesStream(pair.Mine), null, Token);

        var s1 = await ClientHelloAsync(pair.Peer, Spec.C1(3, 0, seed: 19), server);
        await pair.Peer.WriteAsync(Spec.EchoOf(s1, 4), Token);
        await Deadline.Within(server, Limit, "AcceptAsync to finish on a stream that sends written bytes only when flushed — README §Ordering");
    }
}
