using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace Lab09.WebRtc.Tests;

/// <summary>
/// M5 end to end: Chromium takes your answer, sends its ICE checks to your agent and runs DTLS with your server, all on
/// one UDP port sorted by your demultiplexer, until its RTCPeerConnection says "connected".
/// </summary>
public class M5ChromiumConnectsTests
{
    [Fact(Timeout = 180_000)]
    [Trait("Milestone", "M5 SDP offer and answer")]
    public async Task Chromium_connects_with_ice_lite_and_dtls_on_one_port()
    {
        var ct = TestContext.Current.CancellationToken;
        string chromium = RealTools.Find("chromium") ?? RealTools.Find("chromium-browser") ?? RealTools.Find("google-chrome")
            ?? throw new Xunit.Sdk.XunitException($"This test connects a real browser, and no Chromium is on your PATH. Install it:\n  {RealTools.InstallCommand("chromium")}");
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var local = (IPEndPoint)socket.Client.LocalEndPoint!;
        var certificate = DtlsCertificate.CreateSelfSigned();
        var agent = new IceLiteAgent("sfu9", "workbook-lab09-ice-password");
        var server = new DtlsSrtpServer(certificate) { HandshakeTimeout = TimeSpan.FromSeconds(60) };
        IPEndPoint? dtlsPeer = null;
        var transport = new QueueDatagramTransport(d => socket.Send(d, d.Length, dtlsPeer));
        var log = new List<string>();
        var media = new List<byte[]>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loop = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var r = await socket.ReceiveAsync(stop.Token);
                    var kind = PacketDemultiplexer.Classify(r.Buffer);
                    lock (log)
                    {
                        log.Add($"{r.RemoteEndPoint} {kind} {r.Buffer.Length}");
                    }

                    if (kind == PacketKind.Stun && agent.Handle(r.Buffer, r.RemoteEndPoint).Response is { } response)
                    {
                        await socket.SendAsync(response, r.RemoteEndPoint, stop.Token);
                    }
                    else if (kind == PacketKind.Rtp)
                    {
                        lock (media)
                        {
                            media.Add(r.Buffer);
                        }
                    }
                    else if (kind == PacketKind.Dtls)
                    {
                        dtlsPeer ??= r.RemoteEndPoint;
                        transport.Deliver(r.Buffer);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
        var handshake = Task.Run(() => server.Accept(transport), CancellationToken.None);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync("about:blank");
        // A moving canvas as the camera (about:blank has no getUserMedia): the browser sends real SRTP once DTLS is done.
        string offerSdp = await page.EvaluateAsync<string>("""
            async () => {
              window.pc = new RTCPeerConnection();
              const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });
              const g = canvas.getContext('2d');
              let frame = 0;
              setInterval(() => { g.fillStyle = `hsl(${frame++ * 7 % 360} 80% 50%)`; g.fillRect(0, 0, 320, 240); g.fillStyle = '#fff'; g.fillText(String(frame), 20 + frame % 200, 120); }, 33);
              pc.addTransceiver(canvas.captureStream(30).getVideoTracks()[0], { direction: 'sendonly' });
              const offer = await pc.createOffer();
              await pc.setLocalDescription(offer);
              return offer.sdp;
            }
            """);
        string answer = SdpAnswer.Write(SdpOffer.Parse(offerSdp), new SdpAnswerOptions(agent.Ufrag, agent.Password, certificate.Fingerprint, local));
        string state = await page.EvaluateAsync<string>("""
            async sdp => {
              await pc.setRemoteDescription({ type: 'answer', sdp });
              const deadline = Date.now() + 60000;
              while (pc.connectionState !== 'connected' && pc.connectionState !== 'failed' && Date.now() < deadline) {
                await new Promise(r => setTimeout(r, 100));
              }
              await new Promise(r => setTimeout(r, 2000)); // two seconds of video
              return pc.iceConnectionState + ' ' + pc.connectionState;
            }
            """, answer);
        await stop.CancelAsync();
        await loop;
        string seen;
        lock (log)
        {
            seen = string.Join('\n', log.Take(40));
        }

        Assert.True(state == "connected connected",
            $"Chromium's RTCPeerConnection ended {state} (ICE, then DTLS+ICE): expected \"connected connected\". Agent: {agent.Answered} answered, {agent.Rejected} rejected, {agent.Dropped} dropped. Datagrams:\n{seen}");
        var result = await Deadline.Within(handshake, TimeSpan.FromSeconds(10), "the DTLS handshake with Chromium");
        var offer = SdpOffer.Parse(offerSdp);
        Assert.True(result.ClientFingerprint == offer.Media[0].Fingerprint,
            $"the certificate Chromium showed in DTLS hashes to {result.ClientFingerprint}; its offer said {offer.Media[0].Fingerprint}. See README §Fingerprint.");
        Assert.True(agent.Nominated is not null, "Chromium nominates the pair with USE-CANDIDATE: IceLiteAgent.Nominated must be set. See README §The agent.");
        transport.Close();

        // What Chromium sent after DTLS: SRTP protected with the client write key, payload type the answer chose.
        var inbound = result.Keys.ClientSender();
        int payloadType = SdpAnswer.ChooseCodec(offer.Media[0])!.PayloadType;
        List<byte[]> packets;
        lock (media)
        {
            packets = [.. media];
        }

        var decrypted = packets.Select(p => inbound.UnprotectRtp(p)).Where(p => p is not null).ToList();
        Assert.True(packets.Count > 10 && decrypted.Count == packets.Count,
            $"Chromium sent {packets.Count} SRTP packets in 2 s of canvas video; {decrypted.Count} unprotected with the client write key and salt " +
            $"({inbound.AuthenticationFailures} auth failures, {inbound.ReplayedPackets} replays). See README §Keying material and §SRTP.");
        int h264 = decrypted.Count(p => (p![1] & 0x7F) == payloadType);
        Assert.True(h264 > 10, $"{h264} of Chromium's packets carry payload type {payloadType} (H264, the answer's codec); the others are rtx/padding. See README §SDP answer.");
    }
}
