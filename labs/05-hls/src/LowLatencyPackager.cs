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
        throw new NotImplementedException("Lab 05 · M7: as in HlsPackager (skip metadata, the converter, the segmenter made at the first sample — a PartSegmenter with the playlist's PartTarget — tracks it was not made for skipped); write every part it closes, then the segment, if one closed — README §LL-HLS");
    }

    /// <inheritdoc/>
    protected override ValueTask WriteEndAsync(bool started, CancellationToken cancellationToken)
    {
        throw new NotImplementedException("Lab 05 · M7: write what PartSegmenter.Finish closed; then, when anything was written, End the window and write and publish the playlist once more (#EXT-X-ENDLIST, no preload hint) — README §LL-HLS");
    }
}
