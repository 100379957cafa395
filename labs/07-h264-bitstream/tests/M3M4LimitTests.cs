namespace Lab07.H264Bitstream.Tests;

/// <summary>
/// M3, M4 and M6 at their limits: the ranges of §7.4.2.1.1, §7.4.2.2 and §7.4.3 at the largest value allowed and one
/// past it, values the spec infers when a field is absent, the PPS's optional tail read to its last bit, SEI NAL units
/// that end where a message or the trailing bits should be, and the writer's trailing bits. Every unit is written by
/// hand from the syntax tables (<see cref="SpecUnit"/>) or is one of the suite's, and the expected values are the spec's.
/// </summary>
public class M3M4LimitTests
{
    private const string M3 = "M3 SPS and PPS";
    private const string M4 = "M4 slice headers and SEI";

    /// <summary>
    /// An SPS (§7.3.2.1.1) with POC type 2: Main (77), or High 10 (110, 4:2:0) with bit_depth_luma_minus8 = <paramref name="bitDepthMinus8"/>.
    /// </summary>
    private static SpecUnit Sps(int widthMinus1 = 3, int heightMinus1 = 1, bool frameMbsOnly = true, int bitDepthMinus8 = 0, (int L, int R, int T, int B)? crop = null)
    {
        var u = new SpecUnit(3, 7).U(8, bitDepthMinus8 > 0 ? 110 : 77, "profile_idc");
        for (int i = 0; i < 6; i++)
        {
            u.U(1, 0, $"constraint_set{i}_flag");
        }

        u.U(2, 0, "reserved_zero_2bits").U(8, 40, "level_idc").Ue(0, "seq_parameter_set_id");
        if (bitDepthMinus8 > 0)
        {
            u.Ue(1, "chroma_format_idc").Ue(bitDepthMinus8, "bit_depth_luma_minus8").Ue(bitDepthMinus8, "bit_depth_chroma_minus8")
             .U(1, 0, "qpprime_y_zero_transform_bypass_flag").U(1, 0, "seq_scaling_matrix_present_flag");
        }

        u.Ue(0, "log2_max_frame_num_minus4").Ue(2, "pic_order_cnt_type").Ue(1, "max_num_ref_frames").U(1, 0, "gaps_in_frame_num_value_allowed_flag")
         .Ue(widthMinus1, "pic_width_in_mbs_minus1").Ue(heightMinus1, "pic_height_in_map_units_minus1").U(1, frameMbsOnly ? 1 : 0, "frame_mbs_only_flag");
        if (!frameMbsOnly)
        {
            u.U(1, 0, "mb_adaptive_frame_field_flag");
        }

        u.U(1, 1, "direct_8x8_inference_flag").U(1, crop is null ? 0 : 1, "frame_cropping_flag");
        if (crop is { } c)
        {
            u.Ue(c.L, "frame_crop_left_offset").Ue(c.R, "frame_crop_right_offset").Ue(c.T, "frame_crop_top_offset").Ue(c.B, "frame_crop_bottom_offset");
        }

        return u.U(1, 0, "vui_parameters_present_flag");
    }

    /// <summary>
    /// A PPS (§7.3.2.2) for SPS 0 up to redundant_pic_cnt_present_flag, before the optional tail; with <paramref name="sliceGroups"/>,
    /// two slice groups of map type 3 (box-out) changing by <paramref name="changeRateMinus1"/> + 1 map units.
    /// </summary>
    private static SpecUnit PpsHead(int ppsId, bool sliceGroups = false, int changeRateMinus1 = 4, int picInitQpMinus26 = 0, int weightedBipredIdc = 0)
    {
        var u = new SpecUnit(3, 8).Ue(ppsId, "pic_parameter_set_id").Ue(0, "seq_parameter_set_id").U(1, 0, "entropy_coding_mode_flag")
            .U(1, 0, "bottom_field_pic_order_in_frame_present_flag").Ue(sliceGroups ? 1 : 0, "num_slice_groups_minus1");
        if (sliceGroups)
        {
            u.Ue(3, "slice_group_map_type").U(1, 1, "slice_group_change_direction_flag").Ue(changeRateMinus1, "slice_group_change_rate_minus1");
        }

        return u.Ue(0, "num_ref_idx_l0_default_active_minus1").Ue(0, "num_ref_idx_l1_default_active_minus1").U(1, 0, "weighted_pred_flag")
            .U(2, weightedBipredIdc, "weighted_bipred_idc").Se(picInitQpMinus26, "pic_init_qp_minus26").Se(0, "pic_init_qs_minus26").Se(-2, "chroma_qp_index_offset")
            .U(1, 0, "deblocking_filter_control_present_flag").U(1, 0, "constrained_intra_pred_flag").U(1, 0, "redundant_pic_cnt_present_flag");
    }

