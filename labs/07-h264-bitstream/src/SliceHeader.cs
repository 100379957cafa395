namespace Lab07.H264Bitstream;

/// <summary>
/// The slice header (§7.3.3) up to slice_qp_delta and the deblocking fields: enough to know the
/// picture a slice belongs to, its type, its frame_num and picture order count, and its QP. The
/// structures in between (reference list modification, prediction weights, reference marking) are
/// read so that the position is right, and summarised.
/// </summary>
public sealed record SliceHeader
{
    /// <summary>The NAL unit header of the slice.</summary>
    public NalUnitHeader NalHeader { get; init; }

    /// <summary>first_mb_in_slice: the address of the slice's first macroblock (0 = a new picture starts).</summary>
    public int FirstMbInSlice { get; init; }

    /// <summary>slice_type as sent, 0–9.</summary>
    public int SliceTypeRaw { get; init; }

    /// <summary>slice_type % 5.</summary>
    public SliceType SliceType => (SliceType)(SliceTypeRaw % 5);

    /// <summary>pic_parameter_set_id.</summary>
    public int PicParameterSetId { get; init; }

    /// <summary>frame_num (log2_max_frame_num bits).</summary>
    public int FrameNum { get; init; }

    /// <summary>field_pic_flag.</summary>
    public bool FieldPic { get; init; }

    /// <summary>bottom_field_flag.</summary>
    public bool BottomField { get; init; }

    /// <summary>idr_pic_id (IDR slices only), else null.</summary>
    public int? IdrPicId { get; init; }

    /// <summary>pic_order_cnt_lsb (POC type 0).</summary>
    public int PicOrderCntLsb { get; init; }

    /// <summary>delta_pic_order_cnt_bottom.</summary>
    public int DeltaPicOrderCntBottom { get; init; }

    /// <summary>delta_pic_order_cnt[0] (POC type 1).</summary>
    public int DeltaPicOrderCnt0 { get; init; }

    /// <summary>delta_pic_order_cnt[1] (POC type 1).</summary>
    public int DeltaPicOrderCnt1 { get; init; }

    /// <summary>redundant_pic_cnt.</summary>
    public int RedundantPicCnt { get; init; }

    /// <summary>direct_spatial_mv_pred_flag (B slices), else null.</summary>
    public bool? DirectSpatialMvPred { get; init; }

    /// <summary>num_ref_idx_active_override_flag (P, SP, B), else null.</summary>
    public bool? NumRefIdxActiveOverride { get; init; }

    /// <summary>num_ref_idx_l0_active_minus1 in effect (the PPS default unless overridden).</summary>
    public int NumRefIdxL0ActiveMinus1 { get; init; }

    /// <summary>num_ref_idx_l1_active_minus1 in effect.</summary>
    public int NumRefIdxL1ActiveMinus1 { get; init; }

    /// <summary>How many modification_of_pic_nums_idc commands (not counting the final 3) were in the two lists.</summary>
    public int RefPicListModifications { get; init; }

    /// <summary>True when the slice carried a pred_weight_table.</summary>
    public bool HasPredWeightTable { get; init; }

    /// <summary>no_output_of_prior_pics_flag (IDR), else null.</summary>
    public bool? NoOutputOfPriorPics { get; init; }

    /// <summary>long_term_reference_flag (IDR), else null.</summary>
    public bool? LongTermReference { get; init; }

    /// <summary>adaptive_ref_pic_marking_mode_flag (non-IDR reference slices), else null.</summary>
    public bool? AdaptiveRefPicMarkingMode { get; init; }

    /// <summary>The memory_management_control_operation values, in order (without the final 0).</summary>
    public IReadOnlyList<int> MemoryManagementControlOperations { get; init; } = [];

    /// <summary>cabac_init_idc (CABAC, non-I slices), else null.</summary>
    public int? CabacInitIdc { get; init; }

    /// <summary>slice_qp_delta: the slice's QP is 26 + pic_init_qp_minus26 + this.</summary>
    public int SliceQpDelta { get; init; }

    /// <summary>Where slice_qp_delta starts, in bits from the NAL header: proof that everything before it was read right.</summary>
    public long SliceQpDeltaBitOffset { get; init; }

