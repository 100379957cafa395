using System.Globalization;
using System.Text;

namespace Lab07.H264Bitstream;

/// <summary>
/// One coded picture — an access unit: a frame or a field — in <see cref="StreamReport.Pictures"/>; or one frame — a
/// frame picture, a complementary field pair, or a field left without its pair — in <see cref="StreamReport.Frames"/>.
/// </summary>
public sealed record PictureInfo
{
    /// <summary>Position in decode order (0-based) in its list: access units in Pictures (ffprobe's packets), frames in Frames (ffprobe's coded_picture_number).</summary>
    public int DecodeIndex { get; init; }

    /// <summary>Position in display (output) order of the frame: frames sorted by POC within each IDR period. Both fields of a pair carry their frame's.</summary>
    public int DisplayIndex { get; set; }

    /// <summary>A frame picture, a top or bottom field picture, or (in Frames only) a complementary field pair.</summary>
    public PictureStructure Structure { get; init; }

    /// <summary>TopFieldOrderCnt (§8.2.1): the top field's POC, null for a bottom field alone.</summary>
    public int? TopFieldOrderCnt { get; init; }

    /// <summary>BottomFieldOrderCnt (§8.2.1): the bottom field's POC, null for a top field alone.</summary>
    public int? BottomFieldOrderCnt { get; init; }

    /// <summary>The top field is shown first: TopFieldOrderCnt is below BottomFieldOrderCnt (ffprobe's top_field_first; equal counts say neither).</summary>
    public bool TopFieldFirst => TopFieldOrderCnt < BottomFieldOrderCnt;

    /// <summary>'I', 'P' or 'B' (a picture with B slices is B; else with P slices P; else I), as ffprobe's pict_type; a field pair has its first field's type.</summary>
    public char Type { get; init; }

    /// <summary>An IDR picture (nal_unit_type 5).</summary>
    public bool IsIdr { get; init; }

    /// <summary>A random access point: an IDR, or an I picture whose access unit carries a recovery point SEI (ffprobe's key_frame).</summary>
    public bool IsKeyFrame { get; init; }

    /// <summary>The largest nal_ref_idc of its slices: 0 means no picture refers to it (a disposable picture).</summary>
    public int NalRefIdc { get; init; }

    /// <summary>frame_num.</summary>
    public int FrameNum { get; init; }

    /// <summary>PicOrderCnt (§8.2.1): the display position within its IDR period — a field's own count, Min(TopFieldOrderCnt, BottomFieldOrderCnt) for a frame or a field pair.</summary>
    public int PicOrderCnt { get; init; }

    /// <summary>How many slices the picture has.</summary>
    public int Slices { get; init; }

    /// <summary>The access unit's size in bytes, start codes and parameter sets included (ffprobe's packet size); a field pair's is both access units'.</summary>
    public int Size { get; init; }

    /// <summary>Counts IDRs (and MMCO 5s): POCs compare only within one period.</summary>
    public int PocPeriod { get; init; }

    /// <summary>The first slice's QP (26 + pic_init_qp_minus26 + slice_qp_delta).</summary>
    public int Qp { get; init; }
}

/// <summary>A group of pictures (图像组): from one random access point (key frame) to the next, in decode order, counted in frames.</summary>
/// <param name="StartDecodeIndex">The key frame's decode index in <see cref="StreamReport.Frames"/>.</param>
/// <param name="Length">How many frames, the key frame included.</param>
/// <param name="StartsWithIdr">True when the GOP starts at an IDR.</param>
/// <param name="IsClosed">True when no picture of the GOP refers to a picture before the key frame: it starts with an IDR, or no picture after the key frame in decode order is displayed before it.</param>
public sealed record GopInfo(int StartDecodeIndex, int Length, bool StartsWithIdr, bool IsClosed);

/// <summary>What the analyser found in a stream.</summary>
public sealed class StreamReport
{
    /// <summary>Every NAL unit: index, type, nal_ref_idc, size in bytes (NAL only).</summary>
    public List<(int Index, NalUnitType Type, int NalRefIdc, int Size)> Nals { get; } = [];

