namespace Lab02.RtmpChunks;

/// <summary>
/// The chunk basic header (RTMP 1.0 §5.3.1.1): the chunk's format (fmt, 2 bits: which message header
/// follows) and its chunk stream id, in 1, 2 or 3 bytes.
/// <code>
///  1 byte : fmt(2) | csid(6)                      csid 2..63
///  2 bytes: fmt(2) | 0 (6)  | csid - 64 (8)       csid 64..319
///  3 bytes: fmt(2) | 1 (6)  | (csid - 64) as 16 bits, LOW byte first   csid 64..65599
/// </code>
/// Chunk stream ids 0 and 1 are the markers for the 2- and 3-byte forms; 2 is for protocol control messages.
/// </summary>
public readonly record struct ChunkBasicHeader(byte Format, int ChunkStreamId)
{
    /// <summary>The lowest chunk stream id a message can use (§5.3.1.1: 0 and 1 are the markers, 2 is reserved for control).</summary>
    public const int MinChunkStreamId = 2;

    /// <summary>The highest chunk stream id: 65599 = 64 + 65535 (§5.3.1.1, the 3-byte form).</summary>
    public const int MaxChunkStreamId = 65599;

    /// <summary>The smallest basic header size for <paramref name="chunkStreamId"/>: 1 (2..63), 2 (64..319) or 3 (320..65599).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is outside 2..65599.</exception>
    public static int SizeOf(int chunkStreamId)
    {
        throw new NotImplementedException("Lab 02 · M1: 1 byte for csid 2..63, 2 bytes for 64..319, 3 bytes for 320..65599; ArgumentOutOfRangeException otherwise — README §Basic header");
    }

    /// <summary>Writes the header in its smallest form; returns the number of bytes written (1, 2 or 3).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Format above 3, or a chunk stream id outside 2..65599.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public int WriteTo(Span<byte> destination)
    {
        throw new NotImplementedException("Lab 02 · M1: fmt in the top 2 bits of the first byte; then csid itself (1 byte), 0 + (csid-64) (2 bytes) or 1 + (csid-64) low byte first (3 bytes) — README §Basic header");
    }

    /// <summary>
    /// Reads a basic header from the start of <paramref name="source"/>. Returns false when more bytes are
    /// needed (the 2- and 3-byte forms); every byte sequence is otherwise a valid basic header.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ChunkBasicHeader header, out int length)
    {
        throw new NotImplementedException("Lab 02 · M1: fmt = first byte >> 6; low 6 bits 0 → csid = 64 + second byte; 1 → csid = 64 + second + third * 256; else they are the csid — README §Basic header");
    }
}
