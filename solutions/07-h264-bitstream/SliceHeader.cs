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
        #region lab M4: header (type 1 or 5); slice_header() of §7.3.3 in order up to slice_qp_delta and the deblocking fields, using the PPS and SPS it names (missing → error at pic_parameter_set_id); ReadRefPicListModification, ReadPredWeightTable and ReadDecRefPicMarking read the nested structures — README §Slice header
        if (reader.BitsLeft < 8)
        {
            throw reader.Error("An empty NAL unit where a slice should be", "nal_unit_header");
        }

        var header = NalUnitHeader.Parse((byte)reader.ReadBits(8, "nal_unit_header"));
        if (header.Type is not (NalUnitType.Slice or NalUnitType.IdrSlice))
        {
            throw reader.Error($"Not a slice of a primary picture: nal_unit_type is {(int)header.Type} ({header.Name})", "nal_unit_type", 3);
        }

        int firstMb = (int)reader.ReadUe("first_mb_in_slice");
        int sliceTypeRaw = SequenceParameterSet.Ranged(ref reader, "slice_type", 0, 9);
        var type = (SliceType)(sliceTypeRaw % 5);
        long ppsAt = reader.BitPosition;
        int ppsId = SequenceParameterSet.Ranged(ref reader, "pic_parameter_set_id", 0, 255);
        if (!pictureParameterSets.TryGetValue(ppsId, out var pps))
        {
            throw reader.Error($"The slice refers to PPS {ppsId}, which the stream has not sent", "pic_parameter_set_id", ppsAt);
        }

        if (!sequenceParameterSets.TryGetValue(pps.SeqParameterSetId, out var sps))
        {
            throw reader.Error($"The slice's PPS {ppsId} refers to SPS {pps.SeqParameterSetId}, which the stream has not sent", "pic_parameter_set_id", ppsAt);
        }

        long mbs = (sps.PicWidthInMbsMinus1 + 1L) * (sps.PicHeightInMapUnitsMinus1 + 1) * (sps.FrameMbsOnly ? 1 : 2);
        if (firstMb >= mbs)
        {
            throw reader.Error($"first_mb_in_slice {firstMb} is past the picture's {mbs} macroblocks", "first_mb_in_slice", 8);
        }

        if (sps.SeparateColourPlane)
        {
            reader.ReadBits(2, "colour_plane_id");
        }

        int frameNum = (int)reader.ReadBits(sps.Log2MaxFrameNumMinus4 + 4, "frame_num");
        bool fieldPic = false, bottomField = false;
        if (!sps.FrameMbsOnly)
        {
            fieldPic = reader.ReadFlag("field_pic_flag");
            bottomField = fieldPic && reader.ReadFlag("bottom_field_flag");
        }

        bool idr = header.Type == NalUnitType.IdrSlice;
        int? idrPicId = idr ? SequenceParameterSet.Ranged(ref reader, "idr_pic_id", 0, 65535) : null;
        int pocLsb = 0, deltaBottom = 0, delta0 = 0, delta1 = 0, redundant = 0;
        if (sps.PicOrderCntType == 0)
        {
            pocLsb = (int)reader.ReadBits(sps.Log2MaxPicOrderCntLsbMinus4 + 4, "pic_order_cnt_lsb");
            if (pps.BottomFieldPicOrderInFramePresent && !fieldPic)
            {
                deltaBottom = reader.ReadSe("delta_pic_order_cnt_bottom");
            }
        }

        if (sps.PicOrderCntType == 1 && !sps.DeltaPicOrderAlwaysZero)
        {
            delta0 = reader.ReadSe("delta_pic_order_cnt[0]");
            if (pps.BottomFieldPicOrderInFramePresent && !fieldPic)
            {
                delta1 = reader.ReadSe("delta_pic_order_cnt[1]");
            }
        }

        if (pps.RedundantPicCntPresent)
        {
            redundant = SequenceParameterSet.Ranged(ref reader, "redundant_pic_cnt", 0, 127);
        }

        bool? directSpatial = type == SliceType.B ? reader.ReadFlag("direct_spatial_mv_pred_flag") : null;
        bool? overrideFlag = null;
        int l0 = pps.NumRefIdxL0DefaultActiveMinus1, l1 = pps.NumRefIdxL1DefaultActiveMinus1;
        if (type is SliceType.P or SliceType.SP or SliceType.B)
        {
            overrideFlag = reader.ReadFlag("num_ref_idx_active_override_flag");
            if (overrideFlag.Value)
            {
                l0 = SequenceParameterSet.Ranged(ref reader, "num_ref_idx_l0_active_minus1", 0, 31);
                if (type == SliceType.B)
                {
                    l1 = SequenceParameterSet.Ranged(ref reader, "num_ref_idx_l1_active_minus1", 0, 31);
                }
            }
        }

        int modifications = ReadRefPicListModification(ref reader, type);
        bool weights = (pps.WeightedPredFlag && type is SliceType.P or SliceType.SP) || (pps.WeightedBipredIdc == 1 && type == SliceType.B);
        if (weights)
        {
            ReadPredWeightTable(ref reader, type, sps.ChromaArrayType, l0, l1);
        }

        bool? noOutput = null, longTerm = null, adaptive = null;
        var mmcos = new List<int>();
        if (header.NalRefIdc != 0)
        {
            (noOutput, longTerm, adaptive) = ReadDecRefPicMarking(ref reader, idr, mmcos);
        }

        int? cabacInit = pps.EntropyCodingModeFlag && type is not (SliceType.I or SliceType.SI)
            ? SequenceParameterSet.Ranged(ref reader, "cabac_init_idc", 0, 2)
            : null;
        long qpAt = reader.BitPosition;
        int qpDelta = PictureParameterSet.SignedRanged(ref reader, "slice_qp_delta", -6 * sps.BitDepthLumaMinus8 - 26 - pps.PicInitQpMinus26, 25 - pps.PicInitQpMinus26); // SliceQPY in −QpBdOffsetY..51, §7.4.3
        if (type is SliceType.SP or SliceType.SI)
        {
            if (type == SliceType.SP)
            {
                reader.ReadFlag("sp_for_switch_flag");
            }

            reader.ReadSe("slice_qs_delta");
        }

        int deblock = 0, alpha = 0, beta = 0;
        if (pps.DeblockingFilterControlPresent)
        {
            deblock = SequenceParameterSet.Ranged(ref reader, "disable_deblocking_filter_idc", 0, 2);
            if (deblock != 1)
            {
                alpha = PictureParameterSet.SignedRanged(ref reader, "slice_alpha_c0_offset_div2", -6, 6);
                beta = PictureParameterSet.SignedRanged(ref reader, "slice_beta_offset_div2", -6, 6);
            }
        }

        return new SliceHeader
        {
            NalHeader = header, FirstMbInSlice = firstMb, SliceTypeRaw = sliceTypeRaw, PicParameterSetId = ppsId, FrameNum = frameNum,
            FieldPic = fieldPic, BottomField = bottomField, IdrPicId = idrPicId, PicOrderCntLsb = pocLsb, DeltaPicOrderCntBottom = deltaBottom,
            DeltaPicOrderCnt0 = delta0, DeltaPicOrderCnt1 = delta1, RedundantPicCnt = redundant, DirectSpatialMvPred = directSpatial,
            NumRefIdxActiveOverride = overrideFlag, NumRefIdxL0ActiveMinus1 = l0, NumRefIdxL1ActiveMinus1 = l1,
            RefPicListModifications = modifications, HasPredWeightTable = weights, NoOutputOfPriorPics = noOutput, LongTermReference = longTerm,
            AdaptiveRefPicMarkingMode = adaptive, MemoryManagementControlOperations = mmcos, CabacInitIdc = cabacInit,
            SliceQpDelta = qpDelta, SliceQpDeltaBitOffset = qpAt, DisableDeblockingFilterIdc = deblock, SliceAlphaC0OffsetDiv2 = alpha, SliceBetaOffsetDiv2 = beta,
        };
        #endregion
    }

    /// <summary>ref_pic_list_modification() (§7.3.3.1); returns how many commands it held.</summary>
    public static int ReadRefPicListModification(ref RbspReader reader, SliceType type)
    {
        #region lab M4: for list 0 (not I/SI) and list 1 (B only): a flag; when set, modification_of_pic_nums_idc ue until 3 (0/1: abs_diff_pic_num_minus1 ue, 2: long_term_pic_num ue; above 5 is an error) — README §Slice header
        int count = 0;
        int lists = type == SliceType.B ? 2 : type is SliceType.I or SliceType.SI ? 0 : 1;
        for (int list = 0; list < lists; list++)
        {
            if (!reader.ReadFlag($"ref_pic_list_modification_flag_l{list}"))
            {
                continue;
            }

            for (int guard = 0; ; guard++)
            {
                long at = reader.BitPosition;
                uint idc = reader.ReadUe("modification_of_pic_nums_idc");
                if (idc == 3)
                {
                    break;
                }

                if (idc > 5 || guard > 32) // at most num_ref_idx_active + 1 commands, §7.4.3.1
                {
                    throw reader.Error($"modification_of_pic_nums_idc {idc} (command {guard}) is not allowed", "modification_of_pic_nums_idc", at);
                }

                reader.ReadUe(idc == 2 ? "long_term_pic_num" : "abs_diff_pic_num_minus1");
                count++;
            }
        }

        return count;
        #endregion
    }

    /// <summary>pred_weight_table() (§7.3.3.2), read and dropped.</summary>
    public static void ReadPredWeightTable(ref RbspReader reader, SliceType type, int chromaArrayType, int numRefIdxL0ActiveMinus1, int numRefIdxL1ActiveMinus1)
    {
        #region lab M4: luma_log2_weight_denom ue, chroma_log2_weight_denom ue (if ChromaArrayType ≠ 0); then per reference of list 0 (and of list 1 for B): a luma flag → weight se, offset se; a chroma flag → two (weight se, offset se) — README §Slice header
        SequenceParameterSet.Ranged(ref reader, "luma_log2_weight_denom", 0, 7);
        if (chromaArrayType != 0)
        {
            SequenceParameterSet.Ranged(ref reader, "chroma_log2_weight_denom", 0, 7);
        }

        for (int list = 0; list < (type == SliceType.B ? 2 : 1); list++)
        {
            int count = (list == 0 ? numRefIdxL0ActiveMinus1 : numRefIdxL1ActiveMinus1) + 1;
            for (int i = 0; i < count; i++)
            {
                if (reader.ReadFlag($"luma_weight_l{list}_flag"))
                {
                    reader.ReadSe($"luma_weight_l{list}");
                    reader.ReadSe($"luma_offset_l{list}");
                }

                if (chromaArrayType != 0 && reader.ReadFlag($"chroma_weight_l{list}_flag"))
                {
                    for (int j = 0; j < 2; j++)
                    {
                        reader.ReadSe($"chroma_weight_l{list}");
                        reader.ReadSe($"chroma_offset_l{list}");
                    }
                }
            }
        }
        #endregion
    }

    /// <summary>dec_ref_pic_marking() (§7.3.3.3): the IDR flags, or the adaptive flag and its MMCO commands (added to <paramref name="operations"/>).</summary>
    public static (bool? NoOutputOfPriorPics, bool? LongTermReference, bool? Adaptive) ReadDecRefPicMarking(ref RbspReader reader, bool idr, List<int> operations)
    {
        #region lab M4: IDR: no_output_of_prior_pics_flag, long_term_reference_flag. Else adaptive_ref_pic_marking_mode_flag; when set, memory_management_control_operation ue until 0 (1,3: difference_of_pic_nums_minus1; 2: long_term_pic_num; 3,6: long_term_frame_idx; 4: max_long_term_frame_idx_plus1; above 6 is an error) — README §Slice header
        ArgumentNullException.ThrowIfNull(operations);
        if (idr)
        {
            return (reader.ReadFlag("no_output_of_prior_pics_flag"), reader.ReadFlag("long_term_reference_flag"), null);
        }

        bool adaptive = reader.ReadFlag("adaptive_ref_pic_marking_mode_flag");
        if (adaptive)
        {
            for (int guard = 0; ; guard++)
            {
                long at = reader.BitPosition;
                uint op = reader.ReadUe("memory_management_control_operation");
                if (op == 0)
                {
                    break;
                }

                if (op > 6 || guard > 66) // §7.4.3.3
                {
                    throw reader.Error($"memory_management_control_operation {op} (command {guard}) is not allowed", "memory_management_control_operation", at);
                }

                operations.Add((int)op);
                if (op is 1 or 3)
                {
                    reader.ReadUe("difference_of_pic_nums_minus1");
                }

                if (op == 2)
                {
                    reader.ReadUe("long_term_pic_num");
                }

                if (op is 3 or 6)
                {
                    reader.ReadUe("long_term_frame_idx");
                }

                if (op == 4)
                {
                    reader.ReadUe("max_long_term_frame_idx_plus1");
                }
            }
        }

        return (null, null, adaptive);
        #endregion
    }
}
