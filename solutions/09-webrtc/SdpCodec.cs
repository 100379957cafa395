namespace Lab09.WebRtc;

/// <summary>One payload type of an m-line (RFC 8866 §6.6 rtpmap, §6.15 fmtp; RFC 4585 §4.2 rtcp-fb).</summary>
/// <param name="PayloadType">The RTP payload type (96–127 dynamic, 0–95 static).</param>
/// <param name="Name">The encoding name as written: <c>H264</c>, <c>VP8</c>, <c>opus</c>, <c>rtx</c>.</param>
/// <param name="ClockRate">The RTP clock rate (90000 for video).</param>
/// <param name="Channels">The channel count of audio, when given.</param>
/// <param name="Parameters">The fmtp parameters as name → value (<c>packetization-mode</c> → <c>1</c>, <c>apt</c> → <c>96</c>).</param>
/// <param name="Feedback">The rtcp-fb values for this payload type, as written (<c>nack</c>, <c>nack pli</c>, <c>ccm fir</c>).</param>
public sealed record SdpCodec(int PayloadType, string Name, int ClockRate, int? Channels, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string> Feedback)
{
    /// <summary>For rtx: the payload type it repairs (fmtp apt, RFC 4588 §8.1); else null.</summary>
    public int? AssociatedPayloadType => Parameters.TryGetValue("apt", out var apt) && int.TryParse(apt, System.Globalization.CultureInfo.InvariantCulture, out int pt) ? pt : null;
}
