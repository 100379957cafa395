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
        #region lab M2: byte 0 = reserved(2) filter(1) type(5); DataSize UI24 at 1; Timestamp UI24 at 4 with the extended byte 7 as bits 24–31; StreamID UI24 at 8 — README §Tags
        if (bytes.Length < Size)
        {
            throw new FlvFormatException(offset + bytes.Length, "an 11-byte tag header", $"The data ends {bytes.Length} bytes into a tag header.");
        }

        byte first = bytes[0];
        int type = first & 0x1F;
        if ((first & 0xC0) != 0 || type is not (8 or 9 or 18))
        {
            throw new FlvFormatException(offset, "TagType 8 (audio), 9 (video) or 18 (script)", $"Byte 0x{first:x2} is not a tag type.");
        }

        int dataSize = bytes[1] << 16 | bytes[2] << 8 | bytes[3];
        int timestamp = bytes[7] << 24 | bytes[4] << 16 | bytes[5] << 8 | bytes[6];
        int streamId = bytes[8] << 16 | bytes[9] << 8 | bytes[10];
        if (streamId != 0)
        {
            throw new FlvFormatException(offset + 8, "StreamID 0", $"StreamID is {streamId}.");
        }

        return new FlvTagHeader((FlvTagType)type, dataSize, timestamp, streamId, (first & 0x20) != 0);
        #endregion
    }

    /// <summary>Writes the 11 bytes.</summary>
    public void Write(Span<byte> destination)
    {
        #region lab M5: the mirror of Parse: type (with the filter bit 0x20), DataSize, Timestamp's low 24 bits, then its upper 8 bits, StreamID — README §Tags
        destination[0] = (byte)((byte)TagType | (Filter ? 0x20 : 0));
        destination[1] = (byte)(DataSize >> 16);
        destination[2] = (byte)(DataSize >> 8);
        destination[3] = (byte)DataSize;
        destination[4] = (byte)(Timestamp >> 16);
        destination[5] = (byte)(Timestamp >> 8);
        destination[6] = (byte)Timestamp;
        destination[7] = (byte)(Timestamp >> 24); // TimestampExtended
        destination[8] = (byte)(StreamId >> 16);
        destination[9] = (byte)(StreamId >> 8);
        destination[10] = (byte)StreamId;
        #endregion
    }
}
