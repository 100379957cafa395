using System.Buffers;

namespace Lab03.Flv;

/// <summary>
/// Turns the NALU tags of an FLV (AVCC: each NAL unit preceded by its length in NaluLengthSize bytes)
/// into an Annex B byte stream (H.264 Annex B: each NAL unit preceded by a start code 00 00 01 or
/// 00 00 00 01), with the SPS and PPS of the AVCDecoderConfigurationRecord in front of each IDR picture,
/// following the same rules as ffmpeg's h264_mp4toannexb, so the output is byte-identical to
/// <c>ffmpeg -c:v copy -bsf:v h264_mp4toannexb -f h264</c>:
/// <list type="bullet">
/// <item>a 4-byte start code for the first NAL unit of each access unit and for every SPS/PPS; 3 bytes for the others;</item>
/// <item>SPS+PPS from the configuration before the first IDR slice of an IDR picture unless the access unit already had in-band SPS and PPS (only the PPS when it had just an SPS);</item>
/// <item>after an in-band SPS/PPS or a non-IDR slice, the next IDR counts as a new IDR picture again.</item>
/// </list>
/// </summary>
public sealed class AnnexBWriter
{
    private static ReadOnlySpan<byte> StartCode4 => [0, 0, 0, 1];

    private AvcDecoderConfigurationRecord? _configuration;
    private bool _newIdr = true;     // the next IDR slice starts a new IDR picture
    private bool _idrSpsSeen;       // an in-band SPS came since the last non-IDR slice
    private bool _idrPpsSeen;       // an in-band PPS came since the last non-IDR slice

    /// <summary>The configuration whose SPS/PPS go before IDR pictures; set from each new sequence header.</summary>
    public AvcDecoderConfigurationRecord? Configuration
    {
        get => _configuration;
        set => _configuration = value;
    }

    /// <summary>
    /// Converts one access unit (the payload of one NALU tag, after its 5-byte video tag header) and appends it to
    /// <paramref name="output"/>. <paramref name="offset"/> is the payload's offset in the file, for errors.
    /// </summary>
    /// <exception cref="FlvFormatException">No configuration yet, or a NALU length that runs past the payload.</exception>
    public void WriteAccessUnit(ReadOnlySpan<byte> payload, IBufferWriter<byte> output, long offset)
    {
        ArgumentNullException.ThrowIfNull(output);
        throw new NotImplementedException("Lab 03 · M4: walk the NAL units (a NaluLengthSize-byte big-endian length, then the unit); write each behind a start code (4 bytes for the first of the access unit and for SPS/PPS, else 3), inserting the configuration's SPS+PPS before an IDR picture by the rules above — README §Annex B");
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> nal, int startCodeSize)
    {
        var span = output.GetSpan(startCodeSize + nal.Length);
        StartCode4[(4 - startCodeSize)..].CopyTo(span);
        nal.CopyTo(span[startCodeSize..]);
        output.Advance(startCodeSize + nal.Length);
    }
}

/// <summary>The nal_unit_type values this lab meets (H.264 Table 7-1).</summary>
public enum NalUnitType : byte
{
    /// <summary>1: a slice of a non-IDR picture.</summary>
    NonIdrSlice = 1,
    /// <summary>5: a slice of an IDR picture.</summary>
    IdrSlice = 5,
    /// <summary>6: supplemental enhancement information.</summary>
    Sei = 6,
    /// <summary>7: sequence parameter set.</summary>
    Sps = 7,
    /// <summary>8: picture parameter set.</summary>
    Pps = 8,
    /// <summary>9: access unit delimiter.</summary>
    AccessUnitDelimiter = 9,
}
