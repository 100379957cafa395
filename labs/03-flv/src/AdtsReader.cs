namespace Lab03.Flv;

/// <summary>One frame of an ADTS stream.</summary>
/// <param name="Offset">Where its ADTS header starts in the stream.</param>
/// <param name="HeaderLength">7, or 9 with a CRC (protection_absent 0).</param>
/// <param name="Length">aac_frame_length: header and raw data.</param>
/// <param name="Config">The AudioSpecificConfig its header says (object type = profile + 1, sampling index, channels).</param>
public readonly record struct AdtsFrame(int Offset, int HeaderLength, int Length, AudioSpecificConfig Config)
{
    /// <summary>Where the raw AAC frame starts.</summary>
    public int RawOffset => Offset + HeaderLength;

    /// <summary>The raw AAC frame's length.</summary>
    public int RawLength => Length - HeaderLength;
}

/// <summary>Reads an ADTS stream (ISO/IEC 14496-3 §1.A.2.2, a <c>.aac</c> file) back into frames: the inverse of <see cref="AdtsWriter"/>.</summary>
public static class AdtsReader
{
    /// <summary>Every frame of the stream.</summary>
    /// <exception cref="FlvFormatException">A missing syncword, a reserved sampling index, a frame length shorter than its header or running past the end.</exception>
    public static List<AdtsFrame> ReadFrames(ReadOnlySpan<byte> stream)
    {
        throw new NotImplementedException("Lab 03 · M5: at each frame: syncword 0xFFF (12 bits), protection_absent (bit 15: 0 means a 2-byte CRC follows the 7 bytes), profile (2 bits) + 1 = object type, sampling index (4), channels (3), aac_frame_length (13 bits at bit 30) — README §Converting back");
    }
}
