using System.Buffers;
using System.Buffers.Binary;

namespace Lab02.RtmpChunks;

/// <summary>
/// Cuts messages into chunks (RTMP 1.0 §5.3), choosing for each message the smallest message header
/// that is correct given what the peer's reader remembers about the chunk stream (§5.3.1.2):
/// <list type="bullet">
/// <item>type 0 (11 bytes) for the first message of a chunk stream, another message stream id, or a timestamp that goes back;</item>
/// <item>type 1 (7 bytes) when the length or the type changed: timestamp delta, length, type;</item>
/// <item>type 2 (3 bytes) when only the timestamp delta changed;</item>
/// <item>type 3 (no header) when everything, the delta included, is as before; and for every chunk after a message's first.</item>
/// </list>
/// </summary>
public sealed class ChunkWriter
{
    private readonly Dictionary<int, LastHeader> _streams = [];

    /// <summary>What the peer's reader remembers about a chunk stream after our last header on it.</summary>
    private sealed record LastHeader(uint Timestamp, uint Delta, int Length, byte TypeId, uint MessageStreamId);

    /// <summary>The chunk size this writer uses (128 until <see cref="SetChunkSize"/>).</summary>
    public int ChunkSize { get; private set; } = ChunkReader.DefaultChunkSize;

    /// <summary>
    /// Uses <paramref name="chunkSize"/> from now on. Send the peer a Set Chunk Size message
    /// (<see cref="ProtocolControl.SetChunkSize"/>) with the old size before you write with the new one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is below 1 (any size up to <see cref="ChunkReader.MaxChunkSize"/>, 2^31-1, is legal).</exception>
    public void SetChunkSize(int chunkSize)
    {
        #region lab M2: accept 1..ChunkReader.MaxChunkSize (2^31-1; ArgumentOutOfRangeException below 1) — README §Set Chunk Size
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ChunkSize = chunkSize;
        #endregion
    }

    /// <summary>Writes <paramref name="message"/> as chunks on <paramref name="chunkStreamId"/> to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The chunk stream id is outside 2..65599.</exception>
    /// <exception cref="ArgumentException">The payload is longer than the 3-byte length field allows (16 777 215 bytes).</exception>
    public void Write(int chunkStreamId, RtmpMessage message, IBufferWriter<byte> output)
    {
        #region lab M1: pick fmt 0/1/2/3 from what this chunk stream last sent, write the header (+ extended timestamp when ≥ 0xFFFFFF), then the payload in ChunkSize pieces, each after a type-3 basic header (repeating the extended timestamp) — README §Chunk headers, §Writer
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        ChunkBasicHeader.SizeOf(chunkStreamId); // validates the id
        int length = message.Payload.Length;
        if (length > 0xFFFFFF)
        {
            throw new ArgumentException($"A message is at most 16777215 bytes (a 3-byte length field, §5.3.1.2.1); this one is {length}.", nameof(message));
        }

        _streams.TryGetValue(chunkStreamId, out var last);
        uint timestamp = message.Timestamp;
        byte format;
        uint delta = 0;
        if (last is null || last.MessageStreamId != message.MessageStreamId || timestamp < last.Timestamp)
        {
            format = 0;
        }
        else
        {
            delta = timestamp - last.Timestamp;
            format = last.Length != length || last.TypeId != message.TypeId ? (byte)1
                : delta != last.Delta ? (byte)2
                : (byte)3;
        }

        uint timestampValue = format == 0 ? timestamp : delta;
        bool extended = timestampValue >= ChunkReader.ExtendedTimestampMarker;
        if (format == 3)
        {
            // A type-3 header that starts a message carries no timestamp field; the extended timestamp
            // follows it when the delta needs one, as after the type 0/1/2 header that set the delta.
            extended = last!.Delta >= ChunkReader.ExtendedTimestampMarker;
        }

        Span<byte> header = stackalloc byte[ChunkReader.MaxHeaderLength];
        int at = new ChunkBasicHeader(format, chunkStreamId).WriteTo(header);
        uint field = extended ? ChunkReader.ExtendedTimestampMarker : timestampValue;
        if (format <= 2)
        {
            WriteUInt24(header[at..], field);
            at += 3;
        }

        if (format <= 1)
        {
            WriteUInt24(header[at..], (uint)length);
            header[at + 3] = message.TypeId;
            at += 4;
        }

        if (format == 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[at..], message.MessageStreamId); // little-endian (§5.3.1.2.1)
            at += 4;
        }

        if (extended)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header[at..], timestampValue);
            at += 4;
        }

        // Continuation chunks: a type-3 basic header, and the extended timestamp again when the message has one.
        Span<byte> continuation = stackalloc byte[3 + 4];
        int continuationLength = new ChunkBasicHeader(3, chunkStreamId).WriteTo(continuation);
        if (extended)
        {
            BinaryPrimitives.WriteUInt32BigEndian(continuation[continuationLength..], timestampValue);
            continuationLength += 4;
        }

        var payload = message.Payload.Span;
        int offset = 0;
        output.Write(header[..at]);
        do
        {
            if (offset > 0)
            {
                output.Write(continuation[..continuationLength]);
            }

            int size = Math.Min(ChunkSize, length - offset);
            output.Write(payload.Slice(offset, size));
            offset += size;
        }
        while (offset < length);

        _streams[chunkStreamId] = new LastHeader(timestamp, format == 0 ? timestamp : delta, length, message.TypeId, message.MessageStreamId);
        #endregion
    }

    /// <summary>Writes <paramref name="message"/> as chunks and returns the bytes.</summary>
    public byte[] Write(int chunkStreamId, RtmpMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        Write(chunkStreamId, message, output);
        return output.WrittenSpan.ToArray();
    }

    #region lab-remove
    private static void WriteUInt24(Span<byte> destination, uint value)
    {
        destination[0] = (byte)(value >> 16);
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)value;
    }
    #endregion
}
