namespace Lab06.YuvDct;

/// <summary>
/// The one exception the lab throws for bad input: a size that is zero or negative, a buffer whose
/// length does not match the stated width and height, planes whose sizes do not fit the chroma format,
/// a crop at an odd offset of a subsampled frame, a quality factor or QP out of range.
/// </summary>
/// <remarks>
/// It is an <see cref="ArgumentException"/>, so <see cref="ArgumentException.ParamName"/> names the
/// argument; <see cref="Value"/> carries the offending value and the message says what was expected.
/// </remarks>
public sealed class YuvException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="paramName">The argument that was wrong ("width", "data", "quality", ...).</param>
    /// <param name="value">The value it had.</param>
    /// <param name="message">What was expected and what came, in words.</param>
    public YuvException(string paramName, object? value, string message)
        : base(message, paramName)
    {
        Value = value;
    }

    /// <summary>The offending value (a size, a length, a quality factor).</summary>
    public object? Value { get; }
}
