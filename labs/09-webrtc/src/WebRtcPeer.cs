using System.Net;
using Lab08.Sfu;

namespace Lab09.WebRtc;

/// <summary>
/// One browser's session with the SFU (README §Sessions): its ICE credentials and agent, its DTLS-SRTP handshake, the two
/// SRTP contexts it yields, and what it is in Lab 08's router — the <see cref="Producer"/> of a publisher or the
/// <see cref="Consumer"/> of a watcher. As Lab 08's <see cref="IPacketSink"/> it encrypts what the router sends it.
/// </summary>
/// <remarks>
/// <code>
///  publisher ──SRTP──▶ OnMedia: UnprotectRtp/Rtcp (client key) ──▶ Producer.Receive
///  publisher ◀─SRTCP── Send: ProtectRtcp (server key) ◀── Producer's RR, NACK, PLI
///  watcher   ◀─SRTP─── Send: ProtectRtp/Rtcp (server key) ◀── Consumer (rewritten RTP, SR, retransmissions)
///  watcher   ──SRTCP─▶ OnMedia: UnprotectRtcp (client key) ──▶ Consumer.Receive (RR, NACK, PLI)
/// </code>
/// </remarks>
public sealed class WebRtcPeer : IPacketSink
{
    private readonly Action<byte[], IPEndPoint> _send;
    private readonly QueueDatagramTransport _dtls;
    private readonly Lock _outbound = new();
    private long _mediaIn;
    private long _mediaOut;
    private long _dropped;
    private SrtpContext? _inbound;
    private SrtpContext? _outboundContext;

    /// <summary>
    /// Creates the session of a browser whose offer said <paramref name="remoteFingerprint"/>; the SFU answers it with
    /// <paramref name="ufrag"/> and <paramref name="password"/>. <paramref name="send"/> puts one datagram on the SFU's port.
    /// </summary>
    public WebRtcPeer(string stream, bool isPublisher, string ufrag, string password, string remoteFingerprint, Action<byte[], IPEndPoint> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        Stream = stream;
        IsPublisher = isPublisher;
        RemoteFingerprint = remoteFingerprint;
        Agent = new IceLiteAgent(ufrag, password, software: "workbook lab 09");
        _send = send;
        _dtls = new QueueDatagramTransport(datagram =>
        {
            if (Remote is { } remote)
            {
                _send(datagram, remote);
            }
        });
    }

    /// <summary>The stream it publishes or watches.</summary>
    public string Stream { get; }

    /// <summary>True for a publisher (its media goes into a producer), false for a watcher.</summary>
    public bool IsPublisher { get; }

    /// <summary>The a=fingerprint of the browser's offer: its DTLS certificate must hash to it (RFC 5763 §5).</summary>
    public string RemoteFingerprint { get; }

    /// <summary>The ICE-lite agent for this session's credentials.</summary>
    public IceLiteAgent Agent { get; }

    /// <summary>Where the browser's checks came from: where everything for it is sent. Null before its first valid check.</summary>
    public IPEndPoint? Remote { get; internal set; }

    /// <summary>The producer of a publisher (null for a watcher).</summary>
    public Producer? Producer { get; internal set; }

    /// <summary>The consumer of a watcher (null for a publisher).</summary>
    public Consumer? Consumer { get; internal set; }

    /// <summary>Completes when DTLS-SRTP is done and media flows (or faults when the handshake fails).</summary>
    public Task Ready { get; private set; } = Task.CompletedTask;

    /// <summary>SRTP and SRTCP packets from the browser that unprotected and went to the router.</summary>
    public long MediaIn => Interlocked.Read(ref _mediaIn);

    /// <summary>SRTP and SRTCP packets sent to the browser.</summary>
    public long MediaOut => Interlocked.Read(ref _mediaOut);

    /// <summary>Media dropped: before the keys, a bad auth tag, a replay, or a packet too short.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The context that unprotects what the browser sends (the client write key); null before DTLS is done.</summary>
    public SrtpContext? Inbound => Volatile.Read(ref _inbound);

    /// <summary>The context that protects what the SFU sends the browser (the server write key); null before DTLS is done.</summary>
    public SrtpContext? Outbound => Volatile.Read(ref _outboundContext);

    /// <summary>Starts the DTLS handshake as the server on a worker thread; <paramref name="onReady"/> runs when keys are set.</summary>
    internal void StartHandshake(DtlsSrtpServer server, Action<WebRtcPeer> onReady)
    {
        Ready = Task.Factory.StartNew(() =>
        {
            var result = server.Accept(_dtls);
            if (result.ClientFingerprint is null || !result.ClientFingerprint.Equals(RemoteFingerprint, StringComparison.OrdinalIgnoreCase))
            {
                throw new WebRtcException("DTLS", "certificate", 0,
                    $"the browser's certificate hashes to {result.ClientFingerprint ?? "(none)"}; its offer said {RemoteFingerprint} (RFC 5763 §5)");
            }

            Volatile.Write(ref _inbound, result.Keys.ClientSender());
            Volatile.Write(ref _outboundContext, result.Keys.ServerSender());
            onReady(this);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Hands the DTLS layer one record from the browser.</summary>
    internal void OnDtls(byte[] datagram) => _dtls.Deliver(datagram);

    /// <summary>Ends the session's DTLS (a handshake still running fails).</summary>
    internal void Close() => _dtls.Close();

    /// <summary>
    /// One SRTP or SRTCP datagram from the browser (README §Sessions): unprotected with <see cref="Inbound"/> and handed to
    /// the router — RTP and RTCP to the producer of a publisher, RTCP to the consumer of a watcher. Dropped and counted
    /// when the keys are not there yet or it does not unprotect. Never throws for its content.
    /// </summary>
    public void OnMedia(PacketKind kind, ReadOnlySpan<byte> datagram)
    {
        throw new NotImplementedException("Lab 09 · M6: no Inbound yet → drop; Rtp → UnprotectRtp, Rtcp → UnprotectRtcp (null → drop); then Producer.Receive (publisher) or, for RTCP, Consumer.Receive (watcher); anything else → drop; count what went in and what was dropped — README §Sessions");
    }

    /// <summary>
    /// Lab 08's router sends the browser one plain RTP or RTCP packet (README §Sessions): protect it with
    /// <see cref="Outbound"/> — RTCP (told apart by RFC 5761) as SRTCP, the rest as SRTP — and send it to
    /// <see cref="Remote"/>; dropped while the keys or the address are not known. One packet at a time (the contexts keep
    /// per-SSRC state).
    /// </summary>
    public void Send(ReadOnlySpan<byte> datagram)
    {
        throw new NotImplementedException("Lab 09 · M6: under the lock: no Outbound or Remote → count dropped; else RtcpCompound.IsRtcp → ProtectRtcp, else ProtectRtp; send to Remote and count — README §Sessions");
    }
}
