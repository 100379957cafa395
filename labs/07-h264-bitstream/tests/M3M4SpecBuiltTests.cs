namespace Lab07.H264Bitstream.Tests;

/// <summary>
/// M3 and M4 on syntax that x264 never writes, so the suite's streams do not contain it: NAL units written by hand
/// from ITU-T H.264 §7.3 (<see cref="SpecUnit"/>) — an SPS with separate colour planes (§7.3.2.1.1), twelve scaling
/// lists (§7.3.2.1.1.1) and POC type 1; PPSs with slice groups of every map type (FMO, §7.3.2.2); SP and SI slices
/// with colour_plane_id, POC type 1's deltas and redundant_pic_cnt (§7.3.3). Expected values are the ones written.
/// </summary>
public class M3M4SpecBuiltTests
{
    private const string M3 = "M3 SPS and PPS";
    private const string M4 = "M4 slice headers and SEI";

    // scaling_list() deltas per list (§7.3.2.1.1.1), lists 0–5 of 16 weights, 6–11 of 64; lists not here are not sent.
    private static readonly Dictionary<int, int[]> ListDeltas = new()
    {
        [0] = [-8],               // 8 − 8 = 0 on the first weight: useDefaultScalingMatrixFlag
        [2] = [2, 3, -13],        // 10, 13, then nextScale 0: the other 14 weights repeat 13
        [3] = [127, 127, -6],     // 135, (135 + 127) % 256 = 6, then 0: 6 repeated
        [6] = [4, -12],           // 12, then 0: 12 for all 64
        [11] = [.. Enumerable.Range(0, 64).Select(j => j % 2 == 0 ? 1 : -1)], // 9, 8, 9, 8 … all 64 sent
    };

    /// <summary>High 4:4:4 Predictive (profile_idc 244), separate_colour_plane_flag 1, scaling lists, POC type 1, 10×8 MBs cropped by 1 on each side.</summary>
    internal static SpecUnit Sps()
    {
        var u = new SpecUnit(3, 7).U(8, 244, "profile_idc");
        for (int i = 0; i < 6; i++)
        {
            u.U(1, 0, $"constraint_set{i}_flag");
        }

        u.U(2, 0, "reserved_zero_2bits").U(8, 40, "level_idc").Ue(0, "seq_parameter_set_id")
         .Ue(3, "chroma_format_idc").U(1, 1, "separate_colour_plane_flag").Ue(0, "bit_depth_luma_minus8").Ue(0, "bit_depth_chroma_minus8")
         .U(1, 0, "qpprime_y_zero_transform_bypass_flag").U(1, 1, "seq_scaling_matrix_present_flag");
        for (int i = 0; i < 12; i++) // chroma_format_idc 3: 12 lists
        {
            u.U(1, ListDeltas.ContainsKey(i) ? 1 : 0, "seq_scaling_list_present_flag");
            foreach (int delta in ListDeltas.GetValueOrDefault(i, []))
            {
                u.Se(delta, "delta_scale");
            }
        }

        return u.Ue(0, "log2_max_frame_num_minus4").Ue(1, "pic_order_cnt_type")
            .U(1, 0, "delta_pic_order_always_zero_flag").Se(-3, "offset_for_non_ref_pic").Se(2, "offset_for_top_to_bottom_field")
            .Ue(2, "num_ref_frames_in_pic_order_cnt_cycle").Se(4, "offset_for_ref_frame").Se(-1, "offset_for_ref_frame")
            .Ue(1, "max_num_ref_frames").U(1, 0, "gaps_in_frame_num_value_allowed_flag").Ue(9, "pic_width_in_mbs_minus1").Ue(7, "pic_height_in_map_units_minus1")
            .U(1, 1, "frame_mbs_only_flag").U(1, 1, "direct_8x8_inference_flag")
            .U(1, 1, "frame_cropping_flag").Ue(1, "frame_crop_left_offset").Ue(1, "frame_crop_right_offset").Ue(1, "frame_crop_top_offset").Ue(1, "frame_crop_bottom_offset")
            .U(1, 0, "vui_parameters_present_flag");
    }

