namespace Lab07.H264Bitstream.Tests;

/// <summary>
/// M5 on field pictures (PAFF, README §Field pictures): each field is an access unit with its own POC, and two fields
/// of a frame are one frame — against what ffprobe and trace_headers say about testdata's paff.h264, and against
/// §3's definition of a complementary field pair on streams written by hand from §7.3 (<see cref="SpecUnit"/>).
/// </summary>
public class M5FieldPairTests
{
    private const string M5 = "M5 access units, display order, GOPs";

    [Fact]
    [Trait("Milestone", M5)]
    public void Each_field_is_a_coded_picture_with_its_own_POC_like_trace_headers()
    {
        var report = StreamAnalyzer.Analyze(Oracle.Bytes("paff"));
        // trace_headers: one slice per field picture, in decode order.
        var slices = Oracle.TraceOf("paff").BlocksTitled("Slice Header").ToList();
        Assert.True(report.Errors.Count == 0 && report.Pictures.Count == slices.Count,
            $"paff.h264 has {slices.Count} field pictures (one slice each, trace_headers); you have {report.Pictures.Count} pictures and {report.Errors.Count} errors ({report.Errors.FirstOrDefault()?.Message}). See README §Field pictures.");
        for (int i = 0; i < slices.Count; i++)
        {
            bool bottom = slices[i].Value("bottom_field_flag") == 1;
            Assert.True(slices[i].Value("field_pic_flag") == 1, "(test) every slice of paff.h264 is a field.");
            var expected = bottom ? PictureStructure.BottomField : PictureStructure.TopField;
            long lsb = slices[i].Value("pic_order_cnt_lsb"); // the lsb never wraps in paff.h264: PicOrderCntMsb stays 0 (Eq. 8-3)
            var p = report.Pictures[i];
            Assert.True(p.Structure == expected, $"paff.h264 picture {i}: trace_headers says field_pic_flag 1, bottom_field_flag {(bottom ? 1 : 0)}, so Structure {expected}; yours {p.Structure}. See README §Field pictures.");
            Assert.True(p.PicOrderCnt == lsb && (bottom ? p.BottomFieldOrderCnt == lsb && p.TopFieldOrderCnt is null : p.TopFieldOrderCnt == lsb && p.BottomFieldOrderCnt is null),
                $"paff.h264 picture {i} ({expected}, pic_order_cnt_lsb {lsb}): expected PicOrderCnt {lsb}, {(bottom ? $"BottomFieldOrderCnt {lsb}, TopFieldOrderCnt null" : $"TopFieldOrderCnt {lsb}, BottomFieldOrderCnt null")}; " +
                $"yours {p.PicOrderCnt}, top {p.TopFieldOrderCnt?.ToString() ?? "null"}, bottom {p.BottomFieldOrderCnt?.ToString() ?? "null"}. A field has only its own order count (§8.2.1). See README §Field pictures.");
        }
    }

