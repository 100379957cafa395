using System.Buffers;
using Lab02.RtmpChunks;

namespace Lab04.LiveServer;

/// <summary>
/// The server side of one RTMP connection after the handshake, built from Lab 02's parts (the chunk
/// reader and writer, AMF0, commands, protocol control). It is Lab 02's command flow with the decisions
/// of a live server (README §Registry): publish answers NetStream.Publish.Start or, when the stream already
/// has a publisher, NetStream.Publish.BadName; play waits for the stream to go live and then answers
/// NetStream.Play.Start, or NetStream.Play.StreamNotFound when it does not in time.
/// </summary>
public sealed class RtmpConnection
{
    /// <summary>The chunk stream command answers go on (ffmpeg's server uses 3).</summary>
    public const int CommandChunkStreamId = 3;
    /// <summary>The chunk stream audio goes to players on.</summary>
    public const int AudioChunkStreamId = 4;
    /// <summary>The chunk stream video and data go to players on.</summary>
    public const int VideoChunkStreamId = 6;

    private readonly Stream _stream;
    private readonly StreamRegistry _registry;
    private readonly LiveServerOptions _options;
    private readonly ChunkWriter _writer = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly AcknowledgementWindow _acknowledgements = new();
    private readonly ArrayBufferWriter<byte> _output = new();
    private LiveChannel? _publishing;
    private RtmpSubscriber? _playing;
    private uint _nextStreamId = 1;

