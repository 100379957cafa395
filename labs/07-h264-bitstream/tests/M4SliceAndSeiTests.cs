using System.Text;

namespace Lab07.H264Bitstream.Tests;

/// <summary>M4: slice headers up to slice_qp_delta, and SEI messages, against trace_headers (README §Slice header, §SEI).</summary>
public class M4SliceAndSeiTests
{
    private const string Milestone = "M4 slice headers and SEI";

    public static TheoryData<string> AllStreams() => [.. Oracle.Streams];

    private static long B(bool value) => value ? 1 : 0;

    private static readonly Dictionary<string, Func<SliceHeader, long?>> Fields = new()
    {
        ["first_mb_in_slice"] = h => h.FirstMbInSlice,
        ["slice_type"] = h => h.SliceTypeRaw,
        ["pic_parameter_set_id"] = h => h.PicParameterSetId,
        ["frame_num"] = h => h.FrameNum,
        ["idr_pic_id"] = h => h.IdrPicId,
        ["pic_order_cnt_lsb"] = h => h.PicOrderCntLsb,
        ["direct_spatial_mv_pred_flag"] = h => h.DirectSpatialMvPred is { } d ? B(d) : null,
        ["num_ref_idx_active_override_flag"] = h => h.NumRefIdxActiveOverride is { } o ? B(o) : null,
        ["num_ref_idx_l0_active_minus1"] = h => h.NumRefIdxL0ActiveMinus1,
        ["num_ref_idx_l1_active_minus1"] = h => h.NumRefIdxL1ActiveMinus1,
        ["no_output_of_prior_pics_flag"] = h => h.NoOutputOfPriorPics is { } n ? B(n) : null,
        ["long_term_reference_flag"] = h => h.LongTermReference is { } l ? B(l) : null,
        ["adaptive_ref_pic_marking_mode_flag"] = h => h.AdaptiveRefPicMarkingMode is { } a ? B(a) : null,
        ["cabac_init_idc"] = h => h.CabacInitIdc,
        ["slice_qp_delta"] = h => h.SliceQpDelta,
        ["disable_deblocking_filter_idc"] = h => h.DisableDeblockingFilterIdc,
        ["slice_alpha_c0_offset_div2"] = h => h.SliceAlphaC0OffsetDiv2,
        ["slice_beta_offset_div2"] = h => h.SliceBetaOffsetDiv2,
    };

    /// <summary>Parses every parameter set and slice header of a stream, in order, with the test's own bookkeeping.</summary>
    internal static List<(int Index, SliceHeader Header)> Slices(string name)
    {
        var spss = new Dictionary<int, SequenceParameterSet>();
        var ppss = new Dictionary<int, PictureParameterSet>();
        var slices = new List<(int, SliceHeader)>();
        var units = AnnexB.Split(Oracle.Bytes(name));
        for (int i = 0; i < units.Count; i++)
        {
            var nal = units[i].Bytes.Span;
            switch (nal[0] & 0x1F)
            {
                case 7: var sps = SequenceParameterSet.Parse(nal, i); spss[sps.SeqParameterSetId] = sps; break;
                case 8: var pps = PictureParameterSet.Parse(nal, spss, i); ppss[pps.PicParameterSetId] = pps; break;
                case 1 or 5: slices.Add((i, SliceHeader.Parse(nal, spss, ppss, i))); break;
            }
        }

        return slices;
    }

