namespace Lab07.H264Bitstream.Tests;

/// <summary>M2: the NAL unit header, emulation prevention and the RBSP bit reader (README §NAL header, §Emulation prevention, §Bit reader, §Exp-Golomb).</summary>
public class M2NalAndBitsTests
{
    private const string Milestone = "M2 NAL header, emulation prevention, bit reader";

    [Theory]
    [InlineData(0x67, 3, NalUnitType.Sps, "SPS")]
    [InlineData(0x68, 3, NalUnitType.Pps, "PPS")]
    [InlineData(0x65, 3, NalUnitType.IdrSlice, "IDR")]
    [InlineData(0x41, 2, NalUnitType.Slice, "non-IDR slice")]
    [InlineData(0x01, 0, NalUnitType.Slice, "non-IDR slice")]
    [InlineData(0x06, 0, NalUnitType.Sei, "SEI")]
    [InlineData(0x09, 0, NalUnitType.AccessUnitDelimiter, "AUD")]
    [Trait("Milestone", Milestone)]
    public void Header_byte_splits_into_ref_idc_and_type(int header, int refIdc, NalUnitType type, string name)
    {
        var parsed = NalUnitHeader.Parse((byte)header);
        Assert.True(parsed.NalRefIdc == refIdc && parsed.Type == type,
            $"0x{header:x2} is nal_ref_idc {refIdc} (bits 6–5), nal_unit_type {(int)type} (bits 4–0); got {parsed.NalRefIdc}, {(int)parsed.Type}. See README §NAL header.");
        Assert.True(parsed.Name == name, $"Table 7-1 names type {(int)type} \"{name}\"; got \"{parsed.Name}\". See README §NAL header.");
        Assert.True(parsed.ToByte() == header, $"ToByte must give back 0x{header:x2}; got 0x{parsed.ToByte():x2}. See README §NAL header.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Forbidden_bit_is_an_error_at_bit_0()
    {
        var format = Expect.FormatError(() => NalUnitHeader.Parse(0xE7), "the header byte 0xe7 (forbidden_zero_bit = 1)", "§NAL header");
        Assert.True(format.BitOffset == 0 && format.Field == "forbidden_zero_bit",
            $"0xe7 has forbidden_zero_bit = 1: expected the error at bit 0 naming forbidden_zero_bit; got bit {format.BitOffset}, field {format.Field ?? "null"}. See README §NAL header.");
    }

    [Theory]
    [InlineData("000003", "0000")]
    [InlineData("00000301", "000001")]
    [InlineData("0000030000030102", "000000000102")]
    [InlineData("00000303", "000003")]
    [InlineData("000004", "000004")]
    [InlineData("11000003000003", "1100000000")]
    [Trait("Milestone", Milestone)]
    public void ToRbsp_removes_emulation_prevention_bytes(string nal, string rbsp)
    {
        HexDiff.AssertEqual(Convert.FromHexString(rbsp), EmulationPrevention.ToRbsp(Convert.FromHexString(nal)), $"the RBSP of {nal}", "README §Emulation prevention");
    }

    [Theory]
    [InlineData("000000", "0000030003")]
    [InlineData("8000000000", "80000003000003")] // ends in a cabac_zero_word: a final 03 (§7.4.1)
    [InlineData("000001", "00000301")]
    [InlineData("000002", "00000302")]
    [InlineData("000003", "00000303")]
    [InlineData("000004", "000004")]
    [InlineData("0000000000", "0000030000030003")]
    [InlineData("6588000001", "658800000301")]
    [Trait("Milestone", Milestone)]
    public void ToNal_inserts_emulation_prevention_bytes(string rbsp, string nal)
    {
        HexDiff.AssertEqual(Convert.FromHexString(nal), EmulationPrevention.ToNal(Convert.FromHexString(rbsp)), $"the NAL bytes of RBSP {rbsp}", "README §Emulation prevention");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Every_NAL_of_the_suite_round_trips_exactly_through_the_RBSP()
    {
        int escaped = 0;
        foreach (var name in Oracle.Streams)
        {
            var units = AnnexB.Split(Oracle.Bytes(name));
            foreach (var (unit, index) in units.Select((u, i) => (u, i)))
            {
                var nal = unit.Bytes.Span;
                int threes = CountEmulationPrevention(nal);
                escaped += threes;
                var rbsp = EmulationPrevention.ToRbsp(nal);
                Assert.True(rbsp.Length == nal.Length - threes, $"{name}.h264 NAL #{index} holds {threes} emulation_prevention_three_bytes; its RBSP must be {nal.Length - threes} bytes, yours is {rbsp.Length}. See README §Emulation prevention.");
                HexDiff.AssertEqual(nal, EmulationPrevention.ToNal(rbsp), $"{name}.h264 NAL #{index} escaped again (x264 escaped it the same way)", "README §Emulation prevention");
            }
        }

        Assert.True(escaped > 0, "The suite must contain escaped bytes for this test to mean anything. See README §Emulation prevention.");
    }

    // Counted here independently: each 00 00 03 inside a NAL unit (x264 writes no other 03 after two zeros).
    private static int CountEmulationPrevention(ReadOnlySpan<byte> nal)
    {
        int count = 0, zeros = 0;
        foreach (byte b in nal)
        {
            if (zeros >= 2 && b == 3)
            {
                count++;
                zeros = 0;
                continue;
            }

            zeros = b == 0 ? zeros + 1 : 0;
        }

        return count;
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Random_payloads_round_trip_and_never_contain_a_start_code()
    {
        var random = new Random(7);
        for (int round = 0; round < 300; round++)
        {
            var rbsp = new byte[random.Next(0, 64)];
            for (int i = 0; i < rbsp.Length; i++)
            {
                rbsp[i] = random.Next(3) == 0 ? (byte)random.Next(256) : (byte)random.Next(4); // mostly 00–03
            }

            if (rbsp.Length > 0 && rbsp[^1] == 0)
            {
                rbsp[^1] = 0x80; // an RBSP ends with rbsp_stop_one_bit (or a whole cabac_zero_word 00 00, tested above)
            }

            var nal = EmulationPrevention.ToNal(rbsp);
            for (int i = 0; i + 2 < nal.Length; i++)
            {
                Assert.False(nal[i] == 0 && nal[i + 1] == 0 && nal[i + 2] <= 2,
                    $"ToNal({Bits.Hex(rbsp)}) = {Bits.Hex(nal)} contains 00 00 {nal[i + 2]:x2} at {i}: a start code (or 00 00 00) inside a NAL unit. See README §Emulation prevention.");
            }

            Assert.False(nal.Length > 0 && nal[^1] == 0, $"ToNal({Bits.Hex(rbsp)}) ends in 00: a NAL unit's last byte is never zero. See README §Emulation prevention.");
            HexDiff.AssertEqual(rbsp, EmulationPrevention.ToRbsp(nal), $"ToRbsp(ToNal({Bits.Hex(rbsp)}))", "README §Emulation prevention");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Fixed_width_reads_are_msb_first()
    {
        var reader = new RbspReader(Convert.FromHexString("A5F00F"));
        // a5 f0 0f = 1 0 100101 111100000000 1111: u(1), u(1), u(6), u(12), u(4), most significant bit first (§7.2).
        foreach (var (bits, expected) in new (int, uint)[] { (1, 1), (1, 0), (6, 0b100101), (12, 0xF00), (4, 0xF) })
        {
            long at = reader.BitPosition;
            uint got = reader.ReadBits(bits);
            Assert.True(got == expected, $"a5 f0 0f: u({bits}) at bit {at} is 0x{expected:x} (most significant bit first); you read 0x{got:x}. See README §Bit reader.");
            Assert.True(reader.BitPosition == at + bits, $"After u({bits}) at bit {at}, BitPosition must be {at + bits}; it is {reader.BitPosition}. See README §Bit reader.");
        }

        var all = new RbspReader(Convert.FromHexString("DEADBEEF"));
        Assert.True(all.ReadBits(32) == 0xDEADBEEF, "u(32) of de ad be ef is 0xdeadbeef. See README §Bit reader.");
    }

    // Table 9-2 (bit strings → codeNum) and Table 9-3 (codeNum → se(v)), written from the spec.
    [Theory]
    [InlineData("1", 0u, 0)]
    [InlineData("010", 1u, 1)]
    [InlineData("011", 2u, -1)]
    [InlineData("00100", 3u, 2)]
    [InlineData("00101", 4u, -2)]
    [InlineData("00110", 5u, 3)]
    [InlineData("00111", 6u, -3)]
    [InlineData("0001000", 7u, 4)]
    [InlineData("0001010", 9u, 5)]
    [InlineData("000010100", 19u, 10)]
    [InlineData("00000000101101010", 361u, 181)]
    [Trait("Milestone", Milestone)]
    public void Exp_Golomb_codes_from_tables_9_2_and_9_3(string bits, uint ue, int se)
    {
        var reader = new RbspReader(Bits.Of(bits + "1"));
        uint gotUe = reader.ReadUe();
        Assert.True(gotUe == ue, $"ue(v) of {bits} is {ue} (Table 9-2); got {gotUe}. See README §Exp-Golomb.");
        Assert.True(reader.BitPosition == bits.Length, $"ue(v) of {bits} uses {bits.Length} bits; BitPosition is {reader.BitPosition}. See README §Exp-Golomb.");
        int gotSe = new RbspReader(Bits.Of(bits + "1")).ReadSe();
        Assert.True(gotSe == se, $"se(v) of {bits} (codeNum {ue}) is {se} (Table 9-3); got {gotSe}. See README §Exp-Golomb.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_longest_ue_fits_32_bits_and_one_more_zero_is_an_error_at_the_code_start()
    {
        var longest = new RbspReader(Bits.Of("11" + new string('0', 31) + "1" + new string('1', 31)));
        longest.ReadBits(2);
        uint max = longest.ReadUe("max_ue");
        Assert.True(max == uint.MaxValue - 1, $"31 zeros, a 1 and 31 ones is codeNum 2^32 − 2 = 4294967294; got {max}. See README §Exp-Golomb.");

        var format = Expect.FormatError(() => { var r = new RbspReader(Bits.Of("101" + new string('0', 32) + "1" + new string('0', 32))); r.ReadBits(3); r.ReadUe("too_long"); }, "a ue(v) with 32 leading zeros", "§Exp-Golomb");
        Assert.True(format.BitOffset == 3 && format.Field == "too_long",
            $"ue(v) with 32 leading zeros starting at bit 3: the error must be at bit 3 naming the field; got bit {format.BitOffset}, field {format.Field ?? "null"}. See README §Exp-Golomb.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Reading_past_the_end_is_an_error_with_the_bit_position()
    {
        var cut = Expect.FormatError(() => { var r = new RbspReader([0xFF], nalIndex: 4); r.ReadBits(5); r.ReadBits(8, "level_idc"); }, "an 8-bit read at bit 5 of a 1-byte RBSP", "§Bit reader");
        Assert.True(cut.BitOffset == 5 && cut.NalIndex == 4 && cut.Field == "level_idc",
            $"Reading 8 bits at bit 5 of a 1-byte RBSP: expected NAL #4, bit 5, field level_idc; got NAL #{cut.NalIndex}, bit {cut.BitOffset}, {cut.Field ?? "null"}. See README §Bit reader.");
        var ue = Expect.FormatError(() => { var r = new RbspReader([0x80, 0x00]); r.ReadBits(1); r.ReadUe("pic_width_in_mbs_minus1"); }, "an Exp-Golomb code that runs off the end", "§Exp-Golomb");
        Assert.True(ue.BitOffset == 1, $"An Exp-Golomb code running off the end: the error is at its first bit, 1; got {ue.BitOffset}. See README §Bit reader.");
    }

    [Theory]
    [InlineData("80", 0, false)]          // only rbsp_stop_one_bit
    [InlineData("C0", 0, true)]           // a 1, then the stop bit
    [InlineData("C0", 1, false)]
    [InlineData("A000", 1, true)]
    [InlineData("A000", 2, false)]        // trailing zero bytes (cabac_zero_words) are after the stop bit
    [InlineData("0000", 0, false)]
    [InlineData("0180", 8, false)]        // the stop bit is the last 1 of the payload, bit 15; 01 is data
    [InlineData("0180", 7, true)]
    [Trait("Milestone", Milestone)]
    public void More_rbsp_data_is_true_before_the_last_one_bit(string hex, int skip, bool expected)
    {
        var reader = new RbspReader(Convert.FromHexString(hex));
        reader.ReadBits(skip);
        Assert.True(reader.MoreRbspData() == expected, $"more_rbsp_data() at bit {skip} of {hex}: expected {expected}. See README §Bit reader.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Trailing_bits_are_a_one_then_zeros_to_the_byte_boundary()
    {
        var good = new RbspReader(Bits.Of("101 10000"));
        good.ReadBits(3);
        good.ReadTrailingBits();
        Assert.True(good.BitPosition == 8, $"rbsp_trailing_bits ends on the byte boundary (bit 8); got {good.BitPosition}. See README §Bit reader.");

        var bad = Expect.FormatError(() => { var r = new RbspReader(Bits.Of("101 00000")); r.ReadBits(3); r.ReadTrailingBits(); }, "a 0 where rbsp_stop_one_bit should be", "§Bit reader");
        Assert.True(bad.BitOffset == 3 && bad.Field == "rbsp_stop_one_bit", $"A 0 where rbsp_stop_one_bit should be (bit 3): got bit {bad.BitOffset}, {bad.Field ?? "null"}. See README §Bit reader.");
        var notZero = Expect.FormatError(() => { var r = new RbspReader(Bits.Of("101 10100")); r.ReadBits(3); r.ReadTrailingBits(); }, "a 1 among the alignment zero bits", "§Bit reader");
        Assert.True(notZero.BitOffset == 5 && notZero.Field == "rbsp_alignment_zero_bit", $"A 1 among the alignment bits (bit 5): got bit {notZero.BitOffset}, {notZero.Field ?? "null"}. See README §Bit reader.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Reader_walks_a_real_SPS_to_the_positions_trace_headers_prints()
    {
        var sps = AnnexB.Split(Oracle.Bytes("baseline")).First(u => (u.Bytes.Span[0] & 0x1F) == 7);
        var trace = Oracle.TraceOf("baseline").BlocksTitled("Sequence Parameter Set").First();
        var reader = new RbspReader(EmulationPrevention.ToRbsp(sps.Bytes.Span));

        // The first fields of seq_parameter_set_data() (§7.3.2.1.1), read by hand: u(8) profile_idc, six flags,
        // u(2) reserved, u(8) level_idc, ue(v) seq_parameter_set_id, then (baseline) ue(v) log2_max_frame_num_minus4, ue(v) pic_order_cnt_type.
        reader.ReadBits(8); // the NAL header, bits 0–7
        Check(ref reader, trace, "profile_idc", 8, false);
        for (int i = 0; i < 6; i++)
        {
            Check(ref reader, trace, $"constraint_set{i}_flag", 1, false);
        }

        Check(ref reader, trace, "reserved_zero_2bits", 2, false);
        Check(ref reader, trace, "level_idc", 8, false);
        Check(ref reader, trace, "seq_parameter_set_id", 0, true);
        Check(ref reader, trace, "log2_max_frame_num_minus4", 0, true);
        Check(ref reader, trace, "pic_order_cnt_type", 0, true);
        Check(ref reader, trace, "max_num_ref_frames", 0, true);
        Check(ref reader, trace, "gaps_in_frame_num_allowed_flag", 1, false);
        Check(ref reader, trace, "pic_width_in_mbs_minus1", 0, true);
        Check(ref reader, trace, "pic_height_in_map_units_minus1", 0, true);
    }

    private static void Check(ref RbspReader reader, TraceBlock trace, string field, int bits, bool ue)
    {
        long position = reader.BitPosition;
        Assert.True(position == trace.PositionOf(field), $"baseline.h264 SPS: trace_headers reads {field} at bit {trace.PositionOf(field)}; your reader is at bit {position}. See README §Bit reader.");
        long value = ue ? reader.ReadUe(field) : reader.ReadBits(bits, field);
        Assert.True(value == trace.Value(field), $"baseline.h264 SPS: {field} is {trace.Value(field)} (trace_headers); you read {value}. See README §Bit reader.");
    }
}
