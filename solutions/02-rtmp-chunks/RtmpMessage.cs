using System.Globalization;

namespace Lab02.RtmpChunks;

/// <summary>
/// One RTMP message (§5.3.1.2 / §6.1): what the chunk stream carries, after reassembly.
/// The payload is the message's bytes only; the chunk headers that carried it are gone.
/// </summary>
public sealed class RtmpMessage
{
    /// <summary>Creates a message.</summary>
    public RtmpMessage(byte typeId, uint timestamp, uint messageStreamId, ReadOnlyMemory<byte> payload)
    {
        TypeId = typeId;
        Timestamp = timestamp;
        MessageStreamId = messageStreamId;
        Payload = payload;
    }

    /// <summary>The message type id (<see cref="MessageType"/>).</summary>
    public byte TypeId { get; }

    /// <summary>The absolute timestamp in milliseconds (32 bits; it wraps after about 49.7 days).</summary>
    public uint Timestamp { get; }

    /// <summary>The message stream id: 0 for the connection (control messages, connect), 1.. for streams from createStream.</summary>
    public uint MessageStreamId { get; }

    /// <summary>The message's bytes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The chunk stream the message arrived on (set by the reader; 0 when the message was made locally).</summary>
    public int ChunkStreamId { get; init; }

    /// <summary>The message cut into chunks for players, once per key (<see cref="Lab02.RtmpChunks.SharedChunks"/>).</summary>
    internal SharedChunks.Cut? SharedCuts;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{MessageType.NameOf(TypeId)} csid={ChunkStreamId} msid={MessageStreamId} ts={Timestamp} len={Payload.Length}");
}
