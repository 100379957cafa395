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
        #region lab M1: scan data from 'from' for the three bytes 00 00 01 (§B.2) with a plain loop; return the offset of the first 00, or -1
        for (int i = Math.Max(0, from); i + 2 < data.Length; i++)
        {
            if (data[i + 2] == 1 && data[i + 1] == 0 && data[i] == 0)
            {
                return i;
            }
        }

        return -1;
        #endregion
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
        #region lab M1: find each start code; a NAL unit runs from after it to the next start code, minus trailing zero bytes; a 00 before 00 00 01 makes a 4-byte start code; non-zero bytes before the first start code are an error (bit offset = byte offset × 8) — README §Annex B
        var units = new List<AnnexBNalUnit>();
        var data = stream.Span;
        int start = FindStartCode(data, 0);
        if (start < 0)
        {
            int junk = data.IndexOfAnyExcept((byte)0);
            if (junk >= 0)
            {
                throw new H264FormatException("No start code (00 00 01) in the stream: this is not an Annex B byte stream (AVCC? use AnnexB.FromAvcc)", -1, junk * 8L);
            }

            return units;
        }

        int firstJunk = data[..start].IndexOfAnyExcept((byte)0);
        if (firstJunk >= 0)
        {
            throw new H264FormatException("Bytes other than leading_zero_8bits before the first start code (§B.1.1)", -1, firstJunk * 8L);
        }

        while (start >= 0)
        {
            int startCodeLength = start > 0 && data[start - 1] == 0 ? 4 : 3; // zero_byte + start code, §B.1.1
            int payload = start + 3;
            int next = FindStartCode(data, payload);
            int end = next < 0 ? data.Length : next;
            while (end > payload && data[end - 1] == 0)
            {
                end--; // trailing_zero_8bits, or the next start code's zero_byte
            }

            units.Add(new AnnexBNalUnit(start - (startCodeLength - 3), startCodeLength, stream[payload..end]));
            start = next;
        }

        return units;
        #endregion
    }

    /// <summary>
    /// Annex B → AVCC: each NAL unit prefixed by its length, big-endian, in <paramref name="lengthSize"/>
    /// bytes (1, 2 or 4: lengthSizeMinusOne + 1 in the AVCDecoderConfigurationRecord, ISO/IEC 14496-15 §5.3.3.1).
    /// </summary>
    public static byte[] ToAvcc(ReadOnlyMemory<byte> annexB, int lengthSize = 4)
    {
        #region lab M1: split, then write each NAL unit as length (big-endian, lengthSize bytes) + bytes; a NAL longer than the length field can hold is an ArgumentException — README §AVCC
        if (lengthSize is not (1 or 2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(lengthSize), lengthSize, "AVCC lengths are 1, 2 or 4 bytes (ISO/IEC 14496-15 §5.3.3.1).");
        }

        var units = Split(annexB);
        var output = new byte[units.Sum(u => lengthSize + u.Bytes.Length)];
        int at = 0;
        foreach (var unit in units)
        {
            long max = lengthSize == 4 ? uint.MaxValue : (1L << (8 * lengthSize)) - 1;
            if (unit.Bytes.Length > max)
            {
                throw new ArgumentException($"A {unit.Bytes.Length}-byte NAL unit does not fit a {lengthSize}-byte length.", nameof(lengthSize));
            }

            WriteLength(output.AsSpan(at, lengthSize), unit.Bytes.Length);
            unit.Bytes.Span.CopyTo(output.AsSpan(at + lengthSize));
            at += lengthSize + unit.Bytes.Length;
        }

        return output;
        #endregion
    }

    /// <summary>
    /// AVCC → Annex B: each length-prefixed NAL unit written after a 4-byte start code <c>00 00 00 01</c>.
    /// </summary>
    /// <exception cref="H264FormatException">A length runs past the end of the data (the bit offset is the length field's byte offset × 8).</exception>
    public static byte[] FromAvcc(ReadOnlySpan<byte> avcc, int lengthSize = 4)
    {
        #region lab M1: read a big-endian length (lengthSize bytes), copy 00 00 00 01 + that many bytes, repeat to the end; a length past the end is an H264FormatException at that length's offset — README §AVCC
        if (lengthSize is not (1 or 2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(lengthSize), lengthSize, "AVCC lengths are 1, 2 or 4 bytes (ISO/IEC 14496-15 §5.3.3.1).");
        }

        var output = new List<byte>(avcc.Length + avcc.Length / 8);
        int at = 0;
        int index = 0;
        while (at < avcc.Length)
        {
            if (avcc.Length - at < lengthSize)
            {
                throw new H264FormatException($"A {lengthSize}-byte NAL length cut short: {avcc.Length - at} bytes left", index, at * 8L, "NALUnitLength");
            }

            long length = ReadLength(avcc.Slice(at, lengthSize));
            if (length > avcc.Length - at - lengthSize)
            {
                throw new H264FormatException($"The NAL length {length} runs past the end of the data ({avcc.Length - at - lengthSize} bytes left)", index, at * 8L, "NALUnitLength");
            }

            output.AddRange([0, 0, 0, 1]);
            output.AddRange(avcc.Slice(at + lengthSize, (int)length));
            at += lengthSize + (int)length;
            index++;
        }

        return [.. output];
        #endregion
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
