namespace Lab03.Flv;

/// <summary>The TagType values (FLV spec E.4.1).</summary>
public enum FlvTagType : byte
{
    /// <summary>8: audio data.</summary>
    Audio = 8,

    /// <summary>9: video data.</summary>
    Video = 9,

    /// <summary>18: script data (AMF0: onMetaData).</summary>
    Script = 18,
}

/// <summary>
/// The 11-byte tag header (FLV spec E.4.1): Reserved(2) Filter(1) TagType(5), DataSize UI24,
/// Timestamp UI24 + TimestampExtended UI8 (the upper 8 bits of an SI32 in milliseconds), StreamID UI24 (0).
/// </summary>
/// <param name="TagType">8 audio, 9 video, 18 script.</param>
/// <param name="DataSize">The size of the tag's data: everything after these 11 bytes, before PreviousTagSize.</param>
/// <param name="Timestamp">Milliseconds: TimestampExtended &lt;&lt; 24 | Timestamp. For video this is the DTS.</param>
/// <param name="StreamId">Always 0.</param>
/// <param name="Filter">The Filter bit: the tag is encrypted (never set by ffmpeg or OBS).</param>
public readonly record struct FlvTagHeader(FlvTagType TagType, int DataSize, int Timestamp, int StreamId = 0, bool Filter = false)
{
    /// <summary>The size of a tag header.</summary>
    public const int Size = 11;

    /// <summary>The size of the PreviousTagSize field after each tag (E.3).</summary>
    public const int PreviousTagSizeLength = 4;

    /// <summary>The value the PreviousTagSize after this tag must have: 11 + DataSize.</summary>
    public int TagSize => Size + DataSize;

    /// <summary>Reads the 11 bytes of a tag header. <paramref name="offset"/> is where they are in the file, for errors.</summary>
    /// <exception cref="FlvFormatException">A TagType other than 8, 9, 18, set reserved bits, or a StreamID other than 0.</exception>
    public static FlvTagHeader Parse(ReadOnlySpan<byte> bytes, long offset)
    {
        throw new NotImplementedException("Lab 03 · M2: byte 0 = reserved(2) filter(1) type(5); DataSize UI24 at 1; Timestamp UI24 at 4 with the extended byte 7 as bits 24–31; StreamID UI24 at 8 — README §Tags");
    }

    /// <summary>Writes the 11 bytes.</summary>
    public void Write(Span<byte> destination)
    {
        throw new NotImplementedException("Lab 03 · M5: the mirror of Parse: type (with the filter bit 0x20), DataSize, Timestamp's low 24 bits, then its upper 8 bits, StreamID — README §Tags");
    }
}
