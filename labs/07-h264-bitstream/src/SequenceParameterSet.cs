namespace Lab07.H264Bitstream;

/// <summary>
/// A sequence parameter set (SPS, 序列参数集), §7.3.2.1.1: profile and level, picture size, frame
/// numbering and picture order count rules, and the VUI. Names are the spec's syntax elements.
/// </summary>
public sealed record SequenceParameterSet
{
    /// <summary>profile_idc (Annex A: 66 Baseline, 77 Main, 88 Extended, 100 High, 110 High 10, 122 High 4:2:2, 244 High 4:4:4).</summary>
    public int ProfileIdc { get; init; }

    /// <summary>constraint_set0_flag … constraint_set5_flag, index 0–5.</summary>
    public IReadOnlyList<bool> ConstraintSetFlags { get; init; } = new bool[6];

    /// <summary>level_idc: ten times the level (31 = level 3.1; 11 with constraint_set3 in Baseline/Main = level 1b).</summary>
    public int LevelIdc { get; init; }

    /// <summary>seq_parameter_set_id, 0–31.</summary>
    public int SeqParameterSetId { get; init; }

    /// <summary>chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4 (1 when absent).</summary>
    public int ChromaFormatIdc { get; init; } = 1;

    /// <summary>separate_colour_plane_flag (4:4:4 only).</summary>
    public bool SeparateColourPlane { get; init; }

    /// <summary>bit_depth_luma_minus8, 0–6.</summary>
    public int BitDepthLumaMinus8 { get; init; }

    /// <summary>bit_depth_chroma_minus8, 0–6.</summary>
    public int BitDepthChromaMinus8 { get; init; }

    /// <summary>qpprime_y_zero_transform_bypass_flag (lossless macroblocks at QP′ 0).</summary>
    public bool QpprimeYZeroTransformBypass { get; init; }

    /// <summary>seq_scaling_matrix_present_flag.</summary>
    public bool SeqScalingMatrixPresent { get; init; }

    /// <summary>The scaling lists sent (index 0–5: 4×4, 6–11: 8×8); null where seq_scaling_list_present_flag[i] was 0.</summary>
    public IReadOnlyList<ScalingList?> ScalingLists { get; init; } = [];

    /// <summary>log2_max_frame_num_minus4, 0–12: frame_num is log2_max_frame_num_minus4 + 4 bits.</summary>
    public int Log2MaxFrameNumMinus4 { get; init; }

    /// <summary>pic_order_cnt_type, 0–2 (§8.2.1).</summary>
    public int PicOrderCntType { get; init; }

    /// <summary>log2_max_pic_order_cnt_lsb_minus4, 0–12 (POC type 0).</summary>
    public int Log2MaxPicOrderCntLsbMinus4 { get; init; }

    /// <summary>delta_pic_order_always_zero_flag (POC type 1).</summary>
    public bool DeltaPicOrderAlwaysZero { get; init; }

    /// <summary>offset_for_non_ref_pic (POC type 1).</summary>
    public int OffsetForNonRefPic { get; init; }

    /// <summary>offset_for_top_to_bottom_field (POC type 1).</summary>
    public int OffsetForTopToBottomField { get; init; }

    /// <summary>offset_for_ref_frame[i], num_ref_frames_in_pic_order_cnt_cycle of them (POC type 1).</summary>
    public IReadOnlyList<int> OffsetForRefFrame { get; init; } = [];

    /// <summary>max_num_ref_frames, 0–16.</summary>
    public int MaxNumRefFrames { get; init; }

    /// <summary>gaps_in_frame_num_value_allowed_flag.</summary>
    public bool GapsInFrameNumValueAllowed { get; init; }

    /// <summary>pic_width_in_mbs_minus1.</summary>
    public int PicWidthInMbsMinus1 { get; init; }

    /// <summary>pic_height_in_map_units_minus1.</summary>
    public int PicHeightInMapUnitsMinus1 { get; init; }

    /// <summary>frame_mbs_only_flag: 1 = progressive frames only; 0 = fields possible (map units are field MB pairs).</summary>
    public bool FrameMbsOnly { get; init; }

    /// <summary>mb_adaptive_frame_field_flag (MBAFF).</summary>
    public bool MbAdaptiveFrameField { get; init; }

    /// <summary>direct_8x8_inference_flag.</summary>
    public bool Direct8x8Inference { get; init; }

    /// <summary>frame_cropping_flag.</summary>
    public bool FrameCropping { get; init; }

    /// <summary>frame_crop_left_offset, in crop units (CropUnitX).</summary>
    public int FrameCropLeftOffset { get; init; }

    /// <summary>frame_crop_right_offset.</summary>
    public int FrameCropRightOffset { get; init; }

    /// <summary>frame_crop_top_offset, in crop units (CropUnitY).</summary>
    public int FrameCropTopOffset { get; init; }

    /// <summary>frame_crop_bottom_offset.</summary>
    public int FrameCropBottomOffset { get; init; }

    /// <summary>The VUI, or null when vui_parameters_present_flag is 0.</summary>
    public VuiParameters? Vui { get; init; }

    // ---- derived values (§7.4.2.1.1) ----

    /// <summary>ChromaArrayType: chroma_format_idc, or 0 with separate colour planes.</summary>
    public int ChromaArrayType => SeparateColourPlane ? 0 : ChromaFormatIdc;

    /// <summary>MaxFrameNum = 2^(log2_max_frame_num_minus4 + 4).</summary>
    public int MaxFrameNum => 1 << (Log2MaxFrameNumMinus4 + 4);

    /// <summary>MaxPicOrderCntLsb = 2^(log2_max_pic_order_cnt_lsb_minus4 + 4).</summary>
    public int MaxPicOrderCntLsb => 1 << (Log2MaxPicOrderCntLsbMinus4 + 4);