    [Fact]
    [Trait("Milestone", M5)]
    public void Field_pairs_are_ffprobes_frames_with_its_field_order()
    {
        var report = StreamAnalyzer.Analyze(Oracle.Bytes("paff"));
        var frames = Oracle.FramesOf("paff");
        var order = Oracle.FieldOrderOf("paff");
        var packets = Oracle.PacketsOf("paff");
        var slices = Oracle.TraceOf("paff").BlocksTitled("Slice Header").ToList();
        Assert.True(report.Frames.Count == frames.Count,
            $"paff.h264: ffprobe decodes {frames.Count} frames from {packets.Count} field pictures (every two fields one frame); your Frames has {report.Frames.Count}. See README §Field pictures.");
        var display = report.InDisplayOrder.ToList();
        for (int i = 0; i < frames.Count; i++)
        {
            var f = display[i];
            Assert.True(order[i].Interlaced && f.Structure == PictureStructure.FieldPair,
                $"paff.h264 frame {i}: ffprobe says interlaced_frame 1, woven from two fields; yours is {f.Structure}, not FieldPair. See README §Field pictures.");
            Assert.True(f.TopFieldFirst == order[i].TopFieldFirst,
                $"paff.h264 frame {i} (coded {frames[i].CodedNumber}): ffprobe's top_field_first is {(order[i].TopFieldFirst ? 1 : 0)}; your TopFieldFirst is {f.TopFieldFirst} (TopFieldOrderCnt {f.TopFieldOrderCnt}, BottomFieldOrderCnt {f.BottomFieldOrderCnt}). See README §Field pictures.");
        }

        // In decode order, frame k is fields 2k and 2k+1: its POC is the smaller of their lsbs (§8.2.1), its size both packets.
        for (int k = 0; k < report.Frames.Count; k++)
        {
            var (first, second) = (slices[2 * k], slices[2 * k + 1]);
            long top = first.Value("bottom_field_flag") == 0 ? first.Value("pic_order_cnt_lsb") : second.Value("pic_order_cnt_lsb");
            long bottom = first.Value("bottom_field_flag") == 1 ? first.Value("pic_order_cnt_lsb") : second.Value("pic_order_cnt_lsb");
            int size = packets[2 * k].Size + packets[2 * k + 1].Size;
            var f = report.Frames[k];
            Assert.True(f.DecodeIndex == k && f.TopFieldOrderCnt == top && f.BottomFieldOrderCnt == bottom && f.PicOrderCnt == Math.Min(top, bottom),
                $"paff.h264 frame {k} in decode order (fields {2 * k} and {2 * k + 1}): expected DecodeIndex {k}, TopFieldOrderCnt {top}, BottomFieldOrderCnt {bottom}, PicOrderCnt {Math.Min(top, bottom)} (the smaller, §8.2.1); " +
                $"yours {f.DecodeIndex}, {f.TopFieldOrderCnt}, {f.BottomFieldOrderCnt}, {f.PicOrderCnt}. See README §Field pictures.");
            Assert.True(f.Size == size && f.Slices == 2, $"paff.h264 frame {k}: its two access units are {packets[2 * k].Size} + {packets[2 * k + 1].Size} = {size} bytes (ffprobe's packets) in 2 slices; yours {f.Size} bytes, {f.Slices} slices. See README §Field pictures.");
        }

        // Both fields of a frame carry the frame's display position.
        var pictureDisplay = report.Pictures.Select(p => p.DisplayIndex).ToList();
        var expectedDisplay = Enumerable.Range(0, 2 * report.Frames.Count).Select(i => report.Frames[i / 2].DisplayIndex).ToList();
        Assert.True(pictureDisplay.SequenceEqual(expectedDisplay), $"paff.h264: each field's DisplayIndex is its frame's: expected [{string.Join(",", expectedDisplay)}]; yours [{string.Join(",", pictureDisplay)}]. See README §Field pictures.");
    }

    [Fact]
    [Trait("Milestone", M5)]
    public void Progressive_and_MBAFF_pictures_are_frames_with_both_field_counts()
    {
        foreach (var name in new[] { "main-b", "mbaff" })
        {
            var report = StreamAnalyzer.Analyze(Oracle.Bytes(name));
            var firsts = Oracle.TraceOf(name).BlocksTitled("Slice Header").Where(b => b.Value("first_mb_in_slice") == 0).ToList();
            var order = Oracle.FieldOrderOf(name);
            Assert.True(report.Frames.Count == report.Pictures.Count && report.Pictures.All(p => p.Structure == PictureStructure.Frame),
                $"{name}.h264 has frame pictures only (field_pic_flag 0): every picture is a frame (Structure Frame) and Frames has them all; yours: {report.Pictures.Count} pictures, {report.Frames.Count} frames, structures {string.Join(",", report.Pictures.Select(p => p.Structure).Distinct())}. See README §Field pictures.");
            for (int i = 0; i < firsts.Count; i++)
            {
                // §8.2.1.1 without wrap-around: TopFieldOrderCnt = lsb, BottomFieldOrderCnt = top + delta_pic_order_cnt_bottom.
                long top = firsts[i].Value("pic_order_cnt_lsb"), bottom = top + (firsts[i].ValueOrNull("delta_pic_order_cnt_bottom") ?? 0);
                var p = report.Frames[i];
                Assert.True(p.TopFieldOrderCnt == top && p.BottomFieldOrderCnt == bottom && p.DecodeIndex == i,
                    $"{name}.h264 frame {i}: expected TopFieldOrderCnt {top}, BottomFieldOrderCnt {bottom} (lsb, lsb + delta_pic_order_cnt_bottom), DecodeIndex {i}; yours {p.TopFieldOrderCnt}, {p.BottomFieldOrderCnt}, {p.DecodeIndex}. See README §Field pictures.");
            }

            var display = report.InDisplayOrder.ToList();
            Assert.True(display.Select(f => f.TopFieldFirst).SequenceEqual(order.Select(o => o.TopFieldFirst)),
                $"{name}.h264 top_field_first per frame (ffprobe): [{string.Join(",", order.Select(o => o.TopFieldFirst ? 1 : 0))}]; yours [{string.Join(",", display.Select(f => f.TopFieldFirst ? 1 : 0))}]. See README §Field pictures.");
        }
    }

