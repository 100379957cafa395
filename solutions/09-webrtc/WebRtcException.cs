namespace Lab09.WebRtc;

/// <summary>
/// The one exception this lab throws for bytes a peer got wrong: a STUN message that is cut short,
/// a length that does not add up, an attribute that runs past the end.
/// </summary>
/// <remarks>
/// Code that serves a socket (the ICE-lite agent, the demultiplexer) catches it, counts the datagram as
/// dropped and goes on with the next one: one bad datagram never stops the receive loop.
/// </remarks>
public sealed class WebRtcException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="protocol">The protocol of the bytes: "STUN", "SRTP", "SRTCP".</param>
    /// <param name="field">The field that was wrong ("message length", "attribute 0x0006", ...).</param>
    /// <param name="offset">The offset, in the datagram, of the byte where the problem is.</param>
    /// <param name="message">What went wrong, in words.</param>
    public WebRtcException(string protocol, string field, long offset, string message)
        : base(message)
    {
        Protocol = protocol;
        Field = field;
        Offset = offset;
    }

    /// <summary>The protocol of the bytes: "STUN", "SRTP", "SRTCP".</summary>
    public string Protocol { get; }

    /// <summary>The field that was wrong.</summary>
    public string Field { get; }

    /// <summary>The offset, in the datagram, of the byte where the problem is.</summary>
    public long Offset { get; }
}