    /// <summary>A PPS (id = map type) with three slice groups of the given slice_group_map_type, for the SPS above (80 map units).</summary>
    internal static SpecUnit Pps(int mapType, out long sliceGroupIdsAt)
    {
        sliceGroupIdsAt = -1;
        var u = new SpecUnit(3, 8).Ue(mapType, "pic_parameter_set_id").Ue(0, "seq_parameter_set_id").U(1, 0, "entropy_coding_mode_flag")
            .U(1, 1, "bottom_field_pic_order_in_frame_present_flag").Ue(2, "num_slice_groups_minus1").Ue(mapType, "slice_group_map_type");
        switch (mapType)
        {
            case 0:
                u.Ue(9, "run_length_minus1").Ue(19, "run_length_minus1").Ue(49, "run_length_minus1");
                break;
            case 2:
                u.Ue(0, "top_left").Ue(11, "bottom_right").Ue(22, "top_left").Ue(33, "bottom_right");
                break;
            case 3 or 4 or 5:
                u.U(1, 1, "slice_group_change_direction_flag").Ue(4, "slice_group_change_rate_minus1");
                break;
            case 6:
                u.Ue(79, "pic_size_in_map_units_minus1");
                sliceGroupIdsAt = u.BitCount;
                for (int i = 0; i < 80; i++)
                {
                    u.Raw((i % 3) switch { 0 => "00", 1 => "01", _ => "10" }); // slice_group_id u(v), v = Ceil(Log2(2 + 1)) = 2
                }

                break;
        }

        return u.Ue(0, "num_ref_idx_l0_default_active_minus1").Ue(1, "num_ref_idx_l1_default_active_minus1").U(1, 1, "weighted_pred_flag").U(2, 2, "weighted_bipred_idc")
            .Se(-2, "pic_init_qp_minus26").Se(3, "pic_init_qs_minus26").Se(-4, "chroma_qp_index_offset")
            .U(1, 1, "deblocking_filter_control_present_flag").U(1, 1, "constrained_intra_pred_flag").U(1, 1, "redundant_pic_cnt_present_flag");
    }

    /// <summary>An SP slice (slice_type 3) of a reference picture with PPS 0: weighted prediction, sp_for_switch_flag and slice_qs_delta.</summary>
    internal static SpecUnit SpSlice() =>
        new SpecUnit(2, 1).Ue(0, "first_mb_in_slice").Ue(3, "slice_type").Ue(0, "pic_parameter_set_id").U(2, 2, "colour_plane_id").U(4, 5, "frame_num")
            .Se(-2, "delta_pic_order_cnt").Se(3, "delta_pic_order_cnt").Ue(1, "redundant_pic_cnt")
            .U(1, 1, "num_ref_idx_active_override_flag").Ue(0, "num_ref_idx_l0_active_minus1").U(1, 0, "ref_pic_list_modification_flag_l0")
            .Ue(0, "luma_log2_weight_denom").U(1, 1, "luma_weight_l0_flag").Se(1, "luma_weight_l0").Se(-1, "luma_offset_l0") // ChromaArrayType 0: no chroma weights
            .U(1, 0, "adaptive_ref_pic_marking_mode_flag")
            .Se(-1, "slice_qp_delta").U(1, 1, "sp_for_switch_flag").Se(2, "slice_qs_delta")
            .Ue(0, "disable_deblocking_filter_idc").Se(1, "slice_alpha_c0_offset_div2").Se(-1, "slice_beta_offset_div2");

    /// <summary>An SI slice (slice_type 9) of a non-reference picture with PPS 0: no reference lists, no marking, slice_qs_delta.</summary>
    internal static SpecUnit SiSlice() =>
        new SpecUnit(0, 1).Ue(0, "first_mb_in_slice").Ue(9, "slice_type").Ue(0, "pic_parameter_set_id").U(2, 1, "colour_plane_id").U(4, 6, "frame_num")
            .Se(0, "delta_pic_order_cnt").Se(1, "delta_pic_order_cnt").Ue(0, "redundant_pic_cnt")
            .Se(4, "slice_qp_delta").Se(-3, "slice_qs_delta").Ue(1, "disable_deblocking_filter_idc");

