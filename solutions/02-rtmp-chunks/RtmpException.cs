namespace Lab02.RtmpChunks;

/// <summary>
/// The one exception this lab throws for anything a peer sends wrong: a malformed or truncated chunk,
/// a message over the length bound, a chunk size out of range, a malformed AMF0 value, a command
/// that makes no sense. The session that meets it closes; the server goes on serving everyone else.
/// </summary>
/// <remarks>
/// Cancellation (a deadline, a peer that stalls) is not a protocol error: it surfaces as
/// <see cref="OperationCanceledException"/>. A bug in the caller (a chunk stream id out of range
/// passed to the writer) is an <see cref="ArgumentException"/>.
/// </remarks>
public sealed class RtmpException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="part">What was being read: "basic header", "message header", "chunk", "Set Chunk Size", "AMF0", "command" ...</param>
    /// <param name="offset">Where: the offset in the bytes received after the handshake (chunks), or in the message payload (AMF0, commands).</param>
    /// <param name="message">What went wrong, in words, with the numbers.</param>
    public RtmpException(string part, long offset, string message)
        : base(message)
    {
        Part = part;
        Offset = offset;
    }

    /// <summary>What was being read when the problem was found ("basic header", "AMF0", ...).</summary>
    public string Part { get; }

    /// <summary>The offset of the problem: in the chunk stream after the handshake, or in a message's payload for AMF0 and commands.</summary>
    public long Offset { get; }
}
