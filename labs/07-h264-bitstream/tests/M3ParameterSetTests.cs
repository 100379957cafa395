using System.Globalization;

namespace Lab07.H264Bitstream.Tests;

/// <summary>M3: SPS and PPS, field by field against trace_headers, derived values against ffprobe (README §SPS, §VUI, §PPS).</summary>
public class M3ParameterSetTests
{
    private const string Milestone = "M3 SPS and PPS";

    public static TheoryData<string> AllStreams() => [.. Oracle.Streams];

    // Structure, not values: the NAL header, reserved bits, trailing bits, and VUI limits this lab does not keep.
    private static readonly HashSet<string> NotModelled =
    [
        "forbidden_zero_bit", "nal_ref_idc", "nal_unit_type", "reserved_zero_2bits", "rbsp_stop_one_bit", "rbsp_alignment_zero_bit",
        "motion_vectors_over_pic_boundaries_flag", "max_bytes_per_pic_denom", "max_bits_per_mb_denom",
        "log2_max_mv_length_horizontal", "log2_max_mv_length_vertical",
        // hrd_parameters() (§E.1.2): read and dropped (README §VUI, SkipHrd)
        "cpb_cnt_minus1", "bit_rate_scale", "cpb_size_scale", "bit_rate_value_minus1[0]", "cpb_size_value_minus1[0]", "cbr_flag[0]",
        "initial_cpb_removal_delay_length_minus1", "cpb_removal_delay_length_minus1", "dpb_output_delay_length_minus1", "time_offset_length",
    ];

    private static long B(bool value) => value ? 1 : 0;

