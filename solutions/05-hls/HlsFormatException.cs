namespace Lab05.Hls;

/// <summary>
/// The one exception the lab's readers throw for bytes or text that are not valid MPEG-TS or HLS: a length that is
/// not a whole number of 188-byte packets, a missing sync byte, a PSI section whose CRC32 does not match, a PES
/// header cut short, a playlist line that does not parse. <see cref="Offset"/> says where: a byte offset in a
/// transport stream, or for a playlist the 1-based line number (<see cref="Line"/>).
/// </summary>
public sealed class HlsFormatException : Exception
{
    /// <summary>Creates the exception for a byte offset in a transport stream.</summary>
    /// <param name="offset">The byte offset where the problem is.</param>
    /// <param name="expected">What the reader expected there, in words ("sync byte 0x47").</param>
    /// <param name="message">What went wrong.</param>
    public HlsFormatException(long offset, string expected, string message)
        : base($"{message} (at byte offset {offset}; expected {expected})")
    {
        Offset = offset;
        Expected = expected;
    }

    private HlsFormatException(int line, string expected, string message, bool isLine)
        : base($"{message} (at line {line}; expected {expected})")
    {
        Offset = line;
        Line = isLine ? line : null;
        Expected = expected;
    }

    /// <summary>Creates the exception for a line of a playlist.</summary>
    /// <param name="line">The 1-based line number.</param>
    /// <param name="expected">What the parser expected on that line.</param>
    /// <param name="message">What went wrong.</param>
    public static HlsFormatException AtLine(int line, string expected, string message) => new(line, expected, message, true);

    /// <summary>The byte offset in a transport stream, or the line number of a playlist, where the problem is.</summary>
    public long Offset { get; }

    /// <summary>The 1-based line number when the input is a playlist; null for a transport stream.</summary>
    public int? Line { get; }

    /// <summary>What the reader expected at <see cref="Offset"/>.</summary>
    public string Expected { get; }
}
