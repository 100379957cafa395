namespace Lab03.Flv;

/// <summary>
/// The one exception the FLV code throws for bytes that are not a valid FLV file: a wrong signature,
/// a header or tag cut short, a tag whose data size runs past the end, a PreviousTagSize that does not
/// match, broken AMF0 in a script tag, an unknown codec id.
/// </summary>
public sealed class FlvFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="offset">The byte offset in the file (or in the bytes pushed so far) where the problem is.</param>
    /// <param name="expected">What the reader expected there, in words ("PreviousTagSize 523").</param>
    /// <param name="message">What went wrong.</param>
    public FlvFormatException(long offset, string expected, string message)
        : base($"{message} (at byte offset {offset}; expected {expected})")
    {
        Offset = offset;
        Expected = expected;
    }

    /// <summary>The byte offset in the file where the problem is.</summary>
    public long Offset { get; }

    /// <summary>What the reader expected at <see cref="Offset"/>.</summary>
    public string Expected { get; }
}