    /// <summary>Main (77), MaxFrameNum 16, POC type 0 with MaxPicOrderCntLsb 32, 2×1 macroblocks a field: frame_mbs_only_flag 0 without MBAFF.</summary>
    private static byte[] FieldSps() =>
        new SpecUnit(3, 7).U(8, 77, "profile_idc").U(8, 0, "constraint_set_flags").U(8, 30, "level_idc").Ue(0, "seq_parameter_set_id")
            .Ue(0, "log2_max_frame_num_minus4").Ue(0, "pic_order_cnt_type").Ue(1, "log2_max_pic_order_cnt_lsb_minus4")
            .Ue(2, "max_num_ref_frames").U(1, 0, "gaps_in_frame_num_value_allowed_flag").Ue(1, "pic_width_in_mbs_minus1").Ue(0, "pic_height_in_map_units_minus1")
            .U(1, 0, "frame_mbs_only_flag").U(1, 0, "mb_adaptive_frame_field_flag").U(1, 1, "direct_8x8_inference_flag").U(1, 0, "frame_cropping_flag").U(1, 0, "vui_parameters_present_flag").Nal();

    private static byte[] Pps() =>
        new SpecUnit(3, 8).Ue(0, "pic_parameter_set_id").Ue(0, "seq_parameter_set_id").U(1, 0, "entropy_coding_mode_flag").U(1, 0, "bottom_field_pic_order_in_frame_present_flag")
            .Ue(0, "num_slice_groups_minus1").Ue(0, "num_ref_idx_l0_default_active_minus1").Ue(0, "num_ref_idx_l1_default_active_minus1").U(1, 0, "weighted_pred_flag").U(2, 0, "weighted_bipred_idc")
            .Se(0, "pic_init_qp_minus26").Se(0, "pic_init_qs_minus26").Se(0, "chroma_qp_index_offset")
            .U(1, 0, "deblocking_filter_control_present_flag").U(1, 0, "constrained_intra_pred_flag").U(1, 0, "redundant_pic_cnt_present_flag").Nal();

    /// <summary>One slice (§7.3.3) of a field ('t' top, 'b' bottom) or a frame ('f'): 'I' (an IDR when <paramref name="idrPicId"/> is given) or 'P'.</summary>
    private static byte[] Field(char kind, char parity, int refIdc, int frameNum, int pocLsb, int? idrPicId = null, int firstMb = 0)
    {
        var u = new SpecUnit(refIdc, idrPicId is null ? 1 : 5).Ue(firstMb, "first_mb_in_slice").Ue(kind == 'I' ? 7 : 5, "slice_type").Ue(0, "pic_parameter_set_id")
            .U(4, frameNum, "frame_num").U(1, parity == 'f' ? 0 : 1, "field_pic_flag");
        if (parity != 'f')
        {
            u.U(1, parity == 'b' ? 1 : 0, "bottom_field_flag");
        }

        if (idrPicId is { } id)
        {
            u.Ue(id, "idr_pic_id");
        }

        u.U(5, pocLsb, "pic_order_cnt_lsb");
        if (kind == 'P')
        {
            u.U(1, 0, "num_ref_idx_active_override_flag").U(1, 0, "ref_pic_list_modification_flag_l0");
        }

        if (refIdc != 0)
        {
            if (idrPicId is not null)
            {
                u.U(1, 0, "no_output_of_prior_pics_flag").U(1, 0, "long_term_reference_flag");
            }
            else
            {
                u.U(1, 0, "adaptive_ref_pic_marking_mode_flag");
            }
        }

        return u.Se(0, "slice_qp_delta").Nal();
    }

