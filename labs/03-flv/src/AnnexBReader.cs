namespace Lab03.Flv;

/// <summary>One NAL unit found in an Annex B stream: where its first byte (the NAL header) is and how long it is.</summary>
/// <param name="Offset">The offset of the NAL header byte in the stream (after the start code).</param>
/// <param name="Length">The NAL unit's length, without start code and without the zero bytes before the next start code.</param>
/// <param name="Type">nal_unit_type (H.264 Table 7-1), the low 5 bits of the header byte.</param>
public readonly record struct AnnexBNalUnit(int Offset, int Length, NalUnitType Type);

/// <summary>One access unit of an Annex B stream: the NAL units of one picture, in stream order.</summary>
/// <param name="NalUnits">Its NAL units.</param>
public sealed record AnnexBAccessUnit(IReadOnlyList<AnnexBNalUnit> NalUnits)
{
    /// <summary>True when the access unit holds a slice of an IDR picture (a key frame in FLV).</summary>
    public bool IsIdr => NalUnits.Any(n => n.Type == NalUnitType.IdrSlice);

    /// <summary>The offset of its first NAL unit, for errors.</summary>
    public int Offset => NalUnits[0].Offset;
}

/// <summary>
/// Reads an Annex B byte stream (H.264 Annex B, a <c>.h264</c> file): finds the start codes <c>00 00 01</c>
/// (or <c>00 00 00 01</c>), cuts the NAL units out, and groups them into access units by the rules of
/// H.264 §7.4.1.2.3 — the inverse of <see cref="AnnexBWriter"/>.
/// </summary>
public static class AnnexBReader
{
    /// <summary>Every NAL unit of the stream, in order.</summary>
    /// <exception cref="FlvFormatException">Bytes before the first start code that are not zeros, or a NAL unit with forbidden_zero_bit set.</exception>
    public static List<AnnexBNalUnit> ReadNalUnits(ReadOnlySpan<byte> stream)
    {
        throw new NotImplementedException("Lab 03 · M5: find each 00 00 01 (a 00 before it is part of a 4-byte start code); a NAL unit runs from after its start code to the next start code, minus trailing zero bytes; only zeros may come before the first start code — README §Converting back");
    }

    /// <summary>
    /// The NAL units grouped into access units. A new access unit starts at an access unit delimiter, SEI,
    /// SPS or PPS that follows a slice, and at a slice whose first_mb_in_slice is 0 (H.264 §7.4.1.2.3).
    /// </summary>
    public static List<AnnexBAccessUnit> ReadAccessUnits(ReadOnlySpan<byte> stream)
    {
        throw new NotImplementedException("Lab 03 · M5: walk the NAL units keeping \"the current unit has a slice\"; close the unit before an AUD/SEI/SPS/PPS after a slice, or before a slice whose first_mb_in_slice is 0 (top bit of its second byte set) when the unit already has one — README §Converting back");
    }
}
