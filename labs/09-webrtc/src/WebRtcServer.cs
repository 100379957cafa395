using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Lab08.Sfu;

namespace Lab09.WebRtc;

/// <summary>Where a <see cref="WebRtcServer"/> listens.</summary>
public sealed record WebRtcServerOptions
{
    /// <summary>The address of the UDP media port (the one host candidate) and of the HTTP signalling port.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The UDP port every browser's ICE, DTLS and SRTP share; 0 picks a free one.</summary>
    public int MediaPort { get; init; }

    /// <summary>The TCP port of the page and the signalling endpoints; 0 picks a free one.</summary>
    public int HttpPort { get; init; }

    /// <summary>Settings of Lab 08's router (keyframe-request interval, packet cache size).</summary>
    public RouterOptions Router { get; init; } = new();

    /// <summary>
    /// Whether the SFU asks the publisher for a keyframe as soon as a watcher's DTLS is done (default: yes, so a new watcher
    /// starts at once). Off, a new watcher's first frame waits for its own PLI, which the router forwards to the publisher.
    /// </summary>
    public bool KeyframeOnWatcherReady { get; init; } = true;
}

/// <summary>
/// The SFU as browsers see it (README §Signalling, §Sessions): an HTTP endpoint takes a browser's SDP offer and answers it,
/// one UDP port carries every browser's ICE, DTLS and SRTP (sorted by M2's demultiplexer), and Lab 08's router forwards
/// a publisher's video to its watchers.
/// </summary>
/// <remarks>
/// <code>
///  page A: POST /publish/cam (offer) ──▶ Publish: a peer + Router.CreateProducer(peer) ──▶ answer (ICE-lite, 127.0.0.1:P)
///  page B: POST /watch/cam   (offer) ──▶ Watch:   a peer + Router.CreateConsumer(producer, peer) ──▶ answer + a=ssrc
///  udp 127.0.0.1:P ──▶ Route: STUN → the peer whose ufrag the USERNAME names; DTLS, SRTP, SRTCP → the peer of that address
/// </code>
/// </remarks>
public sealed class WebRtcServer : IAsyncDisposable
{
    private readonly Socket _media;
    private readonly HttpSignalling _http;
    private readonly DtlsCertificate _certificate = DtlsCertificate.CreateSelfSigned();
    private readonly DtlsSrtpServer _dtls;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WebRtcPeer> _byUfrag = [];
    private readonly Dictionary<IPEndPoint, WebRtcPeer> _byEndPoint = [];
    private readonly Dictionary<string, Producer> _streams = [];
    private readonly List<WebRtcPeer> _peers = [];
    private readonly Task _mediaLoop;
    private readonly bool _keyframeOnWatcherReady;
    private long _dropped;
    private ulong _sessions;