    /// <summary>A connection on <paramref name="stream"/> (after the handshake) to the streams of <paramref name="registry"/>.</summary>
    public RtmpConnection(Stream stream, StreamRegistry registry, LiveServerOptions options, string remote)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Remote = remote;
    }

    /// <summary>The peer's address.</summary>
    public string Remote { get; }

    /// <summary>connect's app ("live").</summary>
    public string? App { get; private set; }

    /// <summary>Logs one line (refusals, ends).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Sends one message; safe from any task.</summary>
    public async ValueTask SendAsync(int chunkStreamId, RtmpMessage message, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _output.ResetWrittenCount();
            _writer.Write(chunkStreamId, message, _output);
            await _stream.WriteAsync(_output.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The chunk size this connection sends with: 128 (RTMP 1.0 §5.4.1) until connect announces <see cref="LiveServerOptions.ChunkSize"/>.</summary>
    public int SendChunkSize { get; private set; } = 128;

    /// <summary>
    /// Sends bytes that are already chunks cut at <see cref="SendChunkSize"/> (<see cref="SharedChunks"/>) in one
    /// write, between whole messages of <see cref="SendAsync"/>; safe from any task. Only for chunk streams
    /// <see cref="SendAsync"/> never uses (audio 4, video 6): its writer does not see these bytes.
    /// </summary>
    public async ValueTask SendChunksAsync(ReadOnlyMemory<byte> chunks, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(chunks, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends an onStatus on <paramref name="messageStreamId"/>.</summary>
    public ValueTask SendStatusAsync(uint messageStreamId, string level, string code, string description, CancellationToken cancellationToken) =>
        SendAsync(CommandChunkStreamId, new RtmpCommand("onStatus", 0, null,
            new Amf0Object { { "level", level }, { "code", code }, { "description", description } }).ToMessage(messageStreamId), cancellationToken);

    /// <summary>Serves the connection until the peer leaves, a play ends, or <paramref name="cancellationToken"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = new ChunkStreamReader(_stream, new ChunkReader());
        using var playEnded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task playing = Task.CompletedTask;
        try
        {
            while (true)
            {
                RtmpMessage? message;
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(playEnded.Token))
                {
                    if (_playing is null)
                    {
                        idle.CancelAfter(_options.IdleTimeout); // a player may stay quiet; nobody else (README §Registry)
                    }

                    try
                    {
                        message = await reader.ReadMessageAsync(idle.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (playEnded.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        return; // the play ended cleanly (the subscriber's task finished)
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new RtmpException("session", reader.BytesReceived, $"The peer sent nothing for {_options.IdleTimeout.TotalSeconds:0.#} s.");
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

                switch (message.TypeId)
                {
                    case MessageType.WindowAcknowledgementSize:
                        _acknowledgements.WindowSize = ProtocolControl.ReadUInt32(message, "Window Acknowledgement Size", reader.BytesReceived);
                        break;
                    case MessageType.UserControl when ProtocolControl.ReadUserControl(message) is { Type: UserControlEventType.PingRequest } ping:
                        await SendAsync(ProtocolControl.ChunkStreamId, ProtocolControl.UserControl(new(UserControlEventType.PingResponse, ping.Value)), cancellationToken).ConfigureAwait(false);
                        break;
                    case MessageType.CommandAmf0 or MessageType.CommandAmf3:
                        var command = RtmpCommand.Parse(message);
                        if (command.Name == "play" && _playing is null)
                        {
                            await PlayAsync(command, message.MessageStreamId != 0 ? message.MessageStreamId : _nextStreamId - 1, cancellationToken).ConfigureAwait(false);
                            if (_playing is { } subscriber)
                            {
                                playing = RunPlayerAsync(subscriber, playEnded, cancellationToken);
                            }
                            else
                            {
                                return; // StreamNotFound was sent: the connection ends
                            }
                        }
                        else
                        {
                            await HandleCommandAsync(command, message.MessageStreamId, cancellationToken).ConfigureAwait(false);
                        }

                        break;
                    case MessageType.Audio or MessageType.Video or MessageType.DataAmf0 when _publishing is not null:
                        PublishMedia(message);
                        break;
                    default:
                        break;
                }
            }
        }
        finally
        {
            EndPublish();
            if (_playing is { } subscriber)
            {
                subscriber.Close();
                try
                {
                    await playing.ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
                {
                    // the connection is gone
                }
            }
        }
    }

    private async Task RunPlayerAsync(RtmpSubscriber subscriber, CancellationTokenSource playEnded, CancellationToken cancellationToken)
    {
        try
        {
            await subscriber.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _registry.Unsubscribe(subscriber);
            await playEnded.CancelAsync().ConfigureAwait(false); // ends the read loop: the play is over
        }
    }

    /// <summary>connect, createStream, publish, the FC* calls, deleteStream.</summary>
    private async Task HandleCommandAsync(RtmpCommand command, uint messageStreamId, CancellationToken cancellationToken)
    {
        switch (command.Name)
        {
            case "connect":
                App = (command.CommandObject as Amf0Object)?.GetString("app");
                await SendAsync(ProtocolControl.ChunkStreamId, ProtocolControl.WindowAcknowledgementSize(2_500_000), cancellationToken).ConfigureAwait(false);
                await SendAsync(ProtocolControl.ChunkStreamId, ProtocolControl.SetPeerBandwidth(2_500_000, PeerBandwidthLimit.Dynamic), cancellationToken).ConfigureAwait(false);
                await SendAsync(ProtocolControl.ChunkStreamId, ProtocolControl.SetChunkSize(_options.ChunkSize), cancellationToken).ConfigureAwait(false);
                _writer.SetChunkSize(_options.ChunkSize);
                SendChunkSize = _options.ChunkSize;
                await SendAsync(CommandChunkStreamId, new RtmpCommand("_result", command.TransactionId,
                    new Amf0Object { { "fmsVer", "FMS/3,0,1,123" }, { "capabilities", 31.0 } },
                    new Amf0Object { { "level", "status" }, { "code", "NetConnection.Connect.Success" }, { "description", "Connection succeeded." }, { "objectEncoding", 0.0 } }).ToMessage(0), cancellationToken).ConfigureAwait(false);
                break;
            case "releaseStream" or "FCPublish" or "FCUnpublish":
                await SendAsync(CommandChunkStreamId, new RtmpCommand("_result", command.TransactionId, null, Amf0Undefined.Value).ToMessage(0), cancellationToken).ConfigureAwait(false);
                if (command.Name == "FCUnpublish")
                {
                    EndPublish();
                }

                break;
            case "createStream":
                uint id = _nextStreamId++;
                await SendAsync(CommandChunkStreamId, new RtmpCommand("_result", command.TransactionId, null, (double)id).ToMessage(0), cancellationToken).ConfigureAwait(false);
                break;
            case "publish":
                await PublishAsync(command, messageStreamId != 0 ? messageStreamId : _nextStreamId - 1, cancellationToken).ConfigureAwait(false);
                break;
            case "deleteStream" or "closeStream":
                EndPublish();
                break;
            default:
                break; // _checkbw, getStreamLength ...: ignored, as real servers do
        }
    }

    /// <summary>The query of a publish or play's stream name ("sign=…" of "test?sign=…"), or null.</summary>
    public static string? QueryOf(RtmpCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        string name = command.Arguments.FirstOrDefault() as string ?? "";
        int query = name.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? null : name[(query + 1)..];
    }

    /// <summary>
    /// With <see cref="LiveServerOptions.AuthSecret"/> set and <paramref name="required"/>: checks the command's
    /// signature, and when it is not valid answers onStatus error <paramref name="refusal"/> and logs why (README §Authentication).
    /// </summary>
    private async Task<bool> AuthorizeAsync(RtmpCommand command, string key, bool required, string refusal, uint messageStreamId, CancellationToken cancellationToken)
    {
        if (_options.AuthSecret is not { } secret || !required)
        {
            return true;
        }

        var check = SignedUrl.Verify("/" + key, QueryOf(command), secret, _options.Clock.GetUtcNow());
        if (check == SignCheck.Valid)
        {
            return true;
        }

        Log?.Invoke($"{Remote}: {command.Name} {key} refused: signature {check} ({refusal})");
        await SendStatusAsync(messageStreamId, "error", refusal, $"{command.Name} {key}: the signature is {check.ToString().ToLowerInvariant()}.", cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>The stream key "app/name" of a publish or play, without the name's query ("test?sign=…").</summary>
    public string StreamKeyOf(RtmpCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        string name = command.Arguments.FirstOrDefault() as string ?? "";
        int query = name.IndexOf('?', StringComparison.Ordinal);
        return $"{App}/{(query < 0 ? name : name[..query])}";
    }

    private async Task PublishAsync(RtmpCommand command, uint messageStreamId, CancellationToken cancellationToken)
    {
        string key = StreamKeyOf(command);
        if (!await AuthorizeAsync(command, key, _options.AuthPublish, "NetStream.Publish.Unauthorized", messageStreamId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        throw new NotImplementedException("Lab 04 · M1: a key StreamKey.TryParse accepts, and TryStartPublishing on the registry (this connection is the publisher); refused → onStatus error NetStream.Publish.BadName (and a Log line); else remember the channel in _publishing, Stream Begin, onStatus status NetStream.Publish.Start — README §Registry");
    }

    private async Task PlayAsync(RtmpCommand command, uint messageStreamId, CancellationToken cancellationToken)
    {
        string key = StreamKeyOf(command);
        if (!await AuthorizeAsync(command, key, _options.AuthPlay, "NetStream.Play.Unauthorized", messageStreamId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        throw new NotImplementedException("Lab 04 · M1: a key StreamKey.TryParse refuses → onStatus error NetStream.Play.StreamNotFound (and a Log line); else _playing = a new RtmpSubscriber, subscribed to the key in the registry (it says NetStream.Play.Start when the first tag comes, StreamNotFound when none comes in time) — README §Registry");
    }

    private void PublishMedia(RtmpMessage message)
    {
        if (message.TypeId == MessageType.DataAmf0)
        {
            // "@setDataFrame" tells the server to keep what follows ("onMetaData", {...}) for players.
            var prefix = Amf0.Encode("@setDataFrame");
            if (!message.Payload.Span.StartsWith(prefix))
            {
                return; // other data messages are not part of the stream players get
            }

            message = new RtmpMessage(message.TypeId, message.Timestamp, message.MessageStreamId, message.Payload[prefix.Length..]);
        }

        _publishing!.Publish(this, LiveTag.FromMessage(message));
    }

    private void EndPublish()
    {
        if (_publishing is { } channel)
        {
            _publishing = null;
            _registry.StopPublishing(channel, this);
            Log?.Invoke($"{Remote}: stopped publishing {channel.Key}");
        }
    }
}