    private static readonly Dictionary<string, Func<SequenceParameterSet, long?>> SpsFields = new()
    {
        ["profile_idc"] = s => s.ProfileIdc,
        ["constraint_set0_flag"] = s => B(s.ConstraintSetFlags[0]),
        ["constraint_set1_flag"] = s => B(s.ConstraintSetFlags[1]),
        ["constraint_set2_flag"] = s => B(s.ConstraintSetFlags[2]),
        ["constraint_set3_flag"] = s => B(s.ConstraintSetFlags[3]),
        ["constraint_set4_flag"] = s => B(s.ConstraintSetFlags[4]),
        ["constraint_set5_flag"] = s => B(s.ConstraintSetFlags[5]),
        ["level_idc"] = s => s.LevelIdc,
        ["seq_parameter_set_id"] = s => s.SeqParameterSetId,
        ["chroma_format_idc"] = s => s.ChromaFormatIdc,
        ["separate_colour_plane_flag"] = s => B(s.SeparateColourPlane),
        ["bit_depth_luma_minus8"] = s => s.BitDepthLumaMinus8,
        ["bit_depth_chroma_minus8"] = s => s.BitDepthChromaMinus8,
        ["qpprime_y_zero_transform_bypass_flag"] = s => B(s.QpprimeYZeroTransformBypass),
        ["seq_scaling_matrix_present_flag"] = s => B(s.SeqScalingMatrixPresent),
        ["log2_max_frame_num_minus4"] = s => s.Log2MaxFrameNumMinus4,
        ["pic_order_cnt_type"] = s => s.PicOrderCntType,
        ["log2_max_pic_order_cnt_lsb_minus4"] = s => s.Log2MaxPicOrderCntLsbMinus4,
        ["max_num_ref_frames"] = s => s.MaxNumRefFrames,
        ["gaps_in_frame_num_allowed_flag"] = s => B(s.GapsInFrameNumValueAllowed),
        ["pic_width_in_mbs_minus1"] = s => s.PicWidthInMbsMinus1,
        ["pic_height_in_map_units_minus1"] = s => s.PicHeightInMapUnitsMinus1,
        ["frame_mbs_only_flag"] = s => B(s.FrameMbsOnly),
        ["mb_adaptive_frame_field_flag"] = s => B(s.MbAdaptiveFrameField),
        ["direct_8x8_inference_flag"] = s => B(s.Direct8x8Inference),
        ["frame_cropping_flag"] = s => B(s.FrameCropping),
        ["frame_crop_left_offset"] = s => s.FrameCropLeftOffset,
        ["frame_crop_right_offset"] = s => s.FrameCropRightOffset,
        ["frame_crop_top_offset"] = s => s.FrameCropTopOffset,
        ["frame_crop_bottom_offset"] = s => s.FrameCropBottomOffset,
        ["vui_parameters_present_flag"] = s => B(s.Vui is not null),
        ["aspect_ratio_info_present_flag"] = s => B(s.Vui!.AspectRatioIdc is not null),
        ["aspect_ratio_idc"] = s => s.Vui!.AspectRatioIdc,
        ["sar_width"] = s => s.Vui!.SampleAspectRatio?.Width,
        ["sar_height"] = s => s.Vui!.SampleAspectRatio?.Height,
        ["overscan_info_present_flag"] = s => B(s.Vui!.OverscanAppropriate is not null),
        ["overscan_appropriate_flag"] = s => s.Vui!.OverscanAppropriate is { } o ? B(o) : null,
        ["video_signal_type_present_flag"] = s => B(s.Vui!.VideoFormat is not null),
        ["video_format"] = s => s.Vui!.VideoFormat,
        ["video_full_range_flag"] = s => s.Vui!.VideoFullRange is { } f ? B(f) : null,
        ["colour_description_present_flag"] = s => B(s.Vui!.ColourPrimaries is not null),
        ["colour_primaries"] = s => s.Vui!.ColourPrimaries,
        ["transfer_characteristics"] = s => s.Vui!.TransferCharacteristics,
        ["matrix_coefficients"] = s => s.Vui!.MatrixCoefficients,
        ["chroma_loc_info_present_flag"] = s => B(s.Vui!.ChromaSampleLocTypeTopField is not null),
        ["chroma_sample_loc_type_top_field"] = s => s.Vui!.ChromaSampleLocTypeTopField,
        ["chroma_sample_loc_type_bottom_field"] = s => s.Vui!.ChromaSampleLocTypeBottomField,
        ["timing_info_present_flag"] = s => B(s.Vui!.TimeScale is not null),
        ["num_units_in_tick"] = s => s.Vui!.NumUnitsInTick,
        ["time_scale"] = s => s.Vui!.TimeScale,
        ["fixed_frame_rate_flag"] = s => s.Vui!.FixedFrameRate is { } f ? B(f) : null,
        ["nal_hrd_parameters_present_flag"] = s => B(s.Vui!.NalHrdParametersPresent),
        ["vcl_hrd_parameters_present_flag"] = s => B(s.Vui!.VclHrdParametersPresent),
        ["low_delay_hrd_flag"] = s => s.Vui!.LowDelayHrd is { } f ? B(f) : null,
        ["pic_struct_present_flag"] = s => B(s.Vui!.PicStructPresent),
        ["bitstream_restriction_flag"] = s => B(s.Vui!.BitstreamRestriction),
        ["max_num_reorder_frames"] = s => s.Vui!.MaxNumReorderFrames,
        ["max_dec_frame_buffering"] = s => s.Vui!.MaxDecFrameBuffering,
    };

