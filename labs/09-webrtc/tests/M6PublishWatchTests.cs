using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace Lab09.WebRtc.Tests;

/// <summary>
/// M6 end to end: one Chromium tab publishes its fake camera through your signalling endpoint, your ICE-lite agent,
/// DTLS-SRTP and SRTP into Lab 08's router; other tabs watch it. The oracle is Chromium itself: its <c>&lt;video&gt;</c>
/// plays and its getStats() counts what it received and decoded.
/// </summary>
public class M6PublishWatchTests
{
    private static readonly TimeSpan Connect = TimeSpan.FromSeconds(90); // two-core machine shared with others: generous

    [Fact(Timeout = 300_000)]
    [Trait("Milestone", "M6 signalling publish and watch")]
    public async Task Chromium_publishes_its_camera_and_another_Chromium_watches_it_through_your_sfu()
    {
        await using var server = WebRtcServer.Start();
        await using var chromium = await SfuChromium.LaunchAsync();
        var publisher = await chromium.OpenAsync(server.PageUri);
        await publisher.EvaluateAsync("() => lab.publish('cam')");
        var watcher = await chromium.OpenAsync(server.PageUri);
        await watcher.EvaluateAsync("() => lab.watch('cam')");

        var first = await SfuChromium.UntilAsync(watcher, s => s.FramesDecoded > 0 && s.CurrentTime > 0, Connect);
        Assert.True(first.FramesDecoded > 0 && first.PacketsReceived > 0,
            $"the watching tab decoded no frame within {Connect.TotalSeconds} s. Its getStats: {first}\n" +
            $"the publishing tab: {await SfuChromium.UntilAsync(publisher, _ => true, TimeSpan.Zero)}\n{SfuChromium.Describe(server)}\n" +
            "See README §Signalling and §Sessions: the watcher's SRTP comes from your consumer through WebRtcPeer.Send.");
        var later = await SfuChromium.UntilAsync(watcher, s => s.CurrentTime > first.CurrentTime + 2 && s.FramesDecoded > first.FramesDecoded + 20, TimeSpan.FromSeconds(30));
        Assert.True(later.CurrentTime > first.CurrentTime + 2 && later.FramesDecoded > first.FramesDecoded + 20 && later.PacketsReceived > first.PacketsReceived,
            $"the watching tab's video must keep playing: first {first}, then {later}.\n{SfuChromium.Describe(server)}");
    }

    [Fact(Timeout = 300_000)]
    [Trait("Milestone", "M6 signalling publish and watch")]
    public async Task A_late_watcher_gets_a_keyframe_because_its_pli_reaches_the_publishing_browser()
    {
        // No keyframe request of the server's own when a watcher's DTLS is done (README §Signalling): the late watcher's
        // keyframe can only come from its own PLI, carried by your Route and OnMedia to its consumer and on to the publisher.
        await using var server = WebRtcServer.Start(new WebRtcServerOptions { KeyframeOnWatcherReady = false });
        await using var chromium = await SfuChromium.LaunchAsync();
        var publisher = await chromium.OpenAsync(server.PageUri);
        await publisher.EvaluateAsync("() => lab.publish('cam')");
        var early = await chromium.OpenAsync(server.PageUri);
        await early.EvaluateAsync("() => lab.watch('cam')");
        var playing = await SfuChromium.UntilAsync(early, s => s.FramesDecoded > 30, Connect);
        Assert.True(playing.FramesDecoded > 30, $"the first watcher must play before the late one joins: {playing}\n{SfuChromium.Describe(server)}");

        // WebRTC's H.264 encoder sends a keyframe only when asked: a late watcher decodes only if a PLI reaches the publisher.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        var before = await SfuChromium.UntilAsync(publisher, _ => true, TimeSpan.Zero);
        var late = await chromium.OpenAsync(server.PageUri);
        await late.EvaluateAsync("() => lab.watch('cam')");
        var decoding = await SfuChromium.UntilAsync(late, s => s.FramesDecoded > 10, Connect);
        var after = await SfuChromium.UntilAsync(publisher, s => s.PliCount > before.PliCount, TimeSpan.FromSeconds(10));
        Assert.True(decoding.FramesDecoded > 10,
            $"the late watcher decoded {decoding.FramesDecoded} frames within {Connect.TotalSeconds} s: it needs a keyframe, which the publisher sends on a PLI " +
            $"(README §Sessions: the consumer passes the PLI to Producer.RequestKeyframe, which goes to the publisher through WebRtcPeer.Send as SRTCP). " +
            $"Late watcher: {decoding}\n{SfuChromium.Describe(server)}");
        Assert.True(after.PliCount > before.PliCount,
            $"the publishing browser's outbound-rtp pliCount went from {before.PliCount} to {after.PliCount}: no PLI reached it after the late watcher joined.\n{SfuChromium.Describe(server)}");
    }

