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
        #region lab M5: at each frame: syncword 0xFFF (12 bits), protection_absent (bit 15: 0 means a 2-byte CRC follows the 7 bytes), profile (2 bits) + 1 = object type, sampling index (4), channels (3), aac_frame_length (13 bits at bit 30) — README §Converting back
        var frames = new List<AdtsFrame>();
        int at = 0;
        while (at < stream.Length)
        {
            if (stream.Length - at < AdtsWriter.HeaderSize)
            {
                throw new FlvFormatException(stream.Length, "a 7-byte ADTS header", $"The stream ends {stream.Length - at} bytes into an ADTS header.");
            }

            var h = stream[at..];
            if (h[0] != 0xFF || (h[1] & 0xF0) != 0xF0)
            {
                throw new FlvFormatException(at, "the ADTS syncword FFF", $"Bytes {h[0]:x2} {h[1]:x2} are not an ADTS syncword.");
            }

            int headerLength = (h[1] & 0x01) != 0 ? 7 : 9;                // protection_absent
            int objectType = (h[2] >> 6) + 1;                             // profile_ObjectType + 1
            int index = h[2] >> 2 & 0x0F;                                 // sampling_frequency_index
            int channels = (h[2] & 0x01) << 2 | h[3] >> 6;                // channel_configuration
            int length = (h[3] & 0x03) << 11 | h[4] << 3 | h[5] >> 5;     // aac_frame_length, header included
            if (index >= AudioSpecificConfig.SamplingFrequencies.Length)
            {
                throw new FlvFormatException(at + 2, "a sampling_frequency_index 0–12", $"The sampling index is {index}.");
            }

            if (length < headerLength || length > stream.Length - at)
            {
                throw new FlvFormatException(at + 3, $"an aac_frame_length from {headerLength} to {stream.Length - at}", $"The frame length is {length}.");
            }

            frames.Add(new AdtsFrame(at, headerLength, length, new AudioSpecificConfig(objectType, index, AudioSpecificConfig.SamplingFrequencies[index], channels)));
            at += length;
        }

        return frames;
        #endregion
    }
}
