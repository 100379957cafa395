namespace Lab07.H264Bitstream;

/// <summary>
/// One NAL unit found in an Annex B byte stream: where its start code was, how long it was (3 or 4
/// bytes), and the NAL unit's bytes (header first, emulation prevention still in, no trailing zeros).
/// </summary>
/// <param name="StartCodeOffset">The byte offset of the start code in the stream.</param>
/// <param name="StartCodeLength">3 (<c>00 00 01</c>) or 4 (<c>00 00 00 01</c>, zero_byte + start code, §B.1.1).</param>
/// <param name="Bytes">The NAL unit: header byte first, as it is in the stream (still escaped).</param>
public readonly record struct AnnexBNalUnit(long StartCodeOffset, int StartCodeLength, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>The byte offset of the NAL unit's header in the stream.</summary>
    public long Offset => StartCodeOffset + StartCodeLength;

    /// <summary>The NAL unit header (first byte); throws <see cref="H264FormatException"/> for an empty unit or a set forbidden bit.</summary>
    public NalUnitHeader Header => Bytes.IsEmpty
        ? throw new H264FormatException("An empty NAL unit: a start code followed at once by another", -1, Offset * 8)
        : NalUnitHeader.Parse(Bytes.Span[0]);
}