    private static Dictionary<int, SequenceParameterSet> Spss(SpecUnit sps) => new() { [0] = SequenceParameterSet.Parse(sps.Nal()) };

    /// <summary>The unit's first <paramref name="bits"/> bits only (a byte boundary): no trailing bits, emulation prevention added.</summary>
    private static byte[] CutAt(SpecUnit unit, long bits)
    {
        Assert.True(bits % 8 == 0 && bits <= unit.BitCount, $"(test) cut at bit {bits} of a {unit.BitCount}-bit unit.");
        return FieldErrors.Escape(FieldErrors.Unescape(unit.Nal()).AsSpan(0, (int)(bits / 8)));
    }

    /// <summary>The first of the PPS heads with pic_parameter_set_id 0, 1, 3, 7, 15 (codes of 1 to 9 bits) whose tail starts where <paramref name="fits"/> says.</summary>
    private static SpecUnit HeadWhere(Func<int, bool> fits, bool sliceGroups = false) =>
        new[] { 0, 1, 3, 7, 15 }.Select(id => PpsHead(id, sliceGroups)).FirstOrDefault(h => fits(h.BitCount))
        ?? throw new Xunit.Sdk.XunitException("(test) no PPS head puts the tail at the bit needed.");

    private static void AssertErrorAt(H264FormatException error, string field, long bit, string what, string readme) =>
        Assert.True(error.Field is not null && FieldErrors.SpecName(error.Field) == field && error.BitOffset == bit,
            $"{what}: expected the error at bit {bit} naming {field}; got {error.Field ?? "null"} at bit {error.BitOffset}. See README {readme} and §Bit reader.");

    [Fact]
    [Trait("Milestone", M4)]
    public void An_empty_NAL_unit_is_an_error_at_bit_0_for_every_parser()
    {
        var spss = new Dictionary<int, SequenceParameterSet>();
        var ppss = new Dictionary<int, PictureParameterSet>();
        foreach (var (what, act) in new (string, Action)[]
        {
            ("SequenceParameterSet.Parse", () => SequenceParameterSet.Parse([], 9)),
            ("PictureParameterSet.Parse", () => PictureParameterSet.Parse([], spss, 9)),
            ("SliceHeader.Parse", () => SliceHeader.Parse([], spss, ppss, 9)),
            ("SeiMessage.ParseAll", () => SeiMessage.ParseAll([], 9)),
        })
        {
            var error = Expect.FormatError(act, $"an empty NAL unit to {what}", "§Bit reader");
            Assert.True(error.BitOffset == 0 && error.NalIndex == 9, $"An empty NAL unit (#9) given to {what}: expected the error at bit 0 of NAL #9, where its header should be; got bit {error.BitOffset}, NAL #{error.NalIndex}. See README §Bit reader.");
        }
    }

