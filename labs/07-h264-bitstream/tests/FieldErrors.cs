namespace Lab07.H264Bitstream.Tests;

/// <summary>
/// Broken copies of the suite's real parameter sets and slice headers, each broken at one syntax element that
/// trace_headers shows, for the promise of README §Bit reader: an error names the syntax element being read
/// (<see cref="H264FormatException.Field"/>, the spec's name) and is at its first bit. Two ways to break a field:
/// the RBSP cut at a byte boundary inside it (the field is cut short), and, for ue(v)/se(v) fields, the RBSP
/// continued from the field's first bit with 40 zero bits (an Exp-Golomb code longer than 32 bits, README
/// §Exp-Golomb). Everything here is computed from the trace and the spec, with no help from the lab's code.
/// </summary>
internal static class FieldErrors
{
    /// <summary>The ue(v) and se(v) syntax elements of §7.3.2.1.1 (SPS), §E.1.1 (VUI), §7.3.2.2 (PPS) and §7.3.3 (slice header), by the spec's name.</summary>
    private static readonly HashSet<string> ExpGolomb =
    [
        "seq_parameter_set_id", "chroma_format_idc", "bit_depth_luma_minus8", "bit_depth_chroma_minus8", "delta_scale",
        "log2_max_frame_num_minus4", "pic_order_cnt_type", "log2_max_pic_order_cnt_lsb_minus4", "offset_for_non_ref_pic",
        "offset_for_top_to_bottom_field", "num_ref_frames_in_pic_order_cnt_cycle", "offset_for_ref_frame", "max_num_ref_frames",
        "pic_width_in_mbs_minus1", "pic_height_in_map_units_minus1",
        "frame_crop_left_offset", "frame_crop_right_offset", "frame_crop_top_offset", "frame_crop_bottom_offset",
        "chroma_sample_loc_type_top_field", "chroma_sample_loc_type_bottom_field", "max_bytes_per_pic_denom", "max_bits_per_mb_denom",
        "log2_max_mv_length_horizontal", "log2_max_mv_length_vertical", "max_num_reorder_frames", "max_dec_frame_buffering",
        "pic_parameter_set_id", "num_slice_groups_minus1", "slice_group_map_type", "run_length_minus1", "top_left", "bottom_right",
        "slice_group_change_rate_minus1", "pic_size_in_map_units_minus1", "num_ref_idx_l0_default_active_minus1",
        "num_ref_idx_l1_default_active_minus1", "pic_init_qp_minus26", "pic_init_qs_minus26", "chroma_qp_index_offset",
        "second_chroma_qp_index_offset",
        "first_mb_in_slice", "slice_type", "idr_pic_id", "delta_pic_order_cnt_bottom", "delta_pic_order_cnt", "redundant_pic_cnt",
        "num_ref_idx_l0_active_minus1", "num_ref_idx_l1_active_minus1", "modification_of_pic_nums_idc", "abs_diff_pic_num_minus1",
        "long_term_pic_num", "luma_log2_weight_denom", "chroma_log2_weight_denom", "luma_weight_l0", "luma_offset_l0",
        "luma_weight_l1", "luma_offset_l1", "chroma_weight_l0", "chroma_offset_l0", "chroma_weight_l1", "chroma_offset_l1",
        "memory_management_control_operation", "difference_of_pic_nums_minus1", "long_term_frame_idx", "max_long_term_frame_idx_plus1",
        "cabac_init_idc", "slice_qp_delta", "slice_qs_delta", "disable_deblocking_filter_idc", "slice_alpha_c0_offset_div2",
        "slice_beta_offset_div2",
    ];

    /// <summary>
    /// What trace_headers prints that is not one syntax element read on its own: the NAL header (read as one byte, README
    /// §NAL header), hrd_parameters() (read and dropped, README §VUI), and what follows the slice header.
    /// </summary>
    private static readonly HashSet<string> NotOwnRead =
    [
        "forbidden_zero_bit", "nal_ref_idc", "nal_unit_type",
        "cpb_cnt_minus1", "bit_rate_scale", "cpb_size_scale", "bit_rate_value_minus1", "cpb_size_value_minus1", "cbr_flag",
        "initial_cpb_removal_delay_length_minus1", "cpb_removal_delay_length_minus1", "dpb_output_delay_length_minus1", "time_offset_length",
        "cabac_alignment_one_bit", "rbsp_stop_one_bit", "rbsp_alignment_zero_bit",
    ];

    /// <summary>trace_headers' name → the spec's (§7.3.2.1.1 spells it gaps_in_frame_num_value_allowed_flag); indices dropped.</summary>
    public static string SpecName(string traced)
    {
        int bracket = traced.IndexOf('[', StringComparison.Ordinal);
        string name = bracket < 0 ? traced : traced[..bracket];
        return name == "gaps_in_frame_num_allowed_flag" ? "gaps_in_frame_num_value_allowed_flag" : name;
    }

