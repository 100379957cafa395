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
    protected override async ValueTask WriteTagsAsync(IReadOnlyList<(LiveTag Tag, uint Timestamp)> tags, CancellationToken cancellationToken)
    {
        foreach (var (tag, timestamp) in tags)
        {
            // Audio on one chunk stream, video and data on another, on the player's message stream (Lab 02 README §Replay).
            int chunkStreamId = tag.Type == Lab03.Flv.FlvTagType.Audio ? RtmpConnection.AudioChunkStreamId : RtmpConnection.VideoChunkStreamId;
            await _connection.SendAsync(chunkStreamId, tag.ToMessage(_messageStreamId, timestamp), cancellationToken).ConfigureAwait(false);
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
