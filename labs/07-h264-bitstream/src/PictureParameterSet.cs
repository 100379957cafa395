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
        throw new NotImplementedException("Lab 07 · M3: read the header (type 8), then pic_parameter_set_rbsp() (§7.3.2.2) with range checks; the SPS named by seq_parameter_set_id must exist (else an error at that field); the transform_8x8_mode_flag block only when MoreRbspData() — README §PPS");
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
