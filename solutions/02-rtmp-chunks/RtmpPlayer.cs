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

    /// <summary>Sends the queued messages until <see cref="Complete"/> or cancellation.</summary>
    public async Task SendQueuedAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (ReferenceEquals(message, EndOfStream))
            {
                // §7.1.7 Stream EOF, then the status ffmpeg and Flash players stop on.
                await Session.SendAsync(ProtocolControl.ChunkStreamId, ProtocolControl.UserControl(new(UserControlEventType.StreamEof, MessageStreamId)), cancellationToken).ConfigureAwait(false);
                var status = new Amf0Object { { "level", "status" }, { "code", "NetStream.Play.UnpublishNotify" }, { "description", "The publisher stopped." } };
                await Session.SendAsync(RtmpSession.CommandChunkStreamId, new RtmpCommand("onStatus", 0, null, status).ToMessage(MessageStreamId), cancellationToken).ConfigureAwait(false);
                continue;
            }

            // Audio on one chunk stream, video and data on another (README §Replay), on the player's message stream.
            int chunkStreamId = message.TypeId == MessageType.Audio ? RtmpSession.AudioChunkStreamId : RtmpSession.VideoChunkStreamId;
            await Session.SendAsync(chunkStreamId, new RtmpMessage(message.TypeId, message.Timestamp, MessageStreamId, message.Payload), cancellationToken).ConfigureAwait(false);
        }
    }
}
