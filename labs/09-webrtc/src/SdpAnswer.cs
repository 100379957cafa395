using System.Globalization;
using System.Net;
using System.Text;

namespace Lab09.WebRtc;

/// <summary>What the SFU puts in its answers: its ICE credentials, its certificate's fingerprint, its one host candidate.</summary>
/// <param name="IceUfrag">The SFU's ufrag (4 to 256 ice-chars, RFC 8839 §5.4).</param>
/// <param name="IcePwd">The SFU's password (22 to 256 ice-chars).</param>
/// <param name="Fingerprint">The value of a=fingerprint, <c>sha-256 AB:…</c> (<see cref="DtlsCertificate.Fingerprint"/>).</param>
/// <param name="Candidate">The one UDP address the SFU listens on.</param>
/// <param name="SessionId">The o= line's session id.</param>
public sealed record SdpAnswerOptions(string IceUfrag, string IcePwd, string Fingerprint, IPEndPoint Candidate, ulong SessionId = 1);

/// <summary>
/// Writes the SFU's answer to a browser's offer (RFC 3264 offer/answer, RFC 8829 §5.3): ICE-lite, every accepted m-line
/// in one BUNDLE on one port, rtcp-mux, DTLS role passive, one host candidate (README §SDP answer).
/// </summary>
public static class SdpAnswer
{
    /// <summary>The RTP header extensions the answer keeps when offered: the mid, and the rids of simulcast.</summary>
    public static readonly IReadOnlyList<string> KeptExtensions =
    [
        "urn:ietf:params:rtp-hdrext:sdes:mid",
        "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
        "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
    ];

    /// <summary>
    /// The codec the SFU takes from an m-line (README §SDP answer): video, the first H264 with packetization-mode=1 and
    /// a Constrained Baseline profile-level-id (42e0xx), else the first H264 with packetization-mode=1; audio, opus/48000/2;
    /// null when there is none (the m-line is then rejected).
    /// </summary>
    public static SdpCodec? ChooseCodec(SdpMedia media)
    {
        ArgumentNullException.ThrowIfNull(media);
        throw new NotImplementedException("Lab 09 · M5: video — H264 (case-insensitive) with packetization-mode 1, Constrained Baseline (profile-level-id starting 42e0) first; audio — opus at 48000 with 2 channels; else null — README §SDP answer");
    }

    /// <summary>The direction that answers <paramref name="offered"/> for an SFU: it receives what a publisher sends and sends to a watcher.</summary>
    public static string AnswerDirection(string offered)
    {
        throw new NotImplementedException("Lab 09 · M5: sendonly → recvonly, recvonly → sendonly, sendrecv → recvonly, inactive → inactive (RFC 3264 §6.1) — README §SDP answer");
    }

    /// <summary>Writes the answer, lines ended with CRLF (RFC 8866 §5).</summary>
    public static string Write(SdpOffer offer, SdpAnswerOptions options)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(options);
        throw new NotImplementedException("Lab 09 · M5: the session lines (v, o, s, t, a=ice-lite, a=group:BUNDLE of the accepted mids), then per m-line either the accepted media section or a rejected one (port 0, a=inactive) — README §SDP answer");
    }
}
