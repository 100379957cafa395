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
        #region lab M1: 0xE000 | PCR_PID, 0xF000 (program_info_length 0), then per stream: stream_type, 0xE000 | PID, 0xF000 (ES_info_length 0); then PsiSection.Write with table_id 0x02 and the program_number — README §PAT and PMT
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)(0xE000 | PcrPid));
        BinaryPrimitives.WriteUInt16BigEndian(body[2..], 0xF000);
        for (int i = 0; i < Streams.Count; i++)
        {
            var entry = body[(4 + 5 * i)..];
            entry[0] = Streams[i].StreamType;
            BinaryPrimitives.WriteUInt16BigEndian(entry[1..], (ushort)(0xE000 | Streams[i].Pid));
            BinaryPrimitives.WriteUInt16BigEndian(entry[3..], 0xF000);
        }

        return PsiSection.Write(destination, TableId, ProgramNumber, Version, body);
        #endregion
    }

    /// <summary>Reads a section (CRC checked), skipping descriptors; <paramref name="offset"/> is where it starts, for errors.</summary>
    /// <exception cref="HlsFormatException">See <see cref="PsiSection.ReadBody"/>; an info length that runs past the section.</exception>
    public static ProgramMapTable Parse(ReadOnlySpan<byte> section, long offset)
    {
        #region lab M2: PsiSection.ReadBody with table_id 0x02; PCR_PID, skip program_info_length bytes, then entries of 5 bytes + ES_info_length each; every length must stay inside the body — README §PAT and PMT
        var body = PsiSection.ReadBody(section, offset, TableId, out int programNumber);
        long bodyOffset = offset + PsiSection.HeaderSize;
        if (body.Length < 4)
        {
            throw new HlsFormatException(bodyOffset, "PCR_PID and program_info_length", $"The PMT's body is {body.Length} bytes.");
        }

        int pcrPid = BinaryPrimitives.ReadUInt16BigEndian(body) & 0x1FFF;
        int at = 4 + (BinaryPrimitives.ReadUInt16BigEndian(body[2..]) & 0x0FFF);
        if (at > body.Length)
        {
            throw new HlsFormatException(bodyOffset + 2, $"a program_info_length up to {body.Length - 4}", "program_info_length runs past the section.");
        }

        var streams = new List<ElementaryStreamEntry>();
        while (at < body.Length)
        {
            if (at + 5 > body.Length)
            {
                throw new HlsFormatException(bodyOffset + at, "a 5-byte elementary stream entry", "An elementary stream entry is cut short.");
            }

            int infoLength = BinaryPrimitives.ReadUInt16BigEndian(body[(at + 3)..]) & 0x0FFF;
            if (at + 5 + infoLength > body.Length)
            {
                throw new HlsFormatException(bodyOffset + at + 3, $"an ES_info_length up to {body.Length - at - 5}", "ES_info_length runs past the section.");
            }

            streams.Add(new ElementaryStreamEntry(body[at], BinaryPrimitives.ReadUInt16BigEndian(body[(at + 1)..]) & 0x1FFF));
            at += 5 + infoLength;
        }

        return new ProgramMapTable(programNumber, pcrPid, streams, section[5] >> 1 & 0x1F);
        #endregion
    }
}
