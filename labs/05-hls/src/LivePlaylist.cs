namespace Lab05.Hls;

/// <summary>
/// The sliding window of a live stream (RFC 8216 §6.2.2): the playlist lists only the last <c>windowSize</c> segments;
/// each segment that leaves the window raises #EXT-X-MEDIA-SEQUENCE by one (so it never decreases), and a segment that
/// leaves with an #EXT-X-DISCONTINUITY raises #EXT-X-DISCONTINUITY-SEQUENCE (§4.3.3.3). A segment that has left the
/// window stays on the server a while longer — until segments lasting the playlist's duration plus the target duration
/// have been added after it left (§6.2.2) — because a client may still be fetching it; then <see cref="Add"/>
/// returns it as expired, to be deleted.
/// </summary>
public sealed class LivePlaylist
{
    private readonly int _windowSize;
    private readonly int _targetDuration;
    private readonly Queue<PlaylistSegment> _window = new();
    private readonly Queue<(PlaylistSegment Segment, double RemovedAt)> _removed = new();
    private double _addedDuration;
    private bool _nextIsDiscontinuity;

    /// <summary>Creates an empty window.</summary>
    /// <param name="windowSize">How many segments the playlist lists (ffmpeg's -hls_list_size), at least 1.</param>
    /// <param name="targetDuration">#EXT-X-TARGETDURATION in whole seconds: the segmenter's maximum, rounded up.</param>
    public LivePlaylist(int windowSize, int targetDuration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetDuration, 1);
        _windowSize = windowSize;
        _targetDuration = targetDuration;
    }

    /// <summary>#EXT-X-MEDIA-SEQUENCE: how many segments have left the window.</summary>
    public long MediaSequence { get; private set; }

    /// <summary>#EXT-X-DISCONTINUITY-SEQUENCE: how many discontinuities have left the window.</summary>
    public long DiscontinuitySequence { get; private set; }

    /// <summary>The stream has ended: the playlist gets #EXT-X-ENDLIST.</summary>
    public bool Ended { get; private set; }

    /// <summary>Whether the next segment added gets #EXT-X-DISCONTINUITY (a low-latency playlist lists its parts before it is added).</summary>
    public bool NextIsDiscontinuity => _nextIsDiscontinuity;

    /// <summary>The next segment added starts after a discontinuity (a publisher restarted: new timestamps, maybe new codecs).</summary>
    public void MarkDiscontinuity() => _nextIsDiscontinuity = true;

    /// <summary>Ends the stream (#EXT-X-ENDLIST); no segment may be added after it.</summary>
    public void End() => Ended = true;

    /// <summary>
    /// Takes an ended stream up again (a publisher came back after the end): #EXT-X-ENDLIST goes and the next segment
    /// starts with #EXT-X-DISCONTINUITY, so the playlist goes on with its media sequence and segment numbers. RFC 8216
    /// §6.2.1 lets a server only append to a playlist, so a player that saw the ENDLIST has stopped reloading; a player
    /// that starts now sees one live playlist whose media sequence never went down (a new playlist from sequence 0
    /// would make a cache or a returning player go back in time).
    /// </summary>
    public void Resume()
    {
        Ended = false;
        _nextIsDiscontinuity = true;
    }

    /// <summary>
    /// Adds a segment at the end of the window (with the discontinuity flag when one was marked), slides the window,
    /// and returns the segments that have now expired: out of the window long enough to be deleted.
    /// </summary>
    public IReadOnlyList<PlaylistSegment> Add(string uri, double duration)
    {
        if (Ended)
        {
            throw new InvalidOperationException("The stream has ended; a live playlist with #EXT-X-ENDLIST takes no more segments.");
        }

        if (Math.Round(duration, MidpointRounding.AwayFromZero) > _targetDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), $"A {duration} s segment breaks the target duration of {_targetDuration} s (RFC 8216 §4.3.3.1); the target must not change in a live playlist.");
        }

        throw new NotImplementedException("Lab 05 · M4: enqueue the segment (Discontinuity from the mark, then clear the mark); add its duration to the total; while the window is too long, dequeue the oldest, count it in MediaSequence (and DiscontinuitySequence when it had the flag) and remember when it left; return (and forget) every removed segment for which the total added since it left ≥ the playlist's duration + the target duration — README §Live playlist");
    }

    /// <summary>The playlist as it stands: the window, its sequence numbers, ENDLIST when ended; no PLAYLIST-TYPE (a sliding window).</summary>
    public MediaPlaylist Snapshot() => new(_targetDuration, MediaSequence, _window.ToList(), Ended, null, DiscontinuitySequence);
}
