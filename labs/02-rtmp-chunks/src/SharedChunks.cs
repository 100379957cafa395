using System.Buffers.Binary;

namespace Lab02.RtmpChunks;

/// <summary>
/// The fast way to send one message to many players (README §Performance): chunks whose bytes are the
/// same for every player, written straight into each player's send buffer, or, for a large message, cut
/// <b>once</b> and shared by every player. Given code.
/// </summary>
/// <remarks>
/// <para>
/// The simple way — each player's <see cref="RtmpSession.SendAsync"/> cuts the message with that
/// player's <see cref="ChunkWriter"/> — picks the header (fmt 0/1/2/3, README §Chunk headers) from what
/// that one player was sent before, so the bytes differ from player to player and the writer's state
/// must be kept per player.
/// </para>
/// <para>
/// Here every message starts with a <b>type-0 header</b>: it carries every field (timestamp, length,
/// type, message stream id), so it is correct whatever the player's reader remembers (§5.3.1.2.1), and the
/// bytes depend only on the message, the chunk stream, the player's message stream id and the chunk size.
/// The price is a few header bytes per message (11 instead of 1 to 8: under 1 kB/s for a 30 fps stream
/// with audio). These are the bytes your <see cref="ChunkWriter"/> writes for a chunk stream's first
/// message (M1); they are written here without a writer's state, so nothing is allocated per message:
/// <see cref="WriteTo"/> writes them straight into a player's send buffer, and <see cref="For"/> cuts a
/// message once and keeps the bytes on it, for messages too large to copy per player (keyframes).
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

        // Every byte is written below: no need to zero the array first.
        var bytes = GC.AllocateUninitializedArray<byte>(LengthOf(message, chunkStreamId, chunkSize));
        WriteTo(bytes, message, chunkStreamId, messageStreamId, chunkSize);
        // Keep it for the next player. When two tasks cut at once one of them is not kept: its bytes are the same.
        Interlocked.CompareExchange(ref message.SharedCuts, new Cut(chunkStreamId, messageStreamId, chunkSize, bytes, first), first);
        return bytes;
    }

    /// <summary>How many bytes <see cref="WriteTo"/> writes for <paramref name="message"/>: the payload and the chunk headers.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The chunk stream id is outside 2..65599, or the chunk size below 1.</exception>
    public static int LengthOf(RtmpMessage message, int chunkStreamId, int chunkSize)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        int basic = ChunkBasicHeader.SizeOf(chunkStreamId);
        int extended = message.Timestamp >= ChunkReader.ExtendedTimestampMarker ? 4 : 0; // §5.3.1.3, repeated in every chunk
        int length = message.Payload.Length;
        int chunks = Math.Max(1, (int)((length + (long)chunkSize - 1) / chunkSize));
        return checked(basic + 11 + extended + length + ((chunks - 1) * (basic + extended)));
    }

    /// <summary>
    /// Writes <paramref name="message"/> as chunks to the start of <paramref name="destination"/>: a type-0
    /// header with <paramref name="messageStreamId"/> (§5.3.1.2.1), the extended timestamp when the timestamp
    /// needs it (§5.3.1.3), the payload in <paramref name="chunkSize"/> pieces, each further piece after a
    /// type-3 basic header (§5.3.1.2.4) and the extended timestamp again. Returns the bytes written
    /// (<see cref="LengthOf"/>); allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="LengthOf"/>, or the payload longer than 16 777 215 bytes.</exception>
    public static int WriteTo(Span<byte> destination, RtmpMessage message, int chunkStreamId, uint messageStreamId, int chunkSize)
    {
        int total = LengthOf(message, chunkStreamId, chunkSize);
        int length = message.Payload.Length;
        if (length > 0xFFFFFF)
        {
            throw new ArgumentException($"A message is at most 16777215 bytes (a 3-byte length field, §5.3.1.2.1); this one is {length}.", nameof(message));
        }

        if (destination.Length < total)
        {
            throw new ArgumentException($"The chunks of this message take {total} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        uint timestamp = message.Timestamp;
        bool extended = timestamp >= ChunkReader.ExtendedTimestampMarker;
        int at = new ChunkBasicHeader(0, chunkStreamId).WriteTo(destination);
        WriteUInt24(destination[at..], extended ? ChunkReader.ExtendedTimestampMarker : timestamp);
        WriteUInt24(destination[(at + 3)..], (uint)length);
        destination[at + 6] = message.TypeId;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(at + 7)..], messageStreamId); // the one little-endian field (§5.3.1.2.1)
        at += 11;
        var payload = message.Payload.Span;
        for (int offset = 0; ; )
        {
            if (extended)
            {
                BinaryPrimitives.WriteUInt32BigEndian(destination[at..], timestamp);
                at += 4;
            }

            int size = Math.Min(chunkSize, length - offset);
            payload.Slice(offset, size).CopyTo(destination[at..]);
            at += size;
            offset += size;
            if (offset >= length)
            {
                return at;
            }

            at += new ChunkBasicHeader(3, chunkStreamId).WriteTo(destination[at..]);
        }
    }

    private static void WriteUInt24(Span<byte> destination, uint value)
    {
        destination[0] = (byte)(value >> 16);
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)value;
    }
}