    /// <summary>Luma bit depth.</summary>
    public int BitDepthLuma => 8 + BitDepthLumaMinus8;

    /// <summary>The coded width: macroblocks × 16.</summary>
    public int CodedWidth => (PicWidthInMbsMinus1 + 1) * 16;

    /// <summary>The coded height: map units × 16, doubled when fields are possible.</summary>
    public int CodedHeight => (PicHeightInMapUnitsMinus1 + 1) * 16 * (FrameMbsOnly ? 1 : 2);

    /// <summary>CropUnitX (Eq. 7-19/7-21): 1 without chroma arrays, else SubWidthC.</summary>
    public int CropUnitX => ChromaArrayType == 0 ? 1 : (ChromaFormatIdc == 3 ? 1 : 2);

    /// <summary>CropUnitY (Eq. 7-20/7-22): (1 or SubHeightC) × (2 − frame_mbs_only_flag).</summary>
    public int CropUnitY => (ChromaArrayType == 0 ? 1 : (ChromaFormatIdc == 1 ? 2 : 1)) * (FrameMbsOnly ? 1 : 2);

    /// <summary>The displayed width: coded width minus the left and right crop.</summary>
    public int Width => CodedWidth - CropUnitX * (FrameCropLeftOffset + FrameCropRightOffset);

    /// <summary>The displayed height: coded height minus the top and bottom crop.</summary>
    public int Height => CodedHeight - CropUnitY * (FrameCropTopOffset + FrameCropBottomOffset);

    /// <summary>The frame rate from the VUI timing info, or null.</summary>
    public double? FrameRate => Vui?.FrameRate;

    /// <summary>The profile's name as ffmpeg prints it ("Constrained Baseline", "High 4:2:2").</summary>
    public string ProfileName => ProfileIdc switch
    {
        66 => ConstraintSetFlags[1] ? "Constrained Baseline" : "Baseline",
        77 => "Main",
        88 => "Extended",
        100 => "High",
        110 => ConstraintSetFlags[3] ? "High 10 Intra" : "High 10",
        122 => ConstraintSetFlags[3] ? "High 4:2:2 Intra" : "High 4:2:2",
        244 => "High 4:4:4 Predictive",
        44 => "CAVLC 4:4:4",
        _ => $"profile {ProfileIdc}",
    };

    /// <summary>ffmpeg's pixel format name for this chroma format and bit depth ("yuv420p", "yuv422p10le", "gray").</summary>
    public string PixelFormat
    {
        get
        {
            string chroma = ChromaFormatIdc switch { 0 => "gray", 1 => "yuv420p", 2 => "yuv422p", _ => "yuv444p" };
            return BitDepthLuma == 8 ? chroma : $"{chroma}{BitDepthLuma}le";
        }
    }

    /// <summary>The profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices (§7.3.2.1.1).</summary>
    public static bool HasHighProfileFields(int profileIdc) => profileIdc is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135;

    /// <summary>
    /// Parses an SPS NAL unit (header byte first, emulation prevention still in).
    /// </summary>
    /// <exception cref="H264FormatException">The unit is cut short, not an SPS, or a value is outside the range §7.4.2.1.1 allows.</exception>
    public static SequenceParameterSet Parse(ReadOnlySpan<byte> nal, int nalIndex = -1)
    {
        var rbsp = EmulationPrevention.ToRbsp(nal);
        var reader = new RbspReader(rbsp, nalIndex);
        throw new NotImplementedException("Lab 07 · M3: read the NAL header (type must be 7), then seq_parameter_set_data() field by field as §7.3.2.1.1 lists them (README §SPS), with range checks (Ranged); ScalingList.Read for the lists; ReadVui for the VUI; end with ReadTrailingBits");
    }

    /// <summary>The largest picture side in macroblocks this parser accepts: level 6.2's 139264 macroblocks, √(8 × 139264) ≈ 1055 per side (Table A-1, §A.3.1 f).</summary>
    public const int MaxMbsPerSide = 1055;

    /// <summary>Reads ue(v) and checks it is in <paramref name="min"/>..<paramref name="max"/>, else an error at the field's first bit.</summary>
    public static int Ranged(ref RbspReader reader, string field, int min, int max)
    {
        long at = reader.BitPosition;
        uint value = reader.ReadUe(field);
        if (value < min || value > max)
        {
            throw reader.Error($"{field} is {value}; the spec allows {min}..{max}", field, at);
        }

        return (int)value;
    }

    /// <summary>vui_parameters() (§E.1.1).</summary>
    public static VuiParameters ReadVui(ref RbspReader reader)
    {
        throw new NotImplementedException("Lab 07 · M3: vui_parameters() as §E.1.1 lists them: aspect ratio (255 = sar_width, sar_height u(16)), overscan, video signal type and colour description, chroma location, timing info (u(32) each), NAL and VCL HRD (SkipHrd), pic_struct, bitstream restriction — README §VUI");
    }

    /// <summary>hrd_parameters() (§E.1.2), read and dropped: the lab does not model buffering.</summary>
    public static void SkipHrd(ref RbspReader reader)
    {
        int cpbCount = Ranged(ref reader, "cpb_cnt_minus1", 0, 31) + 1;
        reader.ReadBits(4, "bit_rate_scale");
        reader.ReadBits(4, "cpb_size_scale");
        for (int i = 0; i < cpbCount; i++)
        {
            reader.ReadUe("bit_rate_value_minus1");
            reader.ReadUe("cpb_size_value_minus1");
            reader.ReadFlag("cbr_flag");
        }

        reader.ReadBits(20, "initial_cpb_removal_delay_length_minus1 … time_offset_length"); // four u(5), §E.1.2
    }
}
