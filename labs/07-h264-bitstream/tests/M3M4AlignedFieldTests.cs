namespace Lab07.H264Bitstream.Tests;

/// <summary>
/// M3 and M4: README §Bit reader promises that an error names the field being read, at its first bit. A cut at a byte
/// boundary only breaks a 1-bit flag that *starts* on one, and in the suite's streams most flags never do. So the SPS,
/// PPS and slice headers here are written by hand from §7.3 (<see cref="SpecUnit"/>) in several variants whose early
/// ue(v) fields have different lengths (1, 3, 5, 7 bits) and one optional field more or less (separate_colour_plane_flag,
/// or frame_num 4 or 5 bits long): between them, every later field starts on a byte boundary in some variant. Each
/// variant is then broken at each of its fields (<see cref="FieldErrors"/>): expected field and bit are the ones written.
/// </summary>
public class M3M4AlignedFieldTests
{
    private const string M3 = "M3 SPS and PPS";
    private const string M4 = "M4 slice headers and SEI";

    /// <summary>
    /// A High (100, chroma_format_idc 1) or High 4:4:4 (244, chroma_format_idc 3) SPS with every optional part of
    /// §7.3.2.1.1 and §E.1.1 present: scaling lists, POC type 1, field coding (frame_mbs_only_flag 0), cropping
    /// and a VUI with every flag set (the HRD of §E.1.2 written too).
    /// </summary>
    internal static SpecUnit Sps(int spsId, int chromaFormatIdc)
    {
        var u = new SpecUnit(3, 7).U(8, chromaFormatIdc == 3 ? 244 : 100, "profile_idc");
        for (int i = 0; i < 6; i++)
        {
            u.U(1, 0, $"constraint_set{i}_flag");
        }

        u.U(2, 0, "reserved_zero_2bits").U(8, 40, "level_idc").Ue(spsId, "seq_parameter_set_id").Ue(chromaFormatIdc, "chroma_format_idc");
        if (chromaFormatIdc == 3)
        {
            u.U(1, 0, "separate_colour_plane_flag");
        }

        u.Ue(0, "bit_depth_luma_minus8").Ue(0, "bit_depth_chroma_minus8").U(1, 1, "qpprime_y_zero_transform_bypass_flag").U(1, 1, "seq_scaling_matrix_present_flag");
        for (int i = 0; i < (chromaFormatIdc == 3 ? 12 : 8); i++)
        {
            u.U(1, i % 3 == 0 ? 1 : 0, "seq_scaling_list_present_flag");
            if (i % 3 == 0)
            {
                u.Se(3, "delta_scale").Se(-11, "delta_scale"); // 11, then nextScale 0: 11 repeated
            }
        }

        u.Ue(0, "log2_max_frame_num_minus4").Ue(1, "pic_order_cnt_type").U(1, 1, "delta_pic_order_always_zero_flag")
         .Se(-1, "offset_for_non_ref_pic").Se(1, "offset_for_top_to_bottom_field").Ue(1, "num_ref_frames_in_pic_order_cnt_cycle").Se(2, "offset_for_ref_frame")
         .Ue(2, "max_num_ref_frames").U(1, 1, "gaps_in_frame_num_value_allowed_flag").Ue(99, "pic_width_in_mbs_minus1").Ue(59, "pic_height_in_map_units_minus1")
         .U(1, 0, "frame_mbs_only_flag").U(1, 1, "mb_adaptive_frame_field_flag").U(1, 1, "direct_8x8_inference_flag")
         .U(1, 1, "frame_cropping_flag").Ue(70, "frame_crop_left_offset").Ue(71, "frame_crop_right_offset").Ue(72, "frame_crop_top_offset").Ue(73, "frame_crop_bottom_offset")
         .U(1, 1, "vui_parameters_present_flag")
         .U(1, 1, "aspect_ratio_info_present_flag").U(8, 255, "aspect_ratio_idc").U(16, 4, "sar_width").U(16, 3, "sar_height")
         .U(1, 1, "overscan_info_present_flag").U(1, 1, "overscan_appropriate_flag")
         .U(1, 1, "video_signal_type_present_flag").U(3, 5, "video_format").U(1, 1, "video_full_range_flag")
         .U(1, 1, "colour_description_present_flag").U(8, 1, "colour_primaries").U(8, 1, "transfer_characteristics").U(8, 1, "matrix_coefficients")
         .U(1, 1, "chroma_loc_info_present_flag").Ue(2, "chroma_sample_loc_type_top_field").Ue(3, "chroma_sample_loc_type_bottom_field")
         .U(1, 1, "timing_info_present_flag").U(32, 1001, "num_units_in_tick").U(32, 60000, "time_scale").U(1, 1, "fixed_frame_rate_flag")
         .U(1, 1, "nal_hrd_parameters_present_flag")
         .Ue(0, "cpb_cnt_minus1").U(4, 1, "bit_rate_scale").U(4, 2, "cpb_size_scale").Ue(999, "bit_rate_value_minus1").Ue(1999, "cpb_size_value_minus1").U(1, 0, "cbr_flag")
         .U(5, 23, "initial_cpb_removal_delay_length_minus1").U(5, 23, "cpb_removal_delay_length_minus1").U(5, 23, "dpb_output_delay_length_minus1").U(5, 24, "time_offset_length")
         .U(1, 0, "vcl_hrd_parameters_present_flag").U(1, 1, "low_delay_hrd_flag").U(1, 1, "pic_struct_present_flag")
         .U(1, 1, "bitstream_restriction_flag").U(1, 1, "motion_vectors_over_pic_boundaries_flag").Ue(2, "max_bytes_per_pic_denom").Ue(1, "max_bits_per_mb_denom")
         .Ue(15, "log2_max_mv_length_horizontal").Ue(15, "log2_max_mv_length_vertical").Ue(2, "max_num_reorder_frames").Ue(3, "max_dec_frame_buffering");
        return u;
    }

