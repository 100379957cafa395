namespace Lab07.H264Bitstream;

/// <summary>
/// The analyser: NAL units → parameter sets, SEI and slice headers → pictures (access units) with
/// their picture order count → frames (field pairs paired) → display order and GOPs. A bad NAL unit is reported in
/// <see cref="StreamReport.Errors"/> and the analysis goes on with the next one.
/// </summary>
public static class StreamAnalyzer
{
    /// <summary>Analyses an Annex B byte stream.</summary>
    public static StreamReport Analyze(ReadOnlyMemory<byte> stream)
    {
        var report = new StreamReport();
        List<AnnexBNalUnit> units;
        try
        {
            units = AnnexB.Split(stream);
        }
        catch (H264FormatException e)
        {
            report.Errors.Add(e);
            return report;
        }

        throw new NotImplementedException("Lab 07 · M5: for each NAL: parse what it is (SPS, PPS, SEI, slice) and catch H264FormatException into report.Errors (WithNalIndex) and go on; start a new access unit at an AUD/SPS/PPS/SEI after a slice or at the first slice of a new picture (§7.4.1.2.3–4); build each PictureInfo (frame or field, type, IDR, key frame = IDR or I + recovery point, top/bottom field POC by §8.2.1, size = bytes from the AU's first start code to the next AU's); then the frames (a frame picture, or two fields of opposite parity and the same frame_num paired), display order (frames by POC within each IDR period) and GOPs (a GOP starts at each key frame) — README §Access units, §POC, §Field pictures, §GOP");
    }
}
