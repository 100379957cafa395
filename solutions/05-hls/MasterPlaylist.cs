using System.Globalization;
using System.Text;
using Lab03.Flv;

namespace Lab05.Hls;

/// <summary>One rendition of an ABR ladder (自适应码率) as a master playlist lists it (#EXT-X-STREAM-INF, RFC 8216 §4.3.4.2).</summary>
/// <param name="Uri">Its media playlist, relative to the master playlist.</param>
/// <param name="Bandwidth">BANDWIDTH: its peak segment bit rate, bits per second (required).</param>
/// <param name="Width">RESOLUTION's width, or null when it is not given.</param>
/// <param name="Height">RESOLUTION's height.</param>
/// <param name="Codecs">CODECS: the RFC 6381 codec names, "avc1.64000c,mp4a.40.2".</param>
/// <param name="AverageBandwidth">AVERAGE-BANDWIDTH: its average segment bit rate, bits per second, or null when it is not given.</param>
public sealed record VariantStream(string Uri, long Bandwidth, int? Width = null, int? Height = null, string? Codecs = null, long? AverageBandwidth = null)
{
    /// <summary>The peak segment bit rate of these segments (RFC 8216 §4.3.4.2): the largest bytes × 8 / duration, rounded up.</summary>
    public static long PeakBandwidth(IEnumerable<MediaSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        #region lab M4: for each segment with a duration > 0, Data.Length × 8 / Duration; the largest, rounded up — README §Master playlist
        double peak = 0;
        foreach (var segment in segments)
        {
            if (segment.Duration > 0)
            {
                peak = Math.Max(peak, segment.Data.Length * 8 / segment.Duration);
            }
        }

        return (long)Math.Ceiling(peak);
        #endregion
    }

    /// <summary>
    /// The average segment bit rate of these segments (RFC 8216 §4.1, for AVERAGE-BANDWIDTH in §4.3.4.2): the sum of their
    /// sizes in bits divided by the sum of their durations (the playlist's duration), rounded up; 0 when they last 0 s.
    /// </summary>
    public static long AverageBandwidthOf(IEnumerable<MediaSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        #region lab M6: Σ Data.Length × 8 ÷ Σ Duration over every segment, rounded up; 0 when the durations add up to 0 — README §ABR ladder
        double bits = 0, seconds = 0;
        foreach (var segment in segments)
        {
            bits += segment.Data.Length * 8.0;
            seconds += segment.Duration;
        }

        return seconds > 0 ? (long)Math.Ceiling(bits / seconds) : 0;
        #endregion
    }

    /// <summary>
    /// The CODECS value for H.264 and AAC (RFC 6381 §3.3): "avc1." and the SPS's profile_idc, constraint flags and
    /// level_idc as six hex digits (from the AVCDecoderConfigurationRecord), and "mp4a.40." and the AAC audio object type.
    /// </summary>
    public static string CodecsOf(AvcDecoderConfigurationRecord? video, AudioSpecificConfig? audio)
    {
        #region lab M4: "avc1.PPCCLL" (x2 lowercase hex of Profile, Compatibility, Level) and "mp4a.40.N" (ObjectType in decimal), comma-separated, video first — README §Master playlist
        var codecs = new List<string>();
        if (video is not null)
        {
            codecs.Add($"avc1.{video.Profile:x2}{video.Compatibility:x2}{video.Level:x2}");
        }

        if (audio is not null)
        {
            codecs.Add(string.Create(CultureInfo.InvariantCulture, $"mp4a.40.{audio.ObjectType}"));
        }

        return string.Join(',', codecs);
        #endregion
    }
}

/// <summary>
/// A master playlist (RFC 8216 §4.3.4): the renditions of one stream, each an #EXT-X-STREAM-INF line with its attributes
/// followed by the URI of its media playlist. A player picks one by bandwidth and switches as the network changes.
/// </summary>
public sealed record MasterPlaylist(IReadOnlyList<VariantStream> Variants, int Version = 3)
{
    /// <summary>The text: #EXTM3U, #EXT-X-VERSION, then per variant #EXT-X-STREAM-INF:BANDWIDTH=…[,AVERAGE-BANDWIDTH=…][,RESOLUTION=WxH][,CODECS="…"] and its URI.</summary>
    public string Write()
    {
        var text = new StringBuilder();
        #region lab M4: the header lines, then for each variant its #EXT-X-STREAM-INF line (BANDWIDTH always, AVERAGE-BANDWIDTH when set, RESOLUTION when both sizes are known, CODECS quoted when set) and its URI on the next line — README §Master playlist
        text.Append("#EXTM3U\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-VERSION:{Version}\n");
        foreach (var variant in Variants)
        {
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-STREAM-INF:BANDWIDTH={variant.Bandwidth}");
            if (variant.AverageBandwidth is long average)
            {
                text.Append(CultureInfo.InvariantCulture, $",AVERAGE-BANDWIDTH={average}");
            }
            if (variant is { Width: int width, Height: int height })
            {
                text.Append(CultureInfo.InvariantCulture, $",RESOLUTION={width}x{height}");
            }

            if (variant.Codecs is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $",CODECS=\"{variant.Codecs}\"");
            }

            text.Append('\n').Append(variant.Uri).Append('\n');
        }

