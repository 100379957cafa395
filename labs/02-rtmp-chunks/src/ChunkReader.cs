using System.Buffers.Binary;

namespace Lab02.RtmpChunks;

/// <summary>
/// Reassembles RTMP messages from chunks (RTMP 1.0 §5.3). Feed it the bytes received after the
/// handshake; each call consumes at most one whole chunk and returns a message when its last chunk arrives.
/// It keeps, per chunk stream, the header fields that type 1, 2 and 3 chunks leave out (§5.3.1.2).
/// </summary>
/// <remarks>
/// The reader applies Set Chunk Size (§5.4.1) and Abort (§5.4.2) itself, because they change how the
/// very next chunk is cut; it still returns those messages so the caller can see them.
/// </remarks>
public sealed class ChunkReader
{
    /// <summary>The chunk size every RTMP connection starts with (§5.4.1).</summary>
    public const int DefaultChunkSize = 128;

    /// <summary>
    /// The largest chunk size (§5.4.1: 31 bits, 0x7FFFFFFF). Any legal size is accepted: a chunk is never
    /// longer than the rest of its message, so memory is bounded by <see cref="MaxMessageLength"/>, not by the chunk size.
    /// </summary>
    public const int MaxChunkSize = int.MaxValue;

    /// <summary>The default bound on a message's length: larger than any keyframe of a 1080p stream, far below the 16 MiB the 3-byte field allows.</summary>
    public const int DefaultMaxMessageLength = 8 * 1024 * 1024;

    /// <summary>The timestamp field value that says "the real value is in the 4-byte extended timestamp" (§5.3.1.3).</summary>
    public const uint ExtendedTimestampMarker = 0xFFFFFF;

    /// <summary>The longest chunk header: a 3-byte basic header, an 11-byte type-0 message header and a 4-byte extended timestamp.</summary>
    public const int MaxHeaderLength = 3 + 11 + 4;

    private readonly Dictionary<int, ChunkStreamState> _streams = [];
    private long _bufferedBytes;

    /// <summary>Creates a reader with chunk size 128.</summary>
    /// <param name="maxMessageLength">The longest message accepted; a longer one is an <see cref="RtmpException"/>.</param>
    public ChunkReader(int maxMessageLength = DefaultMaxMessageLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageLength);
        MaxMessageLength = maxMessageLength;
    }

    /// <summary>The longest message accepted.</summary>
    public int MaxMessageLength { get; }

    /// <summary>The peer's current chunk size (128 until a Set Chunk Size arrives).</summary>
    public int ChunkSize { get; private set; } = DefaultChunkSize;

    /// <summary>How many bytes this reader has consumed: the offset of the next chunk in the stream.</summary>
    public long Position { get; private set; }

    /// <summary>True while some chunk stream has a message that is only partly received.</summary>
    public bool HasPartialMessage => _bufferedBytes > 0 || _streams.Values.Any(s => s.Payload is not null);

    /// <summary>What a chunk stream remembers from the chunks before (§5.3.1.2).</summary>
    private sealed class ChunkStreamState
    {
        public uint Timestamp;            // the absolute timestamp of the current (or last) message
        public uint TimestampDelta;       // a type-0 header's timestamp, or a type-1/2 header's delta: what a type-3 header that starts a message adds
        public int MessageLength;
        public byte TypeId;
        public uint MessageStreamId;
        public bool HasExtendedTimestamp; // the last type 0/1/2 header used the extended timestamp
        public uint ExtendedTimestamp;    // its value, which type-3 chunks may repeat
        public byte[]? Payload;           // the message being reassembled, null between messages
        public int Received;
    }

    /// <summary>
    /// Reads one chunk from the start of <paramref name="input"/>. Returns false, consuming nothing, when
    /// <paramref name="input"/> does not yet hold the whole chunk. Returns true with <paramref name="consumed"/>
    /// set when it consumed a chunk; <paramref name="message"/> is the completed message when that chunk was its last, else null.
    /// </summary>
    /// <exception cref="RtmpException">A chunk stream used before a type-0 header opened it, a message over
    /// <see cref="MaxMessageLength"/>, a new header in the middle of a message, or a bad Set Chunk Size.</exception>
    public bool TryReadChunk(ReadOnlySpan<byte> input, out int consumed, out RtmpMessage? message)
    {
        throw new NotImplementedException("Lab 02 · M1: basic header, then the 11/7/3/0-byte message header by fmt, extended timestamp, then min(ChunkSize, bytes left) of payload; consume nothing until the whole chunk is there — README §Chunk headers, §Reassembly");
    }

    /// <summary>
    /// Sets the chunk size the peer uses from now on (what a Set Chunk Size message does).
    /// </summary>
    /// <exception cref="RtmpException">The size is 0 or negative (a Set Chunk Size with its top bit set).</exception>
    public void SetChunkSize(int chunkSize)
    {
        throw new NotImplementedException("Lab 02 · M2: accept 1..MaxChunkSize (0x7FFFFFFF, every legal size, and allocate nothing by it), else RtmpException(\"Set Chunk Size\", Position, ...) naming the size — README §Set Chunk Size");
    }

    /// <summary>Discards the partly received message on <paramref name="chunkStreamId"/> (what an Abort message does, §5.4.2).</summary>
    public void Abort(int chunkStreamId)
    {
        throw new NotImplementedException("Lab 02 · M2: forget the partial payload of that chunk stream (its header fields stay for later type 1-3 chunks) — README §Abort");
    }

    /// <summary>Applies a Set Chunk Size or Abort message the reader just completed.</summary>
    private void ApplyProtocolControl(RtmpMessage message)
    {
        throw new NotImplementedException("Lab 02 · M2: Set Chunk Size → SetChunkSize(ProtocolControl.ReadSetChunkSize(message)); Abort → Abort(the chunk stream id in the payload) — README §Protocol control");
    }
}
