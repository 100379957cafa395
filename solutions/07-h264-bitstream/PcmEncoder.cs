namespace Lab07.H264Bitstream;

/// <summary>
/// The stretch milestone (stage 6, 编解码器开发): an encoder that writes a valid H.264 stream from raw
/// I420 frames. Every picture is an IDR picture of one slice whose macroblocks are all I_PCM — the
/// samples themselves — so any decoder gives back exactly the input: lossless, and 1.5 bytes a pixel.
/// </summary>
/// <remarks>
/// The stream: an SPS (Constrained Baseline, 4:2:0 8-bit, frame cropping when the size is not a multiple
/// of 16, a VUI with the frame rate), a PPS (CAVLC), then one IDR slice NAL unit per frame, each after a
/// 4-byte start code. Every value written is the spec's, with the section beside it.
/// </remarks>
public sealed class PcmEncoder
{
    /// <summary>profile_idc 66, Baseline (Annex A.2.1); with constraint_set0/1 set, Constrained Baseline (A.2.1.1).</summary>
    public const int ProfileIdc = 66;

    /// <summary>The largest width or height in macroblocks this encoder accepts (1055, as the SPS parser of M3).</summary>
    public const int MaxSizeInMbs = 1055;

    /// <summary>log2_max_frame_num_minus4 = 0: frame_num is 4 bits (and always 0: every picture is an IDR, §7.4.3).</summary>
    private const int Log2MaxFrameNumMinus4 = 0;

    /// <summary>An encoder for frames of <paramref name="width"/> × <paramref name="height"/> at <paramref name="frameRate"/> frames per second.</summary>
    /// <exception cref="ArgumentException">The size is not positive and even, wider or taller than 1055 macroblocks, or the frame rate is not 1–1000.</exception>
    public PcmEncoder(int width, int height, int frameRate = 25)
    {
        #region lab M6: check width and height are positive and even (4:2:0 crop units are 2, §7.4.2.1.1) and at most 1055 × 16, frameRate 1–1000 (else ArgumentException or ArgumentOutOfRangeException); store them — README §I_PCM encoder
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0)
        {
            throw new ArgumentException($"Width and height must be positive and even: 4:2:0 frame cropping moves in steps of 2 samples (CropUnitX = CropUnitY = 2, §7.4.2.1.1); got {width}×{height}.", nameof(width));
        }

        if (width > MaxSizeInMbs * 16 || height > MaxSizeInMbs * 16)
        {
            throw new ArgumentException($"At most {MaxSizeInMbs} macroblocks ({MaxSizeInMbs * 16} samples) a side; got {width}×{height}.", nameof(width));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(frameRate, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frameRate, 1000);
        Width = width;
        Height = height;
        FrameRate = frameRate;
        #endregion
    }

    /// <summary>The width in luma samples.</summary>
    public int Width { get; }

    /// <summary>The height in luma samples.</summary>
    public int Height { get; }

    /// <summary>Frames per second, written in the VUI's timing info.</summary>
    public int FrameRate { get; }

    /// <summary>PicWidthInMbs: the width rounded up to whole macroblocks (§7.4.2.1.1).</summary>
    public int WidthInMbs => (Width + 15) / 16;

    /// <summary>PicHeightInMapUnits = FrameHeightInMbs with frame_mbs_only_flag 1.</summary>
    public int HeightInMbs => (Height + 15) / 16;

    /// <summary>The level (Table A-1) for this size and rate at I_PCM's bit rate (3088 bits a macroblock at most).</summary>
    public int LevelIdc => H264Level.Choose((long)WidthInMbs * HeightInMbs, FrameRate, (long)WidthInMbs * HeightInMbs * (384 * 8 + 16) * (double)FrameRate);

    /// <summary>The bytes of one input frame (<see cref="I420Frame.SizeOf"/>).</summary>
    public int FrameSize => I420Frame.SizeOf(Width, Height);

