using System.Net;
using System.Net.Sockets;

namespace Lab08.Sfu;

/// <summary>
/// One incoming stream: a UDP socket a sender (ffmpeg) sends RTP and RTCP to, and the consumers it is forwarded to.
/// The producer learns the sender's SSRC and address from its first valid RTP packet.
/// </summary>
public sealed class Producer
{
    private readonly Router _router;
    private readonly Socket? _socket;
    private readonly IPacketSink? _sink;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _keyframeGate = new();
    private readonly Lock _consumersGate = new();
    private readonly NackGenerator? _nacks;
    private readonly ushort[] _due = []; // the numbers NackGenerator.Collect writes: as many as it can have pending
    private readonly PacketCache[] _caches = []; // per layer: the single stream's, or one per simulcast encoding
    private Consumer[] _consumers = [];
    private readonly Dictionary<uint, DateTimeOffset> _lastKeyframeRequest = []; // per media SSRC, under _keyframeGate
    private readonly HashSet<uint> _said = [];
    private readonly Dictionary<uint, ReceptionStatistics> _reception = [];
    private readonly Dictionary<uint, SenderReport> _reports = [];
    private SenderReport? _lastSenderReport;

    internal Producer(Router router, ProducerOptions options, Socket socket)
        : this(router, options, (IPEndPoint)socket.LocalEndPoint!)
    {
        _socket = socket;
    }

    internal Producer(Router router, ProducerOptions options, IPacketSink sink)
        : this(router, options, new IPEndPoint(IPAddress.Any, 0))
    {
        _sink = sink;
    }

    private Producer(Router router, ProducerOptions options, IPEndPoint localEndPoint)
    {
        _router = router;
        Options = options;
        LocalEndPoint = localEndPoint;
        FeedbackSsrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
        if (options.EnableNack && options.Encodings.Count == 0)
        {
            Cache = new PacketCache(router.Options.PacketCacheSize);
            _caches = [Cache];
            _nacks = new NackGenerator(router.Options.Clock);
            _due = new ushort[_nacks.Options.MaxPending];
        }
        else if (options.EnableNack)
        {
            // Each encoding numbers its packets on its own, so each has its own cache (README §Simulcast).
            _caches = [.. options.Encodings.Select(_ => new PacketCache(router.Options.PacketCacheSize))];
        }
    }

    /// <summary>The SSRC the router uses as "sender of the feedback" in the PLIs and NACKs it sends this producer's sender.</summary>
    public uint FeedbackSsrc { get; }

    /// <summary>True when the sender sends several simulcast encodings (<see cref="ProducerOptions.Encodings"/>).</summary>
    public bool IsSimulcast => Options.Encodings.Count > 0;

