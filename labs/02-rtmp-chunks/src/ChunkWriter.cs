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
        throw new NotImplementedException("Lab 02 · M2: accept 1..ChunkReader.MaxChunkSize (2^31-1; ArgumentOutOfRangeException below 1) — README §Set Chunk Size");
    }

    /// <summary>Writes <paramref name="message"/> as chunks on <paramref name="chunkStreamId"/> to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The chunk stream id is outside 2..65599.</exception>
    /// <exception cref="ArgumentException">The payload is longer than the 3-byte length field allows (16 777 215 bytes).</exception>
    public void Write(int chunkStreamId, RtmpMessage message, IBufferWriter<byte> output)
    {
        throw new NotImplementedException("Lab 02 · M1: pick fmt 0/1/2/3 from what this chunk stream last sent, write the header (+ extended timestamp when ≥ 0xFFFFFF), then the payload in ChunkSize pieces, each after a type-3 basic header (repeating the extended timestamp) — README §Chunk headers, §Writer");
    }

    /// <summary>Writes <paramref name="message"/> as chunks and returns the bytes.</summary>
    public byte[] Write(int chunkStreamId, RtmpMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        Write(chunkStreamId, message, output);
        return output.WrittenSpan.ToArray();
    }
}
