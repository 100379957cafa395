using System.Buffers;

namespace Lab02.RtmpChunks;

/// <summary>
/// The fast way to send one message to many players (README §Performance): cut it into chunks
/// <b>once</b> and give every player the same bytes. Given code.
/// </summary>
/// <remarks>
/// <para>
/// The simple way — each player's <see cref="RtmpSession.SendAsync"/> cuts the message with that
/// player's <see cref="ChunkWriter"/> — does the same work N times for N players, and its header choice
/// (fmt 0/1/2/3, README §Chunk headers) depends on what that one player was sent before, so the bytes
/// differ from player to player.
/// </para>
/// <para>
/// Here every message starts with a <b>type-0 header</b>: it carries every field (timestamp, length,
/// type, message stream id), so it is correct whatever the player's reader remembers (§5.3.1.2.1), and the
/// bytes depend only on the message, the chunk stream, the player's message stream id and the chunk size.
/// The price is a few header bytes per message (11 instead of 1 to 8: under 1 kB/s for a 30 fps stream
/// with audio). The bytes are cut by a new <see cref="ChunkWriter"/> (yours, M1: a chunk stream's first
/// message is type 0) and kept on the message, so the next player with the same key reuses them.
/// </para>
/// <para>
/// A player must send a chunk stream's messages either all this way or all through its session's writer:
/// the session's writer does not see these bytes, and would pick a fmt 1/2/3 header from a stale state.
/// <see cref="RtmpPlayer"/> uses chunk streams 4 and 6 for media only, so they never mix.
/// </para>
/// </remarks>
public static class SharedChunks
{
    /// <summary>One cut of a message: the key it was cut for and its bytes; a short list per message.</summary>
    internal sealed class Cut(int chunkStreamId, uint messageStreamId, int chunkSize, ReadOnlyMemory<byte> bytes, Cut? next)
    {
        public int ChunkStreamId { get; } = chunkStreamId;
        public uint MessageStreamId { get; } = messageStreamId;
        public int ChunkSize { get; } = chunkSize;
        public ReadOnlyMemory<byte> Bytes { get; } = bytes;
        public Cut? Next { get; } = next;
    }

    /// <summary>
    /// The chunks of <paramref name="message"/> on <paramref name="chunkStreamId"/>, on message stream
    /// <paramref name="messageStreamId"/>, cut at <paramref name="chunkSize"/>, the first with a type-0 header.
    /// Cut on the first call for that key, then shared; safe to call from many tasks at once.
    /// </summary>
    public static ReadOnlyMemory<byte> For(RtmpMessage message, int chunkStreamId, uint messageStreamId, int chunkSize)
    {
        ArgumentNullException.ThrowIfNull(message);
        var first = Volatile.Read(ref message.SharedCuts);
        for (var cut = first; cut is not null; cut = cut.Next)
        {
            if (cut.ChunkStreamId == chunkStreamId && cut.MessageStreamId == messageStreamId && cut.ChunkSize == chunkSize)
            {
                return cut.Bytes;
            }
        }

        var bytes = CutOnce(message, chunkStreamId, messageStreamId, chunkSize);
        // Keep it for the next player. When two tasks cut at once one of them is not kept: its bytes are the same.
        Interlocked.CompareExchange(ref message.SharedCuts, new Cut(chunkStreamId, messageStreamId, chunkSize, bytes, first), first);
        return bytes;
    }

    /// <summary>Cuts the message with a new <see cref="ChunkWriter"/>, whose first header on a chunk stream is type 0.</summary>
    private static ReadOnlyMemory<byte> CutOnce(RtmpMessage message, int chunkStreamId, uint messageStreamId, int chunkSize)
    {
        var writer = new ChunkWriter();
        writer.SetChunkSize(chunkSize);
        int length = message.Payload.Length;
        // The payload, the longest first header and, per further chunk, a 3-byte basic header and a 4-byte extended timestamp.
        long estimate = length + ChunkReader.MaxHeaderLength + (7L * (length / chunkSize));
        var output = new ArrayBufferWriter<byte>((int)Math.Min(estimate, int.MaxValue / 2));
        writer.Write(chunkStreamId, new RtmpMessage(message.TypeId, message.Timestamp, messageStreamId, message.Payload), output);
        return output.WrittenMemory;
    }
}