        return text.ToString();
        #endregion
    }

    /// <summary>Reads a master playlist: every #EXT-X-STREAM-INF and the URI after it; other tags are ignored.</summary>
    /// <exception cref="HlsFormatException">With the line: no #EXTM3U; an attribute list that does not parse (§4.2); no BANDWIDTH;
    /// a RESOLUTION that is not WxH; no URI after #EXT-X-STREAM-INF.</exception>
    public static MasterPlaylist Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        #region lab M4: line 1 #EXTM3U; each #EXT-X-STREAM-INF: parse its attribute list (ReadAttributes), BANDWIDTH required, RESOLUTION as WxH, CODECS unquoted; the next URI line is its playlist — README §Master playlist
        var lines = text.Split('\n');
        if (lines[0].TrimEnd('\r') != "#EXTM3U")
        {
            throw HlsFormatException.AtLine(1, "#EXTM3U", "A playlist starts with the line #EXTM3U (RFC 8216 §4.3.1.1).");
        }

        var variants = new List<VariantStream>();
        Dictionary<string, string>? pending = null;
        int pendingLine = 0;
        int version = 1;
        for (int i = 1; i < lines.Length; i++)
        {
            int number = i + 1;
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
            {
                if (pending is not null)
                {
                    throw HlsFormatException.AtLine(number, "the URI of the #EXT-X-STREAM-INF before", "Two #EXT-X-STREAM-INF tags in a row.");
                }

                pending = ReadAttributes(line["#EXT-X-STREAM-INF:".Length..], number);
                pendingLine = number;
            }
            else if (line.StartsWith("#EXT-X-VERSION:", StringComparison.Ordinal) && int.TryParse(line.AsSpan("#EXT-X-VERSION:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int v))
            {
                version = v;
            }
            else if (!line.StartsWith('#'))
            {
                if (pending is null)
                {
                    throw HlsFormatException.AtLine(number, "#EXT-X-STREAM-INF before a URI", $"The URI \"{line}\" has no #EXT-X-STREAM-INF before it.");
                }

                if (!pending.TryGetValue("BANDWIDTH", out string? bandwidth) || !long.TryParse(bandwidth, NumberStyles.None, CultureInfo.InvariantCulture, out long bits))
                {
                    throw HlsFormatException.AtLine(pendingLine, "BANDWIDTH=<decimal-integer>", "#EXT-X-STREAM-INF needs a BANDWIDTH (RFC 8216 §4.3.4.2).");
                }

                int? width = null, height = null;
                if (pending.TryGetValue("RESOLUTION", out string? resolution))
                {
                    var parts = resolution.Split('x');
                    if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h))
                    {
                        throw HlsFormatException.AtLine(pendingLine, "RESOLUTION=<width>x<height>", $"\"{resolution}\" is not a decimal-resolution (RFC 8216 §4.2).");
                    }

                    (width, height) = (w, h);
                }

                long? average = pending.TryGetValue("AVERAGE-BANDWIDTH", out string? averageText) && long.TryParse(averageText, NumberStyles.None, CultureInfo.InvariantCulture, out long a) ? a : null;
                variants.Add(new VariantStream(line, bits, width, height, pending.GetValueOrDefault("CODECS"), average));
                pending = null;
            }
        }

        if (pending is not null)
        {
            throw HlsFormatException.AtLine(pendingLine, "a URI line after #EXT-X-STREAM-INF", "The playlist ends after an #EXT-X-STREAM-INF without its URI.");
        }

        return new MasterPlaylist(variants, version);
        #endregion
    }

    #region lab-remove
    /// <summary>An attribute list (RFC 8216 §4.2): NAME=VALUE pairs separated by commas; a quoted-string value may hold commas.</summary>
    private static Dictionary<string, string> ReadAttributes(string list, int line)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        int at = 0;
        while (at < list.Length)
        {
            int equals = list.IndexOf('=', at);
            if (equals <= at)
            {
                throw HlsFormatException.AtLine(line, "NAME=VALUE", $"The attribute list \"{list}\" has no NAME=VALUE at character {at}.");
            }

            string name = list[at..equals];
            if (!name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                throw HlsFormatException.AtLine(line, "an attribute name of A–Z, 0–9 and '-'", $"\"{name}\" is not an attribute name (RFC 8216 §4.2).");
            }

            string value;
            at = equals + 1;
            if (at < list.Length && list[at] == '"')
            {
                int close = list.IndexOf('"', at + 1);
                if (close < 0)
                {
                    throw HlsFormatException.AtLine(line, "a closing quote", $"The value of {name} opens a quoted-string that never closes.");
                }

                value = list[(at + 1)..close];
                at = close + 1;
            }
            else
            {
                int comma = list.IndexOf(',', at);
                int end = comma < 0 ? list.Length : comma;
                value = list[at..end];
                at = end;
            }

            if (at < list.Length && list[at] != ',')
            {
                throw HlsFormatException.AtLine(line, "a comma between attributes", $"Something follows the value of {name} that is not a comma.");
            }

            at++;
            attributes[name] = value;
        }

        return attributes;
    }
    #endregion
}
