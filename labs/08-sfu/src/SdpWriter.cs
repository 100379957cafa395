using System.Globalization;
using System.Net;
using System.Text;

namespace Lab08.Sfu;

/// <summary>
/// Writes the session description (RFC 8866, SDP) that tells a plain-RTP receiver such as ffmpeg where to listen
/// and what it will get: one video stream on the receiver's own address and port.
/// </summary>
/// <remarks>
/// <code>
/// v=0                                  protocol version (§5.1)
/// o=- 0 0 IN IP4 127.0.0.1             origin: user, session id, version, address (§5.2)
/// s=Lab 08 consumer                    session name (§5.3)
/// c=IN IP4 127.0.0.1                   where the media goes (§5.7)
/// t=0 0                                an unbounded session (§5.9)
/// m=video 5004 RTP/AVP 96              media, the receiver's RTP port, profile, payload type (§5.14)
/// a=rtpmap:96 H264/90000               encoding and clock rate (§6.6)
/// a=fmtp:96 packetization-mode=1       the codec's parameters (RFC 6184 §8.1)
/// </code>
/// Lines end with CRLF (§5).
/// </remarks>
public static class SdpWriter
{
    /// <summary>The SDP for a receiver at <paramref name="receiver"/> of one video stream.</summary>
    public static string Write(IPEndPoint receiver, byte payloadType, string codec, int clockRate, string? formatParameters)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        throw new NotImplementedException("Lab 08 · M3: v, o, s, c (IN IP4 or IP6 and the receiver's address), t, m=video <port> RTP/AVP <pt>, a=rtpmap, a=fmtp when given; CRLF after every line — README §SDP");
    }
}
