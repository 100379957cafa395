namespace Lab09.WebRtc;

/// <summary>One m-line of an SDP offer with what WebRTC puts under it (RFC 8866 §5.14, RFC 8829 §5.8).</summary>
public sealed class SdpMedia
{
    /// <summary>The media type: <c>audio</c>, <c>video</c>, <c>application</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The port of the m-line (9, the discard port, in a browser's offer: the real addresses come as candidates).</summary>
    public required int Port { get; init; }

    /// <summary>The transport protocol: <c>UDP/TLS/RTP/SAVPF</c> for WebRTC media.</summary>
    public required string Protocol { get; init; }

    /// <summary>The formats of the m-line in its order: payload types, the offerer's preference first.</summary>
    public required IReadOnlyList<int> PayloadTypes { get; init; }

    /// <summary>a=mid (RFC 8843 §7.1 uses it to name the m-line in BUNDLE).</summary>
    public required string Mid { get; init; }

    /// <summary>a=sendrecv, sendonly, recvonly or inactive (sendrecv when none is written, RFC 8866 §6.7).</summary>
    public required string Direction { get; init; }

    /// <summary>Whether a=rtcp-mux is present (RFC 5761 §5.1.1).</summary>
    public required bool RtcpMux { get; init; }

    /// <summary>a=ice-ufrag, from this m-line or the session.</summary>
    public required string IceUfrag { get; init; }

    /// <summary>a=ice-pwd, from this m-line or the session.</summary>
    public required string IcePwd { get; init; }

    /// <summary>a=fingerprint's value (<c>sha-256 AB:…</c>), from this m-line or the session.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>a=setup (RFC 4145 §4; <c>actpass</c> in an offer).</summary>
    public required string Setup { get; init; }

    /// <summary>The codecs, in the order of <see cref="PayloadTypes"/>.</summary>
    public required IReadOnlyList<SdpCodec> Codecs { get; init; }

    /// <summary>a=extmap: header extension id → URI (RFC 8285 §8).</summary>
    public required IReadOnlyDictionary<int, string> Extensions { get; init; }

    /// <summary>The rids of a=rid lines with direction send (RFC 8851 §4), in order.</summary>
    public required IReadOnlyList<string> SendRids { get; init; }

    /// <summary>a=simulcast's value, e.g. <c>send q;h;f</c> (RFC 8853 §5.1), or null.</summary>
    public required string? Simulcast { get; init; }

    /// <summary>The codec of <paramref name="payloadType"/>, or null.</summary>
    public SdpCodec? Codec(int payloadType) => Codecs.FirstOrDefault(c => c.PayloadType == payloadType);
}