    private static readonly int[] MapTypes = [0, 1, 2, 3, 4, 5, 6];

    private static Dictionary<int, SequenceParameterSet> Spss() => new() { [0] = SequenceParameterSet.Parse(Sps().Nal()) };

    private static Dictionary<int, PictureParameterSet> Ppss(Dictionary<int, SequenceParameterSet> spss) =>
        MapTypes.ToDictionary(t => t, t => PictureParameterSet.Parse(Pps(t, out _).Nal(), spss));

    [Fact]
    [Trait("Milestone", M3)]
    public void An_SPS_with_separate_colour_planes_scaling_lists_and_POC_type_1_is_read_field_by_field()
    {
        var sps = SequenceParameterSet.Parse(Sps().Nal());
        Assert.True(sps.ProfileIdc == 244 && sps.ChromaFormatIdc == 3 && sps.SeparateColourPlane && sps.ChromaArrayType == 0,
            $"profile_idc 244, chroma_format_idc 3, separate_colour_plane_flag 1 (ChromaArrayType 0); got {sps.ProfileIdc}, {sps.ChromaFormatIdc}, {sps.SeparateColourPlane}, {sps.ChromaArrayType}. See README §SPS.");
        Assert.True(sps.SeqScalingMatrixPresent && sps.ScalingLists.Count == 12,
            $"seq_scaling_matrix_present_flag 1 with chroma_format_idc 3: 12 scaling lists (§7.3.2.1.1); got {sps.ScalingLists.Count}. See README §SPS, §Scaling lists.");
        for (int i = 0; i < 12; i++)
        {
            Assert.True((sps.ScalingLists[i] is not null) == ListDeltas.ContainsKey(i), $"seq_scaling_list_present_flag[{i}] is {(ListDeltas.ContainsKey(i) ? 1 : 0)}; your list {i} is {(sps.ScalingLists[i] is null ? "absent" : "present")}. See README §Scaling lists.");
        }

        Assert.True(sps.ScalingLists[0]!.UseDefault, "List 0's first delta_scale −8 makes nextScale 0 at j = 0: useDefaultScalingMatrixFlag. See README §Scaling lists.");
        int[] list2 = [10, .. Enumerable.Repeat(13, 15)], list3 = [135, .. Enumerable.Repeat(6, 15)], list11 = [.. Enumerable.Range(0, 64).Select(j => j % 2 == 0 ? 9 : 8)];
        foreach (var (index, expected) in new[] { (2, list2), (3, list3), (6, Enumerable.Repeat(12, 64).ToArray()), (11, list11) })
        {
            var list = sps.ScalingLists[index]!;
            Assert.True(!list.UseDefault && list.Values.SequenceEqual(expected) && list.DeltaScales.SequenceEqual(ListDeltas[index]),
                $"Scaling list {index}: delta_scale {string.Join(" ", ListDeltas[index])} gives weights {string.Join(" ", expected)} (§7.3.2.1.1.1: nextScale = (lastScale + delta_scale + 256) % 256, then the last weight repeats); " +
                $"got {string.Join(" ", list.Values)} (deltas {string.Join(" ", list.DeltaScales)}, use default {list.UseDefault}). See README §Scaling lists.");
        }

        Assert.True(sps.PicOrderCntType == 1 && !sps.DeltaPicOrderAlwaysZero && sps.OffsetForNonRefPic == -3 && sps.OffsetForTopToBottomField == 2 && sps.OffsetForRefFrame.SequenceEqual([4, -1]),
            $"POC type 1: delta_pic_order_always_zero_flag 0, offset_for_non_ref_pic −3, offset_for_top_to_bottom_field 2, offset_for_ref_frame 4 −1; got type {sps.PicOrderCntType}, {sps.DeltaPicOrderAlwaysZero}, {sps.OffsetForNonRefPic}, {sps.OffsetForTopToBottomField}, [{string.Join(" ", sps.OffsetForRefFrame)}]. See README §SPS.");
        Assert.True(sps.MaxNumRefFrames == 1 && sps.CodedWidth == 160 && sps.CodedHeight == 128 && sps.Width == 158 && sps.Height == 126,
            $"max_num_ref_frames 1, 10×8 MBs = 160×128 cropped by 1 unit on each side, and with ChromaArrayType 0 a crop unit is 1 sample (Eq. 7-19, 7-20): 158×126; got {sps.MaxNumRefFrames} ref, {sps.CodedWidth}×{sps.CodedHeight} → {sps.Width}×{sps.Height}. See README §Cropping.");
    }

