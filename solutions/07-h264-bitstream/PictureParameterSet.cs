namespace Lab07.H264Bitstream;

/// <summary>
/// A picture parameter set (PPS, 图像参数集), §7.3.2.2: the entropy coder (CAVLC or CABAC), slice
/// groups, default reference list sizes, weighted prediction, initial QP, and the High profile's
/// 8×8 transform and scaling matrices.
/// </summary>
public sealed record PictureParameterSet
{
    /// <summary>pic_parameter_set_id, 0–255.</summary>
    public int PicParameterSetId { get; init; }

    /// <summary>seq_parameter_set_id, 0–31: the SPS this PPS builds on.</summary>
    public int SeqParameterSetId { get; init; }

    /// <summary>entropy_coding_mode_flag: false = CAVLC (Exp-Golomb and variable-length tables), true = CABAC (arithmetic coding).</summary>
    public bool EntropyCodingModeFlag { get; init; }

    /// <summary>bottom_field_pic_order_in_frame_present_flag.</summary>
    public bool BottomFieldPicOrderInFramePresent { get; init; }

    /// <summary>num_slice_groups_minus1, 0–7 (slice groups, FMO, exist in Baseline and Extended only).</summary>
    public int NumSliceGroupsMinus1 { get; init; }

    /// <summary>slice_group_map_type, 0–6, when there are slice groups.</summary>
    public int SliceGroupMapType { get; init; }

    /// <summary>slice_group_change_rate_minus1 (map types 3–5).</summary>
    public int SliceGroupChangeRateMinus1 { get; init; }

    /// <summary>num_ref_idx_l0_default_active_minus1, 0–31.</summary>
    public int NumRefIdxL0DefaultActiveMinus1 { get; init; }

    /// <summary>num_ref_idx_l1_default_active_minus1, 0–31.</summary>
    public int NumRefIdxL1DefaultActiveMinus1 { get; init; }

    /// <summary>weighted_pred_flag: P slices carry a pred_weight_table.</summary>
    public bool WeightedPredFlag { get; init; }

    /// <summary>weighted_bipred_idc: 0 default, 1 explicit (B slices carry a pred_weight_table), 2 implicit.</summary>
    public int WeightedBipredIdc { get; init; }

    /// <summary>pic_init_qp_minus26: the initial luma QP is 26 + this + slice_qp_delta.</summary>
    public int PicInitQpMinus26 { get; init; }

    /// <summary>pic_init_qs_minus26 (SP/SI slices).</summary>
    public int PicInitQsMinus26 { get; init; }

    /// <summary>chroma_qp_index_offset, −12..12.</summary>
    public int ChromaQpIndexOffset { get; init; }

    /// <summary>deblocking_filter_control_present_flag: slice headers carry the deblocking fields.</summary>
    public bool DeblockingFilterControlPresent { get; init; }

    /// <summary>constrained_intra_pred_flag.</summary>
    public bool ConstrainedIntraPred { get; init; }

    /// <summary>redundant_pic_cnt_present_flag.</summary>
    public bool RedundantPicCntPresent { get; init; }

    /// <summary>transform_8x8_mode_flag (High profiles).</summary>
    public bool Transform8x8Mode { get; init; }

    /// <summary>pic_scaling_matrix_present_flag.</summary>
    public bool PicScalingMatrixPresent { get; init; }

    /// <summary>The scaling lists sent; null where pic_scaling_list_present_flag[i] was 0.</summary>
    public IReadOnlyList<ScalingList?> ScalingLists { get; init; } = [];

    /// <summary>second_chroma_qp_index_offset (equal to chroma_qp_index_offset when absent).</summary>
    public int SecondChromaQpIndexOffset { get; init; }

    /// <summary>"CABAC" or "CAVLC".</summary>
    public string EntropyCoder => EntropyCodingModeFlag ? "CABAC" : "CAVLC";

