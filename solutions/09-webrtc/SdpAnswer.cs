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
        #region lab M5: video — H264 (case-insensitive) with packetization-mode 1, Constrained Baseline (profile-level-id starting 42e0) first; audio — opus at 48000 with 2 channels; else null — README §SDP answer
        if (media.Kind == "audio")
        {
            return media.Codecs.FirstOrDefault(c => c.Name.Equals("opus", StringComparison.OrdinalIgnoreCase) && c.ClockRate == 48000 && c.Channels == 2);
        }

        if (media.Kind != "video")
        {
            return null;
        }

        var h264 = media.Codecs.Where(c => c.Name.Equals("H264", StringComparison.OrdinalIgnoreCase)
            && c.Parameters.TryGetValue("packetization-mode", out var mode) && mode == "1").ToList();
        return h264.FirstOrDefault(c => c.Parameters.TryGetValue("profile-level-id", out var id) && id.StartsWith("42e0", StringComparison.OrdinalIgnoreCase))
            ?? h264.FirstOrDefault();
        #endregion
    }

    /// <summary>The direction that answers <paramref name="offered"/> for an SFU: it receives what a publisher sends and sends to a watcher.</summary>
    public static string AnswerDirection(string offered)
    {
        #region lab M5: sendonly → recvonly, recvonly → sendonly, sendrecv → recvonly, inactive → inactive (RFC 3264 §6.1) — README §SDP answer
        return offered switch
        {
            "sendonly" or "sendrecv" => "recvonly",
            "recvonly" => "sendonly",
            _ => "inactive",
        };
        #endregion
    }

    /// <summary>Writes the answer, lines ended with CRLF (RFC 8866 §5).</summary>
    public static string Write(SdpOffer offer, SdpAnswerOptions options)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(options);
        #region lab M5: the session lines (v, o, s, t, a=ice-lite, a=group:BUNDLE of the accepted mids), then per m-line either the accepted media section or a rejected one (port 0, a=inactive) — README §SDP answer
        var accepted = offer.Media.Select(m => (Media: m, Codec: ChooseCodec(m))).ToList();
        var sdp = new StringBuilder();
        void Line(string text) => sdp.Append(text).Append("\r\n");
        string address = options.Candidate.Address.ToString();
        string family = options.Candidate.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        Line("v=0");
        Line(string.Create(CultureInfo.InvariantCulture, $"o=- {options.SessionId} 1 IN {family} {address}"));
        Line("s=-");
        Line("t=0 0");
        Line("a=ice-lite");
        Line("a=group:BUNDLE " + string.Join(' ', accepted.Where(a => a.Codec is not null).Select(a => a.Media.Mid)));
        foreach (var (media, codec) in accepted)
        {
            if (codec is null)
            {
                Line(string.Create(CultureInfo.InvariantCulture, $"m={media.Kind} 0 {media.Protocol} {string.Join(' ', media.PayloadTypes.Take(1))}"));
                Line($"c=IN {family} {address}");
                Line($"a=mid:{media.Mid}");
                Line("a=inactive");
                continue;
            }

            var rtx = media.Codecs.FirstOrDefault(c => c.Name.Equals("rtx", StringComparison.OrdinalIgnoreCase) && c.AssociatedPayloadType == codec.PayloadType);
            var payloadTypes = rtx is null ? [codec.PayloadType] : new[] { codec.PayloadType, rtx.PayloadType };
            Line(string.Create(CultureInfo.InvariantCulture, $"m={media.Kind} {options.Candidate.Port} {media.Protocol} {string.Join(' ', payloadTypes)}"));
            Line($"c=IN {family} {address}");
            Line($"a=mid:{media.Mid}");
            Line("a=" + AnswerDirection(media.Direction));
            Line($"a=ice-ufrag:{options.IceUfrag}");
            Line($"a=ice-pwd:{options.IcePwd}");
            Line($"a=fingerprint:{options.Fingerprint}");
            Line("a=setup:passive"); // the SFU is the DTLS server (RFC 5763 §5: the answerer of an actpass offer)
            Line("a=rtcp-mux");
            foreach (var (id, uri) in media.Extensions.OrderBy(e => e.Key))
            {
                if (KeptExtensions.Contains(uri))
                {
                    Line(string.Create(CultureInfo.InvariantCulture, $"a=extmap:{id} {uri}"));
                }
            }

            WriteCodec(Line, codec, media.Kind == "video" ? ["nack", "nack pli"] : []);
            if (rtx is not null)
            {
                WriteCodec(Line, rtx, []);
            }

            if (media.SendRids.Count > 0 && media.Direction is "sendonly" or "sendrecv")
            {
                foreach (var rid in media.SendRids)
                {
                    Line($"a=rid:{rid} recv");
                }

                Line("a=simulcast:recv " + string.Join(';', media.SendRids));
            }

            Line(string.Create(CultureInfo.InvariantCulture, $"a=candidate:1 1 udp 2130706431 {address} {options.Candidate.Port} typ host"));
            Line("a=end-of-candidates");
        }

        return sdp.ToString();
        #endregion
    }

    #region lab-remove
    private static void WriteCodec(Action<string> line, SdpCodec codec, IReadOnlyList<string> feedback)
    {
        line(string.Create(CultureInfo.InvariantCulture, $"a=rtpmap:{codec.PayloadType} {codec.Name}/{codec.ClockRate}{(codec.Channels is { } c ? "/" + c : "")}"));
        foreach (var fb in feedback.Where(codec.Feedback.Contains))
        {
            line(string.Create(CultureInfo.InvariantCulture, $"a=rtcp-fb:{codec.PayloadType} {fb}"));
        }

        if (codec.Parameters.Count > 0)
        {
            line(string.Create(CultureInfo.InvariantCulture, $"a=fmtp:{codec.PayloadType} {string.Join(';', codec.Parameters.Select(p => p.Value.Length == 0 ? p.Key : $"{p.Key}={p.Value}"))}"));
        }
    }
    #endregion
}