    private static readonly Dictionary<string, Func<PictureParameterSet, long?>> PpsFields = new()
    {
        ["pic_parameter_set_id"] = p => p.PicParameterSetId,
        ["seq_parameter_set_id"] = p => p.SeqParameterSetId,
        ["entropy_coding_mode_flag"] = p => B(p.EntropyCodingModeFlag),
        ["bottom_field_pic_order_in_frame_present_flag"] = p => B(p.BottomFieldPicOrderInFramePresent),
        ["num_slice_groups_minus1"] = p => p.NumSliceGroupsMinus1,
        ["num_ref_idx_l0_default_active_minus1"] = p => p.NumRefIdxL0DefaultActiveMinus1,
        ["num_ref_idx_l1_default_active_minus1"] = p => p.NumRefIdxL1DefaultActiveMinus1,
        ["weighted_pred_flag"] = p => B(p.WeightedPredFlag),
        ["weighted_bipred_idc"] = p => p.WeightedBipredIdc,
        ["pic_init_qp_minus26"] = p => p.PicInitQpMinus26,
        ["pic_init_qs_minus26"] = p => p.PicInitQsMinus26,
        ["chroma_qp_index_offset"] = p => p.ChromaQpIndexOffset,
        ["deblocking_filter_control_present_flag"] = p => B(p.DeblockingFilterControlPresent),
        ["constrained_intra_pred_flag"] = p => B(p.ConstrainedIntraPred),
        ["redundant_pic_cnt_present_flag"] = p => B(p.RedundantPicCntPresent),
        ["transform_8x8_mode_flag"] = p => B(p.Transform8x8Mode),
        ["pic_scaling_matrix_present_flag"] = p => B(p.PicScalingMatrixPresent),
        ["second_chroma_qp_index_offset"] = p => p.SecondChromaQpIndexOffset,
    };

    internal static byte[] FirstNal(string name, int type) => AnnexB.Split(Oracle.Bytes(name)).First(u => (u.Bytes.Span[0] & 0x1F) == type).Bytes.ToArray();

    [Theory]
    [MemberData(nameof(AllStreams))]
    [Trait("Milestone", Milestone)]
    public void SPS_fields_equal_trace_headers(string name)
    {
        var sps = SequenceParameterSet.Parse(FirstNal(name, 7));
        var trace = Oracle.TraceOf(name).BlocksTitled("Sequence Parameter Set").First();
        foreach (var field in trace.Fields.Where(f => !NotModelled.Contains(f.Name)))
        {
            Assert.True(SpsFields.TryGetValue(field.Name, out var get), $"(test) trace_headers prints {field.Name}, which this test does not map.");
            long? value = get(sps);
            Assert.True(value == field.Value, $"{name}.h264 SPS: {field.Name} (bit {field.Position}) is {field.Value} in trace_headers; yours is {value?.ToString(CultureInfo.InvariantCulture) ?? "absent"}. See README §SPS.");
        }
    }