    [Fact]
    [Trait("Milestone", M3)]
    public void PPSs_with_slice_groups_of_every_map_type_are_read_to_the_end()
    {
        var spss = Spss();
        foreach (int mapType in MapTypes)
        {
            var pps = PictureParameterSet.Parse(Pps(mapType, out _).Nal(), spss);
            Assert.True(pps.NumSliceGroupsMinus1 == 2 && pps.SliceGroupMapType == mapType && pps.SliceGroupChangeRateMinus1 == (mapType is >= 3 and <= 5 ? 4 : 0),
                $"PPS with slice_group_map_type {mapType}: num_slice_groups_minus1 2, map type {mapType}, slice_group_change_rate_minus1 {(mapType is >= 3 and <= 5 ? 4 : 0)}; got {pps.NumSliceGroupsMinus1}, {pps.SliceGroupMapType}, {pps.SliceGroupChangeRateMinus1}. See README §PPS and §7.3.2.2.");
            Assert.True(pps.NumRefIdxL1DefaultActiveMinus1 == 1 && pps.WeightedPredFlag && pps.WeightedBipredIdc == 2 && pps.PicInitQpMinus26 == -2 && pps.PicInitQsMinus26 == 3
                        && pps.ChromaQpIndexOffset == -4 && pps.SecondChromaQpIndexOffset == -4 && pps.DeblockingFilterControlPresent && pps.ConstrainedIntraPred && pps.RedundantPicCntPresent && pps.BottomFieldPicOrderInFramePresent,
                $"PPS with slice_group_map_type {mapType}: the fields after the slice groups are l1 default 1, weighted 1/2, qp −2, qs 3, chroma offset −4 (second = first), deblocking/constrained/redundant 1; " +
                $"got {pps.NumRefIdxL1DefaultActiveMinus1}, {pps.WeightedPredFlag}/{pps.WeightedBipredIdc}, {pps.PicInitQpMinus26}, {pps.PicInitQsMinus26}, {pps.ChromaQpIndexOffset}/{pps.SecondChromaQpIndexOffset}, " +
                $"{pps.DeblockingFilterControlPresent}/{pps.ConstrainedIntraPred}/{pps.RedundantPicCntPresent} — the slice-group fields were not read as §7.3.2.2 lists them. See README §PPS.");
        }
    }

    [Fact]
    [Trait("Milestone", M3)]
    public void Slice_group_fields_out_of_their_range_are_errors_at_that_field()
    {
        var spss = Spss();
        // §7.4.2.2: run_length_minus1 ≤ PicSizeInMapUnits − 1 (79 here); pic_size_in_map_units_minus1 = PicSizeInMapUnits − 1; num_slice_groups_minus1 ≤ 7 (Annex A).
        var longRun = new SpecUnit(3, 8).Ue(0, "pic_parameter_set_id").Ue(0, "seq_parameter_set_id").U(1, 0, "entropy_coding_mode_flag").U(1, 0, "bottom_field_pic_order_in_frame_present_flag")
            .Ue(1, "num_slice_groups_minus1").Ue(0, "slice_group_map_type").Ue(79, "run_length_minus1").Ue(80, "run_length_minus1");
        var wrongSize = new SpecUnit(3, 8).Ue(0, "pic_parameter_set_id").Ue(0, "seq_parameter_set_id").U(1, 0, "entropy_coding_mode_flag").U(1, 0, "bottom_field_pic_order_in_frame_present_flag")
            .Ue(1, "num_slice_groups_minus1").Ue(6, "slice_group_map_type").Ue(80, "pic_size_in_map_units_minus1");
        var tooManyGroups = new SpecUnit(3, 8).Ue(0, "pic_parameter_set_id").Ue(0, "seq_parameter_set_id").U(1, 0, "entropy_coding_mode_flag").U(1, 0, "bottom_field_pic_order_in_frame_present_flag")
            .Ue(8, "num_slice_groups_minus1");
        foreach (var (unit, field, what) in new[] { (longRun, "run_length_minus1", "a second run_length_minus1 of 80 (at most 79)"), (wrongSize, "pic_size_in_map_units_minus1", "pic_size_in_map_units_minus1 80 (must be 79)"), (tooManyGroups, "num_slice_groups_minus1", "num_slice_groups_minus1 8 (at most 7)") })
        {
            long at = unit.Block.Fields.Last(f => f.Name == field).Position;
            var error = Expect.FormatError(() => PictureParameterSet.Parse(unit.Raw(new string('1', 40)).Nal(), spss), $"a PPS with {what}", "§PPS");
            Assert.True(error.Field == field && error.BitOffset == at, $"A PPS with {what}: expected the error at bit {at} naming {field}; got bit {error.BitOffset}, {error.Field ?? "null"}. See README §PPS.");
        }
    }

