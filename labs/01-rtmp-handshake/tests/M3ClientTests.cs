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
}
