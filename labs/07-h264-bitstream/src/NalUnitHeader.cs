namespace Lab07.H264Bitstream;

/// <summary>
/// The one-byte NAL unit header (ITU-T H.264 §7.3.1):
/// <code>
/// bit  7     forbidden_zero_bit   f(1)  always 0
/// bits 6–5   nal_ref_idc          u(2)  0 = nothing refers to this NAL; 1–3 = reference data
/// bits 4–0   nal_unit_type        u(5)  Table 7-1
/// </code>
/// </summary>
/// <param name="NalRefIdc">nal_ref_idc, 0–3.</param>
/// <param name="Type">nal_unit_type, 0–31.</param>
public readonly record struct NalUnitHeader(int NalRefIdc, NalUnitType Type)
{
    /// <summary>Reads the header byte.</summary>
    /// <exception cref="H264FormatException">forbidden_zero_bit is 1 (bit offset 0).</exception>
    public static NalUnitHeader Parse(byte header)
    {
        throw new NotImplementedException("Lab 07 · M2: forbidden_zero_bit is bit 7 (must be 0, else H264FormatException at bit 0), nal_ref_idc bits 6–5, nal_unit_type bits 4–0 — README §NAL header");
    }

    /// <summary>The header byte.</summary>
    public byte ToByte()
    {
        throw new NotImplementedException("Lab 07 · M2: the inverse of Parse: nal_ref_idc in bits 6–5, nal_unit_type in bits 4–0");
    }

    /// <summary>True for coded slices of a primary picture (types 1–5, §7.4.1.2.3 "VCL NAL units").</summary>
    public bool IsVcl => Type is >= NalUnitType.Slice and <= NalUnitType.IdrSlice;

    /// <summary>Table 7-1's name for the type, as ffmpeg's trace_headers prints it ("IDR", "SPS").</summary>
    public string Name => NameOf(Type);

    /// <summary>Table 7-1's name for a nal_unit_type.</summary>
    public static string NameOf(NalUnitType type) => type switch
    {
        NalUnitType.Slice => "non-IDR slice",
        NalUnitType.SliceDataPartitionA => "slice data partition A",
        NalUnitType.SliceDataPartitionB => "slice data partition B",
        NalUnitType.SliceDataPartitionC => "slice data partition C",
        NalUnitType.IdrSlice => "IDR",
        NalUnitType.Sei => "SEI",
        NalUnitType.Sps => "SPS",
        NalUnitType.Pps => "PPS",
        NalUnitType.AccessUnitDelimiter => "AUD",
        NalUnitType.EndOfSequence => "end of sequence",
        NalUnitType.EndOfStream => "end of stream",
        NalUnitType.FillerData => "filler data",
        NalUnitType.SpsExtension => "SPS extension",
        NalUnitType.PrefixNal => "prefix",
        NalUnitType.SubsetSps => "subset SPS",
        NalUnitType.DepthParameterSet => "depth parameter set",
        NalUnitType.AuxiliarySlice => "auxiliary slice",
        NalUnitType.SliceExtension => "slice extension",
        NalUnitType.SliceExtensionDepth => "slice extension (depth)",
        _ => (int)type is >= 1 and <= 23 ? "reserved" : "unspecified",
    };
}
