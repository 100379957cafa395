namespace Lab08.Sfu;

/// <summary>
/// The one exception this lab's parsers throw for bytes that are not a valid RTP or RTCP packet: too short,
/// the wrong version, a CSRC list, header extension, padding or RTCP length that runs past the end.
/// The SFU's receive loops catch it, count the datagram as malformed and go on with the next one.
/// </summary>
public sealed class RtpException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The field that was wrong or cut short: "header", "version", "csrc", "extension", "padding", "rtcp length" ...</param>
    /// <param name="offset">The offset in the datagram where that field starts (or where the bytes ran out).</param>
    /// <param name="message">What went wrong, in words, with the numbers.</param>
    public RtpException(string field, int offset, string message)
        : base(message)
    {
        Field = field;
        Offset = offset;
    }

    /// <summary>The field that was wrong or cut short.</summary>
    public string Field { get; }

    /// <summary>The offset of that field in the datagram.</summary>
    public int Offset { get; }
}
