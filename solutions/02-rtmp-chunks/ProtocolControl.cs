using System.Buffers.Binary;

namespace Lab02.RtmpChunks;

/// <summary>What a peer may do when it exceeds a Set Peer Bandwidth window (RTMP 1.0 §5.4.5).</summary>
public enum PeerBandwidthLimit : byte
{
    /// <summary>Limit output to the window size.</summary>
    Hard = 0,
    /// <summary>Limit output to the window or the limit already in effect, whichever is smaller.</summary>
    Soft = 1,
    /// <summary>Hard if the previous limit was hard, else ignore.</summary>
    Dynamic = 2,
}

/// <summary>User Control event types (RTMP 1.0 §7.1.7).</summary>
public enum UserControlEventType : ushort
{
    /// <summary>A stream became functional (4 bytes: the stream id).</summary>
    StreamBegin = 0,
    /// <summary>Playback of a stream is over (4 bytes: the stream id).</summary>
    StreamEof = 1,
    /// <summary>No more data on the stream (4 bytes: the stream id).</summary>
    StreamDry = 2,
    /// <summary>The client's buffer length (8 bytes: stream id, then milliseconds).</summary>
    SetBufferLength = 3,
    /// <summary>The stream is a recorded one (4 bytes: the stream id).</summary>
    StreamIsRecorded = 4,
    /// <summary>The server checks the client is alive (4 bytes: a timestamp).</summary>
    PingRequest = 6,
    /// <summary>The client's answer (4 bytes: the request's timestamp).</summary>
    PingResponse = 7,
}

/// <summary>A User Control event: its type, its first value (a stream id or a timestamp) and, for Set Buffer Length, the buffer in ms.</summary>
public readonly record struct UserControlEvent(UserControlEventType Type, uint Value, uint BufferLength = 0);

/// <summary>
/// Protocol control messages (RTMP 1.0 §5.4) and User Control messages (§6.2, §7.1.7): the small
/// fixed-layout messages sent on chunk stream 2, message stream 0, with timestamp 0.
/// </summary>
public static class ProtocolControl
{
    /// <summary>The chunk stream protocol control messages use (§5.4).</summary>
    public const int ChunkStreamId = 2;

    /// <summary>Set Chunk Size (type 1): 4 bytes, big-endian, top bit 0.</summary>
    public static RtmpMessage SetChunkSize(int chunkSize)
    {
        #region lab M2: a type-1 message with the size as a 4-byte big-endian number (ArgumentOutOfRangeException below 1; any int up to 2^31-1 is legal) — README §Protocol control
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        return UInt32Message(MessageType.SetChunkSize, (uint)chunkSize);
        #endregion
    }

    /// <summary>Abort Message (type 2): the chunk stream id whose partial message to discard.</summary>
    public static RtmpMessage Abort(int chunkStreamId)
    {
        #region lab M2: a type-2 message with the chunk stream id as 4 bytes big-endian — README §Protocol control
        return UInt32Message(MessageType.Abort, (uint)chunkStreamId);
        #endregion
    }

    /// <summary>Acknowledgement (type 3): the number of bytes received so far.</summary>
    public static RtmpMessage Acknowledgement(uint sequenceNumber)
    {
        #region lab M2: a type-3 message with the byte count as 4 bytes big-endian — README §Acknowledgement
        return UInt32Message(MessageType.Acknowledgement, sequenceNumber);
        #endregion
    }

    /// <summary>Window Acknowledgement Size (type 5): how many bytes the peer may receive between acknowledgements.</summary>
    public static RtmpMessage WindowAcknowledgementSize(uint windowSize)
    {
        #region lab M2: a type-5 message with the window as 4 bytes big-endian — README §Acknowledgement
        return UInt32Message(MessageType.WindowAcknowledgementSize, windowSize);
        #endregion
    }

    /// <summary>Set Peer Bandwidth (type 6): 4 bytes of window size, 1 byte of limit type.</summary>
    public static RtmpMessage SetPeerBandwidth(uint windowSize, PeerBandwidthLimit limit)
    {
        #region lab M2: a type-6 message: the window as 4 bytes big-endian, then the limit type byte — README §Protocol control
        var payload = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(payload, windowSize);
        payload[4] = (byte)limit;
        return new RtmpMessage(MessageType.SetPeerBandwidth, 0, 0, payload);
        #endregion
    }

