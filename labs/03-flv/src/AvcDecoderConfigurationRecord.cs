using System.Buffers.Binary;

namespace Lab03.Flv;

/// <summary>
/// The AVCDecoderConfigurationRecord (ISO/IEC 14496-15:2010 §5.2.4.1.1) an AVC sequence header tag carries
/// (AVCPacketType 0): the profile and level, how many bytes each NALU length takes in the NALU tags,
/// and the SPS and PPS the decoder needs before the first frame.
/// </summary>
/// <param name="ConfigurationVersion">Always 1.</param>
/// <param name="Profile">AVCProfileIndication: profile_idc of the SPS (66 Baseline, 77 Main, 100 High).</param>
/// <param name="Compatibility">profile_compatibility: the SPS's constraint_set flags byte.</param>
/// <param name="Level">AVCLevelIndication: level_idc × 10 ... 31 is level 3.1.</param>
/// <param name="NaluLengthSize">lengthSizeMinusOne + 1: 1, 2 or 4 bytes (3 is legal too and seen in the wild).</param>
/// <param name="SequenceParameterSets">The SPS NAL units, without length or start code.</param>
/// <param name="PictureParameterSets">The PPS NAL units.</param>
public sealed record AvcDecoderConfigurationRecord(byte ConfigurationVersion, byte Profile, byte Compatibility, byte Level, int NaluLengthSize,
    IReadOnlyList<byte[]> SequenceParameterSets, IReadOnlyList<byte[]> PictureParameterSets)
{
    /// <summary>Reads the record. <paramref name="offset"/> is its offset in the file, for errors.</summary>
    /// <exception cref="FlvFormatException">A version other than 1, or a record cut short.</exception>
    public static AvcDecoderConfigurationRecord Parse(ReadOnlySpan<byte> record, long offset)
    {
        throw new NotImplementedException("Lab 03 · M4: version (1), profile, compatibility, level, then 0b111111xx lengthSizeMinusOne, 0b111nnnnn SPS count, each SPS as UI16 length + bytes, a PPS count byte, each PPS the same — README §AVCDecoderConfigurationRecord");
    }

    /// <summary>The profile's name as ffprobe prints it ("High", "Main", "Constrained Baseline").</summary>
    public string ProfileName => Profile switch
    {
        66 when (Compatibility & 0x40) != 0 => "Constrained Baseline", // constraint_set1_flag (H.264 §A.2.1.1)
        66 => "Baseline",
        77 => "Main",
        88 => "Extended",
        100 => "High",
        110 => "High 10",
        122 => "High 4:2:2",
        244 => "High 4:4:4 Predictive",
        _ => $"profile {Profile}",
    };

    /// <summary>True when two records carry the same bytes' meaning (a repeated sequence header).</summary>
    public bool SameAs(AvcDecoderConfigurationRecord other) =>
        other.Profile == Profile && other.Compatibility == Compatibility && other.Level == Level && other.NaluLengthSize == NaluLengthSize
        && other.SequenceParameterSets.Count == SequenceParameterSets.Count && other.PictureParameterSets.Count == PictureParameterSets.Count
        && other.SequenceParameterSets.Zip(SequenceParameterSets).All(p => p.First.AsSpan().SequenceEqual(p.Second))
        && other.PictureParameterSets.Zip(PictureParameterSets).All(p => p.First.AsSpan().SequenceEqual(p.Second));
}
