using System.Globalization;
using System.Text;

namespace Lab05.Hls;

/// <summary>One partial segment as a low-latency playlist lists it (#EXT-X-PART, RFC 8216bis §4.4.4.9).</summary>
/// <param name="Uri">Where to fetch it, relative to the playlist.</param>
/// <param name="Duration">DURATION, seconds.</param>
/// <param name="Independent">INDEPENDENT=YES: it starts with a keyframe.</param>
public sealed record PlaylistPart(string Uri, double Duration, bool Independent);

/// <summary>
/// A live playlist with partial segments: low-latency HLS (低延迟 HLS, RFC 8216bis, the second edition of HLS). The
/// sliding window of segments is a <see cref="LivePlaylist"/>; on top of it the parts of the last segments and of the
/// segment being made are listed as #EXT-X-PART tags as soon as each is written, #EXT-X-PART-INF gives the part target,
/// #EXT-X-SERVER-CONTROL says the server holds blocking playlist reloads and how far from the live edge a player
/// should stay (PART-HOLD-BACK), and #EXT-X-PRELOAD-HINT names the next part before it exists.
/// </summary>
public sealed class LowLatencyPlaylist
{
    private readonly List<PlaylistPart> _open = [];
    private readonly Dictionary<string, IReadOnlyList<PlaylistPart>> _parts = new(StringComparer.Ordinal);

    /// <summary>Creates the playlist over a live window.</summary>
    /// <param name="live">The window of whole segments (its target duration, media sequence, discontinuities).</param>
    /// <param name="targetDuration">#EXT-X-TARGETDURATION of <paramref name="live"/>.</param>
    /// <param name="partTarget">#EXT-X-PART-INF's PART-TARGET, seconds.</param>
    /// <param name="nextSegment">The media sequence number the next segment will have (its parts are named after it).</param>
    public LowLatencyPlaylist(LivePlaylist live, int targetDuration, double partTarget, long nextSegment = 0)
    {
        ArgumentNullException.ThrowIfNull(live);
        if (!(partTarget > 0) || partTarget > targetDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(partTarget), $"PART-TARGET must be > 0 and at most the target duration {targetDuration} (got {partTarget}).");
        }

        Live = live;
        TargetDuration = targetDuration;
        PartTarget = partTarget;
        OpenSegment = nextSegment;
    }

    /// <summary>The window of whole segments.</summary>
    public LivePlaylist Live { get; }

    /// <summary>#EXT-X-TARGETDURATION.</summary>
    public int TargetDuration { get; }

    /// <summary>#EXT-X-PART-INF:PART-TARGET, seconds.</summary>
    public double PartTarget { get; }

    /// <summary>PART-HOLD-BACK: three part targets (RFC 8216bis §4.4.3.8: at least two, and it SHOULD be at least three).</summary>
    public double PartHoldBack => 3 * PartTarget;

    /// <summary>The media sequence number of the segment being made: its parts are <c>seg{OpenSegment}.{index}.ts</c>.</summary>
    public long OpenSegment { get; private set; }

    /// <summary>The parts of the segment being made, so far.</summary>
    public IReadOnlyList<PlaylistPart> OpenParts => _open;

    /// <summary>The URI of a part: <c>seg{segment}.{index}.ts</c>.</summary>
    public static string PartName(long segment, int index) => string.Create(CultureInfo.InvariantCulture, $"seg{segment}.{index}.ts");

    /// <summary>The next part's URI, for #EXT-X-PRELOAD-HINT.</summary>
    public string NextPartUri => PartName(OpenSegment, _open.Count);

    /// <summary>Where the playlist stands, for <see cref="BlockingReload.Decide"/>.</summary>
    public ReloadPosition Position
    {
        get
        {
            long last = OpenSegment - 1;
            var window = Live.Snapshot().Segments;
            int lastParts = window.Count > 0 && _parts.TryGetValue(window[^1].Uri, out var p) ? p.Count : 0;
            return new ReloadPosition(last, lastParts, _open.Count, PartTarget, Live.Ended);
        }
    }

    /// <summary>Lists a part of the segment being made (its file must already be written: RFC 8216bis §6.2.1).</summary>
    public void AddPart(PlaylistPart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        _open.Add(part);
    }

    /// <summary>
    /// The segment being made is complete: adds it to the window with the parts listed so far as its parts, and returns
    /// the segments that expired (their files and their parts' files may be deleted).
    /// </summary>
    public IReadOnlyList<PlaylistSegment> AddSegment(string uri, double duration)
    {
        var expired = Live.Add(uri, duration);
        _parts[uri] = _open.ToList();
        _open.Clear();
        OpenSegment++;
        foreach (var old in expired)
        {
            _parts.Remove(old.Uri);
        }

        return expired;
    }

    /// <summary>The parts a segment of the window was listed with (empty when it had none).</summary>
    public IReadOnlyList<PlaylistPart> PartsOf(string segmentUri) => _parts.TryGetValue(segmentUri, out var parts) ? parts : [];

    /// <summary>
    /// The playlist's text: #EXTM3U, #EXT-X-VERSION, #EXT-X-TARGETDURATION, #EXT-X-SERVER-CONTROL, #EXT-X-PART-INF,
    /// #EXT-X-MEDIA-SEQUENCE, #EXT-X-DISCONTINUITY-SEQUENCE (when not 0); per segment its [#EXT-X-DISCONTINUITY], its
    /// #EXT-X-PART lines when it ends at most three target durations from the end of the playlist, #EXTINF and URI; then the
    /// open segment's [#EXT-X-DISCONTINUITY] and #EXT-X-PART lines and #EXT-X-PRELOAD-HINT, or #EXT-X-ENDLIST when ended.
    /// </summary>
    public string Write()
    {
        var text = new StringBuilder();
        var window = Live.Snapshot();
        throw new NotImplementedException("Lab 05 · M7: the header lines (durations with 6 decimals, invariant culture), then the segments with their parts near the end, then the open parts and the hint (or ENDLIST) — README §LL-HLS");
    }
}
