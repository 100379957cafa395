using System.Globalization;
using System.Text;

namespace Lab05.Hls;

/// <summary>One segment as a media playlist lists it (RFC 8216 §4.3.2).</summary>
/// <param name="Uri">Where to fetch it, relative to the playlist.</param>
/// <param name="Duration">#EXTINF: its duration in seconds.</param>
/// <param name="Discontinuity">#EXT-X-DISCONTINUITY before it: timestamps, encoding or format change here (a publisher restarted).</param>
public sealed record PlaylistSegment(string Uri, double Duration, bool Discontinuity = false);

/// <summary>
/// A media playlist, the m3u8 index file (索引文件) of one rendition (RFC 8216 §4.3.1–§4.3.3): its header tags and its
/// segments. <see cref="Write"/> writes the text; <see cref="Parse"/> reads this writer's playlists, ffmpeg's and
/// any other that keeps to the RFC's tags for media playlists.
/// </summary>
/// <param name="TargetDuration">#EXT-X-TARGETDURATION: no segment's EXTINF, rounded to the nearest integer, may exceed it (§4.3.3.1).</param>
/// <param name="MediaSequence">#EXT-X-MEDIA-SEQUENCE: the sequence number of the first segment listed (§4.3.3.2).</param>
/// <param name="Segments">The segments, oldest first.</param>
/// <param name="EndList">#EXT-X-ENDLIST: no more segments will be added (§4.3.3.4).</param>
/// <param name="PlaylistType">#EXT-X-PLAYLIST-TYPE: "VOD", "EVENT", or null for a live sliding window (§4.3.3.5).</param>
/// <param name="DiscontinuitySequence">#EXT-X-DISCONTINUITY-SEQUENCE: discontinuities that have left the window (§4.3.3.3).</param>
/// <param name="Version">#EXT-X-VERSION: 3, the first version with decimal EXTINF durations (§7).</param>
public sealed record MediaPlaylist(int TargetDuration, long MediaSequence, IReadOnlyList<PlaylistSegment> Segments, bool EndList, string? PlaylistType = null, long DiscontinuitySequence = 0, int Version = 3)
{
    /// <summary>The MIME type of an m3u8 playlist (RFC 8216 §4).</summary>
    public const string ContentType = "application/vnd.apple.mpegurl";

    /// <summary>A VOD playlist of the given segments: target duration from them, media sequence 0, PLAYLIST-TYPE VOD, ENDLIST.</summary>
    public static MediaPlaylist Vod(IReadOnlyList<PlaylistSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        return new MediaPlaylist(TargetDurationFor(segments.Select(s => s.Duration)), 0, segments, EndList: true, PlaylistType: "VOD");
    }

    /// <summary>
    /// The target duration for these segment durations: the largest, rounded up to a whole second (at least 1). Rounding
    /// up keeps §4.3.3.1's rule (each EXTINF rounded to the nearest integer ≤ the target) with room to spare.
    /// </summary>
    public static int TargetDurationFor(IEnumerable<double> durations)
    {
        #region lab M4: the largest duration rounded up (Math.Ceiling), and at least 1 — README §Playlists
        double max = 0;
        foreach (double d in durations)
        {
            max = Math.Max(max, d);
        }

        return Math.Max(1, (int)Math.Ceiling(max));
        #endregion
    }

    /// <summary>The sum of the segments' durations (seconds).</summary>
    public double Duration => Segments.Sum(s => s.Duration);

