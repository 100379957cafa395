namespace Lab01.RtmpHandshake.Tests;

/// <summary>M3: the client's handshake, against a scripted server played by the test.</summary>
public class M3ClientTests
{
    private const string Milestone = "M3 client handshake";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Reads C0+C1 from the client and checks them against the spec. Returns C1.</summary>
    private static async Task<byte[]> ReadHelloAsync(Stream peer, Task client)
    {
        var hello = await Expect.PeerStepAsync(Spec.ReadUpToAsync(peer, 1 + Spec.PacketSize, Token), client, "C0+C1 (1537 bytes) from ConnectAsync");
        Assert.True(hello.Length == 1537, $"C0+C1 must be 1 + 1536 bytes; the client closed after {hello.Length}. See README §C1.");
        Assert.True(hello[0] == 3, $"C0 must be the version byte 3; you sent {hello[0]}. See README §C0.");
        Assert.True(Spec.Second(hello.AsSpan(1)) == 0, $"A plain C1's zero field (bytes 4-7) must be 0; you sent 0x{Spec.Second(hello.AsSpan(1)):x8}. See README §C1.");
        return hello[1..];
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_completes_and_C2_echoes_S1()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var client = HandshakeClient.ConnectAsync(pair.Mine, null, Token);

        var c1 = await ReadHelloAsync(pair.Peer, client);
        var s1 = Spec.C1(0x00ABCDEF, 0, seed: 21);
        await pair.Peer.WriteAsync((byte[])[3, .. s1, .. Spec.EchoOf(c1, 99)], Token);

        var c2 = await Expect.PeerStepAsync(Spec.ReadUpToAsync(pair.Peer, Spec.PacketSize, Token), client, "C2 (1536 bytes) after S0+S1+S2");
        Assert.True(c2.Length == Spec.PacketSize, $"C2 must be 1536 bytes; the client closed after {c2.Length}. See README §C2.");
        Assert.True(Spec.Time(c2) == 0x00ABCDEF, $"C2's time (bytes 0-3) must echo S1's time 0x00abcdef; you sent 0x{Spec.Time(c2):x8}. See README §C2.");
        HexDiff.AssertEqual(s1.AsSpan(8), c2.AsSpan(8), "C2's random echo (bytes 8-1535 of C2 must be S1's random field)", "README §C2");

        var result = await Deadline.Within(client, Expect.Limit, "ConnectAsync to finish after S2 arrived and C2 was sent");
        Assert.True(result.PeerVersion == 3, $"HandshakeResult.PeerVersion must be the version byte the peer sent, 3; got {result.PeerVersion}. See README §C0.");
        Assert.True(result.PeerTime == 0x00ABCDEF, $"HandshakeResult.PeerTime must be S1's time 0x00abcdef; got 0x{result.PeerTime:x8}. See README §C1 (the time and zero fields).");
        Assert.True(result.LocalTime == Spec.Time(c1), $"HandshakeResult.LocalTime must be the time you sent in C1 (0x{Spec.Time(c1):x8}); got 0x{result.LocalTime:x8}. See README §C1 (the time and zero fields).");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_sends_C2_before_S2_arrives()
    {
        // The spec lets a server wait for C2 before it sends S2 (§5.2.5): a client must not wait for S2 first.
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var client = HandshakeClient.ConnectAsync(pair.Mine, null, Token);

        var c1 = await ReadHelloAsync(pair.Peer, client);
        var s1 = Spec.C1(1, 0, seed: 22);
        await pair.Peer.WriteAsync((byte[])[3, .. s1], Token);
        var c2 = await Expect.PeerStepAsync(Spec.ReadUpToAsync(pair.Peer, Spec.PacketSize, Token), client,
            "C2 after S0+S1 (S2 not sent yet). Send C2 as soon as S1 is in — README §Ordering");
        HexDiff.AssertEqual(s1.AsSpan(8), c2.AsSpan(8), "C2's random echo", "README §C2");

        await pair.Peer.WriteAsync(Spec.EchoOf(c1, 2), Token);
        await Deadline.Within(client, Expect.Limit, "ConnectAsync to finish after S2");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_works_when_bytes_arrive_one_at_a_time_and_leaves_what_follows_S2()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var trickle = new TrickleStream(pair.Mine, maxRead: 1);
        var client = HandshakeClient.ConnectAsync(trickle, null, Token);

        var c1 = await ReadHelloAsync(pair.Peer, client);
        var s1 = Spec.C1(5, 0, seed: 23);
        byte[] after = [0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x05, 0, 0, 0, 0, 0x00, 0x26, 0x25, 0xA0]; // a Window Acknowledgement Size chunk
        await pair.Peer.WriteAsync((byte[])[3, .. s1, .. Spec.EchoOf(c1, 6), .. after], Token);

        await Deadline.Within(client, Expect.Limit, "ConnectAsync when every read returns 1 byte. Loop until each packet is complete — README §Errors");
        var next = new byte[after.Length];
        await Deadline.Within(pair.Mine.ReadExactlyAsync(next, Token).AsTask(), Expect.Limit,
            "the 16 bytes the server sent after S2. Your client read more than 1536 bytes of S2 — README §Ordering");
        HexDiff.AssertEqual(after, next, "the bytes after S2 (they belong to the caller)", "README §Ordering");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_rejects_a_wrong_S0()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var client = HandshakeClient.ConnectAsync(pair.Mine, null, Token);
        var c1 = await ReadHelloAsync(pair.Peer, client);
        await pair.Peer.WriteAsync((byte[])[6, .. Spec.C1(1, 0), .. Spec.EchoOf(c1, 1)], Token);

        var error = await Expect.HandshakeErrorAsync(client, "ConnectAsync to reject S0 = 6");
        Assert.True(error.Packet == "S0" && error.Field == "version" && error.Offset == 0,
            $"Expected Packet \"S0\", Field \"version\", Offset 0; got \"{error.Packet}\", \"{error.Field}\", {error.Offset}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_reports_a_server_that_closes_inside_S1()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var client = HandshakeClient.ConnectAsync(pair.Mine, null, Token);
        await ReadHelloAsync(pair.Peer, client);
        await pair.Peer.WriteAsync((byte[])[3, .. Spec.C1(1, 0).AsSpan(0, 500)], Token);
        Spec.CloseSending(pair.Peer);

        var error = await Expect.HandshakeErrorAsync(client, "ConnectAsync to notice the server closed after 500 bytes of S1");
        Assert.True(error.Packet == "S1" && error.Offset == 501,
            $"Expected Packet \"S1\" at Offset 501 (S0 + 500 bytes); got \"{error.Packet}\" at {error.Offset}. See README §Errors.");
        Assert.True(error.Message.Contains("500", StringComparison.Ordinal), $"The message must say how many bytes of S1 arrived (500); it says: {error.Message}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_rejects_an_S2_that_does_not_echo_C1()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var client = HandshakeClient.ConnectAsync(pair.Mine, null, Token);
        var c1 = await ReadHelloAsync(pair.Peer, client);
        var s2 = Spec.EchoOf(c1, 1);
        s2[1535] ^= 0x01;
        await pair.Peer.WriteAsync((byte[])[3, .. Spec.C1(1, 0), .. s2], Token);

        var error = await Expect.HandshakeErrorAsync(client, "ConnectAsync to reject an S2 whose last byte differs from C1");
        Assert.True(error.Packet == "S2" && error.Field == "random echo" && error.Offset == 1537 + 1535,
            $"Expected Packet \"S2\", Field \"random echo\", Offset 3072; got \"{error.Packet}\", \"{error.Field}\", {error.Offset}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_stops_when_cancelled_while_the_server_is_silent()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        using var cancel = Deadline.After(TimeSpan.FromSeconds(30));
        var client = HandshakeClient.ConnectAsync(pair.Mine, null, cancel.Token);

        await ReadHelloAsync(pair.Peer, client);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300)); // C0+C1 are out; now the client waits for S0+S1 that never come
        var error = await Expect.FailureAsync(client, "ConnectAsync to stop after its CancellationToken was cancelled (the server sent nothing)");
        Assert.True(error is OperationCanceledException, $"A cancelled handshake must throw OperationCanceledException; got {error.GetType().Name}: {error.Message}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_leaves_the_chunk_that_arrives_with_S2_in_the_same_segment()
    {
        // A server that sends S2 only after C2 (the spec allows it) often sends S2 and its first chunk in one TCP segment.
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var client = HandshakeClient.ConnectAsync(pair.Mine, null, Token);

        var c1 = await ReadHelloAsync(pair.Peer, client);
        await pair.Peer.WriteAsync((byte[])[3, .. Spec.C1(0x10, 0, seed: 24)], Token);
        await Expect.PeerStepAsync(Spec.ReadUpToAsync(pair.Peer, Spec.PacketSize, Token), client, "C2 after S0+S1");
        byte[] after = [0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x01, 0, 0, 0, 0, 0x00, 0x00, 0x10, 0x00]; // Set Chunk Size 4096
        await pair.Peer.WriteAsync((byte[])[.. Spec.EchoOf(c1, 0x11), .. after], Token);  // S2 and the chunk in one write

        await Deadline.Within(client, Expect.Limit, "ConnectAsync to finish after S2");
        var next = new byte[after.Length];
        await Deadline.Within(pair.Mine.ReadExactlyAsync(next, Token).AsTask(), Expect.Limit,
            "the 16 bytes the server sent right after S2, in the same write. Your client read more than 1536 bytes of S2 — README §Ordering");
        HexDiff.AssertEqual(after, next, "the bytes after S2 (they belong to the caller)", "README §Ordering");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_puts_HandshakeOptions_Time_in_C1_and_reports_the_servers_fields()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var client = HandshakeClient.ConnectAsync(pair.Mine, new HandshakeOptions { Time = 0x01020304 }, Token);

        var c1 = await ReadHelloAsync(pair.Peer, client);
        Assert.True(Spec.Time(c1) == 0x01020304, $"With HandshakeOptions.Time = 0x01020304, C1's time (bytes 0-3) must be 0x01020304; you sent 0x{Spec.Time(c1):x8}. See README §Options and result.");
        var s1 = Spec.C1(0x0A0B0C0D, 0x03050101, seed: 25); // a server that puts its version (3.5.1.1) in S1's zero field
        await pair.Peer.WriteAsync((byte[])[3, .. s1, .. Spec.EchoOf(c1, 0x77)], Token);
        var c2 = await Expect.PeerStepAsync(Spec.ReadUpToAsync(pair.Peer, Spec.PacketSize, Token), client, "C2 after S0+S1+S2");
        Assert.True(c2.Length == Spec.PacketSize && Spec.Time(c2) == 0x0A0B0C0D, $"C2's time (bytes 0-3) must echo S1's time 0x0a0b0c0d; you sent 0x{(c2.Length >= 4 ? Spec.Time(c2) : 0):x8}. See README §C2.");

        var result = await Deadline.Within(client, Expect.Limit, "ConnectAsync to finish");
        Assert.True(result.LocalTime == 0x01020304, $"HandshakeResult.LocalTime must be the time you sent in C1 (0x01020304); got 0x{result.LocalTime:x8}. See README §Options and result.");
        Assert.True(result.PeerTime == 0x0A0B0C0D && result.PeerZero == 0x03050101,
            $"HandshakeResult.PeerTime and PeerZero are S1's fields, 0x0a0b0c0d and 0x03050101; got 0x{result.PeerTime:x8} and 0x{result.PeerZero:x8}. See README §Options and result.");
        Assert.True(result is { PeerDigest: null, UsedDigest: false, PeerVersion: 3 },
            $"A plain client looks for no digest: PeerDigest null, UsedDigest false (and PeerVersion 3); got {result.PeerDigest?.ToString() ?? "null"}, {result.UsedDigest}, {result.PeerVersion}. See README §Options and result.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_refuses_a_wrong_S0_without_waiting_for_S1()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var client = HandshakeClient.ConnectAsync(pair.Mine, null, Token);
        await ReadHelloAsync(pair.Peer, client);
        await pair.Peer.WriteAsync((byte[])[0x47], Token); // and nothing more

        var error = await Expect.HandshakeErrorAsync(client, "ConnectAsync to refuse S0 = 0x47 as soon as it arrived (no S1 follows). Check the version byte before reading S1 — README §Ordering");
        Assert.True(error is { Packet: "S0", Field: "version", Offset: 0 },
            $"Expected Packet \"S0\", Field \"version\", Offset 0; got \"{error.Packet}\", \"{error.Field}\", {error.Offset}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_reports_a_server_that_closes_before_S0()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var client = HandshakeClient.ConnectAsync(pair.Mine, null, Token);
        await ReadHelloAsync(pair.Peer, client);
        Spec.CloseSending(pair.Peer);

        var error = await Expect.HandshakeErrorAsync(client, "ConnectAsync to notice the server closed without sending S0");
        Assert.True(error is { Packet: "S0", Field: null, Offset: 0 },
            $"Expected Packet \"S0\", Field null (cut short), Offset 0; got \"{error.Packet}\", \"{error.Field}\", {error.Offset}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_reports_a_server_that_closes_inside_S2()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var client = HandshakeClient.ConnectAsync(pair.Mine, null, Token);
        var c1 = await ReadHelloAsync(pair.Peer, client);
        await pair.Peer.WriteAsync((byte[])[3, .. Spec.C1(1, 0, seed: 26), .. Spec.EchoOf(c1, 2).AsSpan(0, 1000)], Token);
        Spec.CloseSending(pair.Peer);

        var error = await Expect.HandshakeErrorAsync(client, "ConnectAsync to notice the server closed after 1000 bytes of S2");
        Assert.True(error is { Packet: "S2", Field: null } && error.Offset == 1537 + 1000,
            $"Expected Packet \"S2\", Field null (cut short), Offset 2537 (S0 + S1 + 1000 bytes of S2); got \"{error.Packet}\", \"{error.Field}\", {error.Offset}. See README §Errors.");
        Assert.True(error.Message.Contains("1000", StringComparison.Ordinal), $"The message must say how many bytes of S2 arrived (1000); it says: {error.Message}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_rejects_an_S2_whose_first_random_byte_differs()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var client = HandshakeClient.ConnectAsync(pair.Mine, null, Token);
        var c1 = await ReadHelloAsync(pair.Peer, client);
        var s2 = Spec.EchoOf(c1, 1);
        s2[8] ^= 0x80;
        await pair.Peer.WriteAsync((byte[])[3, .. Spec.C1(1, 0, seed: 27), .. s2], Token);

        var error = await Expect.HandshakeErrorAsync(client, "ConnectAsync to reject an S2 whose byte 8 (the first of the random echo) differs from C1");
        Assert.True(error is { Packet: "S2", Field: "random echo" } && error.Offset == 1537 + 8,
            $"Expected Packet \"S2\", Field \"random echo\", Offset 1545; got \"{error.Packet}\", \"{error.Field}\", {error.Offset}. See README §Errors.");
    }

    [Fact(Timeout = 15000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_flushes_C0_C1_and_C2_on_a_stream_that_holds_writes()
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var client = HandshakeClient.ConnectAsync(new HoldWritesStream(pair.Mine), null, Token);

        var c1 = await Expect.PeerStepAsync(Spec.ReadUpToAsync(pair.Peer, 1537, Token), client,
            "C0+C1 from a client whose stream sends written bytes only when flushed. Flush after each write — README §Ordering");
        var s1 = Spec.C1(1, 0, seed: 28);
        await pair.Peer.WriteAsync((byte[])[3, .. s1], Token);
        var c2 = await Expect.PeerStepAsync(Spec.ReadUpToAsync(pair.Peer, Spec.PacketSize, Token), client,
            "C2 after S0+S1, from a client whose stream sends written bytes only when flushed. Flush after each write — README §Ordering");
        HexDiff.AssertEqual(s1.AsSpan(8), c2.AsSpan(8), "C2's random echo", "README §C2");
        await pair.Peer.WriteAsync(Spec.EchoOf(c1.AsSpan(1), 2), Token);
        await Deadline.Within(client, Expect.Limit, "ConnectAsync to finish after S2");
    }
}
