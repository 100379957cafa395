namespace Lab02.RtmpChunks;

/// <summary>Choices for a server session.</summary>
public sealed class RtmpSessionOptions
{
    /// <summary>The chunk size the server sends with, announced after connect (ffmpeg echoes it).</summary>
    public int ChunkSize { get; init; } = 4096;

    /// <summary>The Window Acknowledgement Size and Set Peer Bandwidth sent after connect (2 500 000, as ffmpeg's server).</summary>
    public uint WindowAcknowledgementSize { get; init; } = 2_500_000;

    /// <summary>
    /// How long the peer may send nothing before the session gives up with an <see cref="RtmpException"/>:
    /// it applies until the peer plays, and all the time to a publisher. A player is never cut for being
    /// quiet: it only sends an Acknowledgement per window (ffmpeg at half of 2.5 MB), which a low-bitrate
    /// stream, or a stream that has no publisher yet, takes minutes to fill (README §Session).
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest message accepted.</summary>
    public int MaxMessageLength { get; init; } = ChunkReader.DefaultMaxMessageLength;
}

/// <summary>
/// The server side of one RTMP connection after the handshake: it reads messages, answers the command
/// flow (README §Commands) and hands audio, video and data messages to the application.
/// </summary>
public sealed class RtmpSession
{
    /// <summary>The chunk stream the server sends command answers on (ffmpeg's server uses 3).</summary>
    public const int CommandChunkStreamId = 3;
    /// <summary>The chunk stream for audio sent to players.</summary>
    public const int AudioChunkStreamId = 4;
    /// <summary>The chunk stream for video and data sent to players.</summary>
    public const int VideoChunkStreamId = 6;

    private readonly Stream _stream;
    private readonly ChunkWriter _writer = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly System.Buffers.ArrayBufferWriter<byte> _sendBuffer = new(4096);
    private readonly AcknowledgementWindow _acknowledgements = new();
    private uint _nextStreamId = 1;

    /// <summary>A session on <paramref name="stream"/> (the socket, after the handshake).</summary>
    public RtmpSession(Stream stream, RtmpSessionOptions? options = null)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        Options = options ?? new RtmpSessionOptions();
    }

    /// <summary>The options.</summary>
    public RtmpSessionOptions Options { get; }

    /// <summary>The application from connect's command object ("live").</summary>
    public string? App { get; private set; }

    /// <summary>The stream name from publish or play, without a query such as "?sign=..." ("test").</summary>
    public string? StreamName { get; private set; }

    /// <summary>The message stream id createStream gave out last (publish and play use it).</summary>
    public uint StreamId { get; private set; }

    /// <summary>True after publish.</summary>
    public bool IsPublishing { get; private set; }

    /// <summary>True after play.</summary>
    public bool IsPlaying { get; private set; }

    /// <summary>Called after publish is answered, with the stream name.</summary>
    public Func<RtmpSession, string, ValueTask>? PublishStarted { get; set; }

    /// <summary>Called when a publisher sends audio (8), video (9) or data (18, with "@setDataFrame" removed).</summary>
    public Func<RtmpSession, RtmpMessage, ValueTask>? MediaReceived { get; set; }

    /// <summary>Called when a publisher ends (FCUnpublish, deleteStream, closeStream, or it disconnects).</summary>
    public Func<RtmpSession, ValueTask>? PublishEnded { get; set; }

    /// <summary>Called after play is answered, with the stream name.</summary>
    public Func<RtmpSession, string, ValueTask>? PlayStarted { get; set; }

    /// <summary>Every command the peer sent, in order (for the try tool and the tests).</summary>
    public Func<RtmpSession, RtmpMessage, ValueTask>? MessageReceived { get; set; }

    /// <summary>The chunk size this session sends with (128, then <see cref="RtmpSessionOptions.ChunkSize"/> once connect is answered).</summary>
    public int SendChunkSize => _writer.ChunkSize;

    /// <summary>Sends a message to the peer on <paramref name="chunkStreamId"/>; safe to call from another task.</summary>
    public async ValueTask SendAsync(int chunkStreamId, RtmpMessage message, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _sendBuffer.ResetWrittenCount(); // one buffer for the session's messages, reused under the lock
            _writer.Write(chunkStreamId, message, _sendBuffer);
            await _stream.WriteAsync(_sendBuffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Sends bytes that are already chunks cut at <see cref="SendChunkSize"/> (<see cref="SharedChunks"/>), in
    /// one write, between whole messages of <see cref="SendAsync"/>; safe to call from another task. Use chunk
    /// streams that <see cref="SendAsync"/> never uses: its writer does not see these bytes.
    /// </summary>
    public async ValueTask SendChunksAsync(ReadOnlyMemory<byte> chunks, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(chunks, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Serves the connection until the peer closes it. Returns normally when it closed between messages.
    /// </summary>
    /// <exception cref="RtmpException">Anything malformed, or a peer that is not a player and sends nothing for longer than <see cref="RtmpSessionOptions.IdleTimeout"/>.</exception>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        throw new NotImplementedException("Lab 02 · M4: read messages with a ChunkStreamReader (an idle timeout per read, except while the peer only plays: a player may stay quiet), acknowledge on the window, answer User Control pings, hand commands to HandleCommandAsync and media to MediaReceived — README §Commands, §Session");
    }

    /// <summary>Answers one command (README §Commands).</summary>
    private async Task HandleCommandAsync(RtmpCommand command, uint messageStreamId, CancellationToken cancellationToken)
    {
        throw new NotImplementedException("Lab 02 · M4: connect → Window Ack Size, Set Peer Bandwidth, Set Chunk Size, _result; createStream → _result with a stream id; publish/play → Stream Begin + onStatus; releaseStream/FCPublish/FCUnpublish → _result; deleteStream/closeStream end a publish; others are ignored — README §Commands");
    }

    /// <summary>The stream name without its query: "test?sign=123-abc" → "test".</summary>
    public static string StreamKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int query = name.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? name : name[..query];
    }
}
