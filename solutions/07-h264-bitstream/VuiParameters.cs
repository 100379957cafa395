namespace Lab07.H264Bitstream;

/// <summary>
/// Video usability information (Annex E, §E.1.1): what a player needs that decoding does not —
/// sample aspect ratio, colour description, frame rate, reordering depth. Fields are null when their
/// presence flag was 0.
/// </summary>
public sealed record VuiParameters
{
    /// <summary>aspect_ratio_idc (Table E-1), or null when absent.</summary>
    public int? AspectRatioIdc { get; init; }

    /// <summary>The sample aspect ratio from Table E-1 or sar_width:sar_height (idc 255, Extended_SAR); null when unspecified.</summary>
    public (int Width, int Height)? SampleAspectRatio { get; init; }

    /// <summary>overscan_appropriate_flag, or null when absent.</summary>
    public bool? OverscanAppropriate { get; init; }

    /// <summary>video_format (0 component, 1 PAL, 2 NTSC, …, 5 unspecified), or null.</summary>
    public int? VideoFormat { get; init; }

    /// <summary>video_full_range_flag (false: limited "tv" range), or null.</summary>
    public bool? VideoFullRange { get; init; }

    /// <summary>colour_primaries (Table E-3: 1 = BT.709), or null.</summary>
    public int? ColourPrimaries { get; init; }

    /// <summary>transfer_characteristics (Table E-4: 1 = BT.709), or null.</summary>
    public int? TransferCharacteristics { get; init; }

    /// <summary>matrix_coefficients (Table E-5: 1 = BT.709, 6 = BT.601), or null.</summary>
    public int? MatrixCoefficients { get; init; }

    /// <summary>chroma_sample_loc_type_top_field, or null.</summary>
    public int? ChromaSampleLocTypeTopField { get; init; }

    /// <summary>chroma_sample_loc_type_bottom_field, or null.</summary>
    public int? ChromaSampleLocTypeBottomField { get; init; }

    /// <summary>num_units_in_tick, or null when timing_info_present_flag is 0.</summary>
    public uint? NumUnitsInTick { get; init; }

    /// <summary>time_scale (ticks per second), or null.</summary>
    public uint? TimeScale { get; init; }

    /// <summary>fixed_frame_rate_flag, or null.</summary>
    public bool? FixedFrameRate { get; init; }

    /// <summary>nal_hrd_parameters_present_flag.</summary>
    public bool NalHrdParametersPresent { get; init; }

    /// <summary>vcl_hrd_parameters_present_flag.</summary>
    public bool VclHrdParametersPresent { get; init; }

    /// <summary>low_delay_hrd_flag, or null when no HRD parameters.</summary>
    public bool? LowDelayHrd { get; init; }

    /// <summary>pic_struct_present_flag.</summary>
    public bool PicStructPresent { get; init; }

    /// <summary>bitstream_restriction_flag.</summary>
    public bool BitstreamRestriction { get; init; }

    /// <summary>max_num_reorder_frames: how many frames a decoder must hold back for display order (B-frames), or null.</summary>
    public int? MaxNumReorderFrames { get; init; }

    /// <summary>max_dec_frame_buffering, or null.</summary>
    public int? MaxDecFrameBuffering { get; init; }

    /// <summary>The frame rate for progressive video: time_scale ÷ (2 × num_units_in_tick) (§E.2.1, a frame is two fields' ticks), or null.</summary>
    public double? FrameRate => NumUnitsInTick is > 0 && TimeScale is { } scale ? scale / (2.0 * NumUnitsInTick.Value) : null;

    /// <summary>Table E-1: aspect_ratio_idc 1–16 → sample aspect ratio.</summary>
    public static (int Width, int Height)? SampleAspectRatioOf(int aspectRatioIdc) => aspectRatioIdc switch
    {
        1 => (1, 1), 2 => (12, 11), 3 => (10, 11), 4 => (16, 11), 5 => (40, 33), 6 => (24, 11), 7 => (20, 11), 8 => (32, 11),
        9 => (80, 33), 10 => (18, 11), 11 => (15, 11), 12 => (64, 33), 13 => (160, 99), 14 => (4, 3), 15 => (3, 2), 16 => (2, 1),
        _ => null,
    };
}
