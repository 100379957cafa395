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
        #region lab M1: basic header, then the 11/7/3/0-byte message header by fmt, extended timestamp, then min(ChunkSize, bytes left) of payload; consume nothing until the whole chunk is there — README §Chunk headers, §Reassembly
        consumed = 0;
        message = null;
        if (!ChunkBasicHeader.TryRead(input, out var basic, out int at))
        {
            return false;
        }

        int csid = basic.ChunkStreamId;
        _streams.TryGetValue(csid, out var state);
        if (state is null && basic.Format != 0)
        {
            throw new RtmpException("message header", Position,
                $"Chunk stream {csid} starts with a type-{basic.Format} header at offset {Position}, but it was never opened with a type-0 header: there is no earlier header to take the missing fields from (README §Chunk headers).");
        }

        bool continuation = state?.Payload is not null;
        if (continuation && basic.Format != 3)
        {
            throw new RtmpException("message header", Position,
                $"A type-{basic.Format} header arrived on chunk stream {csid} at offset {Position} while its message was incomplete ({state!.Received} of {state.MessageLength} bytes): only type-3 chunks may continue a message (README §Reassembly).");
        }

        // The message header (§5.3.1.2), read into locals: nothing changes until the whole chunk is here.
        ReadOnlySpan<byte> headerLengths = [11, 7, 3, 0]; // type 0, 1, 2, 3 (§5.3.1.2.1-4)
        int headerLength = headerLengths[basic.Format];
        if (input.Length < at + headerLength)
        {
            return false;
        }

        var header = input.Slice(at, headerLength);
        uint timestampField = 0;
        int length = state?.MessageLength ?? 0;
        byte typeId = state?.TypeId ?? 0;
        uint streamId = state?.MessageStreamId ?? 0;
        if (basic.Format <= 2)
        {
            timestampField = (uint)(header[0] << 16 | header[1] << 8 | header[2]);
        }

        if (basic.Format <= 1)
        {
            length = header[3] << 16 | header[4] << 8 | header[5];
            typeId = header[6];
            if (length > MaxMessageLength)
            {
                throw new RtmpException("message header", Position + at + 3,
                    $"Chunk stream {csid} announces a message of {length} bytes at offset {Position + at + 3}; this reader accepts at most {MaxMessageLength} (README §Limits).");
            }
        }

        if (basic.Format == 0)
        {
            streamId = BinaryPrimitives.ReadUInt32LittleEndian(header[7..]); // the one little-endian field in RTMP (§5.3.1.2.1)
        }

        at += headerLength;

        // The extended timestamp (§5.3.1.3).
        bool extended = basic.Format <= 2 ? timestampField == ExtendedTimestampMarker : state!.HasExtendedTimestamp;
        uint extendedValue = 0;
        if (extended)
        {
            if (input.Length < at + 4)
            {
                return false;
            }

            extendedValue = BinaryPrimitives.ReadUInt32BigEndian(input[at..]);
            if (basic.Format <= 2)
            {
                timestampField = extendedValue;
                at += 4;
            }
            else if (extendedValue == state!.ExtendedTimestamp)
            {
                at += 4;       // a type-3 chunk repeating the extended timestamp (ffmpeg, the spec)
            }
            // else: an old librtmp-based encoder left it out; those 4 bytes are payload.
        }

        // The payload of this chunk.
        int received = continuation ? state!.Received : 0;
        int chunkPayload = Math.Min(ChunkSize, length - received);
        if (input.Length < at + chunkPayload)
        {
            return false;
        }

        // The whole chunk is here: commit.
        if (!continuation && (long)_bufferedBytes + length > 4L * MaxMessageLength)
        {
            throw new RtmpException("chunk", Position,
                $"Too many partial messages at once ({_bufferedBytes} bytes buffered across chunk streams) at offset {Position} (README §Limits).");
        }

        if (state is null)
        {
            state = new ChunkStreamState();
            _streams[csid] = state;
        }

        if (!continuation)
        {
            switch (basic.Format)
            {
                case 0:
                    state.Timestamp = timestampField;
                    state.TimestampDelta = timestampField; // a type-3 after a type-0 reuses it as its delta (§5.3.1.2.4)
                    break;
                case 1:
                case 2:
                    state.TimestampDelta = timestampField;
                    state.Timestamp = unchecked(state.Timestamp + timestampField);
                    break;
                default:
                    state.Timestamp = unchecked(state.Timestamp + state.TimestampDelta);
                    break;
            }

            if (basic.Format <= 2)
            {
                state.HasExtendedTimestamp = extended;
                state.ExtendedTimestamp = extendedValue;
            }

            state.MessageLength = length;
            state.TypeId = typeId;
            state.MessageStreamId = streamId;
            state.Payload = length == 0 ? [] : new byte[length];
            state.Received = 0;
            _bufferedBytes += length;
        }

        input.Slice(at, chunkPayload).CopyTo(state.Payload.AsSpan(state.Received));
        state.Received += chunkPayload;
        consumed = at + chunkPayload;
        Position += consumed;
        if (state.Received == state.MessageLength)
        {
            message = new RtmpMessage(state.TypeId, state.Timestamp, state.MessageStreamId, state.Payload!) { ChunkStreamId = csid };
            _bufferedBytes -= state.MessageLength;
            state.Payload = null;
            state.Received = 0;
            if (message.TypeId is MessageType.SetChunkSize or MessageType.Abort)
            {
                ApplyProtocolControl(message);
            }
        }

        return true;
        #endregion
    }

    /// <summary>
    /// Sets the chunk size the peer uses from now on (what a Set Chunk Size message does).
    /// </summary>
    /// <exception cref="RtmpException">The size is 0 or negative (a Set Chunk Size with its top bit set).</exception>
    public void SetChunkSize(int chunkSize)
    {
        #region lab M2: accept 1..MaxChunkSize (0x7FFFFFFF, every legal size, and allocate nothing by it), else RtmpException("Set Chunk Size", Position, ...) naming the size — README §Set Chunk Size
        if (chunkSize < 1)
        {
            throw new RtmpException("Set Chunk Size", Position,
                $"The peer set a chunk size of {chunkSize} at offset {Position}; a chunk size is 1 to {MaxChunkSize} (0x7fffffff) (README §Set Chunk Size).");
        }

        ChunkSize = chunkSize;
        #endregion
    }

    /// <summary>Discards the partly received message on <paramref name="chunkStreamId"/> (what an Abort message does, §5.4.2).</summary>
    public void Abort(int chunkStreamId)
    {
        #region lab M2: forget the partial payload of that chunk stream (its header fields stay for later type 1-3 chunks) — README §Abort
        if (_streams.TryGetValue(chunkStreamId, out var state) && state.Payload is not null)
        {
            _bufferedBytes -= state.MessageLength;
            state.Payload = null;
            state.Received = 0;
        }
        #endregion
    }

    /// <summary>Applies a Set Chunk Size or Abort message the reader just completed.</summary>
    private void ApplyProtocolControl(RtmpMessage message)
    {
        #region lab M2: Set Chunk Size → SetChunkSize(ProtocolControl.ReadSetChunkSize(message)); Abort → Abort(the chunk stream id in the payload) — README §Protocol control
        if (message.TypeId == MessageType.SetChunkSize)
        {
            SetChunkSize(ProtocolControl.ReadSetChunkSize(message, Position));
        }
        else
        {
            Abort((int)Math.Min(ProtocolControl.ReadUInt32(message, "Abort", Position), int.MaxValue));
        }
        #endregion
    }
}