    [Theory]
    [MemberData(nameof(AllStreams))]
    [Trait("Milestone", Milestone)]
    public void Slice_headers_equal_trace_headers(string name)
    {
        var slices = Slices(name);
        var traced = Oracle.TraceOf(name).BlocksTitled("Slice Header").ToList();
        Assert.True(slices.Count == traced.Count, $"{name}.h264: trace_headers printed {traced.Count} slice headers; you parsed {slices.Count}. See README §Slice header.");
        for (int s = 0; s < slices.Count; s++)
        {
            var (index, header) = slices[s];
            foreach (var field in traced[s].Fields.Where(f => Fields.ContainsKey(f.Name)))
            {
                long? value = Fields[field.Name](header);
                Assert.True(value == field.Value, $"{name}.h264 NAL #{index} (slice {s}): {field.Name} (bit {field.Position}) is {field.Value} in trace_headers; yours is {value?.ToString() ?? "absent"}. See README §Slice header.");
            }

            long qpAt = traced[s].PositionOf("slice_qp_delta");
            Assert.True(header.SliceQpDeltaBitOffset == qpAt,
                $"{name}.h264 NAL #{index} (slice {s}, type {header.SliceTypeRaw}): slice_qp_delta starts at bit {qpAt}; you reached it at bit {header.SliceQpDeltaBitOffset}: something before it (reference list modification, pred_weight_table, dec_ref_pic_marking) was read wrong. See README §Slice header.");
            Assert.True(header.HasPredWeightTable == traced[s].Has("luma_log2_weight_denom"), $"{name}.h264 NAL #{index}: trace_headers {(traced[s].Has("luma_log2_weight_denom") ? "shows" : "shows no")} pred_weight_table. See README §Slice header.");
            var mmcos = traced[s].Values("memory_management_control_operation").Where(v => v != 0).Select(v => (int)v);
            Assert.True(header.MemoryManagementControlOperations.SequenceEqual(mmcos), $"{name}.h264 NAL #{index}: MMCO commands [{string.Join(",", mmcos)}]; yours [{string.Join(",", header.MemoryManagementControlOperations)}]. See README §Slice header.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Slice_types_use_the_plus_5_form_and_four_slices_make_a_picture()
    {
        var slices = Slices("slices");
        var firstPicture = slices.TakeWhile((s, i) => i == 0 || s.Header.FirstMbInSlice != 0).ToList();
        Assert.True(firstPicture.Count == 4, $"slices.h264 has 4 slices per picture (x264 slices=4); your first picture has {firstPicture.Count} (a new picture starts at first_mb_in_slice 0). See README §Slice header.");
        Assert.True(firstPicture.All(s => s.Header.SliceType == SliceType.I && s.Header.IsIdr), "The first picture's slices are IDR I slices. See README §Slice header.");
        var b = Slices("main-b").First(s => s.Header.SliceType == SliceType.B).Header;
        Assert.True(b.SliceTypeRaw is 1 or 6 && b.SliceType == SliceType.B, $"A B slice is slice_type 1 or 6 (6 = all slices of the picture are B); SliceType must be B for both; got raw {b.SliceTypeRaw} → {b.SliceType}. See README §Slice header.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_slice_naming_a_missing_PPS_is_an_error_at_pic_parameter_set_id()
    {
        var units = AnnexB.Split(Oracle.Bytes("baseline"));
        var sps = SequenceParameterSet.Parse(units[0].Bytes.Span);
        var spss = new Dictionary<int, SequenceParameterSet> { [0] = sps };
        var idr = units.First(u => (u.Bytes.Span[0] & 0x1F) == 5).Bytes.ToArray();
        long at = Oracle.TraceOf("baseline").BlocksTitled("Slice Header").First().PositionOf("pic_parameter_set_id");
        var format = Expect.FormatError(() => SliceHeader.Parse(idr, spss, new Dictionary<int, PictureParameterSet>(), nalIndex: 3), "a slice naming a PPS that was not given", "§Slice header");
        Assert.True(format.Field == "pic_parameter_set_id" && format.BitOffset == at && format.NalIndex == 3,
            $"The IDR slice names PPS 0, not given: expected the error at pic_parameter_set_id (bit {at}), NAL #3; got {format.Field ?? "null"} at bit {format.BitOffset}, NAL #{format.NalIndex}. See README §Slice header.");
    }

    [Theory]
    [MemberData(nameof(AllStreams))]
    [Trait("Milestone", Milestone)]
    public void SEI_messages_equal_trace_headers(string name)
    {
        var units = AnnexB.Split(Oracle.Bytes(name)).Where(u => (u.Bytes.Span[0] & 0x1F) == 6).ToList();
        var traced = Oracle.TraceOf(name).BlocksTitled("Supplemental Enhancement Information").ToList();
        Assert.True(units.Count == traced.Count, $"{name}.h264: {traced.Count} SEI NAL units in the trace, {units.Count} found. See README §SEI.");
        for (int i = 0; i < units.Count; i++)
        {
            var messages = SeiMessage.ParseAll(units[i].Bytes.Span);
            // payloadType and payloadSize are 255 per ff_byte plus the last byte (§7.3.2.3.1): sum them from the trace.
            var expected = new List<(long Type, long Size)>();
            long acc = 0;
            bool typeNext = true;
            long type = 0;
            foreach (var f in traced[i].Fields)
            {
                if (f.Name == "ff_byte") { acc += 255; }
                else if (f.Name == "last_payload_type_byte") { type = acc + f.Value; acc = 0; typeNext = false; }
                else if (f.Name == "last_payload_size_byte" && !typeNext) { expected.Add((type, acc + f.Value)); acc = 0; typeNext = true; }
            }

            Assert.True(messages.Select(m => ((long)m.PayloadType, (long)m.Payload.Length)).SequenceEqual(expected),
                $"{name}.h264 SEI #{i}: (type, size) are [{string.Join(" ", expected)}] in trace_headers; yours [{string.Join(" ", messages.Select(m => (m.PayloadType, m.Payload.Length)))}]. See README §SEI.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_x264_version_string_comes_out_of_user_data_unregistered()
    {
        var sei = AnnexB.Split(Oracle.Bytes("high")).First(u => (u.Bytes.Span[0] & 0x1F) == 6);
        var block = Oracle.TraceOf("high").BlocksTitled("Supplemental Enhancement Information").First();
        string uuid = string.Concat(Enumerable.Range(0, 16).Select(i => block.Value($"uuid_iso_iec_11578[{i}]").ToString("x2")));
        var bytes = block.Fields.Where(f => f.Name.StartsWith("user_data_payload_byte", StringComparison.Ordinal)).Select(f => (byte)f.Value).TakeWhile(b => b != 0).ToArray();
        string text = Encoding.ASCII.GetString(bytes);

        var message = SeiMessage.ParseAll(sei.Bytes.Span).Single(m => m.PayloadType == 5);
        var user = message.AsUserDataUnregistered();
        Assert.True(user is not null, "Payload type 5 is user_data_unregistered: AsUserDataUnregistered must not be null. See README §SEI.");
        Assert.True(user!.Value.Uuid == uuid, $"The UUID is {uuid} (x264's); yours {user.Value.Uuid}. See README §SEI.");
        Assert.True(user.Value.Text == text && text.StartsWith("x264 - core ", StringComparison.Ordinal), $"x264's text is \"{text[..40]}…\"; yours \"{user.Value.Text[..Math.Min(40, user.Value.Text.Length)]}…\". See README §SEI.");
        Assert.True(user.Value.Text.Contains("cqm=2", StringComparison.Ordinal), // the custom matrices make.sh asked for
            $"x264's settings in the text include cqm=2 (the custom matrices make.sh asked for); your text: \"{user.Value.Text}\". See README §SEI.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Recovery_points_of_the_open_GOP_stream_equal_trace_headers()
    {
        var seis = AnnexB.Split(Oracle.Bytes("open-gop")).Where(u => (u.Bytes.Span[0] & 0x1F) == 6).ToList();
        var blocks = Oracle.TraceOf("open-gop").BlocksTitled("Supplemental Enhancement Information").Where(b => b.Has("recovery_frame_cnt")).ToList();
        var points = seis.SelectMany(u => SeiMessage.ParseAll(u.Bytes.Span)).Select(m => m.AsRecoveryPoint()).Where(r => r is not null).ToList();
        Assert.True(blocks.Count > 0 && points.Count == blocks.Count, $"open-gop.h264 has {blocks.Count} recovery point SEIs; you found {points.Count}. See README §SEI.");
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i]!;
            Assert.True(p.RecoveryFrameCnt == blocks[i].Value("recovery_frame_cnt") && B(p.ExactMatch) == blocks[i].Value("exact_match_flag")
                        && B(p.BrokenLink) == blocks[i].Value("broken_link_flag") && p.ChangingSliceGroupIdc == blocks[i].Value("changing_slice_group_idc"),
                $"Recovery point #{i}: trace_headers says frame_cnt {blocks[i].Value("recovery_frame_cnt")}, exact {blocks[i].Value("exact_match_flag")}, broken {blocks[i].Value("broken_link_flag")}; yours {p}. See README §SEI.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void An_SEI_payload_past_the_end_is_an_error_at_its_size()
    {
        // header 06, payloadType 5, payloadSize 0xFF + 0x10 = 271, then 3 bytes and a stop bit.
        var format = Expect.FormatError(() => SeiMessage.ParseAll(Convert.FromHexString("0605FF10AABBCC80"), nalIndex: 2), "an SEI whose payloadSize (271) runs past the end", "§SEI");
        Assert.True(format.BitOffset == 16 && format.NalIndex == 2, $"The size (at byte 2, bit 16) says 271 bytes, 4 remain: expected the error at bit 16 of NAL #2; got bit {format.BitOffset}, NAL #{format.NalIndex}. See README §SEI.");
    }

    [Theory]
    [InlineData("", 0, "recovery_frame_cnt")]                   // no bits at all
    [InlineData("0001000 1", 8, "broken_link_flag")]            // recovery_frame_cnt 7 (7 bits), exact_match_flag 1, then the byte ends
    [InlineData("00100 1 0 0", 7, "changing_slice_group_idc")]  // recovery_frame_cnt 3 (5 bits), the flags, then u(2) from bit 7 is cut after 1 bit
    [Trait("Milestone", Milestone)]
    public void A_recovery_point_cut_short_is_an_error_naming_the_field(string bits, long position, string field)
    {
        // §D.1.8 recovery_point(): recovery_frame_cnt ue(v), exact_match_flag u(1), broken_link_flag u(1), changing_slice_group_idc u(2).
        var message = new SeiMessage(SeiMessage.RecoveryPointType, Bits.Of(bits));
        var format = Expect.FormatError(() => message.AsRecoveryPoint(), $"a recovery point payload of {Bits.Of(bits).Length} byte(s) that ends inside {field}", "§SEI");
        // Only the name is checked: the payload alone does not say where it sits in its NAL unit.
        Assert.True(format.Field == field,
            $"A recovery point payload [{Bits.Hex(Bits.Of(bits))}] ends inside {field} (bit {position} of the payload): expected the error naming {field}; got {format.Field ?? "null"}. See README §SEI and §Bit reader.");
    }

    // The nested structures of the slice header, written bit by bit from their syntax tables; ue(v)/se(v) codes from Table 9-2/9-3.
    // Each string ends with a marker 1 after the structure: the reader must stop exactly before it.

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Ref_pic_list_modification_reads_list_1_only_for_B_slices()
    {
        // §7.3.3.1. List 0: flag 1; (idc 0, abs_diff_pic_num_minus1 4); (idc 2, long_term_pic_num 1); idc 3.
        //           List 1: flag 1; (idc 1, abs_diff_pic_num_minus1 0); idc 3.
        string l0 = "1" + "1" + "00101" + "011" + "010" + "00100";
        string l1 = "1" + "010" + "1" + "00100";
        var bits = Bits.Of(l0 + l1 + "1");
        foreach (var (type, count, end) in new[] { (SliceType.B, 3, l0.Length + l1.Length), (SliceType.P, 2, l0.Length), (SliceType.I, 0, 0) })
        {
            var reader = new RbspReader(bits);
            int got = SliceHeader.ReadRefPicListModification(ref reader, type);
            Assert.True(got == count && reader.BitPosition == end,
                $"ref_pic_list_modification() of a {type} slice: {count} commands ending at bit {end} (list 1 only in B slices, neither list in I); you read {got} ending at bit {reader.BitPosition}. See README §Slice header.");
        }

        var bad = Expect.FormatError(() => { var r = new RbspReader(Bits.Of("1" + "00111" + "1")); SliceHeader.ReadRefPicListModification(ref r, SliceType.P); }, "modification_of_pic_nums_idc 6 (0–5 and 3 are the only values, §7.4.3.1)", "§Slice header");
        Assert.True(bad.BitOffset == 1 && bad.Field == "modification_of_pic_nums_idc", $"modification_of_pic_nums_idc 6 at bit 1: expected the error there, naming the field; got bit {bad.BitOffset}, {bad.Field ?? "null"}. See README §Slice header.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Pred_weight_table_reads_list_1_for_B_slices_and_chroma_only_with_chroma()
    {
        // §7.3.3.2 with ChromaArrayType 1, two list-0 references, one list-1 reference (explicit B weights: weighted_bipred_idc 1,
        // which x264 never writes). luma_log2_weight_denom 5, chroma_log2_weight_denom 0;
        // l0[0]: luma (−3, 2), no chroma; l0[1]: no luma, chroma (1, −1) (1, −1); l1[0]: luma (0, 0), chroma (4, 0) (−2, 1).
        string head = "00110" + "1";
        string l0 = "1" + "00111" + "00100" + "0" + "0" + "1" + "010011" + "010011";
        string l1 = "1" + "1" + "1" + "1" + "0001000" + "1" + "00101" + "010";
        var bits = Bits.Of(head + l0 + l1 + "1");
        foreach (var (type, end) in new[] { (SliceType.B, head.Length + l0.Length + l1.Length), (SliceType.P, head.Length + l0.Length) })
        {
            var reader = new RbspReader(bits);
            SliceHeader.ReadPredWeightTable(ref reader, type, chromaArrayType: 1, numRefIdxL0ActiveMinus1: 1, numRefIdxL1ActiveMinus1: 0);
            Assert.True(reader.BitPosition == end, $"pred_weight_table() of a {type} slice (2 list-0 references{(type == SliceType.B ? ", 1 list-1 reference" : "")}, 4:2:0) ends at bit {end}; yours at bit {reader.BitPosition}. See README §Slice header.");
        }

        // ChromaArrayType 0 (monochrome): no chroma_log2_weight_denom and no chroma flags. denom 5; l0[0]: luma (−3, 2); l0[1]: no luma.
        string mono = "00110" + "1" + "00111" + "00100" + "0";
        var monoReader = new RbspReader(Bits.Of(mono + "1"));
        SliceHeader.ReadPredWeightTable(ref monoReader, SliceType.P, chromaArrayType: 0, numRefIdxL0ActiveMinus1: 1, numRefIdxL1ActiveMinus1: 0);
        Assert.True(monoReader.BitPosition == mono.Length, $"pred_weight_table() without chroma (ChromaArrayType 0) ends at bit {mono.Length}; yours at bit {monoReader.BitPosition}. See README §Slice header.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Dec_ref_pic_marking_reads_every_memory_management_operation()
    {
        // §7.3.3.3, a non-IDR slice: adaptive flag 1; MMCO 1 (difference_of_pic_nums_minus1 2); 2 (long_term_pic_num 0);
        // 3 (difference 0, long_term_frame_idx 1); 4 (max_long_term_frame_idx_plus1 3); 6 (long_term_frame_idx 0); 5; 0 (end).
        string mmco = "1" + "010" + "011" + "011" + "1" + "00100" + "1" + "010" + "00101" + "00100" + "00111" + "1" + "00110" + "1";
        var reader = new RbspReader(Bits.Of(mmco + "1"));
        var operations = new List<int>();
        var (noOutput, longTerm, adaptive) = SliceHeader.ReadDecRefPicMarking(ref reader, idr: false, operations);
        Assert.True(adaptive == true && noOutput is null && longTerm is null && operations.SequenceEqual([1, 2, 3, 4, 6, 5]) && reader.BitPosition == mmco.Length,
            $"dec_ref_pic_marking() with MMCOs 1, 2, 3, 4, 6, 5, 0: expected adaptive, operations [1,2,3,4,6,5], ending at bit {mmco.Length}; got adaptive {adaptive}, [{string.Join(",", operations)}], bit {reader.BitPosition}. See README §Slice header.");

        var idr = new RbspReader(Bits.Of("10" + "1"));
        var idrMarking = SliceHeader.ReadDecRefPicMarking(ref idr, idr: true, operations = []);
        Assert.True(idrMarking == (true, false, null) && idr.BitPosition == 2 && operations.Count == 0,
            $"An IDR's dec_ref_pic_marking() is no_output_of_prior_pics_flag 1, long_term_reference_flag 0 (2 bits); got {idrMarking}, ending at bit {idr.BitPosition}. See README §Slice header.");
        var sliding = new RbspReader(Bits.Of("0" + "1"));
        var slidingMarking = SliceHeader.ReadDecRefPicMarking(ref sliding, idr: false, operations);
        Assert.True(slidingMarking == (null, null, false) && sliding.BitPosition == 1 && operations.Count == 0,
            $"adaptive_ref_pic_marking_mode_flag 0 is the whole structure (1 bit); got {slidingMarking}, ending at bit {sliding.BitPosition}. See README §Slice header.");

        var bad = Expect.FormatError(() => { var r = new RbspReader(Bits.Of("1" + "0001000" + "1")); SliceHeader.ReadDecRefPicMarking(ref r, idr: false, []); }, "memory_management_control_operation 7 (0–6 only, §7.4.3.3)", "§Slice header");
        Assert.True(bad.BitOffset == 1 && bad.Field == "memory_management_control_operation", $"memory_management_control_operation 7 at bit 1: expected the error there, naming the field; got bit {bad.BitOffset}, {bad.Field ?? "null"}. See README §Slice header.");
    }
}
