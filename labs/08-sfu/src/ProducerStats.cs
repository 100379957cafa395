namespace Lab08.Sfu;

/// <summary>What a producer has received and done, read at any time from any thread.</summary>
public sealed class ProducerStats
{
    internal long _packets;
    internal long _bytes;
    internal long _paddingOnly;
    internal long _malformed;
    internal long _rtcp;
    internal long _keyframes;
    internal long _keyframeRequestsSent;
    internal long _keyframeRequestsMerged;
    internal long _retransmissions;
    internal long _nackedNotInCache;
    internal long _nacksSent;

    /// <summary>RTP packets received (valid ones).</summary>
    public long PacketsReceived => Interlocked.Read(ref _packets);

    /// <summary>Bytes of those packets.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytes);

    /// <summary>Packets with no payload (only padding), not forwarded.</summary>
    public long PaddingOnlyDropped => Interlocked.Read(ref _paddingOnly);

    /// <summary>Datagrams that were neither valid RTP nor valid RTCP, dropped.</summary>
    public long MalformedDropped => Interlocked.Read(ref _malformed);

    /// <summary>RTCP datagrams received from the sender.</summary>
    public long RtcpReceived => Interlocked.Read(ref _rtcp);

    /// <summary>Packets that started a keyframe.</summary>
    public long KeyframesReceived => Interlocked.Read(ref _keyframes);

    /// <summary>PLIs sent to the sender.</summary>
    public long KeyframeRequestsSent => Interlocked.Read(ref _keyframeRequestsSent);

    /// <summary>Keyframe requests merged into one already sent within the interval.</summary>
    public long KeyframeRequestsMerged => Interlocked.Read(ref _keyframeRequestsMerged);

    /// <summary>Packets sent again from the cache in answer to consumers' NACKs.</summary>
    public long Retransmissions => Interlocked.Read(ref _retransmissions);

    /// <summary>NACKed packets that were no longer (or never) in the cache.</summary>
    public long NackedNotInCache => Interlocked.Read(ref _nackedNotInCache);

    /// <summary>NACK packets sent to the sender for its own losses.</summary>
    public long NacksSent => Interlocked.Read(ref _nacksSent);

    /// <inheritdoc/>
    public override string ToString() =>
        $"received {PacketsReceived} packets / {BytesReceived} bytes, keyframes {KeyframesReceived}, padding-only dropped {PaddingOnlyDropped}, malformed {MalformedDropped}, RTCP {RtcpReceived}, PLI sent {KeyframeRequestsSent} (merged {KeyframeRequestsMerged}), NACKs sent {NacksSent}, retransmitted {Retransmissions} (not in cache {NackedNotInCache})";
}

/// <summary>What a consumer has sent and heard back, read at any time from any thread.</summary>
public sealed class ConsumerStats
{
    internal long _packets;
    internal long _bytes;
    internal long _payloadBytes;
    internal long _retransmitted;
    internal long _nacks;
    internal long _plis;
    internal long _rtcp;
    internal long _malformed;
    internal int _fractionLost;
    internal long _layerSwitches;
    internal long _handlingFailures;
    internal string? _lastHandlingFailure;

    /// <summary>RTP packets forwarded to the receiver (retransmissions not counted).</summary>
    public long PacketsSent => Interlocked.Read(ref _packets);

    /// <summary>Bytes of those packets.</summary>
    public long BytesSent => Interlocked.Read(ref _bytes);

    /// <summary>Payload bytes of those packets (what an SR's octet count counts).</summary>
    public long PayloadBytesSent => Interlocked.Read(ref _payloadBytes);

    /// <summary>Packets sent again in answer to the receiver's NACKs.</summary>
    public long Retransmitted => Interlocked.Read(ref _retransmitted);

    /// <summary>NACK packets received from the receiver.</summary>
    public long NacksReceived => Interlocked.Read(ref _nacks);

    /// <summary>PLIs received from the receiver.</summary>
    public long PlisReceived => Interlocked.Read(ref _plis);

    /// <summary>RTCP datagrams received from the receiver.</summary>
    public long RtcpReceived => Interlocked.Read(ref _rtcp);

    /// <summary>Datagrams from the receiver that were not valid RTCP, dropped.</summary>
    public long MalformedDropped => Interlocked.Read(ref _malformed);

    /// <summary>
    /// Datagrams from the receiver whose handling threw (a bug, or a transport upstream failing to send a keyframe
    /// request): each is dropped and counted here, and the receive loop goes on serving every consumer.
    /// </summary>
    public long HandlingFailures => Interlocked.Read(ref _handlingFailures);

    /// <summary>The latest of those failures (exception type and message), or null.</summary>
    public string? LastHandlingFailure => Volatile.Read(ref _lastHandlingFailure);

    /// <summary>Simulcast layer switches (the first layer chosen counts as one).</summary>
    public long LayerSwitches => Interlocked.Read(ref _layerSwitches);

    /// <summary>The fraction lost (of 256) in the receiver's latest report block about this consumer.</summary>
    public int LastFractionLost => Volatile.Read(ref _fractionLost);

    /// <inheritdoc/>
    public override string ToString() =>
        $"sent {PacketsSent} packets / {BytesSent} bytes, retransmitted {Retransmitted}, NACKs {NacksReceived}, PLIs {PlisReceived}, RTCP {RtcpReceived}, last fraction lost {LastFractionLost}/256{(HandlingFailures == 0 ? "" : $", handling failed {HandlingFailures} (last: {LastHandlingFailure})")}";
}
