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
        throw new NotImplementedException("Lab 05 · M4: the largest duration rounded up (Math.Ceiling), and at least 1 — README §Playlists");
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
        throw new NotImplementedException("Lab 05 · M4: one line per tag in the order above (invariant culture for numbers: \"2.000000\"), then the segments, then ENDLIST — README §Playlists");
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
        throw new NotImplementedException("Lab 05 · M4: split into lines; line 1 must be #EXTM3U; read the header tags' values (ParseInteger); #EXTINF:<duration>,[title] opens a segment that the next URI line (not starting with '#') closes; check every EXTINF against the target; HlsFormatException.AtLine for every error — README §Playlists");
    }
}