    [Fact]
    [Trait("Milestone", M3)]
    public void An_SPS_of_1055_macroblocks_a_side_is_read_and_1056_is_an_error()
    {
        var largest = SequenceParameterSet.Parse(Sps(1054, 1054).Nal());
        Assert.True(largest.CodedWidth == 1055 * 16 && largest.CodedHeight == 1055 * 16, $"pic_width_in_mbs_minus1 and pic_height_in_map_units_minus1 1054: 16880×16880 coded; got {largest.CodedWidth}×{largest.CodedHeight}. See README §SPS.");
        foreach (var (unit, field) in new[] { (Sps(1055, 0), "pic_width_in_mbs_minus1"), (Sps(0, 1055), "pic_height_in_map_units_minus1") })
        {
            var error = Expect.FormatError(() => SequenceParameterSet.Parse(unit.Nal()), $"an SPS with {field} 1055 (1056 macroblocks)", "§SPS");
            AssertErrorAt(error, field, unit.PositionOf(field), $"An SPS with {field} 1055 (1056 macroblocks, past level 6.2's 1055)", "§SPS");
        }
    }

    [Fact]
    [Trait("Milestone", M3)]
    public void Cropping_that_leaves_no_picture_is_an_error()
    {
        // §7.4.2.1.1: frame_crop_left_offset ≤ PicWidthInSamplesL ÷ CropUnitX − (frame_crop_right_offset + 1), and the same for top and
        // bottom: at least one sample must be left. One macroblock (16×16) of 4:2:0 frames: crop units of 2, so 4 + 4 units crop all 16.
        foreach (var (crop, what) in new[] { ((4, 4, 0, 0), "left 4 + right 4 units: width 0"), ((0, 0, 4, 4), "top 4 + bottom 4 units: height 0"), ((8, 0, 8, 0), "left 8, top 8 units: nothing") })
        {
            var nal = Sps(0, 0, crop: crop).Nal();
            Expect.FormatError(() => SequenceParameterSet.Parse(nal), $"a 16×16 SPS cropped {what}", "§Cropping");
        }

        var one = SequenceParameterSet.Parse(Sps(0, 0, crop: (3, 4, 4, 3)).Nal());
        Assert.True(one.Width == 2 && one.Height == 2, $"A 16×16 SPS cropped 3, 4, 4, 3 units of 2 samples: 2×2 left; got {one.Width}×{one.Height}. See README §Cropping.");
    }

    [Fact]
    [Trait("Milestone", M3)]
    public void Fields_a_Baseline_SPS_and_PPS_do_not_send_take_the_values_the_spec_infers()
    {
        var sps = SequenceParameterSet.Parse(M3ParameterSetTests.FirstNal("baseline", 7));
        Assert.True(sps.ChromaFormatIdc == 1 && !sps.SeparateColourPlane && !sps.QpprimeYZeroTransformBypass && !sps.SeqScalingMatrixPresent && sps.ScalingLists.Count == 0,
            $"baseline.h264's SPS (profile_idc {sps.ProfileIdc}) sends none of the High profiles' fields: §7.4.2.1.1 infers chroma_format_idc 1, separate_colour_plane_flag 0, " +
            $"qpprime_y_zero_transform_bypass_flag 0, seq_scaling_matrix_present_flag 0; got {sps.ChromaFormatIdc}, {sps.SeparateColourPlane}, {sps.QpprimeYZeroTransformBypass}, " +
            $"{sps.SeqScalingMatrixPresent} ({sps.ScalingLists.Count} lists). See README §SPS.");
        var spss = new Dictionary<int, SequenceParameterSet> { [sps.SeqParameterSetId] = sps };
        var pps = PictureParameterSet.Parse(M3ParameterSetTests.FirstNal("baseline", 8), spss);
        Assert.True(!pps.Transform8x8Mode && !pps.PicScalingMatrixPresent && pps.ScalingLists.Count == 0 && pps.SecondChromaQpIndexOffset == pps.ChromaQpIndexOffset,
            $"baseline.h264's PPS ends before transform_8x8_mode_flag: §7.4.2.2 infers transform_8x8_mode_flag 0, pic_scaling_matrix_present_flag 0 and " +
            $"second_chroma_qp_index_offset = chroma_qp_index_offset ({pps.ChromaQpIndexOffset}); got {pps.Transform8x8Mode}, {pps.PicScalingMatrixPresent} ({pps.ScalingLists.Count} lists), {pps.SecondChromaQpIndexOffset}. See README §PPS.");
    }

