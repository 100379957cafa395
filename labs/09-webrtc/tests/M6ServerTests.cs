using System.Net;
using System.Net.Sockets;

namespace Lab09.WebRtc.Tests;

/// <summary>
/// M6 without a browser: your <c>WebRtcServer</c> on loopback, driven by the tests' own STUN checks (<see cref="StunSpec"/>)
/// and SDP offers, judged by README §Signalling and §Sessions — which session a check belongs to, which address it ties,
/// what is dropped, and what Lab 08's router is asked for.
/// </summary>
public class M6ServerTests
{
    internal const string Milestone = "M6 signalling publish and watch";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 120_000)]
    [Trait("Milestone", Milestone)]
    public async Task Publish_and_watch_make_the_producer_and_consumer_the_handout_describes()
    {
        await using var server = WebRtcServer.Start();
        Assert.True(server.Watch("cam", WatcherOffer(99)) is null, "a watcher of a stream nobody publishes gets null (HTTP 404). See README §Signalling.");

        string answer = server.Publish("cam", ChromiumOffer());
        Assert.True(server.Peers.Count == 1 && server.Peers[0] is { IsPublisher: true, Stream: "cam", Producer: not null, Consumer: null },
            "Publish makes one publishing session with a producer. See README §Signalling.");
        var publisher = server.Peers[0];
        var producer = publisher.Producer!;
        Assert.True(server.StreamOf("cam") == producer, "the stream's producer is the session's.");
        Assert.True(producer.Options is { PayloadType: 108, ClockRate: 90000, EnableNack: true },
            $"the producer takes the chosen codec's payload type (108 in Chromium's offer) and clock rate (90000), with EnableNack on; got {producer.Options.PayloadType}, {producer.Options.ClockRate}, {producer.Options.EnableNack}. See README §Signalling (ProducerFor).");
        Assert.True(answer.Contains("a=ice-ufrag:" + publisher.Agent.Ufrag + "\r\n", StringComparison.Ordinal) && answer.Contains($"a=fingerprint:{server.Fingerprint}\r\n", StringComparison.Ordinal)
            && answer.Contains($"a=candidate:1 1 udp 2130706431 127.0.0.1 {server.MediaEndPoint.Port} typ host\r\n", StringComparison.Ordinal),
            $"the answer carries the session's ufrag, the server's fingerprint and its one UDP port as the host candidate:\n{answer}");

        string? watchAnswer = server.Watch("cam", WatcherOffer(99));
        Assert.True(watchAnswer is not null && server.Peers.Count == 2 && server.Peers[1] is { IsPublisher: false, Stream: "cam", Consumer: not null, Producer: null },
            "Watch makes a watching session with a consumer. See README §Signalling.");
        var consumer = server.Peers[1].Consumer!;
        Assert.True(consumer.Producer == producer && producer.Consumers.Contains(consumer), "the consumer is the published stream's. See README §Signalling (ConsumerFor).");
        Assert.True(consumer.Options.PayloadType == 99,
            $"the consumer writes the watcher's own payload type for H264 (99 in its offer, 108 in the publisher's); got {consumer.Options.PayloadType}. See README §Signalling (ConsumerFor).");
        Assert.True(watchAnswer!.EndsWith($"a=msid:cam video\r\na=ssrc:{consumer.Ssrc} cname:workbook-sfu\r\n", StringComparison.Ordinal),
            $"the watcher's answer ends with a=msid and a=ssrc of the consumer's SSRC:\n{watchAnswer}");
        Assert.True(server.Peers[0].Agent.Ufrag != server.Peers[1].Agent.Ufrag, "every session has its own ufrag.");
    }

    [Fact(Timeout = 120_000)]
    [Trait("Milestone", Milestone)]
    public async Task Checks_reach_the_session_their_username_names_and_tie_its_address()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = WebRtcServer.Start();
        server.Publish("cam", ChromiumOffer());
        var peer = server.Peers[0];
        string ufrag = peer.Agent.Ufrag, password = peer.Agent.Password;
        using var first = Client();
        using var second = Client();
        using var stranger = Client();
        var firstAddress = (IPEndPoint)first.Client.LocalEndPoint!;
        var secondAddress = (IPEndPoint)second.Client.LocalEndPoint!;

        // 1. A check without USE-CANDIDATE: answered, and its address becomes the session's.
        var response = await CheckAsync(first, server, StunSpec.Check($"{ufrag}:P+w0", password, useCandidate: false, seed: 21), ct);
        Assert.True(StunSpec.IntegrityIsValid(response, password) && StunSpec.FingerprintIsValid(response) && response[0] == 0x01 && response[1] == 0x01,
            "a check for the session's ufrag is answered by its agent with a success response (0x0101, MESSAGE-INTEGRITY with its password). See README §Sessions.");
        await SyncAsync(server, stranger, ct);
        Assert.True(server.Dropped == 1, $"an answered check is not dropped: only the one datagram of no protocol is counted in WebRtcServer.Dropped; got {server.Dropped}. See README §Sessions.");
        Assert.True(firstAddress.Equals(peer.Remote), $"the first answered check ties its address to the session: Remote expected {firstAddress}, got {peer.Remote}. See README §Sessions.");

        // 2. Another address without USE-CANDIDATE is answered but does not move Remote; with USE-CANDIDATE it does.
        await CheckAsync(second, server, StunSpec.Check($"{ufrag}:P+w0", password, useCandidate: false, seed: 22), ct);
        await SyncAsync(server, stranger, ct);
        Assert.True(firstAddress.Equals(peer.Remote), $"a later check without USE-CANDIDATE keeps the first address; Remote is {peer.Remote}. See README §Sessions.");
        await CheckAsync(second, server, StunSpec.Check($"{ufrag}:P+w0", password, useCandidate: true, seed: 23), ct);
        await SyncAsync(server, stranger, ct);
        Assert.True(secondAddress.Equals(peer.Remote), $"the check with USE-CANDIDATE (the nominated pair) moves Remote to {secondAddress}; got {peer.Remote}. See README §Sessions.");

        // 3. A wrong password is answered with 401 by the agent and ties nothing: media from there is dropped by the server.
        var refused = await CheckAsync(stranger, server, StunSpec.Check($"{ufrag}:P+w0", "not-the-session-password", useCandidate: true, seed: 24), ct);
        Assert.True(refused[0] == 0x01 && refused[1] == 0x11, $"a check with a wrong MESSAGE-INTEGRITY gets the agent's error response (0x0111); got 0x{refused[0]:x2}{refused[1]:x2}.");
        long dropped = server.Dropped;
        await stranger.SendAsync(M3SrtpTests.Rtp(1, 0x1111, 20), server.MediaEndPoint, ct);
        await stranger.SendAsync(Convert.FromHexString("16fefd000000000000000000"), server.MediaEndPoint, ct); // a DTLS record header
        await UntilAsync(() => server.Dropped >= dropped + 2, "RTP and DTLS from an address no check was answered from to be dropped and counted in WebRtcServer.Dropped");
        Assert.True(secondAddress.Equals(peer.Remote) && peer.Dropped == 0, "a refused check changes nothing in the session.");

        // 4. A check for a ufrag no session has, a datagram that is no STUN although its first byte says so, and one of no
        //    protocol at all: dropped by the server, never answered.
        dropped = server.Dropped;
        await stranger.SendAsync(StunSpec.Check("nobody:P+w0", password, useCandidate: true, seed: 25), server.MediaEndPoint, ct);
        await stranger.SendAsync(new byte[] { 0x00, 0x01, 0x00 }, server.MediaEndPoint, ct);
        await stranger.SendAsync(new byte[] { 0xFF, 0x00, 0x00, 0x00 }, server.MediaEndPoint, ct);
        await stranger.SendAsync(new StunSpec(0x0001, new byte[12]).Fingerprint().ToArray(), server.MediaEndPoint, ct); // no USERNAME
        await UntilAsync(() => server.Dropped >= dropped + 4, "a check for an unknown ufrag, a malformed STUN message, a datagram of no protocol and a check without USERNAME to be counted in WebRtcServer.Dropped");
        Assert.True(stranger.Available == 0, "nothing is answered to them. See README §Sessions.");

        // 5. RTP from the session's address before DTLS has set its keys: the session drops it (not the server).
        dropped = server.Dropped;
        await second.SendAsync(M3SrtpTests.Rtp(1, 0x2222, 20), server.MediaEndPoint, ct);
        await UntilAsync(() => peer.Dropped >= 1, "RTP from the session's address before its keys to be counted in the session's Dropped");
        Assert.True(peer.MediaIn == 0 && server.Dropped == dropped, $"it is the session's drop: MediaIn {peer.MediaIn}, server Dropped +{server.Dropped - dropped}. See README §Sessions.");

        // 6. What the router sends before the keys are known is dropped and counted too.
        peer.Send(M3SrtpTests.Rtp(2, 0x3333, 20));
        Assert.True(peer.Dropped == 2 && peer.MediaOut == 0, $"Send before the keys: dropped and counted; Dropped {peer.Dropped}, MediaOut {peer.MediaOut}. See README §Sessions.");
    }

    internal static string ChromiumOffer() => File.ReadAllText(Repo.TestData("09-webrtc/chromium-offer.sdp"));

    /// <summary>A watcher's offer: recvonly H264 with packetization-mode 1 as payload type <paramref name="pt"/>.</summary>
    internal static string WatcherOffer(int pt, string fingerprint = "sha-256 00:11:22:33") => string.Join("\r\n",
    [
        "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
        "a=ice-ufrag:wtch", "a=ice-pwd:abcdefghijklmnopqrstuv", $"a=fingerprint:{fingerprint}",
        $"m=video 9 UDP/TLS/RTP/SAVPF {pt}", "c=IN IP4 0.0.0.0", "a=mid:0", "a=recvonly", "a=rtcp-mux",
        $"a=rtpmap:{pt} H264/90000", $"a=rtcp-fb:{pt} nack", $"a=rtcp-fb:{pt} nack pli", $"a=fmtp:{pt} packetization-mode=1;profile-level-id=42e01f",
        "",
    ]);

    internal static UdpClient Client() => new(new IPEndPoint(IPAddress.Loopback, 0));

    /// <summary>Sends a check from <paramref name="client"/> and returns the server's STUN response.</summary>
    internal static async Task<byte[]> CheckAsync(UdpClient client, WebRtcServer server, byte[] check, CancellationToken ct)
    {
        await client.SendAsync(check, server.MediaEndPoint, ct);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(Step);
        try
        {
            while (true)
            {
                var received = await client.ReceiveAsync(wait.Token);
                if (received.Buffer.Length >= 20 && received.Buffer.AsSpan(8, 12).SequenceEqual(check.AsSpan(8, 12)))
                {
                    return received.Buffer;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"no STUN response to a check within {Step.TotalSeconds} s: the server's Route must hand a check to the agent of the session its USERNAME names and send the response back. See README §Sessions.");
        }
    }

    /// <summary>Waits until the server has routed everything sent before: one datagram of no protocol, counted as dropped.</summary>
    internal static async Task SyncAsync(WebRtcServer server, UdpClient client, CancellationToken ct)
    {
        long dropped = server.Dropped;
        await client.SendAsync(new byte[] { 0xFF, 0xFF }, server.MediaEndPoint, ct);
        await UntilAsync(() => server.Dropped > dropped, "a datagram of no protocol (first byte 255) to be dropped and counted in WebRtcServer.Dropped");
    }

    internal static async Task UntilAsync(Func<bool> condition, string waitingFor)
    {
        var until = DateTime.UtcNow + Step;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new Xunit.Sdk.XunitException($"Timed out after {Step.TotalSeconds} s waiting for {waitingFor}. See README §Sessions.");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