    /// <summary>
    /// The SPS NAL unit (header 0x67, emulation prevention applied): seq_parameter_set_data() of §7.3.2.1.1
    /// for Constrained Baseline, POC type 2, one reference frame, frame cropping to the size, and a VUI.
    /// </summary>
    public byte[] WriteSps()
    {
        #region lab M6: header (nal_ref_idc 3, type 7); profile_idc 66, constraint_set0/1 = 1, set2–5 = 0, reserved_zero_2bits, level_idc, sps id 0; log2_max_frame_num_minus4 0, pic_order_cnt_type 2, max_num_ref_frames 1, gaps 0, width/height in MBs − 1, frame_mbs_only 1, direct_8x8 1, cropping (right/bottom in units of 2), vui_parameters_present_flag 1 and vui_parameters() (timing: num_units_in_tick 1, time_scale 2 × rate, fixed; bitstream_restriction with max_num_reorder_frames 0), then the trailing bits — README §I_PCM encoder
        var w = new RbspWriter();
        w.WriteBits(new NalUnitHeader(3, NalUnitType.Sps).ToByte(), 8);
        w.WriteBits(ProfileIdc, 8);                 // profile_idc
        w.WriteFlag(true);                          // constraint_set0_flag: obeys Baseline's constraints (A.2.1)
        w.WriteFlag(true);                          // constraint_set1_flag: and Main's — Constrained Baseline (A.2.1.1)
        w.WriteBits(0, 4);                          // constraint_set2..5_flag
        w.WriteBits(0, 2);                          // reserved_zero_2bits
        w.WriteBits((uint)LevelIdc, 8);             // level_idc
        w.WriteUe(0);                               // seq_parameter_set_id
        w.WriteUe(Log2MaxFrameNumMinus4);           // log2_max_frame_num_minus4
        w.WriteUe(2);                               // pic_order_cnt_type 2: POC from frame_num, no B pictures (§8.2.1.3)
        w.WriteUe(1);                               // max_num_ref_frames: an IDR is a reference picture (nal_ref_idc ≠ 0)
        w.WriteFlag(false);                         // gaps_in_frame_num_value_allowed_flag
        w.WriteUe((uint)WidthInMbs - 1);            // pic_width_in_mbs_minus1
        w.WriteUe((uint)HeightInMbs - 1);           // pic_height_in_map_units_minus1
        w.WriteFlag(true);                          // frame_mbs_only_flag: frames only, no fields
        w.WriteFlag(true);                          // direct_8x8_inference_flag (unused without B; 1 is always allowed)
        int cropRight = (WidthInMbs * 16 - Width) / 2, cropBottom = (HeightInMbs * 16 - Height) / 2; // CropUnitX = CropUnitY = 2 (Eq. 7-19, 7-20)
        bool cropping = cropRight != 0 || cropBottom != 0;
        w.WriteFlag(cropping);                      // frame_cropping_flag
        if (cropping)
        {
            w.WriteUe(0);                           // frame_crop_left_offset
            w.WriteUe((uint)cropRight);             // frame_crop_right_offset
            w.WriteUe(0);                           // frame_crop_top_offset
            w.WriteUe((uint)cropBottom);            // frame_crop_bottom_offset
        }

        w.WriteFlag(true);                          // vui_parameters_present_flag
        WriteVui(w);
        w.WriteTrailingBits();
        return EmulationPrevention.ToNal(w.ToArray());
        #endregion
    }

