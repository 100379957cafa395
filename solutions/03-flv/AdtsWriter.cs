using System.Buffers;

namespace Lab03.Flv;

/// <summary>
/// Writes raw AAC frames as ADTS (ISO/IEC 14496-3 §1.A.2.2): a 7-byte header before each frame, built
/// from the AudioSpecificConfig, as <c>ffmpeg -c:a copy -f adts</c> does.
/// </summary>
public static class AdtsWriter
{
    /// <summary>The size of an ADTS header without CRC (protection_absent = 1).</summary>
    public const int HeaderSize = 7;

    /// <summary>Writes the 7-byte ADTS header for a frame of <paramref name="frameLength"/> raw bytes.</summary>
    public static void WriteHeader(Span<byte> destination, AudioSpecificConfig config, int frameLength)
    {
        ArgumentNullException.ThrowIfNull(config);
        #region lab M4: syncword 0xFFF, ID 0 (MPEG-4), layer 00, protection_absent 1, profile = object type − 1 (2 bits), sampling index (4), private 0, channels (3), original/home 0, copyright bits 0, aac_frame_length (13 bits, header included), buffer fullness 0x7FF, 0 extra raw blocks — README §ADTS
        int length = HeaderSize + frameLength;
        int profile = config.ObjectType - 1;
        destination[0] = 0xFF;                                            // syncword, high 8 bits
        destination[1] = 0xF1;                                            // syncword low 4 bits, ID 0, layer 00, protection_absent 1
        destination[2] = (byte)((profile & 0x03) << 6 | (config.SamplingFrequencyIndex & 0x0F) << 2 | (config.ChannelConfiguration >> 2 & 0x01));
        destination[3] = (byte)((config.ChannelConfiguration & 0x03) << 6 | (length >> 11 & 0x03));
        destination[4] = (byte)(length >> 3);
        destination[5] = (byte)((length & 0x07) << 5 | 0x1F);             // length low 3 bits, buffer fullness 0x7FF high 5 bits
        destination[6] = 0xFC;                                            // buffer fullness low 6 bits, number_of_raw_data_blocks_in_frame 0
        #endregion
    }

    /// <summary>Appends one raw AAC frame behind its ADTS header.</summary>
    /// <exception cref="FlvFormatException">A frame too long for ADTS's 13-bit length (8191 bytes with the header).</exception>
    public static void WriteFrame(IBufferWriter<byte> output, AudioSpecificConfig config, ReadOnlySpan<byte> frame, long offset)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (frame.Length + HeaderSize > 0x1FFF)
        {
            throw new FlvFormatException(offset, "an AAC frame of at most 8184 bytes", $"An AAC frame of {frame.Length} bytes does not fit ADTS's 13-bit frame length.");
        }

        var span = output.GetSpan(HeaderSize + frame.Length);
        WriteHeader(span, config, frame.Length);
        frame.CopyTo(span[HeaderSize..]);
        output.Advance(HeaderSize + frame.Length);
    }
}
