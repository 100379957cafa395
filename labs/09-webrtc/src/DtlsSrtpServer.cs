using System.Net;
using System.Net.Sockets;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Lab09.WebRtc;

/// <summary>
/// The DTLS server side of DTLS-SRTP (RFC 5764): BouncyCastle runs the DTLS 1.2 handshake with the SFU's
/// certificate and the use_srtp extension; the lab picks the SRTP profile, and cuts the SRTP keys out of the exporter.
/// </summary>
/// <remarks>
/// <code>
///  browser (DTLS client)                                   SFU (DTLS server)
///    | ClientHello + use_srtp [profiles]  ------------->     |  SelectProfile: SRTP_AES128_CM_HMAC_SHA1_80
///    |  &lt;--------  HelloVerifyRequest (cookie)              |
///    | ClientHello + cookie  ----------------------------->  |
///    |  &lt;--------  ServerHello + use_srtp [0x0001], Certificate (self-signed, its hash in a=fingerprint),
///    |             ServerKeyExchange (ECDHE), CertificateRequest, ServerHelloDone
///    | Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished  --->
///    |  &lt;--------  ChangeCipherSpec, Finished
///    both: exporter("EXTRACTOR-dtls_srtp", 60 bytes) → client key | server key | client salt | server salt
/// </code>
/// </remarks>
public sealed class DtlsSrtpServer
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80, the profile WebRTC browsers offer first (RFC 5764 §4.1.2).</summary>
    public const int ProfileAes128CmHmacSha1_80 = 0x0001;

    private readonly DtlsCertificate _certificate;

    /// <summary>Creates a server that presents <paramref name="certificate"/>.</summary>
    public DtlsSrtpServer(DtlsCertificate certificate)
    {
        _certificate = certificate ?? throw new ArgumentNullException(nameof(certificate));
    }

    /// <summary>The handshake's limit: a peer that stops answering fails it after this long.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The profile to answer from the client's use_srtp list (RFC 5764 §4.1.1): SRTP_AES128_CM_HMAC_SHA1_80 (0x0001) when
    /// offered, else null (the only profile this lab's <see cref="SrtpContext"/> speaks).
    /// </summary>
    public static int? SelectProfile(IReadOnlyList<int> offered)
    {
        ArgumentNullException.ThrowIfNull(offered);
        throw new NotImplementedException("Lab 09 · M4: 0x0001 when the client offers it (anywhere in its list), null otherwise — README §use_srtp");
    }

    /// <summary>
    /// Runs the handshake over <paramref name="transport"/> (blocking; run it on a worker thread) and returns the keys.
    /// A failed handshake — no common SRTP profile, a peer that stops, a bad Finished — throws <see cref="WebRtcException"/>
    /// (<c>Protocol</c> "DTLS").
    /// </summary>
    public DtlsSrtpResult Accept(DatagramTransport transport)
    {
        var server = new Server(_certificate, (int)HandshakeTimeout.TotalMilliseconds);
        DtlsTransport dtls;
        try
        {
            dtls = new DtlsServerProtocol().Accept(server, transport);
        }
        catch (Exception e) when (e is TlsFatalAlert or TlsFatalAlertReceived or IOException or TlsTimeoutException)
        {
            throw new WebRtcException("DTLS", server.FailedField ?? "handshake", 0, $"the DTLS handshake failed: {server.FailedReason ?? e.Message}");
        }

        var material = server.Export();
        return new DtlsSrtpResult(material, server.Profile, server.ClientFingerprint, SrtpKeyingMaterial.Split(material), dtls);
    }

    /// <summary>
    /// Serves one handshake on <paramref name="socket"/>: the first peer that sends a DTLS record is the client; datagrams from
    /// others are ignored. Returns when the handshake is done (or throws <see cref="WebRtcException"/>).
    /// </summary>
    public async Task<DtlsSrtpResult> AcceptAsync(UdpClient socket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        IPEndPoint? peer = null;
        var transport = new QueueDatagramTransport(datagram => socket.Send(datagram, datagram.Length, peer));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var received = await socket.ReceiveAsync(stop.Token).ConfigureAwait(false);
                    if (PacketDemultiplexer.Classify(received.Buffer) != PacketKind.Dtls)
                    {
                        continue;
                    }

                    peer ??= received.RemoteEndPoint;
                    if (peer.Equals(received.RemoteEndPoint))
                    {
                        transport.Deliver(received.Buffer);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (SocketException)
            {
            }
        }, CancellationToken.None);

        try
        {
            using var registration = cancellationToken.Register(transport.Close);
            return await Task.Run(() => Accept(transport), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
        }
    }

    /// <summary>BouncyCastle's server callbacks: the certificate, ECDHE-ECDSA suites, use_srtp, a client certificate request.</summary>
    private sealed class Server : DefaultTlsServer
    {
        private readonly DtlsCertificate _certificate;
        private readonly int _timeoutMillis;
        private byte[]? _material;

        public Server(DtlsCertificate certificate, int timeoutMillis)
            : base(new BcTlsCrypto(new SecureRandom()))
        {
            _certificate = certificate;
            _timeoutMillis = timeoutMillis;
        }

        public int Profile { get; private set; }

        public string? ClientFingerprint { get; private set; }

        public string? FailedField { get; private set; }

        public string? FailedReason { get; private set; }

        public byte[] Export() => _material ?? throw new InvalidOperationException("the handshake is not complete");

        public override void NotifyHandshakeComplete()
        {
            base.NotifyHandshakeComplete();
            // BouncyCastle lets the exporter run only here (RFC 5705: the keys of the completed handshake).
            _material = m_context.ExportKeyingMaterial(SrtpKeyingMaterial.ExporterLabel, null, SrtpKeyingMaterial.Length);
        }

        public override int GetHandshakeTimeoutMillis() => _timeoutMillis;

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        protected override int[] GetSupportedCipherSuites() =>
        [
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        ];

        public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
        {
            base.ProcessClientExtensions(clientExtensions);
            var useSrtp = TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
            int? profile = useSrtp is null ? null : SelectProfile(useSrtp.ProtectionProfiles);
            if (profile is null)
            {
                FailedField = "use_srtp";
                FailedReason = useSrtp is null
                    ? "the ClientHello has no use_srtp extension (RFC 5764 §4.1.1)"
                    : $"no SRTP profile in common: the client offers {string.Join(", ", useSrtp.ProtectionProfiles.Select(p => $"0x{p:x4}"))}, this server speaks 0x0001";
                throw new TlsFatalAlert(AlertDescription.handshake_failure);
            }

            Profile = profile.Value;
        }

        public override IDictionary<int, byte[]> GetServerExtensions()
        {
            var extensions = base.GetServerExtensions() ?? new Dictionary<int, byte[]>();
            TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([Profile], TlsUtilities.EmptyBytes));
            return extensions;
        }

        public override CertificateRequest GetCertificateRequest() =>
            new([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context), null);

        public override void NotifyClientCertificate(Certificate clientCertificate)
        {
            // WebRTC checks the browser's certificate against the a=fingerprint of the browser's offer (RFC 5763 §5);
            // this server records its fingerprint for that check.
            if (clientCertificate is { IsEmpty: false })
            {
                ClientFingerprint = DtlsCertificate.FormatFingerprint(clientCertificate.GetCertificateAt(0).GetEncoded());
            }
        }

        protected override TlsCredentialedSigner GetECDsaSignerCredentials()
        {
            var crypto = (BcTlsCrypto)Crypto;
            var chain = new Certificate([crypto.CreateCertificate(_certificate.Der)]);
            return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, _certificate.PrivateKey, chain,
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        }
    }
}

/// <summary>The outcome of a DTLS-SRTP handshake.</summary>
/// <param name="KeyingMaterial">The 60 bytes of the exporter with label "EXTRACTOR-dtls_srtp".</param>
/// <param name="Profile">The SRTP protection profile agreed (0x0001).</param>
/// <param name="ClientFingerprint">The fingerprint of the client's certificate (to compare with its SDP), null when it sent none.</param>
/// <param name="Keys">The keying material cut into keys and salts.</param>
/// <param name="Transport">The DTLS connection (for DTLS application data, which WebRTC uses for SCTP; media does not use it).</param>
public sealed record DtlsSrtpResult(byte[] KeyingMaterial, int Profile, string? ClientFingerprint, SrtpKeyingMaterial Keys, DtlsTransport Transport);