    [Theory]
    [MemberData(nameof(AllStreams))]
    [Trait("Milestone", Milestone)]
    public void SPS_size_profile_level_format_and_rate_equal_ffprobe(string name)
    {
        var sps = SequenceParameterSet.Parse(FirstNal(name, 7));
        var probe = Oracle.StreamOf(name);
        string where = $"{name}.h264 (ffprobe -show_streams)";
        Assert.True(sps.Width == probe.GetProperty("width").GetInt32(), $"{where}: width {probe.GetProperty("width").GetInt32()}; yours {sps.Width} (coded {sps.CodedWidth}, cropped by CropUnitX × (left + right)). See README §Cropping.");
        Assert.True(sps.Height == probe.GetProperty("height").GetInt32(), $"{where}: height {probe.GetProperty("height").GetInt32()}; yours {sps.Height} (coded {sps.CodedHeight}). See README §Cropping.");
        Assert.True(sps.ProfileName == probe.GetProperty("profile").GetString(), $"{where}: profile \"{probe.GetProperty("profile").GetString()}\"; yours \"{sps.ProfileName}\". See README §SPS.");
        Assert.True(sps.LevelIdc == probe.GetProperty("level").GetInt32(), $"{where}: level {probe.GetProperty("level").GetInt32()}; yours {sps.LevelIdc}. See README §SPS.");
        Assert.True(sps.PixelFormat == probe.GetProperty("pix_fmt").GetString(), $"{where}: pix_fmt {probe.GetProperty("pix_fmt").GetString()}; yours {sps.PixelFormat} (chroma_format_idc {sps.ChromaFormatIdc}, {sps.BitDepthLuma} bits). See README §SPS.");
        var rate = probe.GetProperty("r_frame_rate").GetString()!.Split('/');
        double expected = double.Parse(rate[0], CultureInfo.InvariantCulture) / double.Parse(rate[1], CultureInfo.InvariantCulture);
        Assert.True(sps.FrameRate is { } fps && Math.Abs(fps - expected) < 1e-9, $"{where}: r_frame_rate {expected}; yours {sps.FrameRate} (time_scale ÷ 2 × num_units_in_tick). See README §VUI.");
        var sar = probe.GetProperty("sample_aspect_ratio").GetString();
        Assert.True(sps.Vui?.SampleAspectRatio is { } s && $"{s.Width}:{s.Height}" == sar, $"{where}: sample_aspect_ratio {sar}; yours {sps.Vui?.SampleAspectRatio}. See README §VUI (Table E-1).");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void VUI_colour_description_equals_ffprobe()
    {
        var vui = SequenceParameterSet.Parse(FirstNal("high", 7)).Vui!;
        var probe = Oracle.StreamOf("high");
        // Tables E-3, E-4, E-5: code 1 is BT.709 for all three; ffprobe prints "bt709" and colour range "tv" for limited range.
        Assert.True(probe.GetProperty("color_primaries").GetString() == "bt709" && vui.ColourPrimaries == 1, $"high.h264: colour_primaries is BT.709 (1); yours {vui.ColourPrimaries}. See README §VUI.");
        Assert.True(probe.GetProperty("color_transfer").GetString() == "bt709" && vui.TransferCharacteristics == 1, $"high.h264: transfer_characteristics is BT.709 (1); yours {vui.TransferCharacteristics}. See README §VUI.");
        Assert.True(probe.GetProperty("color_space").GetString() == "bt709" && vui.MatrixCoefficients == 1, $"high.h264: matrix_coefficients is BT.709 (1); yours {vui.MatrixCoefficients}. See README §VUI.");
        Assert.True(probe.GetProperty("color_range").GetString() == "tv" && vui.VideoFullRange == false, $"high.h264: limited (tv) range, video_full_range_flag 0; yours {vui.VideoFullRange}. See README §VUI.");
    }

    [Theory]
    [MemberData(nameof(AllStreams))]
    [Trait("Milestone", Milestone)]
    public void PPS_fields_equal_trace_headers(string name)
    {
        var sps = SequenceParameterSet.Parse(FirstNal(name, 7));
        var pps = PictureParameterSet.Parse(FirstNal(name, 8), new Dictionary<int, SequenceParameterSet> { [sps.SeqParameterSetId] = sps });
        var trace = Oracle.TraceOf(name).BlocksTitled("Picture Parameter Set").First();
        foreach (var field in trace.Fields.Where(f => !NotModelled.Contains(f.Name) && !f.Name.StartsWith("pic_scaling_list_present_flag", StringComparison.Ordinal) && !f.Name.StartsWith("delta_scale", StringComparison.Ordinal)))
        {
            Assert.True(PpsFields.TryGetValue(field.Name, out var get), $"(test) trace_headers prints {field.Name}, which this test does not map.");
            long? value = get(pps);
            Assert.True(value == field.Value, $"{name}.h264 PPS: {field.Name} (bit {field.Position}) is {field.Value} in trace_headers; yours is {value}. See README §PPS.");
        }

        var present = trace.Fields.Where(f => f.Name.StartsWith("pic_scaling_list_present_flag", StringComparison.Ordinal)).Select(f => f.Value == 1).ToList();
        Assert.True(present.SequenceEqual(pps.ScalingLists.Select(l => l is not null)), $"{name}.h264 PPS: pic_scaling_list_present_flag is [{string.Join(",", present.Select(B))}]; your lists present: [{string.Join(",", pps.ScalingLists.Select(l => B(l is not null)))}]. See README §PPS.");
        var deltas = trace.Fields.Where(f => f.Name.StartsWith("delta_scale", StringComparison.Ordinal)).Select(f => f.Value).ToList();
        var yours = pps.ScalingLists.Where(l => l is not null).SelectMany(l => l!.DeltaScales).Select(d => (long)d).ToList();
        Assert.True(deltas.SequenceEqual(yours), $"{name}.h264 PPS: delta_scale values {deltas.Count} in trace_headers, {yours.Count} yours; they must be the same sequence. See README §Scaling lists.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Scaling_list_values_follow_from_the_deltas()
    {
        var sps = SequenceParameterSet.Parse(FirstNal("high", 7));
        var pps = PictureParameterSet.Parse(FirstNal("high", 8), new Dictionary<int, SequenceParameterSet> { [0] = sps });
        // make.sh gave x264 this 4×4 matrix (raster order); the stream sends it in zig-zag scan order (§8.5.6, Table 8-13).
        int[] raster = [8, 12, 16, 20, 12, 16, 20, 24, 16, 20, 24, 28, 20, 24, 28, 32];
        int[] zigzag = [0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15];
        var expected = zigzag.Select(i => raster[i]).ToArray();
        Assert.True(pps.Transform8x8Mode && pps.ScalingLists.Count == 8, $"high.h264 PPS: transform_8x8_mode_flag 1 means 6 + 2 scaling lists; you have {pps.ScalingLists.Count}. See README §Scaling lists.");
        var intraY = pps.ScalingLists[0]!;
        Assert.True(intraY.Values.SequenceEqual(expected), $"high.h264 PPS list 0 must be [{string.Join(",", expected)}] in scan order; yours [{string.Join(",", intraY.Values)}]. See README §Scaling lists.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Scaling_lists_use_the_default_and_repeat_rules()
    {
        var sps = SequenceParameterSet.Parse(FirstNal("features", 7));
        var pps = PictureParameterSet.Parse(FirstNal("features", 8), new Dictionary<int, SequenceParameterSet> { [sps.SeqParameterSetId] = sps });
        // features.cqm (make.sh) gave x264 these lists; here they are in scan order (the file is raster order, §8.5.6).
        int[] intra4Luma = [.. Enumerable.Range(10, 16)];
        int[] inter4 = [12, 14, .. Enumerable.Repeat(16, 14)];
        int[] intra8Luma = [9, 11, 13, 15, 17, 19, 21, 23, .. Enumerable.Repeat(24, 56)];
        Assert.True(pps.ScalingLists.Count == 8, $"features.h264 PPS: transform_8x8_mode_flag 1 means 6 + 2 scaling lists; you have {pps.ScalingLists.Count}. See README §Scaling lists.");
        var lists = pps.ScalingLists;
        string Show(ScalingList? l) => l is null ? "not present" : l.UseDefault ? "use default" : $"[{string.Join(",", l.Values)}]";
        Assert.True(lists[0] is { UseDefault: false } l0 && l0.Values.SequenceEqual(intra4Luma), $"features.h264 PPS list 0 (intra Y 4×4) is [{string.Join(",", intra4Luma)}]; yours {Show(lists[0])}. See README §Scaling lists.");
        // features.cqm asks for the default intra chroma list: x264 sends delta_scale −8 first, so nextScale is 0 at j = 0.
        Assert.True(lists[1] is { UseDefault: true }, $"features.h264 PPS list 1 (intra Cb 4×4) is one delta_scale −8: nextScale 0 on the first value means useDefaultScalingMatrixFlag; yours {Show(lists[1])}. See README §Scaling lists.");
        // x264 ends a list whose tail repeats with a delta that makes nextScale 0: the remaining values repeat the last one.
        Assert.True(lists[3] is { UseDefault: false } l3 && l3.Values.SequenceEqual(inter4), $"features.h264 PPS list 3 (inter Y 4×4) is 4 deltas (4, 2, 2, −16), the last making nextScale 0, so [{string.Join(",", inter4)}]; yours {Show(lists[3])}. See README §Scaling lists.");
        Assert.True(lists[6] is { UseDefault: false } l6 && l6.Values.SequenceEqual(intra8Luma), $"features.h264 PPS list 6 (intra Y 8×8) is [{string.Join(",", intra8Luma)}] (8 values then 24 repeated); yours {Show(lists[6])}. See README §Scaling lists.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void POC_type_1_and_its_cycle_from_a_spec_built_SPS()
    {
        // seq_parameter_set_data() of §7.3.2.1.1 written bit by bit: Main profile, level 3.0, POC type 1 with a
        // cycle of two offsets, 11×9 macroblocks (176×144), no cropping, no VUI. x264 never writes POC type 1.
        var nal = Bits.Of(
            "0 11 00111" + "01001101" + "000000" + "00" + "00011110" + "1" + // header, profile_idc 77, flags, reserved, level 30, sps id 0
            "1" + "010" + "0" + "00101" + "010" + "011" + "00100" + "011" +   // log2_max_frame_num_minus4 0, POC type 1, always_zero 0, non_ref −2, top_to_bottom 1, cycle 2: +2, −1
            "010" + "0" + "0001011" + "0001001" + "1" + "1" + "0" + "0" +      // max_num_ref_frames 1, gaps 0, 11 MBs, 9 map units, frame_mbs_only, direct8x8, no crop, no VUI
            "1");                                                              // rbsp_stop_one_bit (then zeros to the byte boundary)
        var sps = SequenceParameterSet.Parse(nal);
        Assert.True(sps.PicOrderCntType == 1 && !sps.DeltaPicOrderAlwaysZero, $"pic_order_cnt_type 1; got {sps.PicOrderCntType}. See README §SPS.");
        Assert.True(sps.OffsetForNonRefPic == -2 && sps.OffsetForTopToBottomField == 1, $"offset_for_non_ref_pic −2, offset_for_top_to_bottom_field 1; got {sps.OffsetForNonRefPic}, {sps.OffsetForTopToBottomField}. See README §SPS.");
        Assert.True(sps.OffsetForRefFrame.SequenceEqual([2, -1]), $"offset_for_ref_frame [2, −1]; got [{string.Join(", ", sps.OffsetForRefFrame)}]. See README §SPS.");
        Assert.True(sps.MaxNumRefFrames == 1 && sps.Width == 176 && sps.Height == 144 && sps.Vui is null, $"1 reference frame, 176×144, no VUI; got {sps.MaxNumRefFrames}, {sps.Width}×{sps.Height}. See README §SPS.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Field_coding_doubles_the_height_and_the_vertical_crop_unit()
    {
        // Main profile, frame_mbs_only_flag 0 with MBAFF: map units are macroblock pairs (§7.4.2.1.1).
        // 120 MBs × 34 map units of MB pairs = 1920 × 1088; for 4:2:0 with fields CropUnitY = 2 × 2 = 4, so bottom offset 2 crops 8 lines: 1080.
        var nal = Bits.Of(
            "0 11 00111" + "01001101" + "000000" + "00" + "00101000" + "1" + // Main, level 4.0, sps id 0
            "1" + "1" + "011" + "1" +                                          // log2_max_frame_num_minus4 0, POC type 0, log2_max_poc_lsb_minus4 2, max_num_ref_frames 0
            "0" + "0000001111000" + "00000100010" + "0" + "1" + "1" +          // gaps 0, width_minus1 119, height_minus1 33, frame_mbs_only 0, mbaff 1, direct8x8 1
            "1" + "1" + "1" + "1" + "011" + "0" + "1");                       // crop 0,0,0,2; no VUI; stop bit
        var sps = SequenceParameterSet.Parse(nal);
        Assert.True(!sps.FrameMbsOnly && sps.MbAdaptiveFrameField, "frame_mbs_only_flag 0 and mb_adaptive_frame_field_flag 1. See README §Cropping.");
        Assert.True(sps.CodedHeight == 1088 && sps.Height == 1080 && sps.Width == 1920, $"34 map units of field MB pairs = 1088 lines, cropped by 2 × CropUnitY 4 = 1080; got {sps.Width}×{sps.Height} (coded {sps.CodedHeight}). See README §Cropping.");
    }

    [Theory]
    [InlineData("0 11 00111 01000010 000000 00 00011110 00000100001", 32, "seq_parameter_set_id")]                 // sps id 32 > 31
    [InlineData("0 11 00111 01000010 000000 00 00011110 1 0001110", 33, "log2_max_frame_num_minus4")]              // 13 > 12
    [InlineData("0 11 00111 01000010 000000 00 00011110 1 1 00100", 34, "pic_order_cnt_type")]                     // 3 > 2
    [InlineData("0 11 00111 01100100 000000 00 00011110 1 00101", 33, "chroma_format_idc")]                        // High, chroma 4 > 3
    [InlineData("0 11 00111 01000010 000000 00 00011110 1 1 011 000010010", 37, "max_num_ref_frames")]             // 17 > 16
    [InlineData("0 11 00111 01000010 000000 00 00011110 1 1 011 1 0 00000000000100000000000", 39, "pic_width_in_mbs_minus1")] // 2047 MBs wide
    [Trait("Milestone", Milestone)]
    public void Absurd_SPS_values_are_errors_at_their_bit(string bits, long position, string field)
    {
        var format = Expect.FormatError(() => SequenceParameterSet.Parse(Bits.Of(bits + "1"), nalIndex: 3), $"an SPS with an out-of-range {field}", "§SPS");
        Assert.True(format.BitOffset == position && format.Field == field && format.NalIndex == 3,
            $"An out-of-range {field} at bit {position} of NAL #3; the exception says {format.Field ?? "null"} at bit {format.BitOffset}, NAL #{format.NalIndex}. See README §SPS (ranges).");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_truncated_SPS_fails_at_the_first_field_that_does_not_fit()
    {
        var whole = FirstNal("high", 7);
        var trace = Oracle.TraceOf("high").BlocksTitled("Sequence Parameter Set").First();
        for (int cut = 1; cut < whole.Length - 1; cut += 3)
        {
            var format = Expect.FormatError(() => SequenceParameterSet.Parse(whole.AsSpan(0, cut)), $"high.h264's SPS cut to {cut} bytes", "§SPS");
            // trace_headers counts bits of the RBSP: the cut NAL unit holds cut bytes minus its emulation_prevention_three_bytes
            // (x264 escapes num_units_in_tick = 00 00 00 01 in this SPS). The field that does not fit is the first one
            // trace_headers shows ending past those bits.
            long bits = 8L * (cut - EmulationPreventionBytes(whole.AsSpan(0, cut)));
            var failing = trace.Fields.First(f => f.Position + f.Length > bits);
            Assert.True(format.BitOffset == failing.Position,
                $"high.h264's SPS cut to {cut} bytes ({bits} bits of RBSP): the first field that does not fit is {failing.Name} at bits {failing.Position}–{failing.Position + failing.Length - 1} (trace_headers), so the error must be at bit {failing.Position}; yours is at bit {format.BitOffset} ({format.Field ?? "no field"}). See README §SPS.");
        }
    }

    /// <summary>The 03 bytes that follow two zeros (§7.4.1), counted here independently of the lab's code.</summary>
    private static int EmulationPreventionBytes(ReadOnlySpan<byte> nal)
    {
        int count = 0, zeros = 0;
        foreach (byte b in nal)
        {
            if (zeros >= 2 && b == 3)
            {
                count++;
                zeros = 0;
                continue;
            }

            zeros = b == 0 ? zeros + 1 : 0;
        }

        return count;
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_PPS_naming_a_missing_SPS_is_an_error_at_seq_parameter_set_id()
    {
        var pps = FirstNal("baseline", 8);
        var trace = Oracle.TraceOf("baseline").BlocksTitled("Picture Parameter Set").First();
        var format = Expect.FormatError(() => PictureParameterSet.Parse(pps, new Dictionary<int, SequenceParameterSet>(), nalIndex: 1), "a PPS naming an SPS that was not given", "§PPS");
        Assert.True(format.Field == "seq_parameter_set_id" && format.BitOffset == trace.PositionOf("seq_parameter_set_id") && format.NalIndex == 1,
            $"The PPS names SPS 0, which was not given: expected the error at seq_parameter_set_id (bit {trace.PositionOf("seq_parameter_set_id")}), NAL #1; got {format.Field ?? "null"} at bit {format.BitOffset}, NAL #{format.NalIndex}. See README §PPS.");
    }
}