    /// <summary>
    /// The layer (index in <see cref="ProducerOptions.Encodings"/>) of a packet's SSRC; for a single stream 0 for the
    /// sender's SSRC (or any, before the first packet); -1 for a stranger.
    /// </summary>
    public int LayerOf(uint ssrc)
    {
        if (!IsSimulcast)
        {
            return Ssrc is null || ssrc == Ssrc ? 0 : -1;
        }

        for (int i = 0; i < Options.Encodings.Count; i++)
        {
            if (Options.Encodings[i].Ssrc == ssrc)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The latest packets, to answer NACKs; null unless <see cref="ProducerOptions.EnableNack"/> (and not simulcast: <see cref="CacheOf"/>).</summary>
    public PacketCache? Cache { get; }

    /// <summary>
    /// The cache of one layer: encoding <paramref name="layer"/>'s own with simulcast, <see cref="Cache"/> for layer 0 of a
    /// single stream; null without <see cref="ProducerOptions.EnableNack"/> or for a layer that does not exist.
    /// </summary>
    public PacketCache? CacheOf(int layer) => layer >= 0 && layer < _caches.Length ? _caches[layer] : null;

    /// <summary>What this producer receives.</summary>
    public ProducerOptions Options { get; }

    /// <summary>The router it belongs to.</summary>
    public Router Router => _router;

    /// <summary>
    /// Where the sender sends RTP and RTCP (one port, RFC 5761): give ffmpeg <c>rtp://127.0.0.1:PORT?rtcpport=PORT</c>.
    /// 0.0.0.0:0 for a producer fed by another transport (<see cref="Router.CreateProducer(IPacketSink, ProducerOptions?)"/>).
    /// </summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The sender's SSRC, from its first valid RTP packet; null before.</summary>
    public uint? Ssrc { get; private set; }

    /// <summary>Where the sender's packets come from (where PLIs go); null before its first valid RTP packet.</summary>
    public IPEndPoint? SenderEndPoint { get; private set; }

    /// <summary>The latest sender report, or null.</summary>
    public SenderReport? LastSenderReport
    {
        get => Volatile.Read(ref _lastSenderReport);
        private set
        {
            Volatile.Write(ref _lastSenderReport, value);
            if (value is not null)
            {
                lock (_reports)
                {
                    _reports[value.Ssrc] = value;
                }
            }
        }
    }

    /// <summary>The latest sender report about <paramref name="ssrc"/> (one encoding of a simulcast sender), or null.</summary>
    public SenderReport? SenderReportOf(uint ssrc)
    {
        lock (_reports)
        {
            return _reports.GetValueOrDefault(ssrc);
        }
    }

    /// <summary>What it has received and done.</summary>
    public ProducerStats Stats { get; } = new();

    /// <summary>The consumers it forwards to.</summary>
    public IReadOnlyList<Consumer> Consumers => Volatile.Read(ref _consumers);

    /// <summary>Completes when the sender says BYE (or the router is disposed).</summary>
    public Task Closed => _closed.Task;

    internal TimeProvider Clock => _router.Options.Clock;

    internal void Add(Consumer consumer)
    {
        lock (_consumersGate)
        {
            _consumers = [.. _consumers, consumer]; // copy on write: the receive loop reads the array without a lock
        }

        if (LastSenderReport is { } report)
        {
            consumer.OnSenderReport(report);
        }
    }

    /// <summary>
    /// Hands the producer one datagram from its sender, as its socket would (README §Transports): for a producer made with
    /// <see cref="Router.CreateProducer(IPacketSink, ProducerOptions?)"/>, whose transport has already decrypted it.
    /// Never throws for the datagram's content: anything malformed is counted and dropped.
    /// </summary>
    public void Receive(ReadOnlySpan<byte> datagram) => HandleDatagram(datagram, LocalEndPoint);

    internal async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_socket is null)
        {
            return;
        }

        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        // Receiving into a SocketAddress allocates nothing; an EndPoint would be a new IPEndPoint per datagram. The
        // sender's IPEndPoint is made again only when its address changes.
        var address = new SocketAddress(_socket.AddressFamily);
        var lastAddress = new SocketAddress(_socket.AddressFamily);
        IPEndPoint? from = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                int received;
                try
                {
                    received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, address, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    continue; // e.g. an ICMP "port unreachable" reported on the next receive (Windows)
                }

                if (from is null || !address.Equals(lastAddress))
                {
                    from = (IPEndPoint)any.Create(address);
                    lastAddress.Size = address.Size;
                    address.Buffer.CopyTo(lastAddress.Buffer);
                }

                HandleDatagram(buffer.AsSpan(0, received), from);
            }
        }
        catch (OperationCanceledException)
        {
            // the router is being disposed
        }
        finally
        {
            _socket.Dispose();
            _closed.TrySetResult();
        }
    }

    /// <summary>
    /// Handles one datagram from the sender: RTCP (sender reports, BYE) or RTP to forward. Anything malformed is
    /// counted and dropped.
    /// </summary>
    internal void HandleDatagram(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        #region lab M3: RTCP (IsRtcp) → parse, count, answer the sender's SRs with ReportFor and hand them to every consumer, a BYE closes; RTP → parse (RtpException → count malformed), check the payload type and the SSRC (LayerOf ≥ 0), count (and note it in ReceptionOf(ssrc) with ArrivalInRtpUnits()), padding-only → every consumer skips it, else forward to every consumer — README §Forwarding
        if (RtcpCompound.IsRtcp(datagram))
        {
            List<RtcpPacket> packets;
            try
            {
                packets = RtcpCompound.Parse(datagram);
            }
            catch (RtpException)
            {
                Interlocked.Increment(ref Stats._malformed);
                return;
            }

            Interlocked.Increment(ref Stats._rtcp);
            foreach (var packet in packets)
            {
                if (packet is SenderReport report && LayerOf(report.Ssrc) >= 0)
                {
                    LastSenderReport = report;
                    Send(RtcpCompound.Write(ReportFor(report)), from); // RTCP answers go back where the RTCP came from
                    foreach (var consumer in Consumers)
                    {
                        consumer.OnSenderReport(report);
                    }
                }
                else if (packet is Goodbye bye && bye.Sources.Any(s => LayerOf(s) >= 0))
                {
                    OnGoodbye(bye.Sources);
                }
            }

            return;
        }

        RtpHeader rtp;
        bool keyframe;
        try
        {
            rtp = RtpHeader.Read(datagram); // in place: no copy, no allocation (README §Performance)
            keyframe = H264Payload.IsKeyframe(rtp.Payload);
        }
        catch (RtpException)
        {
            Interlocked.Increment(ref Stats._malformed);
            return;
        }

        int layer = LayerOf(rtp.Ssrc);
        if (rtp.PayloadType != Options.PayloadType || layer < 0)
        {
            Interlocked.Increment(ref Stats._malformed);
            return;
        }

        Ssrc ??= rtp.Ssrc;
        SenderEndPoint = from;
        Interlocked.Increment(ref Stats._packets);
        Interlocked.Add(ref Stats._bytes, datagram.Length);
        ReceptionOf(rtp.Ssrc).OnPacket(rtp.SequenceNumber, rtp.Timestamp, ArrivalInRtpUnits());
        if (rtp.Payload.IsEmpty)
        {
            Interlocked.Increment(ref Stats._paddingOnly);
            var skipping = Consumers;
            for (int i = 0; i < skipping.Count; i++)
            {
                skipping[i].Skip(rtp.SequenceNumber, layer);
            }

            return;
        }

        if (keyframe)
        {
            Interlocked.Increment(ref Stats._keyframes);
        }

        Recover(rtp.SequenceNumber, layer, datagram);
        var consumers = Consumers; // indexed, not foreach: an interface's enumerator is an allocation per packet
        for (int i = 0; i < consumers.Count; i++)
        {
            consumers[i].Forward(datagram, rtp, layer, keyframe);
        }
        #endregion
    }

    /// <summary>
    /// Loss recovery for one valid packet with a payload, when <see cref="ProducerOptions.EnableNack"/> is on: keep it in
    /// the cache, note it in the NACK generator (a keyframe request when its list overflows), and NACK what is due. A
    /// simulcast packet only goes into its encoding's cache: the sender's own losses are NACKed for a single stream only.
    /// </summary>
    internal void Recover(ushort sequenceNumber, int layer, ReadOnlySpan<byte> datagram)
    {
        if (IsSimulcast)
        {
            CacheOf(layer)?.Store(sequenceNumber, datagram);
            return;
        }

        if (Cache is null || _nacks is null)
        {
            return;
        }

        #region lab M4: store the packet in the cache; OnPacket → RequestKeyframe on overflow; Collect(_due) → when any, send the sender a GenericNack (FeedbackSsrc, Ssrc, Pack(due)) and count it — README §NACK generation
        Cache.Store(sequenceNumber, datagram);
        if (_nacks.OnPacket(sequenceNumber))
        {
            RequestKeyframe();
        }

        int due = _nacks.Collect(_due); // into the producer's own buffer: nothing allocated while nothing is lost
        if (due > 0 && Ssrc is uint ssrc)
        {
            var nack = new GenericNack { SenderSsrc = FeedbackSsrc, MediaSsrc = ssrc };
            foreach (var item in GenericNack.Pack(_due[..due]))
            {
                nack.Items.Add(item);
            }

            SendToSender(RtcpCompound.Write(nack));
            Interlocked.Increment(ref Stats._nacksSent);
        }
        #endregion
    }

    /// <summary>
    /// Asks the sender for a keyframe of one stream — encoding <paramref name="layer"/> of a simulcast sender, the single
    /// stream (layer 0) otherwise — with a PLI (RFC 4585 §6.3.1) about that stream's SSRC, at most once per
    /// <see cref="RouterOptions.KeyframeRequestInterval"/> per SSRC: requests for the same SSRC in between are merged into
    /// the one already sent (the keyframe it brings serves them all); a request for another encoding is not.
    /// </summary>
    public void RequestKeyframe(int layer = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Math.Max(1, Options.Encodings.Count));
        #region lab M4: under a lock, with the router's clock: the media SSRC is the encoding's (simulcast) or Ssrc; before the sender is known (Ssrc null) or within the interval of the last PLI for that SSRC, count it merged and return; else note the time for that SSRC; then send a PLI (FeedbackSsrc, media SSRC) to the sender and count it — README §Keyframe requests
        uint media;
        lock (_keyframeGate)
        {
            var now = Clock.GetUtcNow();
            if (Ssrc is not uint known)
            {
                Interlocked.Increment(ref Stats._keyframeRequestsMerged);
                return;
            }

            media = IsSimulcast ? Options.Encodings[layer].Ssrc : known;
            if (_lastKeyframeRequest.TryGetValue(media, out var last) && now - last < _router.Options.KeyframeRequestInterval)
            {
                Interlocked.Increment(ref Stats._keyframeRequestsMerged);
                return;
            }

            _lastKeyframeRequest[media] = now;
        }

        SendToSender(RtcpCompound.Write(new PictureLossIndication { SenderSsrc = FeedbackSsrc, MediaSsrc = media }));
        Interlocked.Increment(ref Stats._keyframeRequestsSent);
        #endregion
    }

    /// <summary>
    /// The worst fraction lost (of 256) in the latest receiver reports of this producer's consumers' receivers, each about
    /// its consumer's SSRC; 0 before any. The downstream half of what the SFU reports upstream (README §Receiver reports).
    /// </summary>
    public int WorstRemoteFractionLost
    {
        get
        {
            int worst = 0;
            foreach (var consumer in Consumers)
            {
                worst = Math.Max(worst, consumer.Stats.LastFractionLost);
            }

            return worst;
        }
    }

    /// <summary>
    /// The receiver report the router sends the sender in answer to its SR (RFC 3550 §6.4.2): from
    /// <see cref="FeedbackSsrc"/>, one block about the SR's source — its reception statistics (M2), LSR the middle 32 bits
    /// of the SR's NTP timestamp, DLSR 0 (answered at once) — with the fraction lost raised to
    /// <see cref="WorstRemoteFractionLost"/> when a receiver downstream loses more (README §Receiver reports).
    /// </summary>
    internal ReceiverReport ReportFor(SenderReport senderReport)
    {
        #region lab M3: an RR from FeedbackSsrc with ReceptionOf(sr.Ssrc).CreateReport(sr.Ssrc), its FractionLost = the larger of its own and WorstRemoteFractionLost, LastSenderReport = (uint)(NtpTimestamp >> 16) and DelaySinceLastSenderReport 0 — README §Forwarding, §Receiver reports
        var own = ReceptionOf(senderReport.Ssrc).CreateReport(senderReport.Ssrc);
        var block = own with
        {
            // Only the fraction lost carries the receivers' view: every other field counts in the sender's own
            // sequence space, which only the producer sees (the consumers renumber, README §Rewriting).
            FractionLost = (byte)Math.Max(own.FractionLost, WorstRemoteFractionLost),
            LastSenderReport = (uint)(senderReport.NtpTimestamp >> 16),
            DelaySinceLastSenderReport = 0,
        };
        var report = new ReceiverReport { Ssrc = FeedbackSsrc };
        report.Reports.Add(block);
        return report;
        #endregion
    }

    /// <summary>The reception statistics (RFC 3550 §A.3, §A.8) of one of the sender's SSRCs.</summary>
    internal ReceptionStatistics ReceptionOf(uint ssrc)
    {
        lock (_reception)
        {
            if (!_reception.TryGetValue(ssrc, out var statistics))
            {
                statistics = new ReceptionStatistics();
                _reception[ssrc] = statistics;
            }

            return statistics;
        }
    }

    /// <summary>Now, by the router's clock, in units of the RTP clock (what §A.8's jitter compares timestamps with).</summary>
    internal uint ArrivalInRtpUnits() => unchecked((uint)(Clock.GetUtcNow().ToUnixTimeMilliseconds() * Options.ClockRate / 1000));

    private void Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        if (_sink is not null)
        {
            _sink.Send(datagram);
            return;
        }

        try
        {
            _socket!.SendTo(datagram, SocketFlags.None, to);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // the sender is gone or the router is closing: RTCP is best effort
        }
    }

    private void OnGoodbye(IEnumerable<uint> sources)
    {
        lock (_said)
        {
            _said.UnionWith(sources);
            if (IsSimulcast && !Options.Encodings.All(e => _said.Contains(e.Ssrc)))
            {
                return; // a simulcast stream ends when every encoding has said BYE
            }
        }

        if (!_closed.TrySetResult())
        {
            return;
        }

        // The consumers say BYE a little later, so that the last packets reach the receivers before it.
        var consumers = Consumers;
        _ = Task.Delay(_router.Options.ByeDelay, Clock).ContinueWith(_ =>
        {
            foreach (var consumer in consumers)
            {
                consumer.SendGoodbye();
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    internal void Close() => _closed.TrySetResult();

    /// <summary>Sends an RTCP datagram to the sender, when it is known.</summary>
    internal void SendToSender(ReadOnlySpan<byte> datagram)
    {
        if (_sink is not null)
        {
            _sink.Send(datagram);
            return;
        }

        if (SenderEndPoint is { } sender)
        {
            try
            {
                _socket!.SendTo(datagram, SocketFlags.None, sender);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // the sender is gone or the router is closing: a keyframe request is best effort
            }
        }
    }
}