    /// <summary>disable_deblocking_filter_idc (0 when absent).</summary>
    public int DisableDeblockingFilterIdc { get; init; }

    /// <summary>slice_alpha_c0_offset_div2.</summary>
    public int SliceAlphaC0OffsetDiv2 { get; init; }

    /// <summary>slice_beta_offset_div2.</summary>
    public int SliceBetaOffsetDiv2 { get; init; }

    /// <summary>True for an IDR slice (nal_unit_type 5).</summary>
    public bool IsIdr => NalHeader.Type == NalUnitType.IdrSlice;

    /// <summary>The luma QP of the slice: 26 + pic_init_qp_minus26 + slice_qp_delta (§7.4.3).</summary>
    public int SliceQp(PictureParameterSet pps) => 26 + (pps?.PicInitQpMinus26 ?? 0) + SliceQpDelta;

    /// <summary>
    /// Parses the header of a slice NAL unit (type 1 or 5). The PPS it names and that PPS's SPS must be in the dictionaries.
    /// </summary>
    /// <exception cref="H264FormatException">Cut short, out of range, or naming a PPS (or SPS) that has not been sent.</exception>
    public static SliceHeader Parse(ReadOnlySpan<byte> nal, IReadOnlyDictionary<int, SequenceParameterSet> sequenceParameterSets, IReadOnlyDictionary<int, PictureParameterSet> pictureParameterSets, int nalIndex = -1)
    {
        ArgumentNullException.ThrowIfNull(sequenceParameterSets);
        ArgumentNullException.ThrowIfNull(pictureParameterSets);
        // A slice header is short: the first 1024 bytes hold it even with long weight tables, and only they are unescaped.
        var rbsp = EmulationPrevention.ToRbsp(nal[..Math.Min(nal.Length, 1024)]);
        var reader = new RbspReader(rbsp, nalIndex);
        throw new NotImplementedException("Lab 07 · M4: header (type 1 or 5); slice_header() of §7.3.3 in order up to slice_qp_delta and the deblocking fields, using the PPS and SPS it names (missing → error at pic_parameter_set_id); ReadRefPicListModification, ReadPredWeightTable and ReadDecRefPicMarking read the nested structures — README §Slice header");
    }

    /// <summary>ref_pic_list_modification() (§7.3.3.1); returns how many commands it held.</summary>
    public static int ReadRefPicListModification(ref RbspReader reader, SliceType type)
    {
        throw new NotImplementedException("Lab 07 · M4: for list 0 (not I/SI) and list 1 (B only): a flag; when set, modification_of_pic_nums_idc ue until 3 (0/1: abs_diff_pic_num_minus1 ue, 2: long_term_pic_num ue; above 5 is an error) — README §Slice header");
    }

    /// <summary>pred_weight_table() (§7.3.3.2), read and dropped.</summary>
    public static void ReadPredWeightTable(ref RbspReader reader, SliceType type, int chromaArrayType, int numRefIdxL0ActiveMinus1, int numRefIdxL1ActiveMinus1)
    {
        throw new NotImplementedException("Lab 07 · M4: luma_log2_weight_denom ue, chroma_log2_weight_denom ue (if ChromaArrayType ≠ 0); then per reference of list 0 (and of list 1 for B): a luma flag → weight se, offset se; a chroma flag → two (weight se, offset se) — README §Slice header");
    }

    /// <summary>dec_ref_pic_marking() (§7.3.3.3): the IDR flags, or the adaptive flag and its MMCO commands (added to <paramref name="operations"/>).</summary>
    public static (bool? NoOutputOfPriorPics, bool? LongTermReference, bool? Adaptive) ReadDecRefPicMarking(ref RbspReader reader, bool idr, List<int> operations)
    {
        throw new NotImplementedException("Lab 07 · M4: IDR: no_output_of_prior_pics_flag, long_term_reference_flag. Else adaptive_ref_pic_marking_mode_flag; when set, memory_management_control_operation ue until 0 (1,3: difference_of_pic_nums_minus1; 2: long_term_pic_num; 3,6: long_term_frame_idx; 4: max_long_term_frame_idx_plus1; above 6 is an error) — README §Slice header");
    }
}