    // seq_parameter_set_id 0, 1, 3, 7 are ue(v) codes of 1, 3, 5, 7 bits; chroma_format_idc 3 instead of 1 adds 2 bits of code
    // and separate_colour_plane_flag: 4 × 2 variants put every field after chroma_format_idc at each bit of a byte.
    private static IEnumerable<(string Name, SpecUnit Unit)> SpsVariants() =>
        from id in new[] { 0, 1, 3, 7 } from chroma in new[] { 1, 3 } select ($"SPS {id}, chroma_format_idc {chroma}", Sps(id, chroma));

    /// <summary>The flags and fields no suite stream ever has on a byte boundary (or at all); each must be broken somewhere.</summary>
    private static readonly string[] SpsFields =
    [
        "separate_colour_plane_flag", "qpprime_y_zero_transform_bypass_flag", "seq_scaling_matrix_present_flag", "delta_pic_order_always_zero_flag",
        "frame_mbs_only_flag", "mb_adaptive_frame_field_flag", "direct_8x8_inference_flag", "vui_parameters_present_flag", "sar_width", "sar_height",
        "overscan_info_present_flag", "video_signal_type_present_flag", "video_format", "video_full_range_flag", "colour_description_present_flag",
        "chroma_sample_loc_type_top_field", "chroma_sample_loc_type_bottom_field", "fixed_frame_rate_flag", "nal_hrd_parameters_present_flag",
        "low_delay_hrd_flag", "motion_vectors_over_pic_boundaries_flag",
    ];