    [Fact(Timeout = 300_000)]
    [Trait("Milestone", "M6 signalling publish and watch")]
    public async Task Plain_rtp_from_ffmpeg_published_with_PublishRtp_plays_in_a_watching_chromium()
    {
        await using var server = WebRtcServer.Start();
        var producer = server.PublishRtp("ffmpeg");
        int port = producer.LocalEndPoint.Port;
        // H.264 Constrained Baseline, a keyframe every second (the watcher starts at one: ffmpeg ignores PLI), RTP and RTCP to one port.
        await using var ffmpeg = ToolRun.Start(RealTools.Ffmpeg(),
        [
            "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30", "-t", "120",
            "-c:v", "libx264", "-profile:v", "baseline", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-pix_fmt", "yuv420p",
            "-f", "rtp", $"rtp://127.0.0.1:{port}?rtcpport={port}&pkt_size=1200",
        ]);
        await using var chromium = await SfuChromium.LaunchAsync();
        var watcher = await chromium.OpenAsync(server.PageUri);
        await watcher.EvaluateAsync("() => lab.watch('ffmpeg')");

        var playing = await SfuChromium.UntilAsync(watcher, s => s.FramesDecoded > 30 && s.CurrentTime > 0, Connect);
        Assert.True(playing.FramesDecoded > 30 && playing.PacketsReceived > 0,
            $"ffmpeg sent plain RTP into the producer of PublishRtp (127.0.0.1:{port}, {producer.Stats}); the watching tab decoded " +
            $"{playing.FramesDecoded} frames within {Connect.TotalSeconds} s. Its getStats: {playing}\n{SfuChromium.Describe(server)}\n" +
            $"ffmpeg running: {ffmpeg.IsRunning}. See README §Signalling (ConsumerFor) and §Sessions (Send): the watcher's SRTP comes from your consumer.");
    }

    [Fact(Timeout = 300_000)]
    [Trait("Milestone", "M6 signalling publish and watch")]
    public async Task Loss_towards_a_watcher_is_repaired_by_its_nacks_from_lab_08s_packet_cache()
    {
        await using var server = WebRtcServer.Start();
        await using var relay = new LossyRelay(server.MediaEndPoint, lossPercent: 5, seed: 9);
        await using var chromium = await SfuChromium.LaunchAsync();
        var publisher = await chromium.OpenAsync(server.PageUri);
        await publisher.EvaluateAsync("() => lab.publish('cam')");
        var watcher = await chromium.OpenAsync(server.PageUri);
        // The watcher's answer names the relay as the SFU's candidate, so everything to and from it crosses the relay.
        await watcher.RouteAsync("**/watch/**", async route =>
        {
            var response = await route.FetchAsync();
            string answer = (await response.TextAsync())
                .Replace($" {server.MediaEndPoint.Port} typ host", $" {relay.EndPoint.Port} typ host", StringComparison.Ordinal)
                .Replace($"m=video {server.MediaEndPoint.Port} ", $"m=video {relay.EndPoint.Port} ", StringComparison.Ordinal);
            await route.FulfillAsync(new() { Response = response, Body = answer });
        });
        await watcher.EvaluateAsync("() => lab.watch('cam')");

        var first = await SfuChromium.UntilAsync(watcher, s => s.FramesDecoded > 0 && s.NackCount > 0, Connect);
        var later = await SfuChromium.UntilAsync(watcher, s => s.FramesDecoded > first.FramesDecoded + 60, TimeSpan.FromSeconds(45));
        var consumer = server.Peers.First(p => !p.IsPublisher).Consumer!;
        Assert.True(relay.Dropped > 0, $"the relay dropped no RTP packet (it saw {relay.Forwarded} from the SFU): the watcher's media did not cross it.\n{SfuChromium.Describe(server)}");
        Assert.True(later.NackCount > 0 && consumer.Stats.Retransmitted > 0,
            $"the relay dropped {relay.Dropped} of {relay.Forwarded + relay.Dropped} RTP packets to the watcher; its getStats says {later}; your consumer retransmitted " +
            $"{consumer.Stats.Retransmitted} (NACKs received {consumer.Stats.NacksReceived}). Expected nackCount > 0 and retransmissions from Lab 08's cache: " +
            $"README §Sessions (a watcher's SRTCP goes to Consumer.Receive).\n{SfuChromium.Describe(server)}");
        Assert.True(later.FramesDecoded > first.FramesDecoded + 60,
            $"with 5 % loss repaired by retransmission the watcher must keep decoding: {first.FramesDecoded} then {later.FramesDecoded} frames.\n{SfuChromium.Describe(server)}");
    }

    /// <summary>A UDP relay on 127.0.0.1: the browser's datagrams go to the SFU untouched; the SFU's RTP to the browser loses a seeded share.</summary>
    private sealed class LossyRelay : IAsyncDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _dropped;
        private long _forwarded;

        public LossyRelay(IPEndPoint sfu, int lossPercent, int seed)
        {
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
            var random = new Random(seed);
            _loop = Task.Run(async () =>
            {
                var buffer = new byte[65536];
                IPEndPoint? browser = null;
                while (!_stop.IsCancellationRequested)
                {
                    SocketReceiveFromResult r;
                    try
                    {
                        r = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                    }
                    catch (SocketException)
                    {
                        continue;
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    var from = (IPEndPoint)r.RemoteEndPoint;
                    var datagram = buffer.AsMemory(0, r.ReceivedBytes);
                    if (!from.Equals(sfu))
                    {
                        browser = from;
                        await _socket.SendToAsync(datagram, SocketFlags.None, sfu);
                        continue;
                    }

                    // RTP by RFC 7983 (first byte 128–191) and RFC 5761 (payload type outside RTCP's 64–95).
                    bool rtp = r.ReceivedBytes >= 12 && buffer[0] is >= 128 and <= 191 && (buffer[1] & 0x7F) is < 64 or > 95;
                    if (rtp && random.Next(100) < lossPercent)
                    {
                        Interlocked.Increment(ref _dropped);
                        continue;
                    }

                    if (rtp)
                    {
                        Interlocked.Increment(ref _forwarded);
                    }

                    if (browser is not null)
                    {
                        await _socket.SendToAsync(datagram, SocketFlags.None, browser);
                    }
                }
            });
        }

        public IPEndPoint EndPoint { get; }

        public long Dropped => Interlocked.Read(ref _dropped);

        public long Forwarded => Interlocked.Read(ref _forwarded);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _socket.Dispose();
            _stop.Dispose();
        }
    }
}