    /// <summary>The SPSs, by id (the last one sent).</summary>
    public Dictionary<int, SequenceParameterSet> SequenceParameterSets { get; } = [];

    /// <summary>The PPSs, by id (the last one sent).</summary>
    public Dictionary<int, PictureParameterSet> PictureParameterSets { get; } = [];

    /// <summary>SEI messages with the NAL index that carried them.</summary>
    public List<(int NalIndex, SeiMessage Message)> SeiMessages { get; } = [];

    /// <summary>The coded pictures (access units: frames and fields) in decode order.</summary>
    public List<PictureInfo> Pictures { get; } = [];

    /// <summary>The frames in decode order: each frame picture, each complementary field pair as one (Structure FieldPair), each field without a pair alone.</summary>
    public List<PictureInfo> Frames { get; } = [];

    /// <summary>The GOPs in decode order.</summary>
    public List<GopInfo> Gops { get; } = [];

    /// <summary>Errors met; the analyser reports each and goes on with the next NAL unit.</summary>
    public List<H264FormatException> Errors { get; } = [];

    /// <summary>The frames in display order.</summary>
    public IEnumerable<PictureInfo> InDisplayOrder => Frames.OrderBy(p => p.DisplayIndex);

    /// <summary>Distances in frames between consecutive IDRs (decode order).</summary>
    public IReadOnlyList<int> IdrIntervals
    {
        get
        {
            var idrs = Frames.Where(p => p.IsIdr).Select(p => p.DecodeIndex).ToList();
            return [.. idrs.Zip(idrs.Skip(1), (a, b) => b - a)];
        }
    }

    /// <summary>An analyser-style text report.</summary>
    public string ToText(string? title = null)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        if (title is not null)
        {
            text.AppendLine(title);
        }

        foreach (var sps in SequenceParameterSets.Values)
        {
            text.AppendLine(c, $"SPS {sps.SeqParameterSetId}: {sps.ProfileName} (profile_idc {sps.ProfileIdc}) level {sps.LevelIdc / 10.0:0.#}, {sps.Width}×{sps.Height} (coded {sps.CodedWidth}×{sps.CodedHeight}), {sps.PixelFormat}, " +
                                $"{(sps.FrameRate is { } fps ? fps.ToString("0.###", c) + " fps" : "no timing")}, POC type {sps.PicOrderCntType}, {sps.MaxNumRefFrames} reference frames, " +
                                $"{(sps.FrameMbsOnly ? "progressive (frame_mbs_only 1)" : $"interlaced (frame_mbs_only 0, MBAFF {(sps.MbAdaptiveFrameField ? "on" : "off")})")}" +
                                $"{(sps.Vui?.SampleAspectRatio is { } sar ? $", SAR {sar.Width}:{sar.Height}" : "")}{(sps.Vui?.ColourPrimaries is { } p ? $", colour {p}/{sps.Vui.TransferCharacteristics}/{sps.Vui.MatrixCoefficients}" : "")}");
        }

        foreach (var pps in PictureParameterSets.Values)
        {
            text.AppendLine(c, $"PPS {pps.PicParameterSetId} → SPS {pps.SeqParameterSetId}: {pps.EntropyCoder}, init QP {26 + pps.PicInitQpMinus26}, refs l0/l1 {pps.NumRefIdxL0DefaultActiveMinus1 + 1}/{pps.NumRefIdxL1DefaultActiveMinus1 + 1}, " +
                                $"weighted P {(pps.WeightedPredFlag ? "on" : "off")}, bipred {pps.WeightedBipredIdc}, 8×8 transform {(pps.Transform8x8Mode ? "on" : "off")}, slice groups {pps.NumSliceGroupsMinus1 + 1}");
        }

