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
        throw new NotImplementedException("Lab 03 · M4: syncword 0xFFF, ID 0 (MPEG-4), layer 00, protection_absent 1, profile = object type − 1 (2 bits), sampling index (4), private 0, channels (3), original/home 0, copyright bits 0, aac_frame_length (13 bits, header included), buffer fullness 0x7FF, 0 extra raw blocks — README §ADTS");
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
