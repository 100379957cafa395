using System.Buffers.Binary;

namespace Lab05.Hls;

/// <summary>stream_type values of the PMT that HLS uses (ISO/IEC 13818-1 Table 2-34).</summary>
public static class StreamType
{
    /// <summary>ISO/IEC 14496-3 audio with the ADTS transport syntax: AAC.</summary>
    public const byte AdtsAac = 0x0F;

    /// <summary>ITU-T H.264 | ISO/IEC 14496-10 video (AVC).</summary>
    public const byte H264 = 0x1B;
}

/// <summary>One elementary stream of a program: its stream_type and the PID its packets use.</summary>
public readonly record struct ElementaryStreamEntry(byte StreamType, int Pid);

/// <summary>
/// The Program Map Table of one program, table_id 0x02 (ISO/IEC 13818-1 §2.4.4.8–§2.4.4.9): the PID that carries the
/// PCR, then for each elementary stream its stream_type and PID. This muxer writes no descriptors.
/// <code>
/// reserved 3 | PCR_PID 13 | reserved 4 | program_info_length 12 | descriptors
/// { stream_type 8 | reserved 3 | elementary_PID 13 | reserved 4 | ES_info_length 12 | descriptors } ...
/// </code>
/// </summary>
public sealed record ProgramMapTable(int ProgramNumber, int PcrPid, IReadOnlyList<ElementaryStreamEntry> Streams, int Version = 0)
{
    /// <summary>table_id of a TS_program_map_section (Table 2-31).</summary>
    public const byte TableId = 0x02;

    /// <summary>Writes the whole section (no pointer_field); returns its size.</summary>
    public int Write(Span<byte> destination)
    {
        Span<byte> body = stackalloc byte[4 + 5 * Streams.Count];
        throw new NotImplementedException("Lab 05 · M1: 0xE000 | PCR_PID, 0xF000 (program_info_length 0), then per stream: stream_type, 0xE000 | PID, 0xF000 (ES_info_length 0); then PsiSection.Write with table_id 0x02 and the program_number — README §PAT and PMT");
    }

    /// <summary>Reads a section (CRC checked), skipping descriptors; <paramref name="offset"/> is where it starts, for errors.</summary>
    /// <exception cref="HlsFormatException">See <see cref="PsiSection.ReadBody"/>; an info length that runs past the section.</exception>
    public static ProgramMapTable Parse(ReadOnlySpan<byte> section, long offset)
    {
        throw new NotImplementedException("Lab 05 · M2: PsiSection.ReadBody with table_id 0x02; PCR_PID, skip program_info_length bytes, then entries of 5 bytes + ES_info_length each; every length must stay inside the body — README §PAT and PMT");
    }
}