    /// <summary>A User Control message (type 4): the 2-byte event type, the 4-byte value, and for Set Buffer Length the 4-byte buffer length.</summary>
    public static RtmpMessage UserControl(UserControlEvent controlEvent)
    {
        #region lab M2: a type-4 message: event type (2 bytes), value (4 bytes), and the buffer length (4 bytes) only for SetBufferLength — README §User Control
        bool withBuffer = controlEvent.Type == UserControlEventType.SetBufferLength;
        var payload = new byte[withBuffer ? 10 : 6];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)controlEvent.Type);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(2), controlEvent.Value);
        if (withBuffer)
        {
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(6), controlEvent.BufferLength);
        }

        return new RtmpMessage(MessageType.UserControl, 0, 0, payload);
        #endregion
    }

    /// <summary>Reads the 4-byte big-endian payload of a Set Chunk Size, Abort, Acknowledgement or Window Acknowledgement Size message.</summary>
    /// <param name="what">The message's name, for the error.</param>
    /// <param name="offset">Where the message was in the stream, for the error.</param>
    /// <exception cref="RtmpException">The payload is shorter than 4 bytes.</exception>
    public static uint ReadUInt32(RtmpMessage message, string what, long offset = 0)
    {
        #region lab M2: the first 4 bytes, big-endian; RtmpException(what, offset, ...) when fewer than 4 — README §Protocol control
        ArgumentNullException.ThrowIfNull(message);
        if (message.Payload.Length < 4)
        {
            throw new RtmpException(what, offset, $"A {what} message carries 4 bytes; this one has {message.Payload.Length} (README §Protocol control).");
        }

        return BinaryPrimitives.ReadUInt32BigEndian(message.Payload.Span);
        #endregion
    }

    /// <summary>Reads a Set Chunk Size message's size: the top bit must be 0 (§5.4.1) and the size at least 1, so 1..<see cref="ChunkReader.MaxChunkSize"/> (2^31-1).</summary>
    /// <exception cref="RtmpException">Fewer than 4 bytes, the top bit set, or a size of 0.</exception>
    public static int ReadSetChunkSize(RtmpMessage message, long offset = 0)
    {
        #region lab M2: ReadUInt32, then RtmpException when the top bit is set or the size is 0 (every size 1..0x7FFFFFFF is legal) — README §Set Chunk Size
        uint value = ReadUInt32(message, "Set Chunk Size", offset);
        if ((value & 0x8000_0000) != 0 || value == 0)
        {
            throw new RtmpException("Set Chunk Size", offset,
                $"The peer set a chunk size of {value} (0x{value:x8}); the top bit must be 0 and the size at least 1, so 1 to {ChunkReader.MaxChunkSize} (0x7fffffff) (README §Set Chunk Size).");
        }

        return (int)value;
        #endregion
    }

    /// <summary>Reads a Set Peer Bandwidth message.</summary>
    /// <exception cref="RtmpException">Fewer than 5 bytes, or a limit type above 2.</exception>
    public static (uint WindowSize, PeerBandwidthLimit Limit) ReadSetPeerBandwidth(RtmpMessage message)
    {
        #region lab M2: 4 bytes window, 1 byte limit type (0, 1 or 2); RtmpException otherwise — README §Protocol control
        ArgumentNullException.ThrowIfNull(message);
        var payload = message.Payload.Span;
        if (payload.Length < 5 || payload[4] > 2)
        {
            throw new RtmpException("Set Peer Bandwidth", 0,
                $"Set Peer Bandwidth carries 4 bytes of window and a limit type 0-2; got {payload.Length} bytes{(payload.Length >= 5 ? $", limit type {payload[4]}" : "")} (README §Protocol control).");
        }

        return (BinaryPrimitives.ReadUInt32BigEndian(payload), (PeerBandwidthLimit)payload[4]);
        #endregion
    }

    /// <summary>Reads a User Control message.</summary>
    /// <exception cref="RtmpException">Too short for its event type.</exception>
    public static UserControlEvent ReadUserControl(RtmpMessage message)
    {
        #region lab M2: event type (2 bytes), value (4 bytes), plus the buffer length (4 bytes) for SetBufferLength; RtmpException when too short — README §User Control
        ArgumentNullException.ThrowIfNull(message);
        var payload = message.Payload.Span;
        if (payload.Length < 6)
        {
            throw new RtmpException("User Control", 0, $"A User Control message has at least 6 bytes (event type and value); this one has {payload.Length} (README §User Control).");
        }

        var type = (UserControlEventType)BinaryPrimitives.ReadUInt16BigEndian(payload);
        uint value = BinaryPrimitives.ReadUInt32BigEndian(payload[2..]);
        if (type != UserControlEventType.SetBufferLength)
        {
            return new UserControlEvent(type, value);
        }

        if (payload.Length < 10)
        {
            throw new RtmpException("User Control", 6, $"Set Buffer Length has 10 bytes (event, stream id, buffer length); this one has {payload.Length} (README §User Control).");
        }

        return new UserControlEvent(type, value, BinaryPrimitives.ReadUInt32BigEndian(payload[6..]));
        #endregion
    }

    #region lab-remove
    private static RtmpMessage UInt32Message(byte typeId, uint value)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, value);
        return new RtmpMessage(typeId, 0, 0, payload);
    }
    #endregion
}