    [Fact]
    [Trait("Milestone", M4)]
    public void SP_and_SI_slices_with_colour_plane_id_and_POC_type_1_deltas_are_read_to_the_deblocking_fields()
    {
        var spss = Spss();
        var ppss = Ppss(spss);
        var spUnit = SpSlice();
        var sp = SliceHeader.Parse(spUnit.Nal(), spss, ppss);
        Assert.True(sp.SliceTypeRaw == 3 && sp.SliceType == SliceType.SP && sp.FrameNum == 5 && sp.DeltaPicOrderCnt0 == -2 && sp.DeltaPicOrderCnt1 == 3 && sp.RedundantPicCnt == 1,
            $"SP slice: slice_type 3, colour_plane_id 2 then frame_num 5, delta_pic_order_cnt −2 and 3 (POC type 1 with bottom_field_pic_order_in_frame_present_flag), redundant_pic_cnt 1; " +
            $"got type {sp.SliceTypeRaw} ({sp.SliceType}), frame_num {sp.FrameNum}, deltas {sp.DeltaPicOrderCnt0} {sp.DeltaPicOrderCnt1}, redundant {sp.RedundantPicCnt}. See README §Slice header and §7.3.3.");
        Assert.True(sp.NumRefIdxActiveOverride == true && sp.NumRefIdxL0ActiveMinus1 == 0 && sp.HasPredWeightTable && sp.AdaptiveRefPicMarkingMode == false,
            $"SP slice: override 1 with l0 0, a pred_weight_table (weighted_pred_flag 1 applies to SP), adaptive marking 0; got {sp.NumRefIdxActiveOverride}, {sp.NumRefIdxL0ActiveMinus1}, {sp.HasPredWeightTable}, {sp.AdaptiveRefPicMarkingMode}. See README §Slice header.");
        Assert.True(sp.SliceQpDelta == -1 && sp.SliceQpDeltaBitOffset == spUnit.PositionOf("slice_qp_delta") && sp.DisableDeblockingFilterIdc == 0 && sp.SliceAlphaC0OffsetDiv2 == 1 && sp.SliceBetaOffsetDiv2 == -1,
            $"SP slice: slice_qp_delta −1 at bit {spUnit.PositionOf("slice_qp_delta")}, then sp_for_switch_flag, slice_qs_delta 2, and deblocking 0, 1, −1; got {sp.SliceQpDelta} at bit {sp.SliceQpDeltaBitOffset}, deblocking {sp.DisableDeblockingFilterIdc}, {sp.SliceAlphaC0OffsetDiv2}, {sp.SliceBetaOffsetDiv2}. See README §Slice header.");

        var siUnit = SiSlice();
        var si = SliceHeader.Parse(siUnit.Nal(), spss, ppss);
        Assert.True(si.SliceTypeRaw == 9 && si.SliceType == SliceType.SI && si.FrameNum == 6 && si.DeltaPicOrderCnt0 == 0 && si.DeltaPicOrderCnt1 == 1 && si.RedundantPicCnt == 0,
            $"SI slice: slice_type 9, frame_num 6, delta_pic_order_cnt 0 and 1, redundant_pic_cnt 0; got {si.SliceTypeRaw} ({si.SliceType}), {si.FrameNum}, {si.DeltaPicOrderCnt0} {si.DeltaPicOrderCnt1}, {si.RedundantPicCnt}. See README §Slice header.");
        Assert.True(si.NumRefIdxActiveOverride is null && !si.HasPredWeightTable && si.AdaptiveRefPicMarkingMode is null && si.SliceQpDelta == 4 && si.SliceQpDeltaBitOffset == siUnit.PositionOf("slice_qp_delta") && si.DisableDeblockingFilterIdc == 1,
            $"SI slice of a non-reference picture: no override, no weights, no marking; slice_qp_delta 4 at bit {siUnit.PositionOf("slice_qp_delta")}, slice_qs_delta, deblocking 1; " +
            $"got override {si.NumRefIdxActiveOverride?.ToString() ?? "none"}, weights {si.HasPredWeightTable}, marking {si.AdaptiveRefPicMarkingMode?.ToString() ?? "none"}, qp delta {si.SliceQpDelta} at bit {si.SliceQpDeltaBitOffset}, deblocking {si.DisableDeblockingFilterIdc}. See README §Slice header.");
    }