        text.AppendLine($"NAL units: {Nals.Count.ToString(c)} — " + string.Join(", ", Nals.GroupBy(n => n.Type).OrderBy(g => g.Key).Select(g => $"{NalUnitHeader.NameOf(g.Key)} ×{g.Count()}")));
        // One line per kind of SEI message: a stream carries picture timing (and often recovery points) with every picture.
        foreach (var kind in SeiMessages.GroupBy(m => m.Message.Name))
        {
            var details = kind.Select(m => Detail(m.Message)).Distinct().ToList();
            string shown = string.Join("; ", details.Take(3)) + (details.Count > 3 ? $"; … ({details.Count} different)" : "");
            text.AppendLine(kind.Count() == 1
                ? string.Create(c, $"SEI (NAL #{kind.First().NalIndex}): {kind.Key}: {shown}")
                : string.Create(c, $"SEI {kind.Key} ×{kind.Count()} (first in NAL #{kind.First().NalIndex}): {shown}"));
        }

        int fields = Pictures.Count(p => p.Structure != PictureStructure.Frame);
        string fieldNote = fields == 0 ? "" : string.Create(c, $"; from {Pictures.Count} coded pictures, {fields} of them fields ({Frames.Count(f => f.Structure == PictureStructure.FieldPair)} field pairs)");
        text.AppendLine(c, $"Frames: {Frames.Count} — I {Frames.Count(p => p.Type == 'I')}, P {Frames.Count(p => p.Type == 'P')}, B {Frames.Count(p => p.Type == 'B')}; IDR {Frames.Count(p => p.IsIdr)}, key frames {Frames.Count(p => p.IsKeyFrame)}{fieldNote}");
        text.AppendLine("decode order:  " + string.Concat(Frames.Select(Letter)));
        text.AppendLine("display order: " + string.Concat(InDisplayOrder.Select(Letter)));
        text.AppendLine("(upper case = reference picture, lower case = disposable; * = key frame)");
        foreach (var gop in Gops)
        {
            text.AppendLine(c, $"GOP at frame {gop.StartDecodeIndex}: {gop.Length} frames, {(gop.StartsWithIdr ? "IDR" : "non-IDR I + recovery point")}, {(gop.IsClosed ? "closed" : "open")}");
        }

        if (IdrIntervals.Count > 0)
        {
            text.AppendLine(c, $"IDR interval: {string.Join(", ", IdrIntervals.Distinct())} frames");
        }

        text.AppendLine(c, $"{"#",4} {"type",4} {"picture",-7} {"POC",5} {"frame_num",9} {"ref",3} {"QP",3} {"slices",6} {"bytes",8} {"display",7}");
        foreach (var p in Pictures)
        {
            string kind = p.Type + (p.IsIdr ? " IDR" : p.IsKeyFrame ? " key" : "");
            string structure = p.Structure switch { PictureStructure.TopField => "top", PictureStructure.BottomField => "bottom", _ => "frame" };
            text.AppendLine(c, $"{p.DecodeIndex,4} {kind,-5} {structure,-7} {p.PicOrderCnt,5} {p.FrameNum,9} {p.NalRefIdc,3} {p.Qp,3} {p.Slices,6} {p.Size,8} {p.DisplayIndex,7}");
        }

        foreach (var error in Errors)
        {
            text.AppendLine(c, $"error: {error.Message}");
        }

        return text.ToString();
    }

    private static string Detail(SeiMessage message) =>
        message.AsUserDataUnregistered() is { } u ? $"\"{(u.Text.Length > 100 ? u.Text[..100] + "…" : u.Text)}\""
        : message.AsRecoveryPoint() is { } r ? string.Create(CultureInfo.InvariantCulture, $"recovery_frame_cnt {r.RecoveryFrameCnt}, exact {r.ExactMatch}, broken link {r.BrokenLink}")
        : string.Create(CultureInfo.InvariantCulture, $"{message.Payload.Length} bytes");

    private static string Letter(PictureInfo p) =>
        (p.NalRefIdc == 0 ? char.ToLowerInvariant(p.Type) : p.Type) + (p.IsKeyFrame ? "*" : "");
}
