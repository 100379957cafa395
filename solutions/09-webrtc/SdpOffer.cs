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
        #region lab M5: walk the lines; session attributes before the first m=, media attributes after; rtpmap/fmtp/rtcp-fb build the codecs; media-level ice-ufrag/ice-pwd/fingerprint/setup override the session's — README §SDP offer
        var lines = sdp.Split('\n');
        var session = new Dictionary<string, string>(StringComparer.Ordinal);
        var bundle = new List<string>();
        var media = new List<SdpMedia>();
        MediaBuilder? current = null;
        int lastLine = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            int number = i + 1;
            if (line.Length == 0)
            {
                continue;
            }

            lastLine = number;

            if (line.Length < 2 || line[1] != '=')
            {
                throw new WebRtcException("SDP", "line", number, $"line {number} is not <type>=<value> (RFC 8866 §5): \"{line}\"");
            }

            char type = line[0];
            string value = line[2..];
            if (type == 'm')
            {
                if (current is not null)
                {
                    media.Add(current.Build(session));
                }

                current = MediaBuilder.FromMLine(value, number);
                continue;
            }

            if (type != 'a')
            {
                continue;
            }

            int colon = value.IndexOf(':', StringComparison.Ordinal);
            string name = colon < 0 ? value : value[..colon];
            string argument = colon < 0 ? "" : value[(colon + 1)..];
            if (current is null)
            {
                if (name == "group" && argument.StartsWith("BUNDLE", StringComparison.Ordinal))
                {
                    bundle.AddRange(argument.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1));
                }
                else
                {
                    session.TryAdd(name, argument);
                }
            }
            else
            {
                current.Attribute(name, argument, number);
            }
        }

        if (current is null)
        {
            throw new WebRtcException("SDP", "m=", lastLine, "an offer has at least one m-line (RFC 8866 §5.14)");
        }

        media.Add(current.Build(session));
        return new SdpOffer(bundle, media);
        #endregion
    }

    #region lab-remove
    private sealed class MediaBuilder
    {
        private readonly Dictionary<string, string> _attributes = new(StringComparer.Ordinal);
        private readonly Dictionary<int, (string Name, int Rate, int? Channels)> _rtpmap = [];
        private readonly Dictionary<int, Dictionary<string, string>> _fmtp = [];
        private readonly Dictionary<int, List<string>> _feedback = [];
        private readonly Dictionary<int, string> _extensions = [];
        private readonly List<string> _sendRids = [];
        private string _direction = "sendrecv";
        private bool _rtcpMux;

        private MediaBuilder(string kind, int port, string protocol, List<int> payloadTypes, int line)
        {
            Kind = kind;
            Port = port;
            Protocol = protocol;
            PayloadTypes = payloadTypes;
            Line = line;
        }

        private string Kind { get; }

        private int Port { get; }

        private string Protocol { get; }

        private List<int> PayloadTypes { get; }

        private int Line { get; }

        public static MediaBuilder FromMLine(string value, int line)
        {
            // m=<media> <port> <proto> <fmt> ... (RFC 8866 §5.14)
            var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var formats = new List<int>();
            if (parts.Length < 4 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int port))
            {
                throw new WebRtcException("SDP", "m=", line, $"line {line}: an m-line is \"m=<media> <port> <proto> <fmt> ...\": \"m={value}\"");
            }

            foreach (var format in parts.Skip(3))
            {
                if (!int.TryParse(format, CultureInfo.InvariantCulture, out int pt) || pt is < 0 or > 127)
                {
                    throw new WebRtcException("SDP", "m=", line, $"line {line}: \"{format}\" is not an RTP payload type (0-127)");
                }

                formats.Add(pt);
            }

            return new MediaBuilder(parts[0], port, parts[2], formats, line);
        }

        public void Attribute(string name, string argument, int line)
        {
            switch (name)
            {
                case "rtpmap":
                    {
                        // a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>] (RFC 8866 §6.6)
                        var (pt, rest) = PayloadTypeAndRest(argument, line, name);
                        var fields = rest.Split('/');
                        if (fields.Length < 2 || !int.TryParse(fields[1], CultureInfo.InvariantCulture, out int rate))
                        {
                            throw new WebRtcException("SDP", "a=rtpmap", line, $"line {line}: a=rtpmap is \"<pt> <name>/<rate>[/<channels>]\": \"{argument}\"");
                        }

                        int? channels = fields.Length > 2 && int.TryParse(fields[2], CultureInfo.InvariantCulture, out int c) ? c : null;
                        _rtpmap[pt] = (fields[0], rate, channels);
                        break;
                    }

                case "fmtp":
                    {
                        var (pt, rest) = PayloadTypeAndRest(argument, line, name);
                        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
                        foreach (var pair in rest.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        {
                            int eq = pair.IndexOf('=', StringComparison.Ordinal);
                            parameters[eq < 0 ? pair : pair[..eq]] = eq < 0 ? "" : pair[(eq + 1)..];
                        }

                        _fmtp[pt] = parameters;
                        break;
                    }

                case "rtcp-fb":
                    {
                        if (argument.StartsWith("* ", StringComparison.Ordinal))
                        {
                            break; // a wildcard (RFC 4585 §4.2): browsers do not write it
                        }

                        var (pt, rest) = PayloadTypeAndRest(argument, line, name);
                        if (!_feedback.TryGetValue(pt, out var list))
                        {
                            _feedback[pt] = list = [];
                        }

                        list.Add(rest);
                        break;
                    }

                case "extmap":
                    {
                        // a=extmap:<id>[/<direction>] <URI> (RFC 8285 §8)
                        int space = argument.IndexOf(' ', StringComparison.Ordinal);
                        string idPart = space < 0 ? argument : argument[..space];
                        int slash = idPart.IndexOf('/', StringComparison.Ordinal);
                        if (space < 0 || !int.TryParse(slash < 0 ? idPart : idPart[..slash], CultureInfo.InvariantCulture, out int id))
                        {
                            throw new WebRtcException("SDP", "a=extmap", line, $"line {line}: a=extmap is \"<id> <uri>\": \"{argument}\"");
                        }

                        _extensions[id] = argument[(space + 1)..].Split(' ')[0];
                        break;
                    }

                case "rid":
                    {
                        // a=rid:<rid-id> <direction> [params] (RFC 8851 §10)
                        var fields = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        if (fields.Length >= 2 && fields[1] == "send")
                        {
                            _sendRids.Add(fields[0]);
                        }

                        break;
                    }

                case "sendrecv" or "sendonly" or "recvonly" or "inactive":
                    _direction = name;
                    break;
                case "rtcp-mux":
                    _rtcpMux = true;
                    break;
                default:
                    _attributes.TryAdd(name, argument);
                    break;
            }
        }

        public SdpMedia Build(IReadOnlyDictionary<string, string> session)
        {
            string Required(string name) =>
                _attributes.TryGetValue(name, out var v) || session.TryGetValue(name, out v)
                    ? v
                    : throw new WebRtcException("SDP", $"a={name}", Line, $"the m-line at line {Line} has no a={name}, and the session has none either");

            var codecs = new List<SdpCodec>();
            foreach (int pt in PayloadTypes)
            {
                if (_rtpmap.TryGetValue(pt, out var map))
                {
                    codecs.Add(new SdpCodec(pt, map.Name, map.Rate, map.Channels,
                        _fmtp.TryGetValue(pt, out var p) ? p : new Dictionary<string, string>(), _feedback.TryGetValue(pt, out var f) ? f : []));
                }
            }

            return new SdpMedia
            {
                Kind = Kind,
                Port = Port,
                Protocol = Protocol,
                PayloadTypes = PayloadTypes,
                Mid = _attributes.TryGetValue("mid", out var mid) ? mid : throw new WebRtcException("SDP", "a=mid", Line, $"the m-line at line {Line} has no a=mid (RFC 8829 §5.2.1)"),
                Direction = _direction,
                RtcpMux = _rtcpMux,
                IceUfrag = Required("ice-ufrag"),
                IcePwd = Required("ice-pwd"),
                Fingerprint = Required("fingerprint"),
                Setup = _attributes.TryGetValue("setup", out var setup) || session.TryGetValue("setup", out setup) ? setup : "actpass",
                Codecs = codecs,
                Extensions = _extensions,
                SendRids = _sendRids,
                Simulcast = _attributes.TryGetValue("simulcast", out var simulcast) ? simulcast : null,
            };
        }

        private static (int PayloadType, string Remainder) PayloadTypeAndRest(string argument, int line, string name)
        {
            int space = argument.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0 || !int.TryParse(argument[..space], CultureInfo.InvariantCulture, out int pt))
            {
                throw new WebRtcException("SDP", $"a={name}", line, $"line {line}: a={name} starts with a payload type and a space: \"{argument}\"");
            }

            return (pt, argument[(space + 1)..]);
        }
    }
    #endregion
}