    [Fact]
    [Trait("Milestone", M3)]
    public void A_PPS_tail_has_6_scaling_lists_without_8x8_transforms_8_with_them_and_12_for_4_4_4()
    {
        // §7.3.2.2: for (i = 0; i < 6 + ((chroma_format_idc != 3) ? 2 : 6) * transform_8x8_mode_flag; i++) pic_scaling_list_present_flag[i] …
        foreach (var (spsUnit, transform, count, what) in new[]
        {
            (Sps(), 0, 6, "4:2:0, transform_8x8_mode_flag 0"),
            (Sps(), 1, 8, "4:2:0, transform_8x8_mode_flag 1"),
            (M3M4AlignedFieldTests.Sps(0, 3), 1, 12, "4:4:4, transform_8x8_mode_flag 1"),
        })
        {
            var unit = PpsHead(0).U(1, transform, "transform_8x8_mode_flag").U(1, 1, "pic_scaling_matrix_present_flag");
            for (int i = 0; i < count; i++)
            {
                unit.U(1, i == 1 ? 1 : 0, "pic_scaling_list_present_flag");
                if (i == 1)
                {
                    unit.Se(2, "delta_scale").Se(-10, "delta_scale"); // 10, then nextScale 0: 10 for all 16
                }
            }

            var pps = PictureParameterSet.Parse(unit.Se(3, "second_chroma_qp_index_offset").Nal(), Spss(spsUnit));
            Assert.True(pps.Transform8x8Mode == (transform == 1) && pps.PicScalingMatrixPresent && pps.ScalingLists.Count == count && pps.SecondChromaQpIndexOffset == 3
                && pps.ScalingLists[1] is { } list && list.Values.SequenceEqual(Enumerable.Repeat(10, 16)) && pps.ScalingLists.Where((l, i) => i != 1).All(l => l is null),
                $"A PPS tail with {what} and pic_scaling_matrix_present_flag 1: expected {count} scaling lists (only list 1 sent, 16 × 10), then second_chroma_qp_index_offset 3; " +
                $"got transform {pps.Transform8x8Mode}, {pps.ScalingLists.Count} lists, second offset {pps.SecondChromaQpIndexOffset}. See README §PPS, §Scaling lists.");
        }
    }

    [Fact]
    [Trait("Milestone", M3)]
    public void A_PPS_tail_cut_short_is_an_error_at_the_field_cut()
    {
        var spss = Spss(Sps());

        // more_rbsp_data() (§7.2) is true before the last 1 bit: here pic_scaling_matrix_present_flag = 1, the unit's last bit,
        // so the tail is read and the first pic_scaling_list_present_flag lies past the end.
        var head = HeadWhere(bits => (bits + 2) % 8 == 0);
        var unit = head.U(1, 0, "transform_8x8_mode_flag").U(1, 1, "pic_scaling_matrix_present_flag");
        var error = Expect.FormatError(() => PictureParameterSet.Parse(CutAt(unit, unit.BitCount), spss), "a PPS that ends with pic_scaling_matrix_present_flag 1", "§PPS");
        AssertErrorAt(error, "pic_scaling_list_present_flag", unit.BitCount, "A PPS that ends with pic_scaling_matrix_present_flag 1", "§PPS");

        // second_chroma_qp_index_offset = 1 is se(v) 010: the unit cut after its 01 ends inside the code.
        head = HeadWhere(bits => (bits + 4) % 8 == 0);
        unit = head.U(1, 0, "transform_8x8_mode_flag").U(1, 0, "pic_scaling_matrix_present_flag").Se(1, "second_chroma_qp_index_offset");
        long at = unit.PositionOf("second_chroma_qp_index_offset");
        error = Expect.FormatError(() => PictureParameterSet.Parse(CutAt(unit, at + 2), spss), "a PPS cut inside second_chroma_qp_index_offset", "§PPS");
        AssertErrorAt(error, "second_chroma_qp_index_offset", at, "A PPS cut after the 01 of second_chroma_qp_index_offset's code 010", "§PPS");

        // second_chroma_qp_index_offset = 0 (code 1) as the unit's last bit: the tail is complete but rbsp_trailing_bits() is missing.
        head = HeadWhere(bits => (bits + 3) % 8 == 0, sliceGroups: true);
        unit = head.U(1, 0, "transform_8x8_mode_flag").U(1, 0, "pic_scaling_matrix_present_flag").Se(0, "second_chroma_qp_index_offset");
        error = Expect.FormatError(() => PictureParameterSet.Parse(CutAt(unit, unit.BitCount), spss), "a PPS without rbsp_trailing_bits", "§PPS");
        AssertErrorAt(error, "rbsp_stop_one_bit", unit.BitCount, "A PPS whose last field ends on a byte boundary, without rbsp_trailing_bits()", "§PPS");
    }

