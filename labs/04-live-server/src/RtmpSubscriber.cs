using System.Buffers;
using Lab02.RtmpChunks;

namespace Lab04.LiveServer;

/// <summary>An RTMP player (ffmpeg -i rtmp://…, OBS's media source): tags go out as RTMP messages on its connection.</summary>
public sealed class RtmpSubscriber : Subscriber
{
    private readonly RtmpConnection _connection;
    private readonly uint _messageStreamId;

    /// <summary>A player on <paramref name="connection"/>, playing on message stream <paramref name="messageStreamId"/>.</summary>
    public RtmpSubscriber(RtmpConnection connection, uint messageStreamId, LiveServerOptions options)
        : base(options, (connection ?? throw new ArgumentNullException(nameof(connection))).Remote + " rtmp")
    {
        _connection = connection;
        _messageStreamId = messageStreamId;
    }

    /// <inheritdoc />
    protected override async ValueTask WriteStartAsync(CancellationToken cancellationToken)
    {
        // RTMP 1.0 §7.1.7 Stream Begin, then the status a player starts on (§7.2.2.1).
        await _connection.SendAsync(ProtocolControl.ChunkStreamId, ProtocolControl.UserControl(new(UserControlEventType.StreamBegin, _messageStreamId)), cancellationToken).ConfigureAwait(false);
        await _connection.SendStatusAsync(_messageStreamId, "status", "NetStream.Play.Start", $"Playing {Channel?.Key}.", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The simple way would be one <see cref="RtmpConnection.SendAsync"/> per tag: the connection's writer cuts
    /// the message into chunks for this player alone, and every tag is its own write. Here (Lab 02's fast way,
    /// <see cref="SharedChunks"/>) each message is cut once for every player that plays it at the same timestamp
    /// on the same message stream (<see cref="LiveTag.SharedMessage"/>), each chunk stream's message starting
    /// with a type-0 header, and the batch's chunks go out in one write.
    /// </remarks>
    protected override async ValueTask WriteTagsAsync(IReadOnlyList<(LiveTag Tag, uint Timestamp)> tags, CancellationToken cancellationToken)
    {
        int chunkSize = _connection.SendChunkSize;
        var cuts = new ReadOnlyMemory<byte>[tags.Count];
        int length = 0;
        for (int i = 0; i < tags.Count; i++)
        {
            var (tag, timestamp) = tags[i];
            // Audio on one chunk stream, video and data on another, on the player's message stream (Lab 02 README §Replay).
            int chunkStreamId = tag.Type == Lab03.Flv.FlvTagType.Audio ? RtmpConnection.AudioChunkStreamId : RtmpConnection.VideoChunkStreamId;
            cuts[i] = SharedChunks.For(tag.SharedMessage(_messageStreamId, timestamp), chunkStreamId, _messageStreamId, chunkSize);
            length += cuts[i].Length;
        }

        if (cuts.Length == 1)
        {
            await _connection.SendChunksAsync(cuts[0], cancellationToken).ConfigureAwait(false); // no copy
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int at = 0;
            foreach (var cut in cuts)
            {
                cut.Span.CopyTo(buffer.AsSpan(at));
                at += cut.Length;
            }

            await _connection.SendChunksAsync(buffer.AsMemory(0, at), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    protected override async ValueTask WriteEndAsync(bool started, CancellationToken cancellationToken)
    {
        if (!started)
        {
            await _connection.SendStatusAsync(_messageStreamId, "error", "NetStream.Play.StreamNotFound", $"{Channel?.Key} did not go live within {Options.PublisherWait.TotalSeconds:0.#} s.", cancellationToken).ConfigureAwait(false);
            return;
        }

        throw new NotImplementedException("Lab 04 · M4: User Control Stream EOF (RTMP 1.0 §7.1.7) with the message stream id, then onStatus NetStream.Play.UnpublishNotify — README §Clean ends");
    }
}