    /// <summary>
    /// The playlist's text: #EXTM3U, #EXT-X-VERSION, #EXT-X-TARGETDURATION, #EXT-X-MEDIA-SEQUENCE, #EXT-X-DISCONTINUITY-SEQUENCE
    /// (when not 0), #EXT-X-PLAYLIST-TYPE (when set), then per segment [#EXT-X-DISCONTINUITY] #EXTINF:duration, and its URI;
    /// #EXT-X-ENDLIST at the end when set. Lines end with '\n'; durations have 6 decimals.
    /// </summary>
    public string Write()
    {
        var text = new StringBuilder();
        #region lab M4: one line per tag in the order above (invariant culture for numbers: "2.000000"), then the segments, then ENDLIST — README §Playlists
        text.Append("#EXTM3U\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-VERSION:{Version}\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{TargetDuration}\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-MEDIA-SEQUENCE:{MediaSequence}\n");
        if (DiscontinuitySequence != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-DISCONTINUITY-SEQUENCE:{DiscontinuitySequence}\n");
        }

        if (PlaylistType is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-PLAYLIST-TYPE:{PlaylistType}\n");
        }

        foreach (var segment in Segments)
        {
            if (segment.Discontinuity)
            {
                text.Append("#EXT-X-DISCONTINUITY\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{segment.Duration:F6},\n");
            text.Append(segment.Uri).Append('\n');
        }

        if (EndList)
        {
            text.Append("#EXT-X-ENDLIST\n");
        }

        return text.ToString();
        #endregion
    }

    /// <summary>
    /// Reads a media playlist. Unknown tags and comments are skipped (§4.1: clients ignore what they do not know); blank
    /// lines are skipped; line endings may be "\n" or "\r\n".
    /// </summary>
    /// <exception cref="HlsFormatException">With <see cref="HlsFormatException.Line"/>: no #EXTM3U on line 1; a tag whose value is
    /// not what the RFC says (a decimal-integer, a decimal-floating-point duration); a URI with no #EXTINF before it; an
    /// #EXTINF not followed by a URI; a segment longer than the target duration (§4.3.3.1); no #EXT-X-TARGETDURATION.</exception>
    public static MediaPlaylist Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        #region lab M4: split into lines; line 1 must be #EXTM3U; read the header tags' values (ParseInteger); #EXTINF:<duration>,[title] opens a segment that the next URI line (not starting with '#') closes; check every EXTINF against the target; HlsFormatException.AtLine for every error — README §Playlists
        var lines = text.Split('\n');
        if (lines.Length == 0 || lines[0].TrimEnd('\r') != "#EXTM3U")
        {
            throw HlsFormatException.AtLine(1, "#EXTM3U", "A playlist starts with the line #EXTM3U (RFC 8216 §4.3.1.1).");
        }

        int? target = null;
        long sequence = 0, discontinuitySequence = 0;
        int version = 1;
        string? type = null;
        bool endList = false, discontinuity = false;
        double? duration = null;
        int durationLine = 0;
        var segments = new List<(PlaylistSegment Segment, int Line)>();
        for (int i = 1; i < lines.Length; i++)
        {
            int number = i + 1;
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (!line.StartsWith('#'))
            {
                if (duration is null)
                {
                    throw HlsFormatException.AtLine(number, "#EXTINF before a segment URI", $"The URI \"{line}\" has no #EXTINF before it (RFC 8216 §4.3.2.1).");
                }

                segments.Add((new PlaylistSegment(line, duration.Value, discontinuity), durationLine));
                duration = null;
                discontinuity = false;
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string tag = colon < 0 ? line : line[..colon];
            string value = colon < 0 ? "" : line[(colon + 1)..];
            switch (tag)
            {
                case "#EXTINF":
                    if (duration is not null)
                    {
                        throw HlsFormatException.AtLine(number, "a URI after the #EXTINF of the line before", "Two #EXTINF tags in a row.");
                    }

                    int comma = value.IndexOf(',', StringComparison.Ordinal);
                    string number0 = comma < 0 ? value : value[..comma];
                    if (!double.TryParse(number0, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double d) || number0.Length == 0)
                    {
                        throw HlsFormatException.AtLine(number, "#EXTINF:<duration>,[<title>] with a decimal duration", $"\"{line}\" has no duration (RFC 8216 §4.3.2.1).");
                    }

                    duration = d;
                    durationLine = number;
                    break;
                case "#EXT-X-TARGETDURATION":
                    target = (int)ParseInteger(value, number, tag);
                    break;
                case "#EXT-X-MEDIA-SEQUENCE":
                    sequence = ParseInteger(value, number, tag);
                    break;
                case "#EXT-X-DISCONTINUITY-SEQUENCE":
                    discontinuitySequence = ParseInteger(value, number, tag);
                    break;
                case "#EXT-X-VERSION":
                    version = (int)ParseInteger(value, number, tag);
                    break;
                case "#EXT-X-PLAYLIST-TYPE":
                    if (value is not ("VOD" or "EVENT"))
                    {
                        throw HlsFormatException.AtLine(number, "#EXT-X-PLAYLIST-TYPE:VOD or EVENT", $"\"{value}\" is not a playlist type (RFC 8216 §4.3.3.5).");
                    }

                    type = value;
                    break;
                case "#EXT-X-DISCONTINUITY":
                    discontinuity = true;
                    break;
                case "#EXT-X-ENDLIST":
                    endList = true;
                    break;
                case "#EXT-X-STREAM-INF":
                    throw HlsFormatException.AtLine(number, "a media playlist", "#EXT-X-STREAM-INF belongs to a master playlist; read it with MasterPlaylist.Parse.");
                default:
                    break; // §4.1: other tags and comments are ignored
            }
        }

        if (duration is not null)
        {
            throw HlsFormatException.AtLine(durationLine, "a URI line after #EXTINF", "The playlist ends after an #EXTINF without its URI.");
        }

        if (target is null)
        {
            throw HlsFormatException.AtLine(lines.Length, "#EXT-X-TARGETDURATION", "The playlist has no #EXT-X-TARGETDURATION (RFC 8216 §4.3.3.1: required).");
        }

        foreach (var (segment, line) in segments)
        {
            if (Math.Round(segment.Duration, MidpointRounding.AwayFromZero) > target)
            {
                throw HlsFormatException.AtLine(line, $"a duration that rounds to at most the target {target} s", $"The segment {segment.Uri} lasts {segment.Duration} s, longer than #EXT-X-TARGETDURATION (RFC 8216 §4.3.3.1).");
            }
        }

        return new MediaPlaylist(target.Value, sequence, segments.Select(s => s.Segment).ToList(), endList, type, discontinuitySequence, version);
        #endregion
    }

    #region lab-remove
    /// <summary>A decimal-integer (RFC 8216 §4.2: digits only, 0 to 2^64 − 1; this reader stops at long).</summary>
    private static long ParseInteger(string value, int line, string tag)
    {
        if (value.Length == 0 || value.Length > 18 || !value.All(char.IsAsciiDigit))
        {
            throw HlsFormatException.AtLine(line, $"{tag}:<decimal-integer>", $"\"{value}\" is not a decimal-integer (RFC 8216 §4.2).");
        }

        return long.Parse(value, CultureInfo.InvariantCulture);
    }
    #endregion
}
