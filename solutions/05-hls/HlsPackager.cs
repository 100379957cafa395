using Lab04.LiveServer;

namespace Lab05.Hls;

/// <summary>
/// What one live stream's HLS output keeps across publishes: its sliding window and the number of the next segment
/// file, so that a publisher that comes back continues the same playlist (after a discontinuity) instead of
/// starting one whose media sequence would go down. With parts (low-latency HLS) it also holds the
/// <see cref="LowLatencyPlaylist"/> and what was last published of it, which the HTTP server reads to answer
/// blocking playlist reloads from another thread.
/// </summary>
public sealed class HlsStreamState
{
    private readonly object _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LowLatencyPublication? _published;

    /// <summary>The state of a stream: a window of <paramref name="windowSize"/> segments; with <paramref name="partTarget"/> &gt; 0, parts too.</summary>
    public HlsStreamState(int windowSize, int targetDuration, double partTarget = 0)
    {
        Playlist = new LivePlaylist(windowSize, targetDuration);
        if (partTarget > 0)
        {
            LowLatency = new LowLatencyPlaylist(Playlist, targetDuration, partTarget);
        }
    }

    /// <summary>The stream's live playlist.</summary>
    public LivePlaylist Playlist { get; }

    /// <summary>The low-latency playlist over <see cref="Playlist"/>, or null without parts.</summary>
    public LowLatencyPlaylist? LowLatency { get; }

    /// <summary>The index of the next segment file (segN.ts).</summary>
    public int NextSegment { get; set; }

    /// <summary>Whether any segment was written yet (a later publish starts with a discontinuity).</summary>
    public bool HasSegments => NextSegment > 0;

    /// <summary>
    /// A publish starts on this stream: after earlier segments the next one starts with a discontinuity (a new encoder,
    /// new timestamps); after the end of the stream the same playlist is taken up again (<see cref="LivePlaylist.Resume"/>).
    /// </summary>
    public void BeginPublish()
    {
        if (Playlist.Ended)
        {
            Playlist.Resume();
        }
        else if (HasSegments)
        {
            Playlist.MarkDiscontinuity();
        }
    }

    /// <summary>What was last published of the low-latency playlist, and a task that completes at the next publication.</summary>
    public (LowLatencyPublication? Current, Task Next) Watch()
    {
        lock (_lock)
        {
            return (_published, _changed.Task);
        }
    }

    /// <summary>Publishes the low-latency playlist as it stands (after its files are written) and wakes every waiting request.</summary>
    public void Publish()
    {
        if (LowLatency is null)
        {
            return;
        }

        TaskCompletionSource changed;
        lock (_lock)
        {
            _published = new LowLatencyPublication(LowLatency.Write(), LowLatency.Position, LowLatency.Live.Ended ? null : LowLatency.NextPartUri);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}

/// <summary>A low-latency playlist as published: its text, its position for blocking reloads, and the part it hints (null once ended).</summary>
public sealed record LowLatencyPublication(string Text, ReloadPosition Position, string? Hint);

/// <summary>
/// The HLS packager of one live stream: a subscriber of the Lab 04 live server (so it gets the stream as every player
/// does — headers, the GOP cache, then live tags, timestamps rebased) that turns the tags into samples, cuts them into
/// segments, writes <c>segN.ts</c> files and <c>index.m3u8</c> into its folder, and deletes the segments that expire.
/// When the stream ends it closes the last segment and writes #EXT-X-ENDLIST. Given code: it puts your converter,
/// segmenter and live playlist to work inside the server.
/// </summary>
public sealed class HlsPackager : Subscriber
{
    private readonly string _folder;
    private readonly HlsStreamState _state;
    private readonly double _hlsTime;
    private readonly double _maxDuration;
    private readonly FlvSampleConverter _converter = new();
    private Segmenter? _segmenter;

    /// <summary>Creates the packager of one stream.</summary>
    /// <param name="options">The live server's options (queue bounds).</param>
    /// <param name="folder">Where the stream's playlist and segments go.</param>
    /// <param name="state">The stream's playlist and segment numbering, kept across publishes.</param>
    /// <param name="hlsTime">The target segment duration (seconds).</param>
    /// <param name="maxDuration">The longest segment when keyframes are late (seconds).</param>
    public HlsPackager(LiveServerOptions options, string folder, HlsStreamState state, double hlsTime, double maxDuration)
        : base(options, "hls " + folder)
    {
        _folder = folder;
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _hlsTime = hlsTime;
        _maxDuration = maxDuration;
    }

    /// <summary>Segments written by this packager.</summary>
    public int SegmentsWritten { get; private set; }

    /// <inheritdoc/>
    protected override ValueTask WriteStartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        _state.BeginPublish();

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    protected override ValueTask WriteTagsAsync(IReadOnlyList<(LiveTag Tag, uint Timestamp)> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        #region lab M5: skip metadata; each tag through the converter (its rebased timestamp); create the segmenter at the first sample (video and audio as the configurations so far say; skip a track it was not made for); write every segment the segmenter closes — README §HLS out of the live server
        foreach (var (tag, timestamp) in tags)
        {
            if (tag.IsMetadata)
            {
                continue;
            }

            if (_converter.AddReusingBuffer(tag.Type, timestamp, tag.Data.Span, 0) is not { } sample)
            {
                continue;
            }

            _segmenter ??= new Segmenter(_converter.Video is not null, _converter.Audio is not null, _hlsTime, _maxDuration);
            if ((sample.Track == TrackKind.Video && !_segmenter.Muxer.HasVideo) || (sample.Track == TrackKind.Audio && !_segmenter.Muxer.HasAudio))
            {
                continue; // a stream whose second sequence header came after its first frames: that track waits for the next publish
            }

            if (_segmenter.Add(sample) is { } segment)
            {
                Write(segment);
                _segmenter.Recycle(segment);
            }
        }

        return ValueTask.CompletedTask;
        #endregion
    }

    /// <inheritdoc/>
    protected override ValueTask WriteEndAsync(bool started, CancellationToken cancellationToken)
    {
        #region lab M5: finish the segmenter and write its last segment; then, when anything was written, End the playlist and write it once more (#EXT-X-ENDLIST) — README §HLS out of the live server
        if (_segmenter?.Finish() is { } last)
        {
            Write(last);
        }

        if (started && _state.HasSegments)
        {
            _state.Playlist.End();
            HlsWriter.WritePlaylist(_folder, _state.Playlist.Snapshot());
        }

        return ValueTask.CompletedTask;
        #endregion
    }

    #region lab-remove
    private void Write(MediaSegment segment)
    {
        string name = HlsWriter.SegmentName(_state.NextSegment++);
        File.WriteAllBytes(Path.Combine(_folder, name), segment.Data.Span);
        var expired = _state.Playlist.Add(name, segment.Duration);
        HlsWriter.WritePlaylist(_folder, _state.Playlist.Snapshot());
        foreach (var old in expired)
        {
            File.Delete(Path.Combine(_folder, old.Uri));
        }

        SegmentsWritten++;
    }
    #endregion
}
