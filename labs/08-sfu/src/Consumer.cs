using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Lab08.Sfu;

/// <summary>
/// One outgoing stream: a producer's packets forwarded to one receiver, from the consumer's own UDP socket, under
/// the consumer's own SSRC, sequence numbers and timestamps (so the receiver sees one continuous stream whatever
/// happens upstream). RTCP from the receiver (reports, NACK, PLI) comes back to the same socket.
/// </summary>
public sealed class Consumer
{
    private readonly Socket? _socket;
    private readonly IPacketSink? _sink;
    private readonly byte[] _sendBuffer = new byte[65536];
    private readonly SequenceRewriter _sequence;
    private readonly SocketAddress _remote;
    private readonly SocketAddress _remoteRtcp;
    private uint _timestampOffset;
    private ushort _lastOutput;
    private uint _lastOutputTimestamp;
    private DateTimeOffset _lastSentAt;
    private bool _sentAny;
    private readonly byte[] _retransmitBuffer = new byte[65536];
    private readonly int[] _inputOf = new int[SentMemory];
    private readonly int[] _outputAt = new int[SentMemory];
    private readonly int[] _layerAt = new int[SentMemory];
    private readonly uint[] _timestampAt = new uint[SentMemory];

    /// <summary>How many sent numbers the consumer remembers the producer's number of (for NACKs).</summary>
    public const int SentMemory = 4096;

    internal Consumer(Producer producer, ConsumerOptions options, Socket socket)
        : this(producer, options, (IPEndPoint)socket.LocalEndPoint!)
    {
        _socket = socket;
    }

    internal Consumer(Producer producer, ConsumerOptions options, IPacketSink sink)
        : this(producer, options, new IPEndPoint(IPAddress.Any, 0))
    {
        _sink = sink;
    }

    private Consumer(Producer producer, ConsumerOptions options, IPEndPoint localEndPoint)
    {
        Producer = producer;
        Options = options;
        LocalEndPoint = localEndPoint;
        // Serialized once: SendTo with an EndPoint would serialize it again for every packet (an allocation each).
        _remote = options.Remote.Serialize();
        _remoteRtcp = options.RtcpEndPoint.Serialize();
        Ssrc = options.Ssrc ?? (uint)Random.Shared.NextInt64(1, uint.MaxValue);
        _sequence = new SequenceRewriter(options.InitialSequenceNumber ?? (ushort)Random.Shared.Next(65536));
        _timestampOffset = options.TimestampOffset ?? (uint)Random.Shared.NextInt64(uint.MaxValue);
        Array.Fill(_outputAt, -1);
        MaxBitrate = options.MaxBitrate ?? long.MaxValue;
        TargetLayer = producer.IsSimulcast ? LayerFor(producer.Options.Encodings, MaxBitrate) : 0;
        CurrentLayer = producer.IsSimulcast ? -1 : 0;
    }

    /// <summary>The simulcast layer forwarded now (index in the producer's encodings); -1 before the first keyframe of the target.</summary>
    public int CurrentLayer { get; private set; }

    /// <summary>The simulcast layer the consumer's bandwidth limit asks for; it becomes current at its next keyframe.</summary>
    public int TargetLayer { get; private set; }

    /// <summary>The consumer's bandwidth limit in bits per second.</summary>
    public long MaxBitrate { get; private set; }

    /// <summary>The highest encoding (lowest first) whose <see cref="SimulcastEncoding.MaxBitrate"/> fits <paramref name="maxBitrate"/>; 0 when none fits.</summary>
    public static int LayerFor(IReadOnlyList<SimulcastEncoding> encodings, long maxBitrate)
    {
        ArgumentNullException.ThrowIfNull(encodings);
        throw new NotImplementedException("Lab 08 · M5: walk the encodings (lowest first) and keep the last index whose MaxBitrate ≤ maxBitrate; 0 when none — README §Simulcast");
    }

    /// <summary>
    /// Changes the consumer's bandwidth limit: the target layer becomes <see cref="LayerFor"/> of it, and when that is a
    /// change the producer is asked for a keyframe (the switch waits for one).
    /// </summary>
    public void SetMaxBitrate(long maxBitrate)
    {
        throw new NotImplementedException("Lab 08 · M5: remember the limit; the new target is LayerFor(the producer's encodings, limit); when it differs from TargetLayer, set it and call Producer.RequestKeyframe(target) — README §Simulcast");
    }

    /// <summary>
    /// Whether a packet of <paramref name="layer"/> goes to this consumer: the current layer's do; the target layer's first
    /// keyframe packet switches to it — the sequence numbers go on from the last one sent, and the timestamps from the
    /// last one sent plus the time elapsed since, so the receiver sees no jump.
    /// </summary>
    internal bool SelectLayer(RtpHeader packet, int layer, bool keyframe)
    {
        throw new NotImplementedException("Lab 08 · M5: current layer → true; not the target or not a keyframe → false; else (after something was sent) Rebase the sequence to last output + 1 and set the timestamp offset so that this packet's timestamp = last output timestamp + max(clock rate ÷ 1000, elapsed × clock rate); make it current, count the switch, true — README §Simulcast");
    }

