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
        throw new NotImplementedException("Lab 05 · M1: table_id; 0xB0 | section_length >> 8 (syntax 1, '0', reserved '11'); section_length & 0xFF; the extension (big-endian); 0xC1 | version << 1 (reserved '11', current_next 1); section_number 0; last_section_number 0; the body; the CRC32 (Crc32Mpeg2) of all of it, big-endian — README §PAT and PMT");
    }

    /// <summary>
    /// Checks a section that starts at <paramref name="section"/>[0] (after the pointer_field) and returns its body,
    /// between the header and the CRC. <paramref name="offset"/> is where the section starts in the stream.
    /// </summary>
    /// <exception cref="HlsFormatException">A different table_id, a section_length that runs past the bytes, or a CRC that does not match.</exception>
    public static ReadOnlySpan<byte> ReadBody(ReadOnlySpan<byte> section, long offset, byte tableId, out int tableIdExtension)
    {
        throw new NotImplementedException("Lab 05 · M2: check table_id and section_syntax_indicator, that 3 + section_length bytes are there and section_length is at least header + CRC; the CRC over the whole section (CRC included) must give 0; return the bytes between header and CRC — README §PAT and PMT");
    }
}
