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
        #region lab M4: read messages with a ChunkStreamReader (an idle timeout per read, except while the peer only plays: a player may stay quiet), acknowledge on the window, answer User Control pings, hand commands to HandleCommandAsync and media to MediaReceived — README §Commands, §Session
        var reader = new ChunkStreamReader(_stream, new ChunkReader(Options.MaxMessageLength));
        try
        {
            while (true)
            {
                RtmpMessage? message;
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    // A player sends almost nothing after play (an Acknowledgement per window): it waits for
                    // the publisher and then only receives. Everyone else must keep talking (README §Session).
                    if (!IsPlaying || IsPublishing)
                    {
                        idle.CancelAfter(Options.IdleTimeout);
                    }

                    try
                    {
                        message = await reader.ReadMessageAsync(idle.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new RtmpException("session", reader.BytesReceived,
                            $"The peer sent nothing for {Options.IdleTimeout.TotalSeconds:0.#} s (at offset {reader.BytesReceived}) {(IsPublishing ? "while publishing" : "and neither published nor played")}: closing the session (README §Session).");
                    }
                }

                if (message is null)
                {
                    return;
                }

                if (_acknowledgements.ShouldAcknowledge(reader.BytesReceived, out uint sequence))
                {
                    await SendAsync(ProtocolControl.ChunkStreamId, ProtocolControl.Acknowledgement(sequence), cancellationToken).ConfigureAwait(false);
                }

                if (MessageReceived is { } seen)
                {
                    await seen(this, message).ConfigureAwait(false);
                }

                switch (message.TypeId)
                {
                    case MessageType.WindowAcknowledgementSize:
                        _acknowledgements.WindowSize = ProtocolControl.ReadUInt32(message, "Window Acknowledgement Size", reader.BytesReceived);
                        break;
                    case MessageType.UserControl:
                        var control = ProtocolControl.ReadUserControl(message);
                        if (control.Type == UserControlEventType.PingRequest)
                        {
                            await SendAsync(ProtocolControl.ChunkStreamId, ProtocolControl.UserControl(new(UserControlEventType.PingResponse, control.Value)), cancellationToken).ConfigureAwait(false);
                        }

                        break;
                    case MessageType.CommandAmf0 or MessageType.CommandAmf3:
                        await HandleCommandAsync(RtmpCommand.Parse(message), message.MessageStreamId, cancellationToken).ConfigureAwait(false);
                        break;
                    case MessageType.Audio or MessageType.Video or MessageType.DataAmf0 when IsPublishing:
                        await DeliverMediaAsync(message).ConfigureAwait(false);
                        break;
                    default:
                        break; // Set Chunk Size and Abort are applied by the reader; the rest (Acknowledgement, shared objects ...) needs no answer.
                }
            }
        }
        finally
        {
            if (IsPublishing)
            {
                IsPublishing = false;
                if (PublishEnded is { } ended)
                {
                    await ended(this).ConfigureAwait(false);
                }
            }
        }
        #endregion
    }

    /// <summary>Answers one command (README §Commands).</summary>
    private async Task HandleCommandAsync(RtmpCommand command, uint messageStreamId, CancellationToken cancellationToken)
    {
        #region lab M4: connect → Window Ack Size, Set Peer Bandwidth, Set Chunk Size, _result; createStream → _result with a stream id; publish/play → Stream Begin + onStatus; releaseStream/FCPublish/FCUnpublish → _result; deleteStream/closeStream end a publish; others are ignored — README §Commands
        switch (command.Name)
        {
            case "connect":
                App = (command.CommandObject as Amf0Object)?.GetString("app");
                await SendAsync(ProtocolControl.ChunkStreamId, ProtocolControl.WindowAcknowledgementSize(Options.WindowAcknowledgementSize), cancellationToken).ConfigureAwait(false);
                await SendAsync(ProtocolControl.ChunkStreamId, ProtocolControl.SetPeerBandwidth(Options.WindowAcknowledgementSize, PeerBandwidthLimit.Dynamic), cancellationToken).ConfigureAwait(false);
                await SendAsync(ProtocolControl.ChunkStreamId, ProtocolControl.SetChunkSize(Options.ChunkSize), cancellationToken).ConfigureAwait(false);
                _writer.SetChunkSize(Options.ChunkSize); // from the next message on (§5.4.1)
                await ReplyAsync(new RtmpCommand("_result", command.TransactionId,
                    new Amf0Object { { "fmsVer", "FMS/3,0,1,123" }, { "capabilities", 31.0 } },
                    Status("status", "NetConnection.Connect.Success", "Connection succeeded.", objectEncoding: true)), 0, cancellationToken).ConfigureAwait(false);
                break;
            case "releaseStream" or "FCPublish" or "FCUnpublish":
                await ReplyAsync(new RtmpCommand("_result", command.TransactionId, null, Amf0Undefined.Value), 0, cancellationToken).ConfigureAwait(false);
                if (command.Name == "FCUnpublish")
                {
                    await EndPublishAsync().ConfigureAwait(false);
                }

                break;
            case "createStream":
                StreamId = _nextStreamId++;
                await ReplyAsync(new RtmpCommand("_result", command.TransactionId, null, (double)StreamId), 0, cancellationToken).ConfigureAwait(false);
                break;
            case "publish" or "play":
                StreamName = StreamKey(command.Arguments.FirstOrDefault() as string ?? "");
                uint id = messageStreamId != 0 ? messageStreamId : StreamId;
                await SendAsync(ProtocolControl.ChunkStreamId, ProtocolControl.UserControl(new(UserControlEventType.StreamBegin, id)), cancellationToken).ConfigureAwait(false);
                bool publish = command.Name == "publish";
                await ReplyAsync(new RtmpCommand("onStatus", 0, null,
                    Status("status", publish ? "NetStream.Publish.Start" : "NetStream.Play.Start", $"{(publish ? "Publishing" : "Playing")} {StreamName}.", objectEncoding: false)), id, cancellationToken).ConfigureAwait(false);
                if (publish)
                {
                    IsPublishing = true;
                    if (PublishStarted is { } started)
                    {
                        await started(this, StreamName).ConfigureAwait(false);
                    }
                }
                else
                {
                    IsPlaying = true;
                    if (PlayStarted is { } playing)
                    {
                        await playing(this, StreamName).ConfigureAwait(false);
                    }
                }

                break;
            case "deleteStream" or "closeStream":
                await EndPublishAsync().ConfigureAwait(false);
                break;
            default:
                break; // _checkbw, getStreamLength ...: real servers ignore them, and ffmpeg treats an _error to some calls as fatal
        }
        #endregion
    }

    /// <summary>The stream name without its query: "test?sign=123-abc" → "test".</summary>
    public static string StreamKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int query = name.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? name : name[..query];
    }

    #region lab-remove
    private ValueTask ReplyAsync(RtmpCommand reply, uint messageStreamId, CancellationToken cancellationToken) =>
        SendAsync(CommandChunkStreamId, reply.ToMessage(messageStreamId), cancellationToken);

    private static Amf0Object Status(string level, string code, string description, bool objectEncoding)
    {
        var status = new Amf0Object { { "level", level }, { "code", code }, { "description", description } };
        if (objectEncoding)
        {
            status.Add("objectEncoding", 0.0);
        }

        return status;
    }

    private async ValueTask DeliverMediaAsync(RtmpMessage message)
    {
        if (message.TypeId == MessageType.DataAmf0)
        {
            // "@setDataFrame" is an instruction to the server: store what follows ("onMetaData", {...}) for players.
            var payload = message.Payload;
            var prefix = Amf0.Encode("@setDataFrame");
            if (payload.Span.StartsWith(prefix))
            {
                message = new RtmpMessage(message.TypeId, message.Timestamp, message.MessageStreamId, payload[prefix.Length..]) { ChunkStreamId = message.ChunkStreamId };
            }
        }

        if (MediaReceived is { } media)
        {
            await media(this, message).ConfigureAwait(false);
        }
    }

    private async ValueTask EndPublishAsync()
    {
        if (IsPublishing)
        {
            IsPublishing = false;
            if (PublishEnded is { } ended)
            {
                await ended(this).ConfigureAwait(false);
            }
        }
    }
    #endregion
}
