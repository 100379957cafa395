using System.Buffers;

namespace Lab05.Hls;

/// <summary>
/// Cuts a stream of samples into segments (切片) for HLS (RFC 8216 §3, §6.2.1): a new segment starts at a video
/// keyframe once the current one has reached the target duration, so every segment starts with an IDR and can be
/// decoded on its own; when no keyframe comes before the maximum duration, the segment is cut there anyway and
/// flagged <see cref="MediaSegment.ForcedCut"/> (the next one then cannot start cleanly: a live encoder with a too
/// long GOP). Without video, a segment is cut at the first audio frame past the target. Every segment starts with
/// the PAT and PMT; one muxer runs through all of them, so continuity counters continue from segment to segment.
/// </summary>
public sealed class Segmenter
{
    private readonly TsMuxer _muxer;
    private readonly long _target;
    private readonly long _max;
    private ArrayBufferWriter<byte>? _current;
    private long _start;
    private long _lastDts;
    private long _lastFrameDuration;
    private bool _startsWithKeyFrame;
    private int _samples;
    private int _index;
    private bool _timed; // the open segment's start comes from a timing sample (video, or audio without video)
    private ArrayBufferWriter<byte>? _issued;   // the last two buffers NewSegmentBuffer handed out (given code):
    private ArrayBufferWriter<byte>? _issuedBefore; // the open segment's and the one closed before it
    private ArrayBufferWriter<byte>? _spare;    // a closed segment's buffer handed back by Recycle

    /// <summary>Creates a segmenter.</summary>
    /// <param name="hasVideo">The stream has H.264 video (then cuts are at keyframes).</param>
    /// <param name="hasAudio">The stream has AAC audio.</param>
    /// <param name="targetDuration">The duration to cut at (seconds, &gt; 0): ffmpeg's -hls_time.</param>
    /// <param name="maxDuration">The longest a segment may be without a keyframe (seconds, ≥ the target).</param>
    public Segmenter(bool hasVideo, bool hasAudio, double targetDuration, double maxDuration)
    {
        if (!(targetDuration > 0) || !(maxDuration >= targetDuration))
        {
            throw new ArgumentOutOfRangeException(nameof(maxDuration), $"The target must be > 0 and the maximum at least the target (got {targetDuration} and {maxDuration}).");
        }

        _muxer = new TsMuxer(hasVideo, hasAudio);
        _target = (long)Math.Round(targetDuration * PesHeader.ClockRate);
        _max = (long)Math.Round(maxDuration * PesHeader.ClockRate);
    }

    /// <summary>Cuts every sample of <paramref name="source"/> into segments (given code: <see cref="Add"/> then <see cref="Finish"/>).</summary>
    public static IReadOnlyList<MediaSegment> CutAll(FlvSource source, double targetDuration, double maxDuration)
    {
        ArgumentNullException.ThrowIfNull(source);
        var segmenter = new Segmenter(source.HasVideo, source.HasAudio, targetDuration, maxDuration);
        var segments = new List<MediaSegment>();
        foreach (var sample in source.Samples)
        {
            if (segmenter.Add(sample) is { } segment)
            {
                segments.Add(segment);
            }
        }

        if (segmenter.Finish() is { } last)
        {
            segments.Add(last);
        }

        return segments;
    }

    /// <summary>
    /// Hands the buffer of a segment that <see cref="Add"/> or <see cref="Finish"/> returned back to the segmenter once its
    /// bytes are written out (given code): the next segment is written into it instead of a new buffer, so a writer that
    /// recycles each segment allocates no segment buffers once two have grown to the largest segment. The segment's
    /// <see cref="MediaSegment.Data"/> must not be read afterwards. Segments that are kept (<see cref="CutAll"/>) are never recycled.
    /// </summary>
    public void Recycle(MediaSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (Holds(_issued, segment))
        {
            _spare = _issued;
        }
        else if (Holds(_issuedBefore, segment))
        {
            _spare = _issuedBefore;
        }
    }

    // Whether a closed segment's bytes are in this buffer (not the open segment's).
    private bool Holds(ArrayBufferWriter<byte>? buffer, MediaSegment segment) =>
        buffer is not null && buffer != _current && buffer.WrittenCount > 0 && segment.Data.Span.Overlaps(buffer.WrittenSpan);

    /// <summary>The buffer for a new segment (given code): one handed back by <see cref="Recycle"/>, emptied, or else a new one.</summary>
    private ArrayBufferWriter<byte> NewSegmentBuffer()
    {
        var buffer = _spare ?? new ArrayBufferWriter<byte>();
        _spare = null;
        buffer.ResetWrittenCount();
        _issuedBefore = _issued;
        _issued = buffer;
        return buffer;
    }

    /// <summary>The muxer that writes every segment.</summary>
    public TsMuxer Muxer => _muxer;

    /// <summary>The bytes of the open segment written so far (empty before the first sample): what low-latency HLS cuts its parts from.</summary>
    public ReadOnlyMemory<byte> Current => _current?.WrittenMemory ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>
    /// Adds the next sample (in decode order, as interleaved in the source). Returns the segment this sample closed,
    /// when it starts a new one; else null.
    /// </summary>
    public MediaSegment? Add(MediaSample sample)
    {
        #region lab M3: a video sample (or any sample without video) may cut: at a keyframe once DTS - start ≥ target, or anywhere once DTS - start ≥ max (forced); on a cut finish the current segment with duration (DTS - start) / 90000 and start a new one (PAT/PMT first); then mux the sample into the current segment — README §Segmenting
        bool timing = sample.Track == TrackKind.Video || !_muxer.HasVideo;
        MediaSegment? finished = null;
        if (_current is null)
        {
            Start(sample);
        }
        else if (timing && _samples > 0 && !_timed)
        {
            _start = sample.Dts; // the first video sample after audio that opened the stream
            _startsWithKeyFrame = sample.IsKeyFrame;
            _timed = true;
        }
        else if (timing)
        {
            long elapsed = sample.Dts - _start;
            bool atKey = sample.IsKeyFrame && elapsed >= _target;
            bool forced = !atKey && elapsed >= _max;
            if (atKey || forced)
            {
                finished = Close(elapsed, forced);
                Start(sample);
            }
        }

        if (timing)
        {
            if (_samples > 0 && sample.Dts > _lastDts)
            {
                _lastFrameDuration = sample.Dts - _lastDts;
            }

            _lastDts = sample.Dts;
        }

        _muxer.WriteSample(sample, _current!);
        _samples++;
        return finished;
        #endregion
    }

    /// <summary>Ends the stream: returns the last segment (its duration up to the end of its last frame), or null when nothing was added.</summary>
    public MediaSegment? Finish()
    {
        #region lab M3: close the open segment, if any; its duration is the last timing sample's DTS + that sample's duration (the last DTS step) - start — README §Segmenting
        if (_current is null)
        {
            return null;
        }

        var last = Close(_lastDts + _lastFrameDuration - _start, false);
        _current = null;
        return last;
        #endregion
    }

    #region lab-remove
    private void Start(MediaSample sample)
    {
        _current = NewSegmentBuffer();
        _muxer.WriteTables(_current);
        _start = sample.Dts;
        _timed = sample.Track == TrackKind.Video || !_muxer.HasVideo;
        _startsWithKeyFrame = _timed ? sample.IsKeyFrame || !_muxer.HasVideo : false;
        _samples = 0;
    }

    private MediaSegment Close(long duration, bool forced) =>
        new(_index++, _start, (double)duration / PesHeader.ClockRate, _startsWithKeyFrame, forced, _samples, _current!.WrittenMemory);
    #endregion
}