    [Fact]
    [Trait("Milestone", M3)]
    public void Every_SPS_and_VUI_field_on_a_byte_boundary_cut_there_is_an_error_naming_it()
    {
        var broken = new HashSet<string>();
        foreach (var (name, unit) in SpsVariants())
        {
            byte[] nal = unit.Nal();
            var sps = SequenceParameterSet.Parse(nal, 2);
            bool c444 = sps.ChromaFormatIdc == 3;

            // §7.3.2.1.1: 8 scaling lists for 4:2:0, 12 for 4:4:4; Eq. 7-19 to 7-22: CropUnitX 2 (4:2:0) or 1 (4:4:4),
            // CropUnitY 2 or 1, times 2 as frame_mbs_only_flag is 0 (and the coded height is 2 × 60 macroblocks).
            int width = 1600 - (c444 ? 1 : 2) * (70 + 71), height = 1920 - (c444 ? 2 : 4) * (72 + 73);
            Assert.True(sps.ScalingLists.Count == (c444 ? 12 : 8) && sps.Width == width && sps.Height == height,
                $"{name}: expected {(c444 ? 12 : 8)} scaling lists and a {width}×{height} picture (1600×1920 coded, cropped 70, 71, 72, 73 units, Eq. 7-19…7-22); " +
                $"got {sps.ScalingLists.Count} lists, {sps.Width}×{sps.Height}. See README §SPS, §Cropping.");
            var vui = sps.Vui;
            Assert.True(vui is not null && vui.SampleAspectRatio == (4, 3) && vui.OverscanAppropriate == true && vui.VideoFormat == 5 && vui.VideoFullRange == true
                && vui.ChromaSampleLocTypeTopField == 2 && vui.ChromaSampleLocTypeBottomField == 3 && vui.FixedFrameRate == true && vui.LowDelayHrd == true
                && vui.MaxNumReorderFrames == 2 && vui.MaxDecFrameBuffering == 3,
                $"{name}: the VUI has aspect_ratio_idc 255 (Extended_SAR) with sar 4:3, overscan_appropriate_flag 1, video_format 5, full range, chroma locations 2 and 3, " +
                $"a fixed frame rate, NAL HRD with low_delay_hrd_flag 1, reorder 2, buffering 3; got sar {vui?.SampleAspectRatio}, overscan {vui?.OverscanAppropriate}, " +
                $"format {vui?.VideoFormat}, full range {vui?.VideoFullRange}, locations {vui?.ChromaSampleLocTypeTopField}/{vui?.ChromaSampleLocTypeBottomField}, " +
                $"fixed {vui?.FixedFrameRate}, low delay {vui?.LowDelayHrd}, reorder {vui?.MaxNumReorderFrames}, buffering {vui?.MaxDecFrameBuffering}. See README §VUI (Table E-1, §E.1.1).");

            foreach (var c in FieldErrors.Cases(nal, unit.Block))
            {
                var error = Expect.FormatError(() => SequenceParameterSet.Parse(c.Nal, 2), $"the hand-written {name} broken at {c.Field.Name} by {c.How}", "§SPS");
                FieldErrors.AssertAt(error, c, $"The hand-written {name}", "§SPS");
                broken.Add(c.Field.Name);
            }
        }

        Assert.True(SpsFields.All(broken.Contains), $"(test) fields never broken: {string.Join(", ", SpsFields.Where(f => !broken.Contains(f)))}.");
    }

    [Fact]
    [Trait("Milestone", M3)]
    public void An_SPS_cut_right_after_its_last_field_is_an_error_at_rbsp_stop_one_bit()
    {
        // rbsp_trailing_bits() (§7.3.2.11) is part of the syntax: without it the SPS is cut short at rbsp_stop_one_bit.
        int checkedCases = 0;
        foreach (var (name, unit) in SpsVariants().Where(v => v.Unit.BitCount % 8 == 0))
        {
            byte[] rbsp = FieldErrors.Unescape(unit.Nal());
            var cut = FieldErrors.Escape(rbsp.AsSpan(0, rbsp.Length - 1)); // drop the 0x80 byte of the trailing bits
            var error = Expect.FormatError(() => SequenceParameterSet.Parse(cut, 2), $"the hand-written {name} without its rbsp_trailing_bits", "§Bit reader");
            Assert.True(error.Field == "rbsp_stop_one_bit" && error.BitOffset == unit.BitCount,
                $"The hand-written {name} ends at bit {unit.BitCount}, a byte boundary; cut there, it lacks rbsp_stop_one_bit: expected the error at bit {unit.BitCount} naming rbsp_stop_one_bit; " +
                $"got {error.Field ?? "null"} at bit {error.BitOffset}. See README §Bit reader.");
            checkedCases++;
        }

        Assert.True(checkedCases > 0, "(test) no SPS variant ends on a byte boundary.");
    }

