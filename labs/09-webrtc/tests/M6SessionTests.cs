using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Lab09.WebRtc.Tests;

/// <summary>
/// M6 without a browser: the tests play the browser — their own STUN check, then a DTLS 1.2 client with use_srtp
/// (BouncyCastle's <c>DtlsClientProtocol</c>, the client side, which the lab does not write) whose exporter gives the keys
/// (RFC 5764 §4.2), then SRTP and SRTCP to and from your session (README §Sessions).
/// </summary>
public class M6SessionTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 150_000)]
    [Trait("Milestone", M6ServerTests.Milestone)]
    public async Task A_publisher_session_unprotects_into_the_producer_and_protects_what_the_router_sends_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = WebRtcServer.Start();
        var browser = Browser.Create();
        server.Publish("cam", M6ServerTests.ChromiumOffer().Replace(
            "sha-256 99:9A:FF:2F:A4:8A:13:77:C0:CF:93:CB:BB:F6:F2:FC:34:8D:F2:9C:C4:88:12:A3:59:16:42:72:5E:27:E8:2B", browser.Fingerprint, StringComparison.Ordinal));
        var peer = server.Peers[0];
        var producer = peer.Producer!;
        using var socket = M6ServerTests.Client();
        var keys = await browser.ConnectAsync(socket, server, peer, ct);

        // Browser → SFU: SRTP with the client write key reaches the producer; a tampered copy is dropped by the session.
        var send = new SrtpContext(keys.ClientKey, keys.ClientSalt);
        const uint ssrc = 0x5EED0001;
        var rtp = H264Rtp(sequence: 1000, ssrc, payloadType: 108);
        var tampered = send.ProtectRtp(H264Rtp(sequence: 999, ssrc, payloadType: 108));
        tampered[^1] ^= 0x01;
        await socket.SendAsync(tampered, server.MediaEndPoint, ct);
        await M6ServerTests.UntilAsync(() => peer.Dropped >= 1, "an SRTP packet with a wrong tag to be dropped and counted in the session's Dropped");
        await socket.SendAsync(send.ProtectRtp(rtp), server.MediaEndPoint, ct);
        await M6ServerTests.UntilAsync(() => peer.MediaIn == 1 && producer.Stats.PacketsReceived == 1,
            $"the publisher's SRTP to be unprotected with the client write key and handed to Producer.Receive (MediaIn {peer.MediaIn}, producer packets {producer.Stats.PacketsReceived})");
        Assert.True(producer.Ssrc == ssrc && peer.Dropped == 1, $"the producer saw SSRC 0x{ssrc:x8}: got {producer.Ssrc:x8}; Dropped {peer.Dropped}.");

        // A sender report as SRTCP reaches the producer too; Lab 08 answers it with a receiver report, which your Send
        // protects with the server write key as SRTCP and sends to the browser.
        var sr = SenderReport(ssrc);
        await socket.SendAsync(send.ProtectRtcp(sr), server.MediaEndPoint, ct);
        await M6ServerTests.UntilAsync(() => peer.MediaIn == 2 && producer.Stats.RtcpReceived == 1, "the publisher's SRTCP sender report to reach Producer.Receive");
        var receive = new SrtpContext(keys.ServerKey, keys.ServerSalt);
        var rr = await ReceiveAsync(socket, d => d[1] == 201 ? receive.UnprotectRtcp(d) : null, "Lab 08's receiver report for the sender report, as SRTCP with the server write key", ct);
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(rr.AsSpan(8)) == ssrc, "the receiver report's block is about the publisher's SSRC.");

        // What the router sends: RTCP as SRTCP (ProtectRtcp), RTP as SRTP (ProtectRtp), both with the server write key.
        var pli = Convert.FromHexString("81ce0002" + "00000001" + "5eed0001"); // PSFB PLI (RFC 4585 §6.3.1)
        peer.Send(pli);
        var pliBack = await ReceiveAsync(socket, d => d[1] == 206 ? receive.UnprotectRtcp(d) : null, "the PLI given to WebRtcPeer.Send, as SRTCP", ct);
        HexDiff.AssertEqual(pli, pliBack, "the PLI given to Send, unprotected with the server write key", "README §Sessions");
        var outRtp = H264Rtp(sequence: 7, 0xABCD0001, payloadType: 108);
        peer.Send(outRtp);
        var rtpBack = await ReceiveAsync(socket, d => d[1] is < 192 or > 223 ? receive.UnprotectRtp(d) : null, "the RTP given to WebRtcPeer.Send, as SRTP", ct);
        HexDiff.AssertEqual(outRtp, rtpBack, "the RTP given to Send, unprotected with the server write key", "README §Sessions");
        long droppedBefore = peer.Dropped;
        peer.Send(new byte[] { 0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0 }); // 10 bytes: too short for an RTP header
        Assert.True(peer.Dropped == droppedBefore + 1, $"a packet Send cannot protect (10 bytes of RTP) is dropped and counted; Dropped {peer.Dropped}, expected {droppedBefore + 1}. See README §Sessions.");
        long inBefore = peer.MediaIn;
        peer.OnMedia(PacketKind.Dtls, send.ProtectRtcp(sr));
        Assert.True(peer.MediaIn == inBefore && peer.Dropped == droppedBefore + 2,
            $"OnMedia takes RTP and RTCP only: an SRTCP packet handed in as PacketKind.Dtls is dropped and counted; MediaIn {peer.MediaIn}, Dropped {peer.Dropped}. See README §Sessions.");
        var emptyRr = Convert.FromHexString("80c90001" + "00000001"); // an RR without report blocks: 8 bytes (RFC 3550 §6.4.2)
        peer.Send(emptyRr);
        var emptyRrBack = await ReceiveAsync(socket, d => d[1] == 201 && d.Length == 8 + 14 ? receive.UnprotectRtcp(d) : null, "the 8-byte RR given to WebRtcPeer.Send, as 22 bytes of SRTCP", ct);
        HexDiff.AssertEqual(emptyRr, emptyRrBack, "the shortest RTCP packet given to Send, unprotected", "README §Sessions");
        Assert.True(peer.MediaOut >= 4, $"MediaOut counts every packet sent to the browser (the RR, the PLI, the RTP, the empty RR): got {peer.MediaOut}. See README §Sessions.");
    }

    [Fact(Timeout = 150_000)]
    [Trait("Milestone", M6ServerTests.Milestone)]
    public async Task A_watcher_session_takes_rtcp_to_its_consumer_and_drops_media()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = WebRtcServer.Start(new WebRtcServerOptions { KeyframeOnWatcherReady = false });
        server.Publish("cam", M6ServerTests.ChromiumOffer());
        var browser = Browser.Create();
        Assert.True(server.Watch("cam", M6ServerTests.WatcherOffer(99, browser.Fingerprint)) is not null, "Watch answers for a published stream.");
        var peer = server.Peers[1];
        var consumer = peer.Consumer!;
        using var socket = M6ServerTests.Client();
        var keys = await browser.ConnectAsync(socket, server, peer, ct);
        var send = new SrtpContext(keys.ClientKey, keys.ClientSalt);

        // RTP from a watcher is no media of any stream: dropped.
        await socket.SendAsync(send.ProtectRtp(H264Rtp(1, 0x0BAD0001, 99)), server.MediaEndPoint, ct);
        await M6ServerTests.UntilAsync(() => peer.Dropped >= 1, "SRTP from a watcher to be dropped and counted (a watcher sends no media)");
        Assert.True(peer.MediaIn == 0, $"a watcher's RTP goes nowhere: MediaIn {peer.MediaIn}. See README §Sessions.");

        // Its RTCP (a PLI for the consumer's SSRC) goes to Consumer.Receive, and Lab 08 forwards the PLI to the publisher.
        var requests = server.Peers[0].Producer!.Stats.KeyframeRequestsSent + server.Peers[0].Producer!.Stats.KeyframeRequestsMerged;
        var pli = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(pli, 0x81CE0002);
        BinaryPrimitives.WriteUInt32BigEndian(pli.AsSpan(4), 0x0BAD0001);
        BinaryPrimitives.WriteUInt32BigEndian(pli.AsSpan(8), consumer.Ssrc);
        await socket.SendAsync(send.ProtectRtcp(pli), server.MediaEndPoint, ct);
        await M6ServerTests.UntilAsync(() => peer.MediaIn == 1, "the watcher's SRTCP PLI to be unprotected and handed to Consumer.Receive (MediaIn 1)");
        var producerStats = server.Peers[0].Producer!.Stats;
        await M6ServerTests.UntilAsync(() => producerStats.KeyframeRequestsSent + producerStats.KeyframeRequestsMerged > requests,
            "the watcher's PLI to reach Lab 08's consumer, which asks the producer for a keyframe");
        Assert.True(peer.Dropped == 1, $"nothing else was dropped: Dropped {peer.Dropped}.");
    }

    internal static byte[] H264Rtp(ushort sequence, uint ssrc, byte payloadType)
    {
        var packet = new byte[12 + 20];
        packet[0] = 0x80;
        packet[1] = (byte)(0x80 | payloadType); // marker: the last packet of a frame
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 3000u * sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        packet[12] = 0x41; // a single NAL unit, type 1: a non-IDR slice (RFC 6184 §5.6)
        for (int i = 13; i < packet.Length; i++)
        {
            packet[i] = (byte)i;
        }

        return packet;
    }

    /// <summary>An RTCP SR without report blocks (RFC 3550 §6.4.1).</summary>
    private static byte[] SenderReport(uint ssrc)
    {
        var sr = new byte[28];
        BinaryPrimitives.WriteUInt32BigEndian(sr, 0x80C80006);
        BinaryPrimitives.WriteUInt32BigEndian(sr.AsSpan(4), ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(sr.AsSpan(8), 0xE8A1B2C3_80000000);
        BinaryPrimitives.WriteUInt32BigEndian(sr.AsSpan(16), 3000000);
        BinaryPrimitives.WriteUInt32BigEndian(sr.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt32BigEndian(sr.AsSpan(24), 32);
        return sr;
    }

    /// <summary>The first datagram on <paramref name="socket"/> that <paramref name="open"/> turns into a packet.</summary>
    private static async Task<byte[]> ReceiveAsync(UdpClient socket, Func<byte[], byte[]?> open, string waitingFor, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(Step);
        try
        {
            while (true)
            {
                var datagram = (await socket.ReceiveAsync(wait.Token)).Buffer;
                if (datagram.Length > 12 && datagram[0] >> 6 == 2 && open(datagram) is { } packet)
                {
                    return packet;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"Timed out after {Step.TotalSeconds} s waiting for {waitingFor}. See README §Sessions.");
        }
    }

    /// <summary>The tests' browser: a self-signed ECDSA certificate, a STUN check, a DTLS client, the exporter's keys.</summary>
    private sealed class Browser(byte[] der, AsymmetricKeyParameter key)
    {
        public string Fingerprint { get; } = "sha-256 " + Convert.ToHexString(SHA256.HashData(der)).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b);

        public static Browser Create()
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test-browser", ecdsa, HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
            return new Browser(certificate.RawData, PrivateKeyFactory.CreateKey(ecdsa.ExportPkcs8PrivateKey()));
        }

        /// <summary>Checks with USE-CANDIDATE, then runs the DTLS handshake; returns the keys as RFC 5764 §4.2 cuts the client's exporter.</summary>
        public async Task<(byte[] ClientKey, byte[] ServerKey, byte[] ClientSalt, byte[] ServerSalt)> ConnectAsync(UdpClient socket, WebRtcServer server, WebRtcPeer peer, CancellationToken ct)
        {
            var response = await M6ServerTests.CheckAsync(socket, server, StunSpec.Check($"{peer.Agent.Ufrag}:brws", peer.Agent.Password, useCandidate: true, seed: 31), ct);
            Assert.True(StunSpec.IntegrityIsValid(response, peer.Agent.Password), "the check is answered with a success response. See README §Sessions.");
            var client = new Client(der, key);
            var transport = new UdpTransport(socket, server.MediaEndPoint);
            await Deadline.Within(Task.Run(() => new DtlsClientProtocol().Connect(client, transport), ct), TimeSpan.FromSeconds(60),
                "the DTLS handshake through WebRtcServer.Route (DTLS records from the checked address go to that session)");
            await Deadline.Within(peer.Ready, Step, "the session's keys after the DTLS handshake");
            Assert.True(peer.Inbound is not null && peer.Outbound is not null, "after the handshake the session has its Inbound and Outbound contexts.");
            var m = client.Material!;
            return (m[..16], m[16..32], m[32..46], m[46..60]);
        }
    }

    private sealed class Client(byte[] der, AsymmetricKeyParameter key) : DefaultTlsClient(new BcTlsCrypto(new SecureRandom()))
    {
        public byte[]? Material { get; private set; }

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        public override int GetHandshakeTimeoutMillis() => 45_000; // ends a handshake the server never answers

        protected override int[] GetSupportedCipherSuites() => [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];

        public override IDictionary<int, byte[]> GetClientExtensions()
        {
            var extensions = base.GetClientExtensions() ?? new Dictionary<int, byte[]>();
            TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([0x0007, 0x0001], TlsUtilities.EmptyBytes));
            return extensions;
        }

        public override void NotifyHandshakeComplete()
        {
            base.NotifyHandshakeComplete();
            Material = m_context.ExportKeyingMaterial("EXTRACTOR-dtls_srtp", null, 60); // RFC 5764 §4.2
        }

        public override TlsAuthentication GetAuthentication() => new Authentication(this);

        private sealed class Authentication(Client client) : TlsAuthentication
        {
            public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
            {
                // WebRTC checks it against the answer's a=fingerprint; M4's tests do that with openssl.
            }

            public TlsCredentials GetClientCredentials(Org.BouncyCastle.Tls.CertificateRequest certificateRequest)
            {
                var crypto = (BcTlsCrypto)client.Crypto;
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(client.m_context), crypto, client.Key,
                    new Certificate([crypto.CreateCertificate(client.Der)]), new SignatureAndHashAlgorithm(Org.BouncyCastle.Tls.HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        }

        private byte[] Der => der;

        private AsymmetricKeyParameter Key => key;
    }

    /// <summary>DTLS over the test's UDP socket; datagrams that are no DTLS record (first byte 20-63, RFC 7983) are skipped.</summary>
    private sealed class UdpTransport(UdpClient socket, IPEndPoint server) : DatagramTransport
    {
        public int GetReceiveLimit() => 1500;

        public int GetSendLimit() => 1200;

        public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

        public int Receive(Span<byte> buffer, int waitMillis)
        {
            var until = DateTime.UtcNow.AddMilliseconds(waitMillis);
            while (true)
            {
                int left = (int)Math.Max(1, (until - DateTime.UtcNow).TotalMilliseconds);
                if (!socket.Client.Poll(left * 1000, SelectMode.SelectRead))
                {
                    return -1;
                }

                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                var datagram = new byte[2048];
                int length = socket.Client.ReceiveFrom(datagram, ref from);
                if (length > 0 && datagram[0] is >= 20 and <= 63)
                {
                    int n = Math.Min(length, buffer.Length);
                    datagram.AsSpan(0, n).CopyTo(buffer);
                    return n;
                }

                if (DateTime.UtcNow >= until)
                {
                    return -1;
                }
            }
        }

        public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

        public void Send(ReadOnlySpan<byte> buffer) => socket.Client.SendTo(buffer, SocketFlags.None, server);

        public void Close()
        {
        }
    }
}
