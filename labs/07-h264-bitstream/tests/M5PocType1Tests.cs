namespace Lab07.H264Bitstream.Tests;

/// <summary>
/// M5 on POC type 1 (§8.2.1.2), which x264 never writes: a stream written by hand from §7.3 (<see cref="SpecUnit"/>)
/// whose expected picture order counts are worked out from Eq. 8-6 to 8-10 in the comments below.
/// </summary>
public class M5PocType1Tests
{
    // SPS: Main (77), MaxFrameNum 16, POC type 1 with offset_for_non_ref_pic −2, offset_for_top_to_bottom_field 1 and a
    // one-entry cycle offset_for_ref_frame[0] = 4; 2×1 macroblocks.
    private static byte[] Sps() =>
        new SpecUnit(3, 7).U(8, 77, "profile_idc").U(8, 0, "constraint_set_flags").U(8, 30, "level_idc").Ue(0, "seq_parameter_set_id")
            .Ue(0, "log2_max_frame_num_minus4").Ue(1, "pic_order_cnt_type").U(1, 0, "delta_pic_order_always_zero_flag")
            .Se(-2, "offset_for_non_ref_pic").Se(1, "offset_for_top_to_bottom_field").Ue(1, "num_ref_frames_in_pic_order_cnt_cycle").Se(4, "offset_for_ref_frame")
            .Ue(2, "max_num_ref_frames").U(1, 0, "gaps_in_frame_num_value_allowed_flag").Ue(1, "pic_width_in_mbs_minus1").Ue(0, "pic_height_in_map_units_minus1")
            .U(1, 1, "frame_mbs_only_flag").U(1, 1, "direct_8x8_inference_flag").U(1, 0, "frame_cropping_flag").U(1, 0, "vui_parameters_present_flag").Nal();

    private static byte[] Pps() =>
        new SpecUnit(3, 8).Ue(0, "pic_parameter_set_id").Ue(0, "seq_parameter_set_id").U(1, 0, "entropy_coding_mode_flag").U(1, 0, "bottom_field_pic_order_in_frame_present_flag")
            .Ue(0, "num_slice_groups_minus1").Ue(0, "num_ref_idx_l0_default_active_minus1").Ue(0, "num_ref_idx_l1_default_active_minus1").U(1, 0, "weighted_pred_flag").U(2, 0, "weighted_bipred_idc")
            .Se(0, "pic_init_qp_minus26").Se(0, "pic_init_qs_minus26").Se(0, "chroma_qp_index_offset")
            .U(1, 0, "deblocking_filter_control_present_flag").U(1, 0, "constrained_intra_pred_flag").U(1, 0, "redundant_pic_cnt_present_flag").Nal();

    /// <summary>One slice (§7.3.3) of an I (IDR), P or B picture: type 2, 0 or 1; CAVLC, no weights, no list changes, marking flags 0.</summary>
    private static byte[] Slice(bool idr, int refIdc, int sliceType, int firstMb, int frameNum, int delta0)
    {
        var u = new SpecUnit(refIdc, idr ? 5 : 1).Ue(firstMb, "first_mb_in_slice").Ue(sliceType, "slice_type").Ue(0, "pic_parameter_set_id").U(4, frameNum, "frame_num");
        if (idr)
        {
            u.Ue(0, "idr_pic_id");
        }

        u.Se(delta0, "delta_pic_order_cnt");
        if (sliceType == 1)
        {
            u.U(1, 1, "direct_spatial_mv_pred_flag");
        }

        if (sliceType != 2)
        {
            u.U(1, 0, "num_ref_idx_active_override_flag").U(1, 0, "ref_pic_list_modification_flag_l0");
        }

        if (sliceType == 1)
        {
            u.U(1, 0, "ref_pic_list_modification_flag_l1");
        }

        if (refIdc != 0)
        {
            if (idr)
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
    [Trait("Milestone", "M5 access units, display order, GOPs")]
    public void POC_type_1_orders_pictures_by_the_offset_cycle_across_a_frame_num_wrap()
    {
        // Decode order: IDR (frame_num 0), then for k = 1..18: P_k (reference, frame_num k % 16, two slices for k = 18)
        // and B_k (non-reference, frame_num (k + 1) % 16, delta_pic_order_cnt[0] = 1).
        // §8.2.1.2: FrameNumOffset grows by MaxFrameNum (16) whenever frame_num is smaller than the previous picture's;
        // absFrameNum = FrameNumOffset + frame_num, minus 1 for a non-reference picture; with a one-entry cycle of 4,
        // expectedPicOrderCnt = 4 × absFrameNum, plus offset_for_non_ref_pic (−2) for a non-reference picture.
        // TopFieldOrderCnt = expected + delta_pic_order_cnt[0]; BottomFieldOrderCnt = top + offset_for_top_to_bottom_field (1);
        // the frame's POC is the smaller, top (Eq. 8-1). So IDR 0, P_k 4k, B_k 4(k + 1 − 1) − 2 + 1 = 4k − 1.
        var units = new List<byte[]> { Sps(), Pps(), Slice(true, 3, 2, 0, 0, 0) };
        var expected = new List<(char Type, int Poc)> { ('I', 0) };
        for (int k = 1; k <= 18; k++)
        {
            units.Add(Slice(false, 2, 0, 0, k % 16, 0));
            if (k == 18)
            {
                units.Add(Slice(false, 2, 0, 1, k % 16, 0)); // the second slice of the same picture
            }

            expected.Add(('P', 4 * k));
            units.Add(Slice(false, 0, 1, 0, (k + 1) % 16, 1));
            expected.Add(('B', 4 * k - 1));
        }

        var stream = units.SelectMany(u => new byte[] { 0, 0, 0, 1 }.Concat(u)).ToArray();
        var report = StreamAnalyzer.Analyze(stream);
        Assert.True(report.Errors.Count == 0, $"A valid hand-written POC type 1 stream: expected no errors; got {string.Join("; ", report.Errors.Take(3).Select(e => e.Message))}. See README §POC.");
        var yours = report.Pictures.Select(p => (p.Type, p.PicOrderCnt)).ToList();
        Assert.True(yours.SequenceEqual(expected),
            $"POC type 1 (§8.2.1.2), pictures (type, PicOrderCnt) in decode order:\n  expected {string.Join(" ", expected)}\n  yours    {string.Join(" ", yours)}\n" +
            "(frame_num wraps from 15 to 0 at the 15th B picture: FrameNumOffset then adds 16). See README §POC.");
        // Display order: IDR, B_1, P_1, B_2, P_2, …: decode index 0, 2, 1, 4, 3, …
        var display = report.Pictures.OrderBy(p => p.DisplayIndex).Select(p => p.DecodeIndex).ToList();
        var expectedDisplay = new List<int> { 0 };
        for (int k = 1; k <= 18; k++)
        {
            expectedDisplay.AddRange([2 * k, 2 * k - 1]);
        }

        Assert.True(display.SequenceEqual(expectedDisplay), $"POC type 1 display order (decode indices): expected {string.Join(",", expectedDisplay)}; yours {string.Join(",", display)}. See README §POC.");
    }
}