    [Fact]
    [Trait("Milestone", M3)]
    public void PPS_ranges_follow_the_SPS_bit_depth_and_size_and_weighted_bipred_idc_3_is_an_error()
    {
        // §7.4.2.2: pic_init_qp_minus26 is −(26 + QpBdOffsetY) … +25, QpBdOffsetY = 6 × bit_depth_luma_minus8 (Eq. 7-4): −38 at 10 bits.
        var high10 = Spss(Sps(bitDepthMinus8: 2));
        var pps = PictureParameterSet.Parse(PpsHead(0, picInitQpMinus26: -38).Nal(), high10);
        Assert.True(pps.PicInitQpMinus26 == -38, $"pic_init_qp_minus26 −38 with 10-bit luma (QpBdOffsetY 12): allowed, read as −38; got {pps.PicInitQpMinus26}. See README §PPS.");
        var low = PpsHead(0, picInitQpMinus26: -39);
        var error = Expect.FormatError(() => PictureParameterSet.Parse(low.Nal(), high10), "pic_init_qp_minus26 −39 with 10-bit luma", "§PPS");
        AssertErrorAt(error, "pic_init_qp_minus26", low.PositionOf("pic_init_qp_minus26"), "pic_init_qp_minus26 −39 with 10-bit luma (below −(26 + 12))", "§PPS");

        // §7.4.2.2: slice_group_change_rate_minus1 is 0 … PicSizeInMapUnits − 1; 4×2 = 8 map units.
        var spss = Spss(Sps());
        pps = PictureParameterSet.Parse(PpsHead(0, sliceGroups: true, changeRateMinus1: 7).Nal(), spss);
        Assert.True(pps.SliceGroupChangeRateMinus1 == 7, $"slice_group_change_rate_minus1 7 with 8 map units: allowed; got {pps.SliceGroupChangeRateMinus1}. See README §PPS.");
        var past = PpsHead(0, sliceGroups: true, changeRateMinus1: 8);
        error = Expect.FormatError(() => PictureParameterSet.Parse(past.Nal(), spss), "slice_group_change_rate_minus1 8 with 8 map units", "§PPS");
        AssertErrorAt(error, "slice_group_change_rate_minus1", past.PositionOf("slice_group_change_rate_minus1"), "slice_group_change_rate_minus1 8 with 8 map units", "§PPS");

        // §7.4.2.2: weighted_bipred_idc 3 is reserved.
        var bipred = PpsHead(0, weightedBipredIdc: 3);
        error = Expect.FormatError(() => PictureParameterSet.Parse(bipred.Nal(), spss), "weighted_bipred_idc 3", "§PPS");
        AssertErrorAt(error, "weighted_bipred_idc", bipred.PositionOf("weighted_bipred_idc"), "weighted_bipred_idc 3 (reserved)", "§PPS");
    }

    /// <summary>A non-IDR I slice of a non-reference picture (§7.3.3) for the SPS above (POC type 2) and a CAVLC PPS 0.</summary>
    private static SpecUnit ISlice(int firstMb, bool fieldCoding)
    {
        var u = new SpecUnit(0, 1).Ue(firstMb, "first_mb_in_slice").Ue(7, "slice_type").Ue(0, "pic_parameter_set_id").U(4, 1, "frame_num");
        if (fieldCoding)
        {
            u.U(1, 0, "field_pic_flag");
        }

        return u.Se(0, "slice_qp_delta");
    }

