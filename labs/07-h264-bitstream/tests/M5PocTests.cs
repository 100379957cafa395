namespace Lab07.H264Bitstream.Tests;

/// <summary>
/// M5 on the POC paths the suite's streams never take: pic_order_cnt_lsb wrapping forwards and backwards by exactly half
/// its range (§8.2.1.1, Eq. 8-3), POC type 2 with non-reference pictures across a frame_num wrap (§8.2.1.3, Eq. 8-12), and
/// memory_management_control_operation 5 (§8.2.1). Streams written by hand from §7.3 (<see cref="SpecUnit"/>); the expected
/// picture order counts are worked out in the comments.
/// </summary>
public class M5PocTests
{
    private const string M5 = "M5 access units, display order, GOPs";

    /// <summary>Main (77), MaxFrameNum 16, POC type 0 with MaxPicOrderCntLsb 16 or type 2; 2×1 macroblocks.</summary>
    private static byte[] Sps(int pocType)
    {
        var u = new SpecUnit(3, 7).U(8, 77, "profile_idc").U(8, 0, "constraint_set_flags").U(8, 30, "level_idc").Ue(0, "seq_parameter_set_id")
            .Ue(0, "log2_max_frame_num_minus4").Ue(pocType, "pic_order_cnt_type");
        if (pocType == 0)
        {
            u.Ue(0, "log2_max_pic_order_cnt_lsb_minus4");
        }

        return u.Ue(2, "max_num_ref_frames").U(1, 0, "gaps_in_frame_num_value_allowed_flag").Ue(1, "pic_width_in_mbs_minus1").Ue(0, "pic_height_in_map_units_minus1")
            .U(1, 1, "frame_mbs_only_flag").U(1, 1, "direct_8x8_inference_flag").U(1, 0, "frame_cropping_flag").U(1, 0, "vui_parameters_present_flag").Nal();
    }

    private static byte[] Pps() =>
        new SpecUnit(3, 8).Ue(0, "pic_parameter_set_id").Ue(0, "seq_parameter_set_id").U(1, 0, "entropy_coding_mode_flag").U(1, 0, "bottom_field_pic_order_in_frame_present_flag")
            .Ue(0, "num_slice_groups_minus1").Ue(0, "num_ref_idx_l0_default_active_minus1").Ue(0, "num_ref_idx_l1_default_active_minus1").U(1, 0, "weighted_pred_flag").U(2, 0, "weighted_bipred_idc")
            .Se(0, "pic_init_qp_minus26").Se(0, "pic_init_qs_minus26").Se(0, "chroma_qp_index_offset")
            .U(1, 0, "deblocking_filter_control_present_flag").U(1, 0, "constrained_intra_pred_flag").U(1, 0, "redundant_pic_cnt_present_flag").Nal();

    /// <summary>
    /// One slice (§7.3.3) of an I (IDR), P or B picture ('I', 'P', 'B'): pic_order_cnt_lsb written when <paramref name="pocLsb"/> is given
    /// (POC type 0); CAVLC, no weights, no list changes; a reference picture's marking is the IDR's two 0 flags, or MMCO 5 when asked.
    /// </summary>
    private static byte[] Slice(char kind, int refIdc, int frameNum, int? pocLsb, bool mmco5 = false)
    {
        bool idr = kind == 'I';
        int sliceType = kind switch { 'I' => 2, 'P' => 0, _ => 1 };
        var u = new SpecUnit(refIdc, idr ? 5 : 1).Ue(0, "first_mb_in_slice").Ue(sliceType, "slice_type").Ue(0, "pic_parameter_set_id").U(4, frameNum, "frame_num");
        if (idr)
        {
            u.Ue(0, "idr_pic_id");
        }

        if (pocLsb is { } lsb)
        {
            u.U(4, lsb, "pic_order_cnt_lsb");
        }

        if (kind == 'B')
        {
            u.U(1, 1, "direct_spatial_mv_pred_flag");
        }

        if (kind != 'I')
        {
            u.U(1, 0, "num_ref_idx_active_override_flag").U(1, 0, "ref_pic_list_modification_flag_l0");
        }

        if (kind == 'B')
        {
            u.U(1, 0, "ref_pic_list_modification_flag_l1");
        }

        if (refIdc != 0)
        {
            if (idr)
            {
                u.U(1, 0, "no_output_of_prior_pics_flag").U(1, 0, "long_term_reference_flag");
            }
            else if (mmco5)
            {
                u.U(1, 1, "adaptive_ref_pic_marking_mode_flag").Ue(5, "memory_management_control_operation").Ue(0, "memory_management_control_operation");
            }
            else
            {
                u.U(1, 0, "adaptive_ref_pic_marking_mode_flag");
            }
        }

        return u.Se(0, "slice_qp_delta").Nal();
    }

    private static StreamReport Analyze(IEnumerable<byte[]> units) => StreamAnalyzer.Analyze(units.SelectMany(u => new byte[] { 0, 0, 0, 1 }.Concat(u)).ToArray());

