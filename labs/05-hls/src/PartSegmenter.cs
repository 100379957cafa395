namespace Lab05.Hls;

/// <summary>One partial segment (部分切片) of low-latency HLS: a slice of its parent segment's bytes (RFC 8216bis §4.4.4.9).</summary>
/// <param name="Index">Its part index in the parent segment: 0, 1, 2, …</param>
/// <param name="Duration">Seconds, from timestamps: the next part's start minus its own (the parent's end for the last).</param>
/// <param name="Independent">Its first video sample is a keyframe (INDEPENDENT=YES): a player may start here.</param>
/// <param name="Data">Its bytes; the parts of a segment, concatenated in order, are the segment.</param>
public sealed record MediaPart(int Index, double Duration, bool Independent, ReadOnlyMemory<byte> Data);

/// <summary>What one sample (or the end of the stream) closed: parts in order, then the segment they made up, if it ended.</summary>
public sealed record PartsClosed(IReadOnlyList<MediaPart> Parts, MediaSegment? Segment);

/// <summary>
/// Cuts the segments of a <see cref="Segmenter"/> into partial segments for low-latency HLS (RFC 8216bis §4.4.4.9): the
/// segments are cut exactly as before, and between two timing samples of the open segment a part ends when the next
/// frame would make it longer than the part target. A part is a slice of the segment's bytes, so the parts of a segment
/// are the segment; the first part of each segment starts with its PAT, PMT and keyframe and is independent.
/// </summary>
public sealed class PartSegmenter
{
    /// <summary>The slack added to the last frame step when predicting the next one (90 kHz ticks): FLV timestamps are whole
    /// milliseconds, so one frame step may be 1 ms longer than the one before it.</summary>
    public const long StepSlack = 90;

    private readonly Segmenter _segmenter;
    private readonly long _partTarget;
    private int _partStart;
    private long _partStartDts;
    private bool _partTimed;
    private bool _partIndependent;
    private long _lastDts = long.MinValue;
    private long _lastStep;
    private int _index;

    /// <summary>Creates a part segmenter.</summary>
    /// <param name="hasVideo">The stream has H.264 video.</param>
    /// <param name="hasAudio">The stream has AAC audio.</param>
    /// <param name="targetDuration">The segments' target duration (seconds), as for <see cref="Segmenter"/>.</param>
    /// <param name="maxDuration">The segments' maximum duration (seconds).</param>
    /// <param name="partTarget">#EXT-X-PART-INF's PART-TARGET (seconds, &gt; 0): no part is longer.</param>
    public PartSegmenter(bool hasVideo, bool hasAudio, double targetDuration, double maxDuration, double partTarget)
    {
        if (!(partTarget > 0) || partTarget > targetDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(partTarget), $"The part target must be > 0 and at most the segment target (got {partTarget} and {targetDuration}).");
        }

        _segmenter = new Segmenter(hasVideo, hasAudio, targetDuration, maxDuration);
        _partTarget = (long)Math.Round(partTarget * PesHeader.ClockRate);
        PartTarget = partTarget;
    }

    /// <summary>The part target, seconds.</summary>
    public double PartTarget { get; }

    /// <summary>The segmenter inside (its muxer writes every byte).</summary>
    public Segmenter Segmenter => _segmenter;

    /// <summary>
    /// Adds the next sample (in decode order). Returns the parts it closed — the open part, when this timing sample would
    /// make it longer than the part target or starts a new segment — and the segment it closed, if any.
    /// </summary>
    public PartsClosed Add(MediaSample sample)
    {
        var parts = new List<MediaPart>();
        throw new NotImplementedException("Lab 05 · M7: a timing sample (video, or any sample without video) closes the open part when the part has a timing sample and DTS - part start + the last frame step + StepSlack > the part target (a slice of Segmenter.Current from the part's first byte); then Segmenter.Add; when it returns a segment, the rest of that segment's bytes is its final part and a new part starts at byte 0, independent when it starts with a keyframe; the first timing sample of a part sets its start — README §LL-HLS");
    }

    /// <summary>Ends the stream: the rest of the open segment as its final part, and the segment.</summary>
    public PartsClosed Finish()
    {
        throw new NotImplementedException("Lab 05 · M7: Segmenter.Finish; when it returns a segment, the bytes from the open part's first byte are its final part, lasting to the segment's end (StartTime + Duration) — README §LL-HLS");
    }
}
