using System.Buffers.Binary;

namespace Lab07.H264Bitstream;

/// <summary>
/// The Annex B byte stream format (ITU-T H.264 Annex B): NAL units separated by start codes
/// <c>00 00 01</c>, the first of an access unit's usually preceded by a zero_byte (<c>00 00 00 01</c>),
/// and any number of trailing_zero_8bits between them. Also AVCC, the length-prefixed form MP4 and
/// FLV store (ISO/IEC 14496-15 §5.3.4.2), both ways.
/// </summary>
public static class AnnexB
{
    /// <summary>
    /// The offset of the next <c>00 00 01</c> at or after <paramref name="from"/>, or -1: the plain
    /// loop, one byte at a time. Read this one first.
    /// </summary>
    public static int FindStartCodeSimple(ReadOnlySpan<byte> data, int from)
    {
        throw new NotImplementedException("Lab 07 · M1: scan data from 'from' for the three bytes 00 00 01 (§B.2) with a plain loop; return the offset of the first 00, or -1");
    }

    private static ReadOnlySpan<byte> StartCode => [0, 0, 1]; // start_code_prefix_one_3bytes, §B.1.1

    /// <summary>
    /// The same search, vectorised: <see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>
    /// compares 16–64 bytes per instruction. The benchmark compares it with the plain loop.
    /// </summary>
    public static int FindStartCode(ReadOnlySpan<byte> data, int from)
    {
        if (from >= data.Length)
        {
            return -1;
        }

        int at = data[Math.Max(0, from)..].IndexOf(StartCode);
        return at < 0 ? -1 : at + Math.Max(0, from);
    }

    /// <summary>
    /// Splits an Annex B byte stream into its NAL units. Zero bytes before the first start code
    /// (leading_zero_8bits) and after each NAL unit (trailing_zero_8bits, the zero_byte of a 4-byte
    /// start code) belong to no NAL unit (§B.2).
    /// </summary>
    /// <exception cref="H264FormatException">Bytes other than zeros before the first start code.</exception>
    public static List<AnnexBNalUnit> Split(ReadOnlyMemory<byte> stream)
    {
        throw new NotImplementedException("Lab 07 · M1: find each start code; a NAL unit runs from after it to the next start code, minus trailing zero bytes; a 00 before 00 00 01 makes a 4-byte start code; non-zero bytes before the first start code are an error (bit offset = byte offset × 8) — README §Annex B");
    }

    /// <summary>
    /// Annex B → AVCC: each NAL unit prefixed by its length, big-endian, in <paramref name="lengthSize"/>
    /// bytes (1, 2 or 4: lengthSizeMinusOne + 1 in the AVCDecoderConfigurationRecord, ISO/IEC 14496-15 §5.3.3.1).
    /// </summary>
    public static byte[] ToAvcc(ReadOnlyMemory<byte> annexB, int lengthSize = 4)
    {
        throw new NotImplementedException("Lab 07 · M1: split, then write each NAL unit as length (big-endian, lengthSize bytes) + bytes; a NAL longer than the length field can hold is an ArgumentException — README §AVCC");
    }

    /// <summary>
    /// AVCC → Annex B: each length-prefixed NAL unit written after a 4-byte start code <c>00 00 00 01</c>.
    /// </summary>
    /// <exception cref="H264FormatException">A length runs past the end of the data (the bit offset is the length field's byte offset × 8).</exception>
    public static byte[] FromAvcc(ReadOnlySpan<byte> avcc, int lengthSize = 4)
    {
        throw new NotImplementedException("Lab 07 · M1: read a big-endian length (lengthSize bytes), copy 00 00 00 01 + that many bytes, repeat to the end; a length past the end is an H264FormatException at that length's offset — README §AVCC");
    }

    private static void WriteLength(Span<byte> destination, int length)
    {
        switch (destination.Length)
        {
            case 1: destination[0] = (byte)length; break;
            case 2: BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)length); break;
            default: BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)length); break;
        }
    }

    private static long ReadLength(ReadOnlySpan<byte> source) => source.Length switch
    {
        1 => source[0],
        2 => BinaryPrimitives.ReadUInt16BigEndian(source),
        _ => BinaryPrimitives.ReadUInt32BigEndian(source),
    };
}