    [Fact]
    [Trait("Milestone", M5)]
    public void POC_type_0_follows_the_lsb_across_wraps_by_exactly_half_its_range()
    {
        // MaxPicOrderCntLsb 16. Pictures (type, reference?, POC) in decode order: each P two frames (POC + 6) after the previous
        // one, then the B pictures between them. pic_order_cnt_lsb = POC % 16. Eq. 8-3, from the previous *reference* picture's
        // msb and lsb: lsb < prevLsb and prevLsb − lsb ≥ 8 → msb + 16; lsb > prevLsb and lsb − prevLsb > 8 → msb − 16.
        // P 20 (lsb 4 after P 12's lsb 12: 12 − 4 = 8, so msb + 16) wraps forwards by exactly 8; B 14 (lsb 14 after P 20's 4:
        // 10 > 8) backwards; P 42 (lsb 10 after P 34's 2: 10 − 2 = 8, not more) does not wrap.
        (char Type, bool Ref, int Poc)[] pictures =
        [
            ('I', true, 0), ('P', true, 6), ('B', false, 2), ('B', false, 4), ('P', true, 12), ('B', false, 8), ('B', false, 10),
            ('P', true, 20), ('B', false, 14), ('B', false, 16), ('B', false, 18), ('P', true, 26), ('B', false, 22), ('B', false, 24),
            ('P', true, 34), ('B', false, 28), ('B', false, 30), ('B', false, 32), ('P', true, 42), ('B', false, 36), ('B', false, 38), ('B', false, 40),
        ];
        var units = new List<byte[]> { Sps(0), Pps() };
        int refFrameNum = 0;
        foreach (var (type, isRef, poc) in pictures)
        {
            // frame_num: 0 for the IDR, else the previous reference picture's + 1 (§7.4.3, no gaps)
            int frameNum = type == 'I' ? 0 : (refFrameNum + 1) % 16;
            units.Add(Slice(type, isRef ? 2 : 0, frameNum, poc % 16));
            if (isRef)
            {
                refFrameNum = frameNum;
            }
        }

        var report = Analyze(units);
        Assert.True(report.Errors.Count == 0, $"A valid hand-written POC type 0 stream: expected no errors; got {string.Join("; ", report.Errors.Take(3).Select(e => e.Message))}. See README §POC.");
        var expected = pictures.Select(p => (p.Type, p.Poc)).ToList();
        var yours = report.Pictures.Select(p => (p.Type, p.PicOrderCnt)).ToList();
        Assert.True(yours.SequenceEqual(expected),
            $"POC type 0 (Eq. 8-3, MaxPicOrderCntLsb 16), pictures (type, PicOrderCnt) in decode order:\n  expected {string.Join(" ", expected)}\n  yours    {string.Join(" ", yours)}\n" +
            "(the msb follows the previous reference picture only; a difference of exactly 8 wraps forwards, never backwards). See README §POC.");
        var display = report.InDisplayOrder.Select(p => p.PicOrderCnt).ToList();
        Assert.True(display.SequenceEqual(pictures.Select(p => p.Poc).Order()), $"Display order is POC order: expected {string.Join(",", pictures.Select(p => p.Poc).Order())}; yours {string.Join(",", display)}. See README §POC.");
    }

    [Fact]
    [Trait("Milestone", M5)]
    public void POC_type_2_counts_non_reference_pictures_and_MMCO_5_starts_a_new_period()
    {
        // Decode order: IDR (frame_num 0), then for k = 1..18 P_k (reference, frame_num k % 16) and b_k (non-reference,
        // frame_num (k + 1) % 16). Eq. 8-12 with FrameNumOffset growing by 16 at each wrap (Eq. 8-11): P_k is 2k, b_k 2(k + 1) − 1 = 2k + 1.
        var units = new List<byte[]> { Sps(2), Pps(), Slice('I', 3, 0, null) };
        var expected = new List<(char Type, int Poc)> { ('I', 0) };
        for (int k = 1; k <= 18; k++)
        {
            units.Add(Slice('P', 2, k % 16, null));
            expected.Add(('P', 2 * k));
            units.Add(Slice('B', 0, (k + 1) % 16, null));
            expected.Add(('B', 2 * k + 1));
        }

        // Then P_19 with memory_management_control_operation 5 (§8.2.1: every earlier picture is shown before it, and the POCs after
        // it count again from 0), and after it P (frame_num 1: PrevRefFrameNum is 0 after MMCO 5, §7.4.3), b, P, b.
        units.Add(Slice('P', 2, 19 % 16, null, mmco5: true));
        units.AddRange([Slice('P', 2, 1, null), Slice('B', 0, 2, null), Slice('P', 2, 2, null), Slice('B', 0, 3, null)]);

        var report = Analyze(units);
        Assert.True(report.Errors.Count == 0, $"A valid hand-written POC type 2 stream: expected no errors; got {string.Join("; ", report.Errors.Take(3).Select(e => e.Message))}. See README §POC.");
        var yours = report.Pictures.Take(expected.Count).Select(p => (p.Type, p.PicOrderCnt)).ToList();
        Assert.True(report.Pictures.Count == expected.Count + 5 && yours.SequenceEqual(expected),
            $"POC type 2 (Eq. 8-11, 8-12), pictures (type, PicOrderCnt) in decode order up to the MMCO 5:\n  expected {string.Join(" ", expected)}\n  yours    {string.Join(" ", yours)}\n" +
            $"({report.Pictures.Count} pictures, expected {expected.Count + 5}; a non-reference picture is 2 × (FrameNumOffset + frame_num) − 1). See README §POC.");
        var display = report.InDisplayOrder.Select(p => p.DecodeIndex).ToList();
        Assert.True(display.SequenceEqual(Enumerable.Range(0, report.Pictures.Count)),
            $"With POC type 2 display order is decode order, and the pictures after the MMCO 5 (decode index {expected.Count}) come after it and all before it: " +
            $"expected 0…{report.Pictures.Count - 1} in order; yours {string.Join(",", display)}. See README §POC.");
    }
}
