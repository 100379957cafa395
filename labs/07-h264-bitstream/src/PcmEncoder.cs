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
        throw new NotImplementedException("Lab 07 · M6: check width and height are positive and even (4:2:0 crop units are 2, §7.4.2.1.1) and at most 1055 × 16, frameRate 1–1000 (else ArgumentException or ArgumentOutOfRangeException); store them — README §I_PCM encoder");
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
        throw new NotImplementedException("Lab 07 · M6: header (nal_ref_idc 3, type 7); profile_idc 66, constraint_set0/1 = 1, set2–5 = 0, reserved_zero_2bits, level_idc, sps id 0; log2_max_frame_num_minus4 0, pic_order_cnt_type 2, max_num_ref_frames 1, gaps 0, width/height in MBs − 1, frame_mbs_only 1, direct_8x8 1, cropping (right/bottom in units of 2), vui_parameters_present_flag 1 and vui_parameters() (timing: num_units_in_tick 1, time_scale 2 × rate, fixed; bitstream_restriction with max_num_reorder_frames 0), then the trailing bits — README §I_PCM encoder");
    }

    /// <summary>
    /// The PPS NAL unit (header 0x68): pic_parameter_set_rbsp() of §7.3.2.2 with CAVLC, one slice group,
    /// QP 26, and the deblocking control present so that slices can switch the loop filter off.
    /// </summary>
    public byte[] WritePps()
    {
        throw new NotImplementedException("Lab 07 · M6: header (nal_ref_idc 3, type 8); pps id 0, sps id 0, entropy_coding_mode_flag 0 (CAVLC), bottom_field_pic_order 0, num_slice_groups_minus1 0, num_ref_idx l0/l1 defaults 0, weighted_pred 0, weighted_bipred_idc u(2) 0, pic_init_qp/qs_minus26 se 0, chroma_qp_index_offset se 0, deblocking_filter_control_present 1, constrained_intra_pred 0, redundant_pic_cnt_present 0; trailing bits — README §I_PCM encoder");
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
        throw new NotImplementedException("Lab 07 · M6: check the frame length and idr_pic_id (0–65535); header (3, type 5); first_mb_in_slice 0, slice_type 7 (I, all slices), pps id 0, frame_num u(4) 0, idr_pic_id ue, dec_ref_pic_marking (no_output_of_prior_pics 0, long_term_reference 0), slice_qp_delta se 0, disable_deblocking_filter_idc ue 1; then PcmMacroblock.Write for every macroblock row by row; trailing bits; EmulationPrevention.ToNal — README §I_PCM encoder");
    }

    /// <summary>
    /// A whole Annex B stream: SPS, PPS, then one IDR slice per frame (idr_pic_id alternating 0, 1),
    /// each NAL unit after <c>00 00 00 01</c>.
    /// </summary>
    /// <param name="frames">Whole I420 frames back to back (a <c>.yuv</c> file's bytes).</param>
    /// <exception cref="ArgumentException">The length is not a positive multiple of <see cref="FrameSize"/>.</exception>
    public byte[] Encode(ReadOnlySpan<byte> frames)
    {
        throw new NotImplementedException("Lab 07 · M6: check frames.Length is a positive multiple of FrameSize; then start code + WriteSps, start code + WritePps, and for frame i start code + WriteIdrSlice(frame i, i % 2) — README §I_PCM encoder");
    }
}