    /// <summary>A PPS for SPS 0 whose pic_parameter_set_id is <paramref name="ppsId"/> (0, 1, 3, 7: codes of 1 to 7 bits).</summary>
    private static SpecUnit Pps(int ppsId) =>
        new SpecUnit(3, 8).Ue(ppsId, "pic_parameter_set_id").Ue(0, "seq_parameter_set_id").U(1, 1, "entropy_coding_mode_flag")
            .U(1, 1, "bottom_field_pic_order_in_frame_present_flag").Ue(0, "num_slice_groups_minus1").Ue(0, "num_ref_idx_l0_default_active_minus1")
            .Ue(0, "num_ref_idx_l1_default_active_minus1").U(1, 1, "weighted_pred_flag").U(2, 1, "weighted_bipred_idc").Se(0, "pic_init_qp_minus26")
            .Se(0, "pic_init_qs_minus26").Se(-2, "chroma_qp_index_offset").U(1, 1, "deblocking_filter_control_present_flag").U(1, 0, "constrained_intra_pred_flag")
            .U(1, 0, "redundant_pic_cnt_present_flag");

    [Fact]
    [Trait("Milestone", M3)]
    public void Every_PPS_field_on_a_byte_boundary_cut_there_is_an_error_naming_it()
    {
        var spss = new Dictionary<int, SequenceParameterSet> { [0] = SequenceParameterSet.Parse(Sps(0, 1).Nal()) };
        var broken = new HashSet<string>();
        foreach (int ppsId in new[] { 0, 1, 3, 7 })
        {
            var unit = Pps(ppsId);
            foreach (var c in FieldErrors.Cases(unit.Nal(), unit.Block))
            {
                var error = Expect.FormatError(() => PictureParameterSet.Parse(c.Nal, spss, 3), $"the hand-written PPS {ppsId} broken at {c.Field.Name} by {c.How}", "§PPS");
                FieldErrors.AssertAt(error, c, $"The hand-written PPS {ppsId}", "§PPS");
                broken.Add(c.Field.Name);
            }
        }

        Assert.True(broken.Contains("entropy_coding_mode_flag"), "(test) entropy_coding_mode_flag was never broken.");
    }

    /// <summary>
    /// Main-profile SPS 0 for the slices: 4×2 map units of field coding (frame_mbs_only_flag 0, 16 macroblocks a frame),
    /// POC type 0 with 4-bit lsbs, frame_num of 4 + <paramref name="log2MaxFrameNumMinus4"/> bits.
    /// </summary>
    private static SpecUnit SliceSps(int log2MaxFrameNumMinus4) =>
        new SpecUnit(3, 7).U(8, 77, "profile_idc").U(8, 0, "constraint_set_flags").U(8, 30, "level_idc").Ue(0, "seq_parameter_set_id")
            .Ue(log2MaxFrameNumMinus4, "log2_max_frame_num_minus4").Ue(0, "pic_order_cnt_type").Ue(0, "log2_max_pic_order_cnt_lsb_minus4")
            .Ue(4, "max_num_ref_frames").U(1, 0, "gaps_in_frame_num_value_allowed_flag").Ue(3, "pic_width_in_mbs_minus1").Ue(1, "pic_height_in_map_units_minus1")
            .U(1, 0, "frame_mbs_only_flag").U(1, 0, "mb_adaptive_frame_field_flag").U(1, 1, "direct_8x8_inference_flag").U(1, 0, "frame_cropping_flag")
            .U(1, 0, "vui_parameters_present_flag");