    [Fact]
    [Trait("Milestone", M4)]
    public void First_mb_in_slice_past_the_picture_is_an_error()
    {
        // §7.4.3: first_mb_in_slice is 0 … PicSizeInMbs − 1. 4×2 macroblocks of frames: 8; 4×2 map units of field coding
        // (frame_mbs_only_flag 0): FrameHeightInMbs = 2 × 2, so a frame has 16.
        foreach (var (frameMbsOnly, mbs) in new[] { (true, 8), (false, 16) })
        {
            var spss = Spss(Sps(frameMbsOnly: frameMbsOnly));
            var ppss = new Dictionary<int, PictureParameterSet> { [0] = PictureParameterSet.Parse(PpsHead(0).Nal(), spss) };
            var last = SliceHeader.Parse(ISlice(mbs - 1, !frameMbsOnly).Nal(), spss, ppss);
            Assert.True(last.FirstMbInSlice == mbs - 1, $"first_mb_in_slice {mbs - 1} in a picture of {mbs} macroblocks: allowed; got {last.FirstMbInSlice}. See README §Slice header.");
            var error = Expect.FormatError(() => SliceHeader.Parse(ISlice(mbs, !frameMbsOnly).Nal(), spss, ppss), $"first_mb_in_slice {mbs} in a picture of {mbs} macroblocks", "§Slice header");
            AssertErrorAt(error, "first_mb_in_slice", 8, $"first_mb_in_slice {mbs} in a picture of {mbs} macroblocks ({(frameMbsOnly ? "frames" : "field coding, a frame")})", "§Slice header");
        }
    }

    [Fact]
    [Trait("Milestone", M4)]
    public void More_list_changes_than_references_is_an_error_at_modification_of_pic_nums_idc()
    {
        // §7.4.3.1: at most num_ref_idx_l0_active_minus1 + 1 (here 32) commands other than 3. This P slice sends 40.
        var spss = Spss(Sps());
        var ppss = new Dictionary<int, PictureParameterSet> { [0] = PictureParameterSet.Parse(PpsHead(0).Nal(), spss) };
        var u = new SpecUnit(2, 1).Ue(0, "first_mb_in_slice").Ue(5, "slice_type").Ue(0, "pic_parameter_set_id").U(4, 1, "frame_num")
            .U(1, 1, "num_ref_idx_active_override_flag").Ue(31, "num_ref_idx_l0_active_minus1").U(1, 1, "ref_pic_list_modification_flag_l0");
        for (int i = 0; i < 40; i++)
        {
            u.Ue(0, "modification_of_pic_nums_idc").Ue(0, "abs_diff_pic_num_minus1");
        }

        u.Ue(3, "modification_of_pic_nums_idc").U(1, 0, "adaptive_ref_pic_marking_mode_flag").Se(0, "slice_qp_delta");
        var commands = u.Block.Fields.Where(f => f.Name == "modification_of_pic_nums_idc").Select(f => f.Position).ToList();
        var error = Expect.FormatError(() => SliceHeader.Parse(u.Nal(), spss, ppss), "a P slice with 40 list changes for 32 references", "§Slice header");
        Assert.True(error.Field == "modification_of_pic_nums_idc" && commands.Skip(32).Take(8).Contains(error.BitOffset),
            $"A P slice with 40 ref_pic_list_modification() commands and 32 references: expected the error at modification_of_pic_nums_idc, at the first bit of a command past the 32nd " +
            $"(bits {string.Join(", ", commands.Skip(32).Take(8))}); got {error.Field ?? "null"} at bit {error.BitOffset}. See README §Slice header and §Bit reader.");
    }

    private static byte[] Sei(params byte[] rbspAfterHeader) => FieldErrors.Escape([0x06, .. rbspAfterHeader]);

