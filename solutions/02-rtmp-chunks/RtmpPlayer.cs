using System.Threading.Channels;

namespace Lab02.RtmpChunks;

/// <summary>
/// One player of a <see cref="LiveStream"/>: a bounded queue of messages and a task that sends them on
/// the player's session. Given code. <see cref="Enqueue"/> never waits: when the queue is full the
/// player is too slow for a live stream and is dropped (its session is cancelled), so it cannot stall
/// the publisher or the other players (README §Replay).
/// </summary>
public sealed class RtmpPlayer
{
    /// <summary>The default queue length: several seconds of a 30 fps stream with audio.</summary>
    public const int DefaultQueueLength = 4096;

    /// <summary>The most bytes of small messages gathered into one write (a large message is written on its own).</summary>
    private const int BatchLength = 64 * 1024;

    /// <summary>How long a busy player lets messages gather before its next write (README §Performance).</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(1);

    private static readonly RtmpMessage EndOfStream = new(0, 0, 0, ReadOnlyMemory<byte>.Empty);

    private readonly Channel<RtmpMessage> _queue;
    private readonly CancellationTokenSource _dropped;

    /// <summary>A player on <paramref name="session"/>; <paramref name="drop"/> is cancelled when it is too slow.</summary>
    public RtmpPlayer(RtmpSession session, CancellationTokenSource drop, int queueLength = DefaultQueueLength)
    {
        Session = session ?? throw new ArgumentNullException(nameof(session));
        _dropped = drop ?? throw new ArgumentNullException(nameof(drop));
        MessageStreamId = session.StreamId;
        _queue = Channel.CreateBounded<RtmpMessage>(new BoundedChannelOptions(queueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>The player's session.</summary>
    public RtmpSession Session { get; }

    /// <summary>The message stream the player plays on (the id its createStream got).</summary>
    public uint MessageStreamId { get; }

    /// <summary>
    /// True (the default): media goes out the fast way, as chunks that are the same bytes for every player,
    /// sent in batches (<see cref="SharedChunks"/>); false: each message is cut by the session's writer and written alone.
    /// </summary>
    public bool SharesChunks { get; init; } = true;

    /// <summary>True once the player was dropped for a full queue.</summary>
    public bool WasTooSlow { get; private set; }

    /// <summary>Queues a media or data message; drops the player when its queue is full.</summary>
    public void Enqueue(RtmpMessage message)
    {
        if (!_queue.Writer.TryWrite(message))
        {
            WasTooSlow = true;
            _queue.Writer.TryComplete();
            _dropped.Cancel();
        }
    }

    /// <summary>Queues the end of the publish: the player gets Stream EOF and onStatus NetStream.Play.UnpublishNotify.</summary>
    public void EnqueueEndOfStream() => Enqueue(EndOfStream);

    /// <summary>Stops the sending task (the player left).</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>
    /// Sends the queued messages until <see cref="Complete"/> or cancellation: the fast way when
    /// <see cref="SharesChunks"/> (the default), else one by one.
    /// </summary>
    public Task SendQueuedAsync(CancellationToken cancellationToken) =>
        SharesChunks ? SendBatchedAsync(cancellationToken) : SendOneByOneAsync(cancellationToken);

    /// <summary>The simple way: each message cut by the session's own <see cref="ChunkWriter"/> and written on its own.</summary>
    private async Task SendOneByOneAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (ReferenceEquals(message, EndOfStream))
            {
                await SendEndOfStreamAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            // Audio on one chunk stream, video and data on another (README §Replay), on the player's message stream.
            await Session.SendAsync(ChunkStreamFor(message), new RtmpMessage(message.TypeId, message.Timestamp, MessageStreamId, message.Payload), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The fast way (README §Performance): whatever is queued goes out in as few writes as possible. Every
    /// message gets a type-0 header (<see cref="SharedChunks"/>), so its chunks are the same bytes for every
    /// player: a small message is written straight into this player's send buffer (no cut kept, nothing
    /// allocated), a large one (a keyframe) is cut once for all players and written from the shared bytes.
    /// </summary>
    private async Task SendBatchedAsync(CancellationToken cancellationToken)
    {
        var reader = _queue.Reader;
        byte[] batch = System.Buffers.ArrayPool<byte>.Shared.Rent(BatchLength);
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                int used = 0;
                int count = 0;
                while (reader.TryRead(out var message))
                {
                    count++;
                    if (ReferenceEquals(message, EndOfStream))
                    {
                        used = await FlushAsync(batch, used, cancellationToken).ConfigureAwait(false);
                        await SendEndOfStreamAsync(cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    int chunkStreamId = ChunkStreamFor(message);
                    int chunkSize = Session.SendChunkSize;
                    int length = SharedChunks.LengthOf(message, chunkStreamId, chunkSize);
                    if (length > batch.Length - used || length > batch.Length / 2)
                    {
                        used = await FlushAsync(batch, used, cancellationToken).ConfigureAwait(false); // what came before goes first
                    }

                    if (length > batch.Length / 2)
                    {
                        // A keyframe: copying it for each player would cost more than cutting it once for all of them.
                        var chunks = SharedChunks.For(message, chunkStreamId, MessageStreamId, chunkSize);
                        await Session.SendChunksAsync(chunks, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        used += SharedChunks.WriteTo(batch.AsSpan(used), message, chunkStreamId, MessageStreamId, chunkSize);
                    }
                }

                await FlushAsync(batch, used, cancellationToken).ConfigureAwait(false); // the queue is empty: send what is gathered now
                if (count > 1)
                {
                    // Merged write: more than one message was waiting, so the publisher sends faster than real time
                    // (a burst, or a file pushed without -re). Let the next ones gather for a moment instead of
                    // waking this task and writing once per message; a real-time stream (one message at a time) never waits.
                    await Task.Delay(Linger, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(batch);
        }
    }

    /// <summary>Writes the gathered bytes, if any; returns 0, the new fill of the buffer.</summary>
    private async ValueTask<int> FlushAsync(byte[] batch, int used, CancellationToken cancellationToken)
    {
        if (used > 0)
        {
            await Session.SendChunksAsync(batch.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>§7.1.7 Stream EOF, then the status ffmpeg and Flash players stop on.</summary>
    private async Task SendEndOfStreamAsync(CancellationToken cancellationToken)
    {
        await Session.SendAsync(ProtocolControl.ChunkStreamId, ProtocolControl.UserControl(new(UserControlEventType.StreamEof, MessageStreamId)), cancellationToken).ConfigureAwait(false);
        var status = new Amf0Object { { "level", "status" }, { "code", "NetStream.Play.UnpublishNotify" }, { "description", "The publisher stopped." } };
        await Session.SendAsync(RtmpSession.CommandChunkStreamId, new RtmpCommand("onStatus", 0, null, status).ToMessage(MessageStreamId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Audio on chunk stream 4, video and data on 6 (README §Replay).</summary>
    private static int ChunkStreamFor(RtmpMessage message) =>
        message.TypeId == MessageType.Audio ? RtmpSession.AudioChunkStreamId : RtmpSession.VideoChunkStreamId;
}