    /// <summary>One broken copy: the NAL unit's bytes, the field whose error is expected, and how it was broken.</summary>
    public sealed record Case(byte[] Nal, TraceField Field, string How);

    /// <summary>
    /// The broken copies of one NAL unit for the fields of its trace block (fields at or after <paramref name="stopAt"/>, if
    /// given, left out: the PPS's optional tail, where a cut RBSP can be a shorter valid PPS under more_rbsp_data()).
    /// </summary>
    public static IEnumerable<Case> Cases(ReadOnlySpan<byte> nal, TraceBlock block, string? stopAt = null)
    {
        byte[] rbsp = Unescape(nal);
        var fields = block.Fields.TakeWhile(f => stopAt is null || f.Name != stopAt).ToList();
        var cases = new List<Case>();
        foreach (var field in fields.Where(f => !NotOwnRead.Contains(SpecName(f.Name))))
        {
            if (ExpGolomb.Contains(SpecName(field.Name)))
            {
                cases.Add(new Case(Escape(Continue(rbsp, field.Position, 40)), field, $"40 zero bits from bit {field.Position}"));
            }

            // every byte boundary inside the field (or at its first bit): the RBSP cut there
            for (long cut = (field.Position + 7) / 8 * 8; cut < field.Position + field.Length; cut += 8)
            {
                int bytes = (int)(cut / 8);
                if (bytes >= 1 && bytes <= rbsp.Length && rbsp[bytes - 1] != 0)
                {
                    cases.Add(new Case(Escape(rbsp.AsSpan(0, bytes)), field, $"cut to {bytes} bytes of RBSP ({cut} bits)"));
                }
            }
        }

        return cases;
    }

    /// <summary>The first <paramref name="bits"/> bits of the RBSP, then <paramref name="zeros"/> zero bits, a 1 and zeros to the byte boundary.</summary>
    private static byte[] Continue(byte[] rbsp, long bits, int zeros)
    {
        var result = new byte[(bits + zeros + 1 + 7) / 8];
        for (long i = 0; i < bits; i++)
        {
            if ((rbsp[i / 8] & (0x80 >> (int)(i % 8))) != 0)
            {
                result[i / 8] |= (byte)(0x80 >> (int)(i % 8));
            }
        }

        long one = bits + zeros;
        result[one / 8] |= (byte)(0x80 >> (int)(one % 8));
        return result;
    }

    /// <summary>The RBSP of a NAL unit: every 03 after two zero bytes dropped (§7.4.1).</summary>
    public static byte[] Unescape(ReadOnlySpan<byte> nal)
    {
        var rbsp = new List<byte>(nal.Length);
        int zeros = 0;
        foreach (byte b in nal)
        {
            if (zeros >= 2 && b == 3)
            {
                zeros = 0;
                continue;
            }

            rbsp.Add(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }

        return [.. rbsp];
    }

    /// <summary>A NAL unit from an RBSP: a 03 before any byte ≤ 3 that follows two zero bytes (§7.4.1).</summary>
    public static byte[] Escape(ReadOnlySpan<byte> rbsp)
    {
        var nal = new List<byte>(rbsp.Length + 8);
        int zeros = 0;
        foreach (byte b in rbsp)
        {
            if (zeros >= 2 && b <= 3)
            {
                nal.Add(3);
                zeros = 0;
            }

            nal.Add(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }

        return [.. nal];
    }

    /// <summary>Each NAL unit of a stream of the given types beside its trace block, in stream order.</summary>
    public static List<(int Index, byte[] Nal, TraceBlock Block)> Units(string name, params int[] types)
    {
        var units = AnnexB.Split(Oracle.Bytes(name));
        var nals = units.Select((u, i) => (Index: i, Nal: u.Bytes.ToArray())).Where(u => types.Contains(u.Nal[0] & 0x1F)).ToList();
        var blocks = Oracle.TraceOf(name).Blocks.Where(b => types.Contains(b.NalUnitType)).ToList();
        Assert.True(nals.Count == blocks.Count, $"(test) {name}.h264 has {nals.Count} NAL units of types {string.Join(",", types)}, its trace {blocks.Count} blocks.");
        return [.. nals.Zip(blocks, (n, b) => (n.Index, n.Nal, b))];
    }

    /// <summary>Asserts that the error names the field at its first bit, with a message that says what was broken and how.</summary>
    public static void AssertAt(H264FormatException error, Case c, string what, string readme)
    {
        string expected = SpecName(c.Field.Name);
        Assert.True(error.Field is not null && SpecName(error.Field) == expected && error.BitOffset == c.Field.Position,
            $"{what} broken at {c.Field.Name} (bits {c.Field.Position}–{c.Field.Position + c.Field.Length - 1} in trace_headers) by {c.How}: " +
            $"expected the error at bit {c.Field.Position} naming {expected}; got bit {error.BitOffset}, field {error.Field ?? "null"}. See README {readme} and §Bit reader.");
    }
}