    /// <summary>
    /// A slice header (§7.3.3) for <see cref="SliceSps"/> and PPS 0 of <see cref="Pps"/> (CABAC, weighted P and weighted_bipred_idc 1,
    /// one reference a list by default, bottom-field POC delta, deblocking control) with every nested structure present:
    /// an IDR I field, a P frame with list changes, chroma weights and every MMCO but 5, a B frame, an SP frame.
    /// </summary>
    private static SpecUnit Slice(char kind, int firstMb, int frameNumBits)
    {
        var u = kind switch
        {
            'I' => new SpecUnit(3, 5),
            'B' => new SpecUnit(0, 1),
            _ => new SpecUnit(2, 1),
        };
        u.Ue(firstMb, "first_mb_in_slice").Ue(kind switch { 'I' => 7, 'P' => 5, 'B' => 1, _ => 3 }, "slice_type").Ue(0, "pic_parameter_set_id")
         .U(frameNumBits, kind == 'I' ? 0 : 3, "frame_num");
        if (kind == 'I')
        {
            return u.U(1, 1, "field_pic_flag").U(1, 1, "bottom_field_flag").Ue(1, "idr_pic_id").U(4, 0, "pic_order_cnt_lsb")
                .U(1, 1, "no_output_of_prior_pics_flag").U(1, 1, "long_term_reference_flag")
                .Se(-3, "slice_qp_delta").Ue(0, "disable_deblocking_filter_idc").Se(2, "slice_alpha_c0_offset_div2").Se(-2, "slice_beta_offset_div2");
        }

        u.U(1, 0, "field_pic_flag").U(4, 6, "pic_order_cnt_lsb").Se(-1, "delta_pic_order_cnt_bottom");
        if (kind == 'B')
        {
            u.U(1, 1, "direct_spatial_mv_pred_flag");
        }

        u.U(1, 1, "num_ref_idx_active_override_flag").Ue(1, "num_ref_idx_l0_active_minus1");
        if (kind == 'B')
        {
            u.Ue(1, "num_ref_idx_l1_active_minus1");
        }

        // ref_pic_list_modification() (§7.3.3.1): list 0 changed (P, SP) or list 1 changed (B), by idc 0, 2 and 1, ended by 3
        if (kind == 'B')
        {
            u.U(1, 0, "ref_pic_list_modification_flag_l0");
        }

        u.U(1, 1, kind == 'B' ? "ref_pic_list_modification_flag_l1" : "ref_pic_list_modification_flag_l0")
         .Ue(0, "modification_of_pic_nums_idc").Ue(4, "abs_diff_pic_num_minus1").Ue(2, "modification_of_pic_nums_idc").Ue(1, "long_term_pic_num")
         .Ue(1, "modification_of_pic_nums_idc").Ue(0, "abs_diff_pic_num_minus1").Ue(3, "modification_of_pic_nums_idc");

        // pred_weight_table() (§7.3.3.2), ChromaArrayType 1: two references per list, the first with luma and chroma weights
        u.Ue(5, "luma_log2_weight_denom").Ue(4, "chroma_log2_weight_denom");
        foreach (int list in kind == 'B' ? new[] { 0, 1 } : [0])
        {
            u.U(1, 1, $"luma_weight_l{list}_flag").Se(30, $"luma_weight_l{list}").Se(-5, $"luma_offset_l{list}")
             .U(1, 1, $"chroma_weight_l{list}_flag").Se(14, $"chroma_weight_l{list}").Se(1, $"chroma_offset_l{list}").Se(18, $"chroma_weight_l{list}").Se(-1, $"chroma_offset_l{list}")
             .U(1, 0, $"luma_weight_l{list}_flag").U(1, 0, $"chroma_weight_l{list}_flag");
        }

        if (kind != 'B')
        {
            // dec_ref_pic_marking() (§7.3.3.3): MMCOs 1, 2, 3, 6, 4, then 0
            u.U(1, 1, "adaptive_ref_pic_marking_mode_flag")
             .Ue(1, "memory_management_control_operation").Ue(0, "difference_of_pic_nums_minus1")
             .Ue(2, "memory_management_control_operation").Ue(1, "long_term_pic_num")
             .Ue(3, "memory_management_control_operation").Ue(1, "difference_of_pic_nums_minus1").Ue(0, "long_term_frame_idx")
             .Ue(6, "memory_management_control_operation").Ue(1, "long_term_frame_idx")
             .Ue(4, "memory_management_control_operation").Ue(2, "max_long_term_frame_idx_plus1")
             .Ue(0, "memory_management_control_operation");
        }

        u.Ue(kind == 'B' ? 2 : 1, "cabac_init_idc").Se(2, "slice_qp_delta");
        if (kind == 'S')
        {
            u.U(1, 1, "sp_for_switch_flag").Se(-2, "slice_qs_delta");
        }

        return u.Ue(1, "disable_deblocking_filter_idc");
    }

