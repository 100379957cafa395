using System.Net;

namespace Lab08.Sfu;

/// <summary>Settings of a <see cref="Router"/>.</summary>
public sealed record RouterOptions
{
    /// <summary>The clock for everything timed (keyframe-request limiting, the BYE grace, NACK retries): injectable so tests never wait.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The address producers' and consumers' sockets bind to.</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;

    /// <summary>How many of the latest packets each producer keeps to answer NACKs (a power of two).</summary>
    public int PacketCacheSize { get; init; } = 1024;

    /// <summary>The least time between two keyframe requests (PLI) sent to one producer; requests in between are merged.</summary>
    public TimeSpan KeyframeRequestInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long after a producer's BYE its consumers send theirs, so the last packets reach the receivers first.</summary>
    public TimeSpan ByeDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How the consumers' sockets receive their receivers' RTCP. True (the default, the fast version): one thread of the
    /// router waits on all of them at once (<see cref="System.Net.Sockets.Socket.Select(System.Collections.IList?, System.Collections.IList?, System.Collections.IList?, TimeSpan)"/>)
    /// and reads with blocking calls, so the sockets that send the forwarded packets are never registered with the
    /// runtime's event loop (epoll, kqueue), which is woken for every packet such a socket sends. False (the simple
    /// version): an async receive loop per consumer. README §Performance has the measured difference.
    /// </summary>
    public bool PollConsumerSockets { get; init; } = true;
}

/// <summary>What a producer receives.</summary>
public sealed record ProducerOptions
{
    /// <summary>The codec's name as SDP writes it (RFC 6184 §8.2.1: "H264").</summary>
    public string Codec { get; init; } = "H264";

    /// <summary>The RTP payload type the sender uses (96 is ffmpeg's first dynamic type).</summary>
    public byte PayloadType { get; init; } = 96;

    /// <summary>The RTP clock rate (90 kHz for video, RFC 6184 §8.2.1).</summary>
    public int ClockRate { get; init; } = 90000;

    /// <summary>The port to bind on the router's address; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Loss recovery (M4), as SDP's <c>a=rtcp-fb:96 nack</c> negotiates it: keep the latest packets to answer consumers'
    /// NACKs, and NACK the sender's own losses. Off by default, as ffmpeg neither sends nor answers NACKs.
    /// </summary>
    public bool EnableNack { get; init; }

    /// <summary>
    /// Simulcast (M5): the encodings of the same video the sender sends, each on its own SSRC, lowest first. Empty (the
    /// default): one stream, whatever its SSRC. With <see cref="EnableNack"/> each encoding has its own packet cache to answer
    /// receivers' NACKs (<see cref="Producer.CacheOf"/>); the sender's own losses are NACKed for a single stream only.
    /// </summary>
    public IReadOnlyList<SimulcastEncoding> Encodings { get; init; } = [];
}

/// <summary>One simulcast encoding (mediasoup's <c>encodings[i]</c>): its SSRC and the most bits per second it uses.</summary>
/// <param name="Ssrc">The SSRC its packets carry.</param>
/// <param name="MaxBitrate">Its bitrate ceiling in bits per second: a consumer gets the highest encoding whose ceiling fits its limit.</param>
public sealed record SimulcastEncoding(uint Ssrc, long MaxBitrate);

/// <summary>Where a consumer sends, and as whom.</summary>
/// <param name="Remote">The receiver's RTP address.</param>
public sealed record ConsumerOptions(IPEndPoint Remote)
{
    /// <summary>The receiver's RTCP address; null means the RTP port + 1 (RFC 3550 §11), what ffmpeg listens on.</summary>
    public IPEndPoint? RemoteRtcp { get; init; }

    /// <summary>The SSRC the receiver sees; null picks a random one (RFC 3550 §8).</summary>
    public uint? Ssrc { get; init; }

    /// <summary>The first sequence number the receiver sees; null picks a random one (RFC 3550 §5.1).</summary>
    public ushort? InitialSequenceNumber { get; init; }

    /// <summary>What is added to the producer's timestamps; null picks a random offset (RFC 3550 §5.1).</summary>
    public uint? TimestampOffset { get; init; }

    /// <summary>
    /// The payload type the receiver knows the codec by (a browser's own number from its SDP), written into every RTP packet
    /// sent; null keeps the producer's (README §Transports).
    /// </summary>
    public byte? PayloadType { get; init; }

    /// <summary>The consumer's bandwidth limit in bits per second, for simulcast (M5); null means no limit (the highest encoding).</summary>
    public long? MaxBitrate { get; init; }

    /// <summary>The receiver's RTCP address, made explicit.</summary>
    internal IPEndPoint RtcpEndPoint => RemoteRtcp ?? new IPEndPoint(Remote.Address, Remote.Port + 1);
}