    [Fact]
    [Trait("Milestone", M5)]
    public void Only_two_fields_of_opposite_parity_and_one_frame_num_pair_and_never_with_an_IDR_or_across_reference_kinds()
    {
        // §3: a complementary reference field pair is two reference fields in consecutive access units with the same frame_num,
        // the second not an IDR; a complementary non-reference pair two non-reference fields likewise; the two are of opposite
        // parity (§7.4.3 bottom_field_flag). Frame_num follows §7.4.3: a reference picture after a reference picture with
        // frame_num n has n + 1, a non-reference picture has PrevRefFrameNum + 1 and leaves PrevRefFrameNum as it was. A frame
        // picture pairs with nothing.
        byte[][] units =
        [
            FieldSps(), Pps(),
            Field('I', 't', 3, 0, 0, idrPicId: 0), Field('I', 't', 3, 0, 0, idrPicId: 0, firstMb: 1), // frame 0: IDR top in two slices
            Field('I', 'b', 3, 0, 1),                                            //          + I bottom, a pair (POC 0)
            Field('P', 't', 2, 1, 4),                                            // frame 1: a top field, then another top field
            Field('P', 't', 2, 2, 8),                                            // frame 2: then a bottom field of another frame_num
            Field('P', 'b', 0, 3, 13),                                           // frame 3: non-reference, then a reference field of its frame_num
            Field('P', 't', 2, 3, 12),                                           // frame 4: alone too; shown before frame 3 (POC 12 < 13)
            Field('I', 't', 3, 0, 0, idrPicId: 1),                               // frame 5: an IDR field whose next field is an IDR
            Field('I', 'b', 3, 0, 0, idrPicId: 2), Field('P', 't', 2, 0, 1),    // frame 6: IDR bottom + P top: bottom field first
            Field('P', 'b', 0, 1, 5), Field('P', 't', 0, 1, 4),                 // frame 7: non-reference pair, decoded bottom first, shown top first
            Field('P', 'b', 0, 1, 8), Field('P', 't', 0, 1, 8),                 // frame 8: two fields that differ in bottom_field_flag alone (§7.4.1.2.4)
            Field('P', 't', 0, 1, 10),                                           // frame 9: a field, then a frame picture of its frame_num
            Field('P', 'f', 0, 1, 12),                                           // frame 10: a frame picture, then a field of its frame_num
            Field('P', 't', 0, 1, 14), Field('P', 'b', 0, 1, 15),               // frame 11: a non-reference pair again
        ];
        var report = StreamAnalyzer.Analyze(units.SelectMany(u => new byte[] { 0, 0, 0, 1 }.Concat(u)).ToArray());
        Assert.True(report.Errors.Count == 0 && report.Pictures.Count == 17,
            $"17 pictures (16 fields and a frame (a field whose bottom_field_flag differs from the previous slice's starts a new picture, §7.4.1.2.4), no errors; you have {report.Pictures.Count} pictures, errors: {report.Errors.FirstOrDefault()?.Message}. See README §Access units.");

        var pair = PictureStructure.FieldPair;
        (PictureStructure Structure, int Poc, int? Top, int? Bottom, bool Tff, char Type, bool Idr)[] expected =
        [
            (pair, 0, 0, 1, true, 'I', true),
            (PictureStructure.TopField, 4, 4, null, false, 'P', false),
            (PictureStructure.TopField, 8, 8, null, false, 'P', false),
            (PictureStructure.BottomField, 13, null, 13, false, 'P', false),
            (PictureStructure.TopField, 12, 12, null, false, 'P', false),
            (PictureStructure.TopField, 0, 0, null, false, 'I', true),
            (pair, 0, 1, 0, false, 'I', true),
            (pair, 4, 4, 5, true, 'P', false),
            (pair, 8, 8, 8, false, 'P', false),
            (PictureStructure.TopField, 10, 10, null, false, 'P', false),
            (PictureStructure.Frame, 12, 12, 12, false, 'P', false),
            (pair, 14, 14, 15, true, 'P', false),
        ];
        var yours = report.Frames.Select(f => (f.Structure, f.PicOrderCnt, f.TopFieldOrderCnt, f.BottomFieldOrderCnt, f.TopFieldFirst, f.Type, f.IsIdr)).ToList();
        Assert.True(yours.SequenceEqual(expected),
            $"Frames in decode order (structure, POC, TopFieldOrderCnt, BottomFieldOrderCnt, TopFieldFirst, type, IDR):\n  expected {string.Join(" ", expected)}\n  yours    {string.Join(" ", yours)}\nSee README §Field pictures.");
        Assert.True(report.Frames.Select(f => f.DecodeIndex).SequenceEqual(Enumerable.Range(0, 12)), $"Frames' DecodeIndex must be 0…11; yours {string.Join(",", report.Frames.Select(f => f.DecodeIndex))}. See README §Field pictures.");
        int[] slices = [3, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 2];
        Assert.True(report.Frames.Select(f => f.Slices).SequenceEqual(slices), $"Slices per frame (a pair has both fields'; the first field has two): expected {string.Join(",", slices)}; yours {string.Join(",", report.Frames.Select(f => f.Slices))}. See README §Field pictures.");
        Assert.True(report.Frames.Select(f => f.NalRefIdc).SequenceEqual([3, 2, 2, 0, 2, 3, 3, 0, 0, 0, 0, 0]), $"A frame's nal_ref_idc is the larger of its fields': expected 3,2,2,0,2,3,3,0,0,0,0,0; yours {string.Join(",", report.Frames.Select(f => f.NalRefIdc))}. See README §Field pictures.");

        // Display order: frames by POC within each IDR period (frame 4 before frame 3); the fields carry their frame's.
        int[] frameDisplay = [0, 1, 2, 4, 3, 5, 6, 7, 8, 9, 10, 11];
        Assert.True(report.Frames.Select(f => f.DisplayIndex).SequenceEqual(frameDisplay), $"Frames' DisplayIndex: expected {string.Join(",", frameDisplay)}; yours {string.Join(",", report.Frames.Select(f => f.DisplayIndex))}. See README §POC.");
        int[] fieldDisplay = [0, 0, 1, 2, 4, 3, 5, 6, 6, 7, 7, 8, 8, 9, 10, 11, 11];
        Assert.True(report.Pictures.Select(p => p.DisplayIndex).SequenceEqual(fieldDisplay), $"Each field's DisplayIndex is its frame's: expected {string.Join(",", fieldDisplay)}; yours {string.Join(",", report.Pictures.Select(p => p.DisplayIndex))}. See README §Field pictures.");

        // GOPs and IDR intervals count frames: IDR frames 0, 5 and 6.
        Assert.True(report.Gops.Select(g => (g.StartDecodeIndex, g.Length)).SequenceEqual([(0, 5), (5, 1), (6, 6)]) && report.IdrIntervals.SequenceEqual([5, 1]),
            $"GOPs (start frame, frames) expected (0, 5) (5, 1) (6, 6), IDR intervals 5, 1; yours {string.Join(" ", report.Gops.Select(g => (g.StartDecodeIndex, g.Length)))}, {string.Join(",", report.IdrIntervals)}. See README §GOP.");
    }
}
