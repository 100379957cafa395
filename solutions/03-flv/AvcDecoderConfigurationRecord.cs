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
        #region lab M4: version (1), profile, compatibility, level, then 0b111111xx lengthSizeMinusOne, 0b111nnnnn SPS count, each SPS as UI16 length + bytes, a PPS count byte, each PPS the same — README §AVCDecoderConfigurationRecord
        if (record.Length < 7)
        {
            throw new FlvFormatException(offset + record.Length, "an AVCDecoderConfigurationRecord of at least 7 bytes", $"The AVC sequence header is only {record.Length} bytes.");
        }

        if (record[0] != 1)
        {
            throw new FlvFormatException(offset, "configurationVersion 1", $"configurationVersion is {record[0]}.");
        }

        int lengthSize = (record[4] & 0x03) + 1;
        int at = 5;
        var sps = ReadParameterSets(record, ref at, record[5] & 0x1F, offset, "SPS");
        if (at >= record.Length)
        {
            throw new FlvFormatException(offset + at, "numOfPictureParameterSets", "The AVCDecoderConfigurationRecord ends before its PPS count.");
        }

        int ppsCount = record[at];
        var pps = ReadParameterSets(record, ref at, ppsCount, offset, "PPS");
        return new AvcDecoderConfigurationRecord(record[0], record[1], record[2], record[3], lengthSize, sps, pps);
        #endregion
    }

    #region lab-remove
    private static List<byte[]> ReadParameterSets(ReadOnlySpan<byte> record, ref int at, int count, long offset, string what)
    {
        at++; // the count byte
        var sets = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            if (at + 2 > record.Length)
            {
                throw new FlvFormatException(offset + at, $"the length of {what} {i} (UI16)", $"The AVCDecoderConfigurationRecord ends inside {what} {i}'s length.");
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(record[at..]);
            if (at + 2 + length > record.Length)
            {
                throw new FlvFormatException(offset + at, $"{length} bytes of {what} {i}", $"{what} {i} is {length} bytes but only {record.Length - at - 2} follow.");
            }

            sets.Add(record.Slice(at + 2, length).ToArray());
            at += 2 + length;
        }

        return sets;
    }
    #endregion

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