    [Fact]
    [Trait("Milestone", M3)]
    public void Each_field_of_the_spec_built_SPS_and_PPSs_cut_short_or_too_long_is_an_error_naming_it()
    {
        foreach (var c in FieldErrors.Cases(Sps().Nal(), Sps().Block))
        {
            var error = Expect.FormatError(() => SequenceParameterSet.Parse(c.Nal, 2), $"the spec-built SPS broken at {c.Field.Name} by {c.How}", "§SPS");
            FieldErrors.AssertAt(error, c, "The spec-built SPS", "§SPS");
        }

        var spss = Spss();
        foreach (int mapType in MapTypes)
        {
            var unit = Pps(mapType, out long idsAt);
            foreach (var c in FieldErrors.Cases(unit.Nal(), unit.Block))
            {
                var error = Expect.FormatError(() => PictureParameterSet.Parse(c.Nal, spss), $"the spec-built PPS (map type {mapType}) broken at {c.Field.Name} by {c.How}", "§PPS");
                FieldErrors.AssertAt(error, c, $"The spec-built PPS (map type {mapType})", "§PPS");
            }

            if (idsAt >= 0)
            {
                // 80 slice_group_id u(2): cut 3 bytes into them, the error names slice_group_id, at one of them up to the cut.
                var rbsp = FieldErrors.Unescape(unit.Nal());
                int bytes = (int)(idsAt / 8) + 3;
                var error = Expect.FormatError(() => PictureParameterSet.Parse(FieldErrors.Escape(rbsp.AsSpan(0, bytes)), spss), "a PPS cut inside its slice_group_id list", "§PPS");
                Assert.True(error.Field == "slice_group_id" && error.BitOffset >= idsAt && error.BitOffset < 8L * bytes,
                    $"A PPS cut to {bytes} bytes, inside slice_group_id (bits {idsAt}–{idsAt + 159}): expected the error naming slice_group_id at a bit from {idsAt} to {8L * bytes - 1}; got bit {error.BitOffset}, {error.Field ?? "null"}. See README §Bit reader.");
            }
        }
    }

    [Fact]
    [Trait("Milestone", M4)]
    public void Each_field_of_the_spec_built_SP_and_SI_slices_cut_short_or_too_long_is_an_error_naming_it()
    {
        var spss = Spss();
        var ppss = Ppss(spss);
        foreach (var (unit, what) in new[] { (SpSlice(), "SP slice"), (SiSlice(), "SI slice") })
        {
            foreach (var c in FieldErrors.Cases(unit.Nal(), unit.Block))
            {
                var error = Expect.FormatError(() => SliceHeader.Parse(c.Nal, spss, ppss, 7), $"the spec-built {what} broken at {c.Field.Name} by {c.How}", "§Slice header");
                FieldErrors.AssertAt(error, c, $"The spec-built {what}", "§Slice header");
            }
        }
    }
}