    /// <summary>The producer it forwards.</summary>
    public Producer Producer { get; }

    /// <summary>Where it sends.</summary>
    public ConsumerOptions Options { get; }

    /// <summary>The SSRC the receiver sees.</summary>
    public uint Ssrc { get; }

    /// <summary>The consumer's socket: the source address of what it sends, and where the receiver's RTCP goes (0.0.0.0:0 for a consumer on another transport).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>What it has sent and heard.</summary>
    public ConsumerStats Stats { get; } = new();

    /// <summary>The SDP that a receiver (ffmpeg) at <see cref="ConsumerOptions.Remote"/> opens to receive this consumer.</summary>
    public string Sdp => SdpWriter.Write(Options.Remote, Producer.Options.PayloadType, Producer.Options.Codec, Producer.Options.ClockRate,
        Producer.Options.Codec == "H264" ? "packetization-mode=1" : null);

    /// <summary>
    /// Forwards one packet of the producer: copies it, writes the consumer's sequence number, timestamp and SSRC
    /// over the producer's, and sends it to the receiver.
    /// </summary>
    internal void Forward(ReadOnlySpan<byte> datagram, RtpHeader packet, int layer, bool keyframe)
    {
        if (Producer.IsSimulcast)
        {
            int before = CurrentLayer;
            if (!SelectLayer(packet, layer, keyframe))
            {
                return;
            }

            if (CurrentLayer != before && Producer.SenderReportOf(packet.Ssrc) is { } report)
            {
                // The receiver maps RTP time to wallclock with SRs: give it this layer's mapping at once.
                Send(RtcpCompound.Write(OwnSenderReport(report)), _remoteRtcp);
            }
        }

        throw new NotImplementedException("Lab 08 · M3: copy the datagram into the send buffer, overwrite bytes 2-3 (rewritten sequence number; RememberSent(output, input, output timestamp) for M4 and M5), 4-7 (timestamp + offset) and 8-11 (SSRC), send it to the receiver (Send(buffer, _remote)), count packets, bytes and payload bytes — README §Rewriting");
    }

    /// <summary>
    /// Remembers that consumer number <paramref name="output"/> carried producer number <paramref name="input"/> of the
    /// current layer, with timestamp <paramref name="outputTimestamp"/>.
    /// </summary>
    internal void RememberSent(ushort output, ushort input, uint outputTimestamp)
    {
        _lastOutput = output;
        _lastOutputTimestamp = outputTimestamp;
        _lastSentAt = Producer.Clock.GetUtcNow();
        _sentAny = true;
        lock (_inputOf)
        {
            _inputOf[output % SentMemory] = input;
            _outputAt[output % SentMemory] = output;
            _layerAt[output % SentMemory] = CurrentLayer;
            _timestampAt[output % SentMemory] = outputTimestamp;
        }
    }

    /// <summary>
    /// What consumer number <paramref name="output"/> carried, when it is still remembered: the producer's number, the
    /// layer it came from (0 for a single stream) and the timestamp it was sent with.
    /// </summary>
    internal bool TryGetSent(ushort output, out ushort input, out int layer, out uint timestamp)
    {
        lock (_inputOf)
        {
            input = (ushort)_inputOf[output % SentMemory];
            layer = _layerAt[output % SentMemory];
            timestamp = _timestampAt[output % SentMemory];
            return _outputAt[output % SentMemory] == output;
        }
    }

    /// <summary>A producer packet that is not forwarded (padding only): the numbers after it close the gap.</summary>
    internal void Skip(ushort sequenceNumber, int layer)
    {
        if (layer == CurrentLayer)
        {
            _sequence.Drop(sequenceNumber);
        }
    }

    /// <summary>Sends the receiver a sender report of its own, translated from the producer's.</summary>
    internal void OnSenderReport(SenderReport producerReport)
    {
        if (Producer.IsSimulcast && Producer.LayerOf(producerReport.Ssrc) != CurrentLayer)
        {
            return; // the SR of another encoding: its RTP clock is not the one this consumer forwards now
        }

        Send(RtcpCompound.Write(OwnSenderReport(producerReport)), _remoteRtcp);
    }

    /// <summary>
    /// This consumer's own SR: its SSRC, the producer's NTP time and RTP timestamp moved by the consumer's offset (0 and 0
    /// before the producer's first SR), and the consumer's own packet and payload-octet counts.
    /// </summary>
    internal SenderReport OwnSenderReport(SenderReport? producerReport)
    {
        throw new NotImplementedException("Lab 08 · M3: a new SenderReport: Ssrc, NtpTimestamp from the producer's report, RtpTimestamp = its RTP timestamp + the offset, PacketCount and OctetCount from this consumer's stats — README §Rewriting");
    }

    /// <summary>Tells the receiver that this stream ends (RTCP BYE): ffmpeg stops reading at it.</summary>
    internal void SendGoodbye()
    {
        // RFC 3550 §6.1: a compound packet starts with a report (SR, as this consumer sends), and BYE comes last.
        var bye = new Goodbye();
        bye.Sources.Add(Ssrc);
        Send(RtcpCompound.Write(OwnSenderReport(Producer.LastSenderReport), bye), _remoteRtcp);
    }