    /// <summary>The slice fields that no suite stream has on a byte boundary (or at all); each must be broken somewhere.</summary>
    private static readonly string[] SliceFields =
    [
        "field_pic_flag", "bottom_field_flag", "direct_spatial_mv_pred_flag", "sp_for_switch_flag", "long_term_pic_num", "abs_diff_pic_num_minus1",
        "luma_weight_l0_flag", "luma_weight_l1_flag", "chroma_weight_l0", "chroma_offset_l1", "no_output_of_prior_pics_flag",
        "long_term_frame_idx", "max_long_term_frame_idx_plus1", "difference_of_pic_nums_minus1",
    ];

    [Fact]
    [Trait("Milestone", M4)]
    public void Every_slice_header_field_on_a_byte_boundary_cut_there_is_an_error_naming_it()
    {
        // frame_num is 4 or 5 bits (log2_max_frame_num_minus4 0 or 1) and first_mb_in_slice 0, 1, 3 or 7 a code of 1 to 7 bits:
        // between them every later field starts at each bit of a byte.
        var broken = new HashSet<string>();
        foreach (int log2 in new[] { 0, 1 })
        {
            var spss = new Dictionary<int, SequenceParameterSet> { [0] = SequenceParameterSet.Parse(SliceSps(log2).Nal()) };
            var ppss = new Dictionary<int, PictureParameterSet> { [0] = PictureParameterSet.Parse(Pps(0).Nal(), spss) };
            foreach (char kind in "IPBS")
            {
                foreach (int firstMb in new[] { 0, 1, 3, 7 })
                {
                    var unit = Slice(kind, firstMb, 4 + log2);
                    string name = $"{kind} slice (first_mb_in_slice {firstMb}, {4 + log2}-bit frame_num)";
                    var header = SliceHeader.Parse(unit.Nal(), spss, ppss, 5);
                    long qpAt = unit.PositionOf("slice_qp_delta");
                    Assert.True(header.SliceQpDeltaBitOffset == qpAt && header.FieldPic == (kind == 'I') && header.BottomField == (kind == 'I'),
                        $"The hand-written {name}: expected slice_qp_delta at bit {qpAt}, field_pic_flag and bottom_field_flag {(kind == 'I' ? 1 : 0)}; " +
                        $"got bit {header.SliceQpDeltaBitOffset}, {header.FieldPic}, {header.BottomField}. See README §Slice header.");
                    foreach (var c in FieldErrors.Cases(unit.Nal(), unit.Block))
                    {
                        var error = Expect.FormatError(() => SliceHeader.Parse(c.Nal, spss, ppss, 5), $"the hand-written {name} broken at {c.Field.Name} by {c.How}", "§Slice header");
                        FieldErrors.AssertAt(error, c, $"The hand-written {name}", "§Slice header");
                        broken.Add(c.Field.Name);
                    }
                }
            }
        }

        Assert.True(SliceFields.All(broken.Contains), $"(test) fields never broken: {string.Join(", ", SliceFields.Where(f => !broken.Contains(f)))}.");
    }
}