    #region lab-remove
    /// <summary>
    /// vui_parameters() (Annex E.1.1): only the timing info (frame rate = time_scale ÷ (2 × num_units_in_tick),
    /// E.2.1) and the bitstream restriction that tells a decoder no picture waits for reordering.
    /// </summary>
    private void WriteVui(RbspWriter w)
    {
        w.WriteFlag(false);                         // aspect_ratio_info_present_flag (square samples)
        w.WriteFlag(false);                         // overscan_info_present_flag
        w.WriteFlag(false);                         // video_signal_type_present_flag
        w.WriteFlag(false);                         // chroma_loc_info_present_flag
        w.WriteFlag(true);                          // timing_info_present_flag
        w.WriteBits(1, 32);                         // num_units_in_tick
        w.WriteBits((uint)(2 * FrameRate), 32);     // time_scale: a frame is two ticks (E.2.1)
        w.WriteFlag(true);                          // fixed_frame_rate_flag
        w.WriteFlag(false);                         // nal_hrd_parameters_present_flag
        w.WriteFlag(false);                         // vcl_hrd_parameters_present_flag
        w.WriteFlag(false);                         // pic_struct_present_flag
        w.WriteFlag(true);                          // bitstream_restriction_flag
        w.WriteFlag(true);                          // motion_vectors_over_pic_boundaries_flag
        w.WriteUe(0);                               // max_bytes_per_pic_denom: 0 = no limit
        w.WriteUe(0);                               // max_bits_per_mb_denom: 0 = no limit (an I_PCM macroblock is 3072+ bits)
        w.WriteUe(16);                              // log2_max_mv_length_horizontal (the default)
        w.WriteUe(16);                              // log2_max_mv_length_vertical
        w.WriteUe(0);                               // max_num_reorder_frames: output each picture at once
        w.WriteUe(1);                               // max_dec_frame_buffering ≥ max_num_ref_frames
    }
    #endregion

    /// <summary>
    /// The PPS NAL unit (header 0x68): pic_parameter_set_rbsp() of §7.3.2.2 with CAVLC, one slice group,
    /// QP 26, and the deblocking control present so that slices can switch the loop filter off.
    /// </summary>
    public byte[] WritePps()
    {
        #region lab M6: header (nal_ref_idc 3, type 8); pps id 0, sps id 0, entropy_coding_mode_flag 0 (CAVLC), bottom_field_pic_order 0, num_slice_groups_minus1 0, num_ref_idx l0/l1 defaults 0, weighted_pred 0, weighted_bipred_idc u(2) 0, pic_init_qp/qs_minus26 se 0, chroma_qp_index_offset se 0, deblocking_filter_control_present 1, constrained_intra_pred 0, redundant_pic_cnt_present 0; trailing bits — README §I_PCM encoder
        var w = new RbspWriter();
        w.WriteBits(new NalUnitHeader(3, NalUnitType.Pps).ToByte(), 8);
        w.WriteUe(0);                               // pic_parameter_set_id
        w.WriteUe(0);                               // seq_parameter_set_id
        w.WriteFlag(false);                         // entropy_coding_mode_flag: CAVLC (mb_type as ue(v))
        w.WriteFlag(false);                         // bottom_field_pic_order_in_frame_present_flag
        w.WriteUe(0);                               // num_slice_groups_minus1: no FMO
        w.WriteUe(0);                               // num_ref_idx_l0_default_active_minus1
        w.WriteUe(0);                               // num_ref_idx_l1_default_active_minus1
        w.WriteFlag(false);                         // weighted_pred_flag
        w.WriteBits(0, 2);                          // weighted_bipred_idc
        w.WriteSe(0);                               // pic_init_qp_minus26
        w.WriteSe(0);                               // pic_init_qs_minus26
        w.WriteSe(0);                               // chroma_qp_index_offset
        w.WriteFlag(true);                          // deblocking_filter_control_present_flag
        w.WriteFlag(false);                         // constrained_intra_pred_flag
        w.WriteFlag(false);                         // redundant_pic_cnt_present_flag
        w.WriteTrailingBits();
        return EmulationPrevention.ToNal(w.ToArray());
        #endregion
    }

