using System.Buffers.Binary;

namespace Lab05.Hls;

/// <summary>One program of the PAT: its number and the PID of its PMT.</summary>
public readonly record struct ProgramEntry(int ProgramNumber, int PmtPid);

/// <summary>
/// The Program Association Table, always on PID 0 with table_id 0x00 (ISO/IEC 13818-1 §2.4.4.3–§2.4.4.4): for each
/// program, its program_number (16 bits) and the PID of its PMT ('111' then 13 bits).
/// </summary>
public sealed record ProgramAssociationTable(int TransportStreamId, IReadOnlyList<ProgramEntry> Programs, int Version = 0)
{
    /// <summary>The PAT's PID (§2.4.4.4, Table 2-3).</summary>
    public const int Pid = 0x0000;

    /// <summary>table_id of a program_association_section (Table 2-31).</summary>
    public const byte TableId = 0x00;

    /// <summary>Writes the whole section (no pointer_field); returns its size.</summary>
    public int Write(Span<byte> destination)
    {
        Span<byte> body = stackalloc byte[4 * Programs.Count];
        throw new NotImplementedException("Lab 05 · M1: for each program 4 bytes: program_number (big-endian), then 0xE000 | PID (reserved '111'); then PsiSection.Write with table_id 0x00 and the transport_stream_id — README §PAT and PMT");
    }

    /// <summary>Reads a section (CRC checked); <paramref name="offset"/> is where it starts, for errors.</summary>
    /// <exception cref="HlsFormatException">See <see cref="PsiSection.ReadBody"/>; a body that is not whole 4-byte entries.</exception>
    public static ProgramAssociationTable Parse(ReadOnlySpan<byte> section, long offset)
    {
        throw new NotImplementedException("Lab 05 · M2: PsiSection.ReadBody with table_id 0x00; the body is 4-byte entries: program_number, then 13 bits of PID — README §PAT and PMT");
    }
}
