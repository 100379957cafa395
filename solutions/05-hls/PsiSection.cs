using System.Buffers.Binary;

namespace Lab05.Hls;

/// <summary>
/// The long form of a PSI section, shared by the PAT and the PMT (ISO/IEC 13818-1 §2.4.4.3–§2.4.4.9):
/// <code>
/// table_id 8 | section_syntax_indicator 1 (1) | '0' 1 | reserved 2 | section_length 12 (bytes after it, CRC included)
/// table_id_extension 16 (transport_stream_id or program_number) | reserved 2 | version_number 5 | current_next_indicator 1
/// section_number 8 | last_section_number 8 | ...the table's body... | CRC_32 32
/// </code>
/// </summary>
public static class PsiSection
{
    /// <summary>The bytes before the body: table_id to last_section_number.</summary>
    public const int HeaderSize = 8;

    /// <summary>The CRC_32 at the end.</summary>
    public const int CrcSize = 4;

    /// <summary>The largest section_length of a PAT or PMT (§2.4.4.3: its top two bits are 0, and it is at most 1021).</summary>
    public const int MaxSectionLength = 1021;

    /// <summary>
    /// Writes a whole section around <paramref name="body"/>: header (section 0 of 0, current_next 1), body, and the
    /// CRC32 of everything before it. Returns its size.
    /// </summary>
    public static int Write(Span<byte> destination, byte tableId, int tableIdExtension, int version, ReadOnlySpan<byte> body)
    {
        int sectionLength = HeaderSize - 3 + body.Length + CrcSize;
        #region lab M1: table_id; 0xB0 | section_length >> 8 (syntax 1, '0', reserved '11'); section_length & 0xFF; the extension (big-endian); 0xC1 | version << 1 (reserved '11', current_next 1); section_number 0; last_section_number 0; the body; the CRC32 (Crc32Mpeg2) of all of it, big-endian — README §PAT and PMT
        destination[0] = tableId;
        destination[1] = (byte)(0xB0 | sectionLength >> 8);
        destination[2] = (byte)sectionLength;
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)tableIdExtension);
        destination[5] = (byte)(0xC1 | (version & 0x1F) << 1);
        destination[6] = 0;
        destination[7] = 0;
        body.CopyTo(destination[HeaderSize..]);
        int crcAt = HeaderSize + body.Length;
        BinaryPrimitives.WriteUInt32BigEndian(destination[crcAt..], Crc32Mpeg2.Compute(destination[..crcAt]));
        return crcAt + CrcSize;
        #endregion
    }

    /// <summary>
    /// Checks a section that starts at <paramref name="section"/>[0] (after the pointer_field) and returns its body,
    /// between the header and the CRC. <paramref name="offset"/> is where the section starts in the stream.
    /// </summary>
    /// <exception cref="HlsFormatException">A different table_id, a section_length that runs past the bytes, or a CRC that does not match.</exception>
    public static ReadOnlySpan<byte> ReadBody(ReadOnlySpan<byte> section, long offset, byte tableId, out int tableIdExtension)
    {
        #region lab M2: check table_id and section_syntax_indicator, that 3 + section_length bytes are there and section_length is at least header + CRC; the CRC over the whole section (CRC included) must give 0; return the bytes between header and CRC — README §PAT and PMT
        if (section.Length < 3)
        {
            throw new HlsFormatException(offset, "a PSI section header", $"Only {section.Length} bytes are left for a section.");
        }

        if (section[0] != tableId)
        {
            throw new HlsFormatException(offset, $"table_id 0x{tableId:X2}", $"The section has table_id 0x{section[0]:X2}.");
        }

        if ((section[1] & 0x80) == 0)
        {
            throw new HlsFormatException(offset + 1, "section_syntax_indicator 1", "The section uses the short form; a PAT or PMT is always the long form.");
        }

        int sectionLength = (section[1] & 0x0F) << 8 | section[2];
        if (sectionLength < HeaderSize - 3 + CrcSize || sectionLength > MaxSectionLength || 3 + sectionLength > section.Length)
        {
            throw new HlsFormatException(offset + 1, $"a section_length from {HeaderSize - 3 + CrcSize} to {Math.Min(MaxSectionLength, section.Length - 3)}", $"section_length {sectionLength} does not fit the section.");
        }

        var whole = section[..(3 + sectionLength)];
        if (Crc32Mpeg2.Compute(whole) != 0)
        {
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(whole[^CrcSize..]);
            uint computed = Crc32Mpeg2.Compute(whole[..^CrcSize]);
            throw new HlsFormatException(offset + whole.Length - CrcSize, $"CRC_32 0x{computed:X8}", $"The section's CRC_32 is 0x{stored:X8}: its bytes were damaged.");
        }

        tableIdExtension = BinaryPrimitives.ReadUInt16BigEndian(whole[3..]);
        return whole[HeaderSize..^CrcSize];
        #endregion
    }
}
