using System.Globalization;

namespace Lab09.WebRtc;

/// <summary>
/// A browser's SDP offer, read as far as an SFU needs it (RFC 8866 SDP, RFC 8829 JSEP): the BUNDLE group and every m-line
/// with its ICE credentials, DTLS fingerprint, direction, codecs, header extensions and simulcast rids.
/// </summary>
public sealed class SdpOffer
{
    private SdpOffer(IReadOnlyList<string> bundle, IReadOnlyList<SdpMedia> media)
    {
        BundleMids = bundle;
        Media = media;
    }

    /// <summary>The mids of <c>a=group:BUNDLE</c> (RFC 8843 §7), in order; empty without one.</summary>
    public IReadOnlyList<string> BundleMids { get; }

    /// <summary>The m-lines, in order.</summary>
    public IReadOnlyList<SdpMedia> Media { get; }

    /// <summary>
    /// Parses an offer. Lines end in CRLF or LF. Throws <see cref="WebRtcException"/> (<c>Protocol</c> "SDP", <c>Offset</c> the
    /// 1-based line number) for a line that is not <c>x=value</c>, an m-line or rtpmap it cannot read, no m-line, or an
    /// m-line without a=mid, ICE credentials or a fingerprint (README §SDP offer).
    /// </summary>
    public static SdpOffer Parse(string sdp)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        throw new NotImplementedException("Lab 09 · M5: walk the lines; session attributes before the first m=, media attributes after; rtpmap/fmtp/rtcp-fb build the codecs; media-level ice-ufrag/ice-pwd/fingerprint/setup override the session's — README §SDP offer");
    }
}
