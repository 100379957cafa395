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

    /// <inheritdoc/>
    public override string ToString() =>
        $"received {PacketsReceived} packets / {BytesReceived} bytes, keyframes {KeyframesReceived}, padding-only dropped {PaddingOnlyDropped}, malformed {MalformedDropped}, RTCP {RtcpReceived}";
}

/// <summary>What a consumer has sent and heard back, read at any time from any thread.</summary>
public sealed class ConsumerStats
{
    internal long _packets;
    internal long _bytes;
    internal long _payloadBytes;
    internal long _rtcp;
    internal long _malformed;
    internal int _fractionLost;

    /// <summary>RTP packets forwarded to the receiver (retransmissions not counted).</summary>
    public long PacketsSent => Interlocked.Read(ref _packets);

    /// <summary>Bytes of those packets.</summary>
    public long BytesSent => Interlocked.Read(ref _bytes);

    /// <summary>Payload bytes of those packets (what an SR's octet count counts).</summary>
    public long PayloadBytesSent => Interlocked.Read(ref _payloadBytes);

    /// <summary>RTCP datagrams received from the receiver.</summary>
    public long RtcpReceived => Interlocked.Read(ref _rtcp);

    /// <summary>Datagrams from the receiver that were not valid RTCP, dropped.</summary>
    public long MalformedDropped => Interlocked.Read(ref _malformed);

    /// <summary>The fraction lost (of 256) in the receiver's latest report block about this consumer.</summary>
    public int LastFractionLost => Volatile.Read(ref _fractionLost);

    /// <inheritdoc/>
    public override string ToString() =>
        $"sent {PacketsSent} packets / {BytesSent} bytes, RTCP {RtcpReceived}, last fraction lost {LastFractionLost}/256";
}
