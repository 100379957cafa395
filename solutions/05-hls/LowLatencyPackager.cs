using Lab04.LiveServer;

namespace Lab05.Hls;

/// <summary>
/// The low-latency HLS packager of one live stream: like <see cref="HlsPackager"/> a subscriber of the Lab 04 live
/// server, but it cuts every segment into parts with a <see cref="PartSegmenter"/> and writes each part
/// (<c>segN.K.ts</c>) the moment it is closed, lists it in the stream's <see cref="LowLatencyPlaylist"/>, rewrites
/// <c>index.m3u8</c> and publishes the playlist to the HTTP server, which wakes the blocking reloads waiting for it.
/// </summary>
public sealed class LowLatencyPackager : Subscriber
{
    private readonly string _folder;
    private readonly HlsStreamState _state;
    private readonly LowLatencyPlaylist _playlist;
    private readonly double _hlsTime;
    private readonly double _maxDuration;
    private readonly FlvSampleConverter _converter = new();
    private PartSegmenter? _parts;

    /// <summary>Creates the packager of one stream.</summary>
    /// <param name="options">The live server's options (queue bounds).</param>
    /// <param name="folder">Where the stream's playlist, segments and parts go.</param>
    /// <param name="state">The stream's playlists and segment numbering, kept across publishes; it must have parts.</param>
    /// <param name="hlsTime">The target segment duration (seconds).</param>
    /// <param name="maxDuration">The longest segment when keyframes are late (seconds).</param>
    public LowLatencyPackager(LiveServerOptions options, string folder, HlsStreamState state, double hlsTime, double maxDuration)
        : base(options, "ll-hls " + folder)
    {
        _folder = folder;
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _playlist = state.LowLatency ?? throw new ArgumentException("The stream's state has no low-latency playlist (a part target of 0).", nameof(state));
        _hlsTime = hlsTime;
        _maxDuration = maxDuration;
    }

    /// <summary>Parts written by this packager.</summary>
    public int PartsWritten { get; private set; }

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
        #region lab M7: as in HlsPackager (skip metadata, the converter, the segmenter made at the first sample — a PartSegmenter with the playlist's PartTarget — tracks it was not made for skipped); write every part it closes, then the segment, if one closed — README §LL-HLS
        foreach (var (tag, timestamp) in tags)
        {
            if (tag.IsMetadata || _converter.AddReusingBuffer(tag.Type, timestamp, tag.Data.Span, 0) is not { } sample)
            {
                continue;
            }

            _parts ??= new PartSegmenter(_converter.Video is not null, _converter.Audio is not null, _hlsTime, _maxDuration, _playlist.PartTarget);
            var muxer = _parts.Segmenter.Muxer;
            if ((sample.Track == TrackKind.Video && !muxer.HasVideo) || (sample.Track == TrackKind.Audio && !muxer.HasAudio))
            {
                continue;
            }

            Write(_parts.Add(sample));
        }

        return ValueTask.CompletedTask;
        #endregion
    }

    /// <inheritdoc/>
    protected override ValueTask WriteEndAsync(bool started, CancellationToken cancellationToken)
    {
        #region lab M7: write what PartSegmenter.Finish closed; then, when anything was written, End the window and write and publish the playlist once more (#EXT-X-ENDLIST, no preload hint) — README §LL-HLS
        if (_parts is not null)
        {
            Write(_parts.Finish());
        }

        if (started && _state.HasSegments)
        {
            _state.Playlist.End();
            WritePlaylist();
        }

        return ValueTask.CompletedTask;
        #endregion
    }

    #region lab-remove
    private void Write(PartsClosed closed)
    {
        foreach (var part in closed.Parts)
        {
            string name = LowLatencyPlaylist.PartName(_playlist.OpenSegment, part.Index);
            File.WriteAllBytes(Path.Combine(_folder, name), part.Data.Span);
            _playlist.AddPart(new PlaylistPart(name, part.Duration, part.Independent));
            PartsWritten++;
        }

        if (closed.Segment is { } segment)
        {
            string name = HlsWriter.SegmentName(_state.NextSegment++);
            File.WriteAllBytes(Path.Combine(_folder, name), segment.Data.Span);
            _parts!.Segmenter.Recycle(segment); // its bytes are on disk: the next segment is written into its buffer (§Performance)
            foreach (var old in _playlist.AddSegment(name, segment.Duration))
            {
                File.Delete(Path.Combine(_folder, old.Uri));
                string stem = Path.GetFileNameWithoutExtension(old.Uri);
                foreach (var part in Directory.GetFiles(_folder, stem + ".*.ts"))
                {
                    File.Delete(part);
                }
            }

            SegmentsWritten++;
        }

        if (closed.Parts.Count > 0 || closed.Segment is not null)
        {
            WritePlaylist();
        }
    }

    private void WritePlaylist()
    {
        string path = Path.Combine(_folder, HlsWriter.PlaylistName);
        File.WriteAllText(path + ".tmp", _playlist.Write());
        File.Move(path + ".tmp", path, overwrite: true);
        _state.Publish();
    }
    #endregion
}