    /// <summary>Parses a PPS NAL unit; <paramref name="sequenceParameterSets"/> are the SPSs seen so far, by id.</summary>
    /// <exception cref="H264FormatException">Cut short, out of range, or referring to an SPS not in <paramref name="sequenceParameterSets"/>.</exception>
    public static PictureParameterSet Parse(ReadOnlySpan<byte> nal, IReadOnlyDictionary<int, SequenceParameterSet> sequenceParameterSets, int nalIndex = -1)
    {
        ArgumentNullException.ThrowIfNull(sequenceParameterSets);
        var rbsp = EmulationPrevention.ToRbsp(nal);
        var reader = new RbspReader(rbsp, nalIndex);
        #region lab M3: read the header (type 8), then pic_parameter_set_rbsp() (§7.3.2.2) with range checks; the SPS named by seq_parameter_set_id must exist (else an error at that field); the transform_8x8_mode_flag block only when MoreRbspData() — README §PPS
        if (reader.BitsLeft < 8)
        {
            throw reader.Error("An empty NAL unit where a PPS should be", "nal_unit_header");
        }

        var header = NalUnitHeader.Parse((byte)reader.ReadBits(8, "nal_unit_header"));
        if (header.Type != NalUnitType.Pps)
        {
            throw reader.Error($"Not a PPS: nal_unit_type is {(int)header.Type} ({header.Name})", "nal_unit_type", 3);
        }

        int ppsId = SequenceParameterSet.Ranged(ref reader, "pic_parameter_set_id", 0, 255);
        long spsAt = reader.BitPosition;
        int spsId = SequenceParameterSet.Ranged(ref reader, "seq_parameter_set_id", 0, 31);
        if (!sequenceParameterSets.TryGetValue(spsId, out var sps))
        {
            throw reader.Error($"PPS {ppsId} refers to SPS {spsId}, which the stream has not sent", "seq_parameter_set_id", spsAt);
        }

        bool cabac = reader.ReadFlag("entropy_coding_mode_flag");
        bool bottomFieldPoc = reader.ReadFlag("bottom_field_pic_order_in_frame_present_flag");
        int sliceGroupsMinus1 = SequenceParameterSet.Ranged(ref reader, "num_slice_groups_minus1", 0, 7);
        int mapType = 0, changeRate = 0;
        if (sliceGroupsMinus1 > 0)
        {
            mapType = SequenceParameterSet.Ranged(ref reader, "slice_group_map_type", 0, 6);
            int mapUnits = (sps.PicWidthInMbsMinus1 + 1) * (sps.PicHeightInMapUnitsMinus1 + 1);
            switch (mapType)
            {
                case 0:
                    for (int i = 0; i <= sliceGroupsMinus1; i++)
                    {
                        SequenceParameterSet.Ranged(ref reader, "run_length_minus1", 0, mapUnits - 1);
                    }

                    break;
                case 2:
                    for (int i = 0; i < sliceGroupsMinus1; i++)
                    {
                        reader.ReadUe("top_left");
                        reader.ReadUe("bottom_right");
                    }

                    break;
                case 3 or 4 or 5:
                    reader.ReadFlag("slice_group_change_direction_flag");
                    changeRate = SequenceParameterSet.Ranged(ref reader, "slice_group_change_rate_minus1", 0, mapUnits - 1);
                    break;
                case 6:
                    int size = SequenceParameterSet.Ranged(ref reader, "pic_size_in_map_units_minus1", mapUnits - 1, mapUnits - 1) + 1;
                    int bits = 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)sliceGroupsMinus1); // Ceil(Log2(num_slice_groups_minus1 + 1))
                    reader.SkipBits((long)size * bits, "slice_group_id");
                    break;
            }
        }

        int l0 = SequenceParameterSet.Ranged(ref reader, "num_ref_idx_l0_default_active_minus1", 0, 31);
        int l1 = SequenceParameterSet.Ranged(ref reader, "num_ref_idx_l1_default_active_minus1", 0, 31);
        bool weighted = reader.ReadFlag("weighted_pred_flag");
        long bipredAt = reader.BitPosition;
        int bipred = (int)reader.ReadBits(2, "weighted_bipred_idc");
        if (bipred == 3)
        {
            throw reader.Error("weighted_bipred_idc is 3; the spec allows 0..2", "weighted_bipred_idc", bipredAt);
        }

        int qp = SignedRanged(ref reader, "pic_init_qp_minus26", -26 - 6 * sps.BitDepthLumaMinus8, 25);
        int qs = SignedRanged(ref reader, "pic_init_qs_minus26", -26, 25);
        int chromaOffset = SignedRanged(ref reader, "chroma_qp_index_offset", -12, 12);
        bool deblocking = reader.ReadFlag("deblocking_filter_control_present_flag");
        bool constrainedIntra = reader.ReadFlag("constrained_intra_pred_flag");
        bool redundant = reader.ReadFlag("redundant_pic_cnt_present_flag");
        bool transform8x8 = false, scalingPresent = false;
        int secondChromaOffset = chromaOffset;
        var lists = new List<ScalingList?>();
        if (reader.MoreRbspData())
        {
            transform8x8 = reader.ReadFlag("transform_8x8_mode_flag");
            scalingPresent = reader.ReadFlag("pic_scaling_matrix_present_flag");
            if (scalingPresent)
            {
                int count = 6 + (sps.ChromaFormatIdc != 3 ? 2 : 6) * (transform8x8 ? 1 : 0);
                for (int i = 0; i < count; i++)
                {
                    lists.Add(reader.ReadFlag("pic_scaling_list_present_flag") ? ScalingList.Read(ref reader, i < 6 ? 16 : 64) : null);
                }
            }

            secondChromaOffset = SignedRanged(ref reader, "second_chroma_qp_index_offset", -12, 12);
        }

        reader.ReadTrailingBits();
        return new PictureParameterSet
        {
            PicParameterSetId = ppsId, SeqParameterSetId = spsId, EntropyCodingModeFlag = cabac, BottomFieldPicOrderInFramePresent = bottomFieldPoc,
            NumSliceGroupsMinus1 = sliceGroupsMinus1, SliceGroupMapType = mapType, SliceGroupChangeRateMinus1 = changeRate,
            NumRefIdxL0DefaultActiveMinus1 = l0, NumRefIdxL1DefaultActiveMinus1 = l1, WeightedPredFlag = weighted, WeightedBipredIdc = bipred,
            PicInitQpMinus26 = qp, PicInitQsMinus26 = qs, ChromaQpIndexOffset = chromaOffset, DeblockingFilterControlPresent = deblocking,
            ConstrainedIntraPred = constrainedIntra, RedundantPicCntPresent = redundant, Transform8x8Mode = transform8x8,
            PicScalingMatrixPresent = scalingPresent, ScalingLists = lists, SecondChromaQpIndexOffset = secondChromaOffset,
        };
        #endregion
    }

    /// <summary>Reads se(v) and checks it is in <paramref name="min"/>..<paramref name="max"/>, else an error at the field's first bit.</summary>
    public static int SignedRanged(ref RbspReader reader, string field, int min, int max)
    {
        long at = reader.BitPosition;
        int value = reader.ReadSe(field);
        if (value < min || value > max)
        {
            throw reader.Error($"{field} is {value}; the spec allows {min}..{max}", field, at);
        }

        return value;
    }
}