    /// <summary>
    /// Hands the consumer one RTCP datagram from its receiver, as its socket would (README §Transports): for a consumer made
    /// with <see cref="Router.CreateConsumer(Producer, IPacketSink, ConsumerOptions)"/>, whose transport has already
    /// decrypted it. Never throws for the datagram's content.
    /// </summary>
    public void Receive(ReadOnlySpan<byte> datagram) => HandleRtcp(datagram);

    /// <summary>The simple version of receiving the receiver's RTCP (<see cref="RouterOptions.PollConsumerSockets"/> false): a loop of its own.</summary>
    internal async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_socket is null)
        {
            return;
        }

        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    continue; // e.g. an ICMP "port unreachable" for something we sent (Windows)
                }

                HandleContained(buffer.AsSpan(0, received.ReceivedBytes));
            }
        }
        catch (OperationCanceledException)
        {
            // the router is being disposed
        }
        finally
        {
            _socket.Dispose();
        }
    }

    /// <summary>The consumer's own socket; null for a consumer on another transport.</summary>
    internal Socket? Socket => _socket;

    /// <summary>
    /// Reads one datagram that is waiting on the consumer's socket (the router's poller saw it readable, so this does not
    /// block) and handles it. One per call: what else is waiting makes the socket readable again for the next round.
    /// </summary>
    internal void ReceiveWaiting(byte[] buffer, SocketAddress from)
    {
        int received;
        try
        {
            received = _socket!.ReceiveFrom(buffer, SocketFlags.None, from);
        }
        catch (SocketException)
        {
            return; // e.g. an ICMP "port unreachable" for something we sent (Windows)
        }

        HandleContained(buffer.AsSpan(0, received));
    }

    /// <summary>
    /// <see cref="HandleRtcp"/> on a receive loop: whatever one datagram's handling throws (a bug, a transport that
    /// fails to send the keyframe request upstream) drops that datagram and is counted, and never ends the loop — the
    /// router's poller serves every consumer's socket, so one exception there would silence them all.
    /// </summary>
    private void HandleContained(ReadOnlySpan<byte> datagram)
    {
        try
        {
            HandleRtcp(datagram);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Interlocked.Increment(ref Stats._handlingFailures);
            Volatile.Write(ref Stats._lastHandlingFailure, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Handles one datagram from the receiver: reports (and, from M4, NACK and PLI). Anything else is counted and dropped.</summary>
    internal void HandleRtcp(ReadOnlySpan<byte> datagram)
    {
        List<RtcpPacket> packets;
        try
        {
            packets = RtcpCompound.IsRtcp(datagram) ? RtcpCompound.Parse(datagram) : throw new RtpException("rtcp header", 1, "Not RTCP (RFC 5761 §4).");
        }
        catch (RtpException)
        {
            Interlocked.Increment(ref Stats._malformed);
            return;
        }

        Interlocked.Increment(ref Stats._rtcp);
        foreach (var packet in packets)
        {
            if (packet is ReceiverReport rr)
            {
                foreach (var block in rr.Reports.Where(b => b.Ssrc == Ssrc))
                {
                    Volatile.Write(ref Stats._fractionLost, block.FractionLost);
                }
            }
            else if (packet is GenericNack or PictureLossIndication)
            {
                OnFeedback(packet);
            }
        }
    }

    /// <summary>
    /// A NACK or PLI from the receiver about this consumer's SSRC: retransmit the NACKed packets from the producer's cache,
    /// rewritten as they were first sent; pass a PLI on to the producer (merged and limited there).
    /// </summary>
    internal void OnFeedback(RtcpPacket feedback)
    {
        throw new NotImplementedException("Lab 08 · M4: NACK for Ssrc → count it; per lost number: TryGetSent (producer number, layer, timestamp sent), Producer.CacheOf(layer).TryCopy into the retransmit buffer, write the number, that timestamp and SSRC, send, count (else count not-in-cache); PLI for Ssrc → count, Producer.RequestKeyframe(TargetLayer) — README §Retransmission");
    }

    private void Send(ReadOnlySpan<byte> datagram, SocketAddress to)
    {
        if (Options.PayloadType is byte payloadType && datagram.Length >= RtpPacket.FixedHeaderSize && !RtcpCompound.IsRtcp(datagram))
        {
            // The receiver's own number for the codec (its SDP's, e.g. a browser's offer): byte 1 is M (1 bit) and PT (7 bits, RFC 3550 §5.1).
            Span<byte> renumbered = datagram.Length <= 1500 ? stackalloc byte[datagram.Length] : new byte[datagram.Length];
            datagram.CopyTo(renumbered);
            renumbered[1] = (byte)((renumbered[1] & 0x80) | (payloadType & 0x7F));
            SendAs(renumbered, to);
            return;
        }

        SendAs(datagram, to);
    }

    private void SendAs(ReadOnlySpan<byte> datagram, SocketAddress to)
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
            // a receiver that is gone (ICMP port unreachable) or a router that is closing: UDP is fire and forget
        }
    }
}
