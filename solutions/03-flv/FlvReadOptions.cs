namespace Lab03.Flv;

/// <summary>How strictly a reader treats damage.</summary>
public sealed class FlvReadOptions
{
    /// <summary>Strict: the first problem throws <see cref="FlvFormatException"/>.</summary>
    public static FlvReadOptions Strict { get; } = new();

    /// <summary>
    /// Lenient, as players are: a damaged tag is skipped and the reader resynchronises on the next
    /// offset where a plausible tag starts (a known TagType, StreamID 0, and a PreviousTagSize after it
    /// that equals 11 + DataSize). Each skip is reported to <see cref="OnSkipped"/>.
    /// </summary>
    public bool Lenient { get; init; }

    /// <summary>Called for each problem skipped in lenient mode.</summary>
    public Action<FlvFormatException>? OnSkipped { get; init; }

    /// <summary>Whether to check each tag's media header (audio/video tag headers, script AMF0) while reading: unknown codecs and broken AMF0 are errors.</summary>
    public bool CheckTagHeaders { get; init; } = true;
}