    /// <summary>
    /// One IDR picture as one slice NAL unit (header 0x65): the slice header of §7.3.3 for an I slice of
    /// an IDR, then slice_data() (§7.3.4) — every macroblock I_PCM, in raster order — and the trailing bits.
    /// </summary>
    /// <param name="frame">One I420 frame, <see cref="FrameSize"/> bytes.</param>
    /// <param name="idrPicId">idr_pic_id, 0–65535: two IDR pictures in a row must differ (§7.4.3).</param>
    /// <exception cref="ArgumentException">The frame has the wrong length.</exception>
    public byte[] WriteIdrSlice(ReadOnlySpan<byte> frame, int idrPicId)
    {
        #region lab M6: check the frame length and idr_pic_id (0–65535); header (3, type 5); first_mb_in_slice 0, slice_type 7 (I, all slices), pps id 0, frame_num u(4) 0, idr_pic_id ue, dec_ref_pic_marking (no_output_of_prior_pics 0, long_term_reference 0), slice_qp_delta se 0, disable_deblocking_filter_idc ue 1; then PcmMacroblock.Write for every macroblock row by row; trailing bits; EmulationPrevention.ToNal — README §I_PCM encoder
        if (frame.Length != FrameSize)
        {
            throw new ArgumentException($"A {Width}×{Height} I420 frame is {FrameSize} bytes; got {frame.Length}.", nameof(frame));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(idrPicId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(idrPicId, 65535); // §7.4.3
        var picture = new I420Frame(frame, Width, Height);
        var w = new RbspWriter(64 + WidthInMbs * HeightInMbs * (384 + 2));
        w.WriteBits(new NalUnitHeader(3, NalUnitType.IdrSlice).ToByte(), 8);
        w.WriteUe(0);                               // first_mb_in_slice: the whole picture is one slice
        w.WriteUe(7);                               // slice_type 7 = I (2 + 5: every slice of the picture is I, Table 7-6)
        w.WriteUe(0);                               // pic_parameter_set_id
        w.WriteBits(0, Log2MaxFrameNumMinus4 + 4);  // frame_num: 0 in an IDR picture (§7.4.3)
        w.WriteUe((uint)idrPicId);                  // idr_pic_id (IdrPicFlag)
        // POC type 2 sends no pic_order_cnt_lsb; an I slice has no reference lists or weights.
        w.WriteFlag(false);                         // dec_ref_pic_marking(): no_output_of_prior_pics_flag
        w.WriteFlag(false);                         //                        long_term_reference_flag
        w.WriteSe(0);                               // slice_qp_delta: QP 26 (unused by I_PCM)
        w.WriteUe(1);                               // disable_deblocking_filter_idc 1: no loop filter (for I_PCM qP is 0 and
                                                    // the filter would do nothing anyway, §8.7.2.2; saying so is clearer)
        for (int mbY = 0; mbY < HeightInMbs; mbY++)
        {
            for (int mbX = 0; mbX < WidthInMbs; mbX++)
            {
                PcmMacroblock.Write(w, picture, mbX, mbY); // slice_data(): CAVLC I slices have no mb_skip_run (§7.3.4)
            }
        }

        w.WriteTrailingBits();                      // rbsp_slice_trailing_bits(): more_rbsp_data() is false after the last macroblock
        return EmulationPrevention.ToNal(w.ToArray());
        #endregion
    }

    /// <summary>
    /// A whole Annex B stream: SPS, PPS, then one IDR slice per frame (idr_pic_id alternating 0, 1),
    /// each NAL unit after <c>00 00 00 01</c>.
    /// </summary>
    /// <param name="frames">Whole I420 frames back to back (a <c>.yuv</c> file's bytes).</param>
    /// <exception cref="ArgumentException">The length is not a positive multiple of <see cref="FrameSize"/>.</exception>
    public byte[] Encode(ReadOnlySpan<byte> frames)
    {
        #region lab M6: check frames.Length is a positive multiple of FrameSize; then start code + WriteSps, start code + WritePps, and for frame i start code + WriteIdrSlice(frame i, i % 2) — README §I_PCM encoder
        if (frames.IsEmpty || frames.Length % FrameSize != 0)
        {
            throw new ArgumentException($"{frames.Length} bytes is not a whole number of {Width}×{Height} I420 frames ({FrameSize} bytes each).", nameof(frames));
        }

        ReadOnlySpan<byte> startCode = [0, 0, 0, 1]; // zero_byte + start_code_prefix_one_3bytes (§B.1.1)
        using var output = new MemoryStream(frames.Length + frames.Length / 64 + 256);
        output.Write(startCode);
        output.Write(WriteSps());
        output.Write(startCode);
        output.Write(WritePps());
        for (int i = 0; i < frames.Length / FrameSize; i++)
        {
            output.Write(startCode);
            output.Write(WriteIdrSlice(frames.Slice(i * FrameSize, FrameSize), i % 2)); // consecutive IDRs differ in idr_pic_id (§7.4.3)
        }

        return output.ToArray();
        #endregion
    }
}