    [Fact]
    [Trait("Milestone", M4)]
    public void An_SEI_that_ends_where_a_message_or_the_trailing_bits_should_be_is_an_error_there()
    {
        // sei_rbsp() (§7.3.2.3) is do sei_message() while (more_rbsp_data()): at least one message, at bit 8.
        var error = Expect.FormatError(() => SeiMessage.ParseAll(Sei(), 1), "an SEI NAL unit of only its header byte", "§SEI");
        Assert.True(error.BitOffset == 8, $"An SEI NAL unit of only its header byte: expected the error at bit 8, where its first message should start; got bit {error.BitOffset} ({error.Field ?? "null"}). See README §SEI.");

        // A 16-byte payload that is the last byte of the unit: no rbsp_trailing_bits() after it.
        byte[] uuid = [.. Enumerable.Range(0x10, 16).Select(b => (byte)b)];
        error = Expect.FormatError(() => SeiMessage.ParseAll(Sei([5, 16, .. uuid]), 1), "an SEI whose 16-byte payload ends the unit", "§SEI");
        AssertErrorAt(error, "rbsp_stop_one_bit", 8 * 19, "An SEI message (type 5, 16 bytes) that ends the NAL unit, with no rbsp_trailing_bits()", "§SEI");

        // payloadSize 16 with 8 bytes left: README §SEI puts the error at the size's first bit.
        error = Expect.FormatError(() => SeiMessage.ParseAll(Sei([5, 16, .. uuid[..8], 0x80]), 1), "an SEI payload of 16 bytes with 9 left", "§SEI");
        Assert.True(error.BitOffset == 16, $"An SEI message saying payloadSize 16 with 9 bytes left: expected the error at bit 16, the size's first bit; got bit {error.BitOffset}. See README §SEI.");
    }

    [Fact]
    [Trait("Milestone", M4)]
    public void User_data_unregistered_is_a_UUID_then_text_up_to_a_NUL()
    {
        byte[] uuid = [.. Enumerable.Range(0xa0, 16).Select(b => (byte)b)];
        const string hex = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf";
        foreach (var (payload, text, what) in new (byte[], string, string)[]
        {
            (uuid, "", "only the 16-byte UUID"),
            ([.. uuid, .. "x264 core"u8], "x264 core", "text without a NUL"),
            ([.. uuid, 0, .. "hidden"u8], "", "a NUL right after the UUID"),
            ([.. uuid, .. "abc"u8, 0, .. "def"u8], "abc", "text, a NUL, more bytes"),
        })
        {
            var user = new SeiMessage(SeiMessage.UserDataUnregisteredType, payload).AsUserDataUnregistered();
            Assert.True(user is { } u && u.Uuid == hex && u.Text == text, $"user_data_unregistered with {what}: expected ({hex}, \"{text}\"); got {(user is null ? "null" : $"({user.Value.Uuid}, \"{user.Value.Text}\")")}. See README §SEI.");
        }

        Assert.True(new SeiMessage(SeiMessage.RecoveryPointType, [.. uuid, 1, 2]).AsUserDataUnregistered() is null, "An 18-byte payload of type 6 (recovery point) is not user data: AsUserDataUnregistered must be null. See README §SEI.");
        Assert.True(new SeiMessage(SeiMessage.UserDataUnregisteredType, uuid[..15]).AsUserDataUnregistered() is null, "A 15-byte type 5 payload has no whole UUID: AsUserDataUnregistered must be null. See README §SEI.");
    }

    [Fact]
    [Trait("Milestone", "M6 I_PCM encoder")]
    public void Writer_trailing_bits_end_on_a_byte_boundary()
    {
        var writer = new RbspWriter();
        writer.WriteBits(0b101, 3);
        writer.WriteTrailingBits();
        Assert.True(writer.BitPosition == 8 && writer.IsByteAligned && writer.ToArray().SequenceEqual(new byte[] { 0xB0 }),
            $"101, then rbsp_trailing_bits() (§7.3.2.11: a 1, then 0s to the byte boundary): expected one byte 0xB0 (1011 0000) and the writer at bit 8; " +
            $"got bit {writer.BitPosition}, {Convert.ToHexString(writer.ToArray())}. See README §Bit writer.");
    }
}
