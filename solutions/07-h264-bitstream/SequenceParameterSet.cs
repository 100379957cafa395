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
        #region lab M3: read the NAL header (type must be 7), then seq_parameter_set_data() field by field as §7.3.2.1.1 lists them (README §SPS), with range checks (Ranged); ScalingList.Read for the lists; ReadVui for the VUI; end with ReadTrailingBits
        if (reader.BitsLeft < 8)
        {
            throw reader.Error("An empty NAL unit where an SPS should be", "nal_unit_header");
        }

        var header = NalUnitHeader.Parse((byte)reader.ReadBits(8, "nal_unit_header"));
        if (header.Type != NalUnitType.Sps)
        {
            throw reader.Error($"Not an SPS: nal_unit_type is {(int)header.Type} ({header.Name})", "nal_unit_type", 3);
        }

        int profileIdc = (int)reader.ReadBits(8, "profile_idc");
        var constraints = new bool[6];
        for (int i = 0; i < 6; i++)
        {
            constraints[i] = reader.ReadFlag($"constraint_set{i}_flag");
        }

        reader.ReadBits(2, "reserved_zero_2bits");
        int levelIdc = (int)reader.ReadBits(8, "level_idc");
        int spsId = Ranged(ref reader, "seq_parameter_set_id", 0, 31); // §7.4.2.1.1

        int chromaFormatIdc = 1, bitDepthLuma = 0, bitDepthChroma = 0;
        bool separateColourPlane = false, bypass = false, scalingPresent = false;
        var scalingLists = new List<ScalingList?>();
        if (HasHighProfileFields(profileIdc))
        {
            chromaFormatIdc = Ranged(ref reader, "chroma_format_idc", 0, 3);
            if (chromaFormatIdc == 3)
            {
                separateColourPlane = reader.ReadFlag("separate_colour_plane_flag");
            }

            bitDepthLuma = Ranged(ref reader, "bit_depth_luma_minus8", 0, 6);
            bitDepthChroma = Ranged(ref reader, "bit_depth_chroma_minus8", 0, 6);
            bypass = reader.ReadFlag("qpprime_y_zero_transform_bypass_flag");
            scalingPresent = reader.ReadFlag("seq_scaling_matrix_present_flag");
            if (scalingPresent)
            {
                int count = chromaFormatIdc != 3 ? 8 : 12;
                for (int i = 0; i < count; i++)
                {
                    scalingLists.Add(reader.ReadFlag("seq_scaling_list_present_flag") ? ScalingList.Read(ref reader, i < 6 ? 16 : 64) : null);
                }
            }
        }

        int log2MaxFrameNumMinus4 = Ranged(ref reader, "log2_max_frame_num_minus4", 0, 12);
        int pocType = Ranged(ref reader, "pic_order_cnt_type", 0, 2);
        int log2MaxPocLsbMinus4 = 0, offsetForNonRefPic = 0, offsetForTopToBottomField = 0;
        bool deltaAlwaysZero = false;
        var offsetForRefFrame = new List<int>();
        if (pocType == 0)
        {
            log2MaxPocLsbMinus4 = Ranged(ref reader, "log2_max_pic_order_cnt_lsb_minus4", 0, 12);
        }
        else if (pocType == 1)
        {
            deltaAlwaysZero = reader.ReadFlag("delta_pic_order_always_zero_flag");
            offsetForNonRefPic = reader.ReadSe("offset_for_non_ref_pic");
            offsetForTopToBottomField = reader.ReadSe("offset_for_top_to_bottom_field");
            int cycle = Ranged(ref reader, "num_ref_frames_in_pic_order_cnt_cycle", 0, 255);
            for (int i = 0; i < cycle; i++)
            {
                offsetForRefFrame.Add(reader.ReadSe("offset_for_ref_frame"));
            }
        }

        int maxNumRefFrames = Ranged(ref reader, "max_num_ref_frames", 0, 16); // MaxDpbFrames ≤ 16, §A.3.1
        bool gaps = reader.ReadFlag("gaps_in_frame_num_value_allowed_flag");
        int widthMbsMinus1 = Ranged(ref reader, "pic_width_in_mbs_minus1", 0, MaxMbsPerSide - 1);
        int heightMapUnitsMinus1 = Ranged(ref reader, "pic_height_in_map_units_minus1", 0, MaxMbsPerSide - 1);
        bool frameMbsOnly = reader.ReadFlag("frame_mbs_only_flag");
        bool mbaff = !frameMbsOnly && reader.ReadFlag("mb_adaptive_frame_field_flag");
        bool direct8x8 = reader.ReadFlag("direct_8x8_inference_flag");
        bool cropping = reader.ReadFlag("frame_cropping_flag");
        int cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (cropping)
        {
            cropLeft = Ranged(ref reader, "frame_crop_left_offset", 0, MaxMbsPerSide * 16);
            cropRight = Ranged(ref reader, "frame_crop_right_offset", 0, MaxMbsPerSide * 16);
            cropTop = Ranged(ref reader, "frame_crop_top_offset", 0, MaxMbsPerSide * 16);
            cropBottom = Ranged(ref reader, "frame_crop_bottom_offset", 0, MaxMbsPerSide * 16);
        }

        long vuiAt = reader.BitPosition;
        var vui = reader.ReadFlag("vui_parameters_present_flag") ? ReadVui(ref reader) : null;
        reader.ReadTrailingBits();

        var sps = new SequenceParameterSet
        {
            ProfileIdc = profileIdc, ConstraintSetFlags = constraints, LevelIdc = levelIdc, SeqParameterSetId = spsId,
            ChromaFormatIdc = chromaFormatIdc, SeparateColourPlane = separateColourPlane,
            BitDepthLumaMinus8 = bitDepthLuma, BitDepthChromaMinus8 = bitDepthChroma, QpprimeYZeroTransformBypass = bypass,
            SeqScalingMatrixPresent = scalingPresent, ScalingLists = scalingLists,
            Log2MaxFrameNumMinus4 = log2MaxFrameNumMinus4, PicOrderCntType = pocType, Log2MaxPicOrderCntLsbMinus4 = log2MaxPocLsbMinus4,
            DeltaPicOrderAlwaysZero = deltaAlwaysZero, OffsetForNonRefPic = offsetForNonRefPic, OffsetForTopToBottomField = offsetForTopToBottomField,
            OffsetForRefFrame = offsetForRefFrame, MaxNumRefFrames = maxNumRefFrames, GapsInFrameNumValueAllowed = gaps,
            PicWidthInMbsMinus1 = widthMbsMinus1, PicHeightInMapUnitsMinus1 = heightMapUnitsMinus1, FrameMbsOnly = frameMbsOnly,
            MbAdaptiveFrameField = mbaff, Direct8x8Inference = direct8x8, FrameCropping = cropping,
            FrameCropLeftOffset = cropLeft, FrameCropRightOffset = cropRight, FrameCropTopOffset = cropTop, FrameCropBottomOffset = cropBottom,
            Vui = vui,
        };
        if (sps.Width <= 0 || sps.Height <= 0)
        {
            throw reader.Error($"The cropping ({cropLeft}, {cropRight}, {cropTop}, {cropBottom}) leaves no picture of the {sps.CodedWidth}×{sps.CodedHeight} coded frame (§7.4.2.1.1)", "frame_crop_offset", vuiAt);
        }

        return sps;
        #endregion
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
        #region lab M3: vui_parameters() as §E.1.1 lists them: aspect ratio (255 = sar_width, sar_height u(16)), overscan, video signal type and colour description, chroma location, timing info (u(32) each), NAL and VCL HRD (SkipHrd), pic_struct, bitstream restriction — README §VUI
        int? aspectRatioIdc = null;
        (int, int)? sar = null;
        if (reader.ReadFlag("aspect_ratio_info_present_flag"))
        {
            aspectRatioIdc = (int)reader.ReadBits(8, "aspect_ratio_idc");
            sar = aspectRatioIdc == 255 // Extended_SAR, Table E-1
                ? ((int)reader.ReadBits(16, "sar_width"), (int)reader.ReadBits(16, "sar_height"))
                : VuiParameters.SampleAspectRatioOf(aspectRatioIdc.Value);
        }

        bool? overscan = reader.ReadFlag("overscan_info_present_flag") ? reader.ReadFlag("overscan_appropriate_flag") : null;
        int? videoFormat = null, primaries = null, transfer = null, matrix = null, locTop = null, locBottom = null;
        bool? fullRange = null;
        if (reader.ReadFlag("video_signal_type_present_flag"))
        {
            videoFormat = (int)reader.ReadBits(3, "video_format");
            fullRange = reader.ReadFlag("video_full_range_flag");
            if (reader.ReadFlag("colour_description_present_flag"))
            {
                primaries = (int)reader.ReadBits(8, "colour_primaries");
                transfer = (int)reader.ReadBits(8, "transfer_characteristics");
                matrix = (int)reader.ReadBits(8, "matrix_coefficients");
            }
        }

        if (reader.ReadFlag("chroma_loc_info_present_flag"))
        {
            locTop = Ranged(ref reader, "chroma_sample_loc_type_top_field", 0, 5);
            locBottom = Ranged(ref reader, "chroma_sample_loc_type_bottom_field", 0, 5);
        }

        uint? unitsInTick = null, timeScale = null;
        bool? fixedRate = null;
        if (reader.ReadFlag("timing_info_present_flag"))
        {
            unitsInTick = reader.ReadBits(32, "num_units_in_tick");
            timeScale = reader.ReadBits(32, "time_scale");
            fixedRate = reader.ReadFlag("fixed_frame_rate_flag");
        }

        bool nalHrd = reader.ReadFlag("nal_hrd_parameters_present_flag");
        if (nalHrd)
        {
            SkipHrd(ref reader);
        }

        bool vclHrd = reader.ReadFlag("vcl_hrd_parameters_present_flag");
        if (vclHrd)
        {
            SkipHrd(ref reader);
        }

        bool? lowDelay = nalHrd || vclHrd ? reader.ReadFlag("low_delay_hrd_flag") : null;
        bool picStruct = reader.ReadFlag("pic_struct_present_flag");
        bool restriction = reader.ReadFlag("bitstream_restriction_flag");
        int? reorder = null, buffering = null;
        if (restriction)
        {
            reader.ReadFlag("motion_vectors_over_pic_boundaries_flag");
            Ranged(ref reader, "max_bytes_per_pic_denom", 0, 16);
            Ranged(ref reader, "max_bits_per_mb_denom", 0, 16);
            Ranged(ref reader, "log2_max_mv_length_horizontal", 0, 16);
            Ranged(ref reader, "log2_max_mv_length_vertical", 0, 16);
            reorder = Ranged(ref reader, "max_num_reorder_frames", 0, 16);
            buffering = Ranged(ref reader, "max_dec_frame_buffering", 0, 16);
        }

        return new VuiParameters
        {
            AspectRatioIdc = aspectRatioIdc, SampleAspectRatio = sar, OverscanAppropriate = overscan,
            VideoFormat = videoFormat, VideoFullRange = fullRange, ColourPrimaries = primaries, TransferCharacteristics = transfer, MatrixCoefficients = matrix,
            ChromaSampleLocTypeTopField = locTop, ChromaSampleLocTypeBottomField = locBottom,
            NumUnitsInTick = unitsInTick, TimeScale = timeScale, FixedFrameRate = fixedRate,
            NalHrdParametersPresent = nalHrd, VclHrdParametersPresent = vclHrd, LowDelayHrd = lowDelay,
            PicStructPresent = picStruct, BitstreamRestriction = restriction, MaxNumReorderFrames = reorder, MaxDecFrameBuffering = buffering,
        };
        #endregion
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