    private WebRtcServer(WebRtcServerOptions options)
    {
        Router = new Router(options.Router);
        _keyframeOnWatcherReady = options.KeyframeOnWatcherReady;
        _dtls = new DtlsSrtpServer(_certificate) { HandshakeTimeout = TimeSpan.FromSeconds(30) };
        _media = new Socket(options.Address.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        try
        {
            _media.Bind(new IPEndPoint(options.Address, options.MediaPort));
            MediaEndPoint = (IPEndPoint)_media.LocalEndPoint!;
            _http = new HttpSignalling(this, new IPEndPoint(options.Address, options.HttpPort));
        }
        catch
        {
            _media.Dispose();
            throw;
        }

        _mediaLoop = ReceiveAsync(_stopping.Token);
    }

    /// <summary>Binds the UDP media port and the HTTP port and starts serving.</summary>
    public static WebRtcServer Start(WebRtcServerOptions? options = null) => new(options ?? new WebRtcServerOptions());

    /// <summary>Lab 08's router: one producer per published stream, one consumer per watcher.</summary>
    public Router Router { get; }

    /// <summary>The one UDP port of every session: the host candidate of every answer.</summary>
    public IPEndPoint MediaEndPoint { get; }

    /// <summary>The page: open it in two tabs, publish in one and watch in the other.</summary>
    public Uri PageUri => _http.PageUri;

    /// <summary>The fingerprint of the SFU's DTLS certificate, as every answer's a=fingerprint says.</summary>
    public string Fingerprint => _certificate.Fingerprint;

    /// <summary>Datagrams on the media port that belonged to no session or were not STUN, DTLS, RTP or RTCP.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Every session so far, in the order they were made.</summary>
    public IReadOnlyList<WebRtcPeer> Peers
    {
        get
        {
            lock (_gate)
            {
                return [.. _peers];
            }
        }
    }

    /// <summary>The producer of a published stream, or null.</summary>
    public Producer? StreamOf(string stream)
    {
        lock (_gate)
        {
            return _streams.GetValueOrDefault(stream);
        }
    }

    /// <summary>
    /// A browser offers to publish its video as <paramref name="stream"/> (README §Signalling): answers the offer and makes
    /// the session's producer. A bad offer (no H264 video) throws <see cref="WebRtcException"/>.
    /// </summary>
    public string Publish(string stream, string offerSdp)
    {
        var offer = SdpOffer.Parse(offerSdp);
        var (video, codec) = VideoOf(offer);
        var peer = NewPeer(stream, isPublisher: true, video);
        peer.Producer = ProducerFor(peer, codec);
        lock (_gate)
        {
            _streams[stream] = peer.Producer;
        }

        return Answer(offer, peer);
    }

    /// <summary>
    /// Publishes plain RTP as <paramref name="stream"/>: a producer of Lab 08's router on a UDP port of its own
    /// (<see cref="Producer.LocalEndPoint"/>; RTP and RTCP on one port, as <c>ffmpeg -f rtp</c> sends with
    /// <c>?rtcpport=</c> the same port), which browsers watch like a browser's stream (<c>POST /watch/{stream}</c>).
    /// H.264 with packetization-mode 1, without encryption: for a sender on the same machine, such as ffmpeg. Given code.
    /// </summary>
    public Producer PublishRtp(string stream, ProducerOptions? options = null)
    {
        var producer = Router.CreateProducer(options);
        lock (_gate)
        {
            _streams[stream] = producer;
        }

        return producer;
    }

    /// <summary>
    /// A browser offers to watch <paramref name="stream"/> (README §Signalling): answers the offer, with the consumer's SSRC
    /// in a=ssrc, and makes the session's consumer. Null when nobody publishes that stream; a bad offer throws
    /// <see cref="WebRtcException"/>.
    /// </summary>
    public string? Watch(string stream, string offerSdp)
    {
        var offer = SdpOffer.Parse(offerSdp);
        var (video, codec) = VideoOf(offer);
        if (StreamOf(stream) is not { } producer)
        {
            return null;
        }

        var peer = NewPeer(stream, isPublisher: false, video);
        peer.Consumer = ConsumerFor(producer, peer, codec);
        // RFC 8830 a=msid and RFC 5576 a=ssrc: the watcher's track, and the SSRC its packets carry.
        return Answer(offer, peer)
            + string.Create(CultureInfo.InvariantCulture, $"a=msid:{stream} video\r\na=ssrc:{peer.Consumer.Ssrc} cname:workbook-sfu\r\n");
    }

    /// <summary>
    /// The producer of a publisher's session (README §Signalling): Lab 08's router sends its RTCP for the browser through
    /// <paramref name="peer"/>; it takes the codec's payload type and clock rate from the answer, and answers NACKs from its
    /// cache (the answer offers a=rtcp-fb nack).
    /// </summary>
    internal Producer ProducerFor(WebRtcPeer peer, SdpCodec codec)
    {
        throw new NotImplementedException("Lab 09 · M6: Router.CreateProducer(peer, options with the codec's payload type and clock rate, EnableNack on) — README §Signalling");
    }

    /// <summary>
    /// The consumer of a watcher's session (README §Signalling): Lab 08's router sends it through <paramref name="peer"/>, with
    /// the watcher's own payload type for the codec (its offer's number, which need not be the publisher's).
    /// </summary>
    internal Consumer ConsumerFor(Producer producer, WebRtcPeer peer, SdpCodec codec)
    {
        throw new NotImplementedException("Lab 09 · M6: Router.CreateConsumer(producer, peer, ConsumerOptions whose PayloadType is the codec's payload type) — README §Signalling");
    }

    /// <summary>
    /// One datagram on the media port (README §Sessions): STUN goes to the agent of the session its USERNAME names, and a
    /// successful check ties the sender's address to that session; DTLS, RTP and RTCP go to the session of their address.
    /// Everything else, and anything from an unknown address, is dropped and counted. Never throws for the content.
    /// </summary>
    internal void Route(byte[] datagram, IPEndPoint from)
    {
        throw new NotImplementedException("Lab 09 · M6: Classify; Stun → Parse, the local ufrag is USERNAME before ':', that session's Agent.Handle, send any Response, on Answered set the session's Remote and map the address to it; Dtls → OnDtls, Rtp/Rtcp → OnMedia of the session of that address; WebRtcException, unknown kinds and addresses → Dropped — README §Sessions");
    }

    /// <summary>Stops both ports, every handshake, and the router.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _media.Dispose();
        await _http.DisposeAsync().ConfigureAwait(false);
        await _mediaLoop.ConfigureAwait(false);
        foreach (var peer in Peers)
        {
            peer.Close();
        }

        await Router.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static (SdpMedia Video, SdpCodec Codec) VideoOf(SdpOffer offer)
    {
        foreach (var media in offer.Media)
        {
            if (media.Kind == "video" && SdpAnswer.ChooseCodec(media) is { } codec)
            {
                return (media, codec);
            }
        }

        throw new WebRtcException("SDP", "m=video", 0, "the offer has no video m-line with H264 packetization-mode=1: this SFU forwards H264 video (README §Signalling)");
    }

    private WebRtcPeer NewPeer(string stream, bool isPublisher, SdpMedia video)
    {
        ulong session = Interlocked.Increment(ref _sessions);
        // RFC 8839 §5.4: ufrag at least 4 ice-chars, password at least 22 (128 bits of randomness).
        string ufrag = string.Create(CultureInfo.InvariantCulture, $"s{session}{RandomNumberGenerator.GetHexString(6, lowercase: true)}");
        string password = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var peer = new WebRtcPeer(stream, isPublisher, ufrag, password, video.Fingerprint, SendTo);
        lock (_gate)
        {
            _byUfrag[ufrag] = peer;
            _peers.Add(peer);
        }

        peer.StartHandshake(_dtls, ready =>
        {
            // A watcher decodes from a keyframe: ask the publisher for one as soon as the watcher can receive it.
            if (_keyframeOnWatcherReady)
            {
                ready.Consumer?.Producer.RequestKeyframe();
            }
        });
        return peer;
    }

    private string Answer(SdpOffer offer, WebRtcPeer peer) =>
        SdpAnswer.Write(offer, new SdpAnswerOptions(peer.Agent.Ufrag, peer.Agent.Password, _certificate.Fingerprint, MediaEndPoint, _sessions));

    private void SendTo(byte[] datagram, IPEndPoint to)
    {
        try
        {
            _media.SendTo(datagram, SocketFlags.None, to);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // a browser that is gone, or a server that is closing: UDP is fire and forget
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(_media.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _media.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException) when (!cancellationToken.IsCancellationRequested)
            {
                continue; // an ICMP error for something sent earlier
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            try
            {
                Route(buffer.AsSpan(0, received.ReceivedBytes).ToArray(), (IPEndPoint)received.RemoteEndPoint);
            }
            catch (NotImplementedException)
            {
                Interlocked.Increment(ref _dropped); // a stub not written yet: the port keeps serving
            }
        }
    }
}
