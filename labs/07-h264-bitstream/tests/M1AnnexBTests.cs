namespace Lab07.H264Bitstream.Tests;

/// <summary>M1: the Annex B byte stream — start codes, trailing zeros — and AVCC both ways (README §Annex B, §AVCC).</summary>
public class M1AnnexBTests
{
    private const string Milestone = "M1 Annex B and AVCC";

    // Written by hand from Annex B: a 4-byte start code, an SPS-ish unit, a 3-byte start code, two
    // trailing_zero_8bits, a 4-byte start code, a unit, and trailing zeros at the end of the stream.
    private static readonly byte[] Stream =
    [
        0x00, 0x00, 0x00, 0x01, 0x67, 0x42, 0xC0, 0x1E,        // offset 0: 4-byte start code, 67 42 c0 1e
        0x00, 0x00, 0x01, 0x68, 0xCE, 0x3C, 0x80,              // offset 8: 3-byte start code, 68 ce 3c 80
        0x00, 0x00,                                            // trailing_zero_8bits
        0x00, 0x00, 0x00, 0x01, 0x65, 0x88, 0x84, 0x00, 0x03, 0x01, // offset 17: 4-byte start code (its zero_byte at 17)
        0x00, 0x00,                                            // trailing zeros at the end
    ];

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Plain_loop_finds_start_codes()
    {
        Assert.True(AnnexB.FindStartCodeSimple(Stream, 0) == 1, $"The first 00 00 01 in 00 00 00 01 … starts at offset 1; got {AnnexB.FindStartCodeSimple(Stream, 0)}. See README §Annex B.");
        Assert.True(AnnexB.FindStartCodeSimple(Stream, 2) == 8, $"From offset 2 the next 00 00 01 is at 8; got {AnnexB.FindStartCodeSimple(Stream, 2)}. See README §Annex B.");
        Assert.True(AnnexB.FindStartCodeSimple(Stream, 21) == -1, $"No start code after offset 21: expected -1, got {AnnexB.FindStartCodeSimple(Stream, 21)}. See README §Annex B.");
        Assert.True(AnnexB.FindStartCodeSimple([0x00, 0x00], 0) == -1, "Two zero bytes hold no start code: expected -1. See README §Annex B.");
        Assert.True(AnnexB.FindStartCodeSimple([0x07, 0x00, 0x00, 0x01], 0) == 1, "00 00 01 as the stream's last three bytes is at offset 1. See README §Annex B.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Split_finds_each_unit_with_its_start_code_and_no_trailing_zeros()
    {
        var units = AnnexB.Split(Stream);

        Assert.True(units.Count == 3, $"The stream holds 3 NAL units; Split found {units.Count}. See README §Annex B.");
        (long offset, int length, string hex)[] expected = [(0, 4, "6742c01e"), (8, 3, "68ce3c80"), (17, 4, "658884000301")];
        for (int i = 0; i < 3; i++)
        {
            Assert.True(units[i].StartCodeOffset == expected[i].offset, $"NAL {i}: the start code is at offset {expected[i].offset}; got {units[i].StartCodeOffset}. See README §Annex B.");
            Assert.True(units[i].StartCodeLength == expected[i].length, $"NAL {i}: a {expected[i].length}-byte start code; got {units[i].StartCodeLength}. A 00 just before 00 00 01 is the zero_byte of a 4-byte start code (§B.1.1). See README §Annex B.");
            Assert.True(Bits.Hex(units[i].Bytes.Span) == expected[i].hex, $"NAL {i}: expected bytes {expected[i].hex}, got {Bits.Hex(units[i].Bytes.Span)}. trailing_zero_8bits belong to no NAL unit (§B.2). See README §Annex B.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Split_skips_leading_zero_bytes_and_accepts_an_empty_stream()
    {
        var units = AnnexB.Split(new byte[] { 0, 0, 0, 0, 0, 0, 1, 0x09, 0xF0 });
        Assert.True(units.Count == 1 && Bits.Hex(units[0].Bytes.Span) == "09f0",
            $"leading_zero_8bits then 00 00 00 01 09 f0 is one NAL unit 09 f0; got {units.Count} unit(s). See README §Annex B.");
        Assert.True(units[0].StartCodeOffset == 3 && units[0].StartCodeLength == 4, $"Its start code is the 4 bytes at offset 3; got {units[0].StartCodeLength} at {units[0].StartCodeOffset}. See README §Annex B.");
        Assert.True(AnnexB.Split(Array.Empty<byte>()).Count == 0, "An empty stream holds no NAL units. See README §Annex B.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Split_rejects_bytes_before_the_first_start_code_with_their_offset()
    {
        var format = Expect.FormatError(() => AnnexB.Split(new byte[] { 0, 0, 0x42, 0, 0, 1, 0x09, 0xF0 }), "the junk byte 0x42 before the first start code", "§Annex B");
        Assert.True(format.BitOffset == 16, $"The junk byte 0x42 is at byte 2, bit offset 16; the exception says {format.BitOffset}. See README §Annex B.");
    }

    [Theory]
    [MemberData(nameof(AllStreams))]
    [Trait("Milestone", Milestone)]
    public void Split_finds_the_NAL_units_ffmpeg_finds(string name)
    {
        var units = AnnexB.Split(Oracle.Bytes(name));
        var expected = Oracle.TraceOf(name).Packets.SelectMany(p => p.Nals).ToList();

        Assert.True(units.Count == expected.Count, $"{name}.h264: trace_headers saw {expected.Count} NAL units; Split found {units.Count}. See README §Annex B.");
        for (int i = 0; i < units.Count; i++)
        {
            int header = units[i].Bytes.Span[0];
            Assert.True((header & 0x1F) == expected[i].Type && (header >> 5) == expected[i].RefIdc,
                $"{name}.h264 NAL #{i}: ffmpeg saw type {expected[i].Type}, nal_ref_idc {expected[i].RefIdc}; your unit starts with 0x{header:x2}. See README §Annex B.");
        }

        long covered = units.Sum(u => u.StartCodeLength + u.Bytes.Length);
        Assert.True(covered == new FileInfo(Oracle.PathOf(name)).Length, $"{name}.h264 has no padding: start codes + NAL units must cover all {new FileInfo(Oracle.PathOf(name)).Length} bytes; yours cover {covered}. See README §Annex B.");
    }

    public static TheoryData<string> AllStreams() => [.. Oracle.Streams];

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Vectorised_search_agrees_with_the_plain_loop_everywhere()
    {
        var data = Oracle.Bytes("slices");
        // Every 00 00 01 of the file, found here byte by byte from the definition (§B.2), as the oracle for both searches.
        var expected = new List<int>();
        for (int i = 0; i + 2 < data.Length; i++)
        {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1)
            {
                expected.Add(i);
            }
        }

        int plain = -1, fast = -1;
        foreach (int at in expected.Append(-1))
        {
            int from = plain + 1;
            plain = AnnexB.FindStartCodeSimple(data, from);
            fast = AnnexB.FindStartCode(data, fast + 1);
            Assert.True(plain == at, $"slices.h264: from offset {from} the next 00 00 01 is at {at}; your plain loop says {plain}. See README §Annex B.");
            Assert.True(fast == at, $"slices.h264: from offset {from} the next 00 00 01 is at {at}; the vectorised search says {fast}. See README §Annex B.");
        }

        Assert.True(AnnexB.FindStartCode(Stream, 2) == 8 && AnnexB.FindStartCode(Stream, 100) == -1, "FindStartCode(Stream, 2) is 8; from past the end it is -1. See README §Annex B.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void ToAvcc_writes_big_endian_lengths()
    {
        var avcc = AnnexB.ToAvcc(Stream);
        HexDiff.AssertEqual(Convert.FromHexString("000000046742C01E0000000468CE3C8000000006658884000301"), avcc,
            "AVCC with 4-byte lengths (00 00 00 04 67 42 c0 1e …)", "README §AVCC");

        var two = AnnexB.ToAvcc(Stream, lengthSize: 2);
        HexDiff.AssertEqual(Convert.FromHexString("00046742C01E000468CE3C800006658884000301"), two, "AVCC with 2-byte lengths", "README §AVCC");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void FromAvcc_writes_4_byte_start_codes()
    {
        var annexB = AnnexB.FromAvcc(Convert.FromHexString("000000046742C01E0000000468CE3C80"));
        HexDiff.AssertEqual(Convert.FromHexString("000000016742C01E0000000168CE3C80"), annexB, "Annex B from AVCC", "README §AVCC");
        HexDiff.AssertEqual(Convert.FromHexString("0000000109F0"), AnnexB.FromAvcc(Convert.FromHexString("0209F0"), lengthSize: 1), "Annex B from 1-byte-length AVCC", "README §AVCC");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void FromAvcc_rejects_a_length_past_the_end_with_its_offset()
    {
        // the second length (at byte 8) says 0x10 bytes, 2 remain
        var format = Expect.FormatError(() => AnnexB.FromAvcc(Convert.FromHexString("000000046742C01E000000106801")), "AVCC whose second length (at byte 8) says 16 bytes with 2 left", "§AVCC");
        Assert.True(format.BitOffset == 64 && format.NalIndex == 1, $"The bad length is NAL #1's, at byte 8 (bit 64); the exception says NAL #{format.NalIndex}, bit {format.BitOffset}. See README §AVCC.");

        var cut = Expect.FormatError(() => AnnexB.FromAvcc(Convert.FromHexString("00000001090000")), "AVCC whose length field is cut short at byte 5", "§AVCC");
        Assert.True(cut.BitOffset == 40, $"A length field cut short at byte 5 (bit 40); the exception says bit {cut.BitOffset}. See README §AVCC.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void AVCC_round_trip_keeps_every_NAL_unit_of_a_real_stream()
    {
        var original = AnnexB.Split(Oracle.Bytes("main-b"));
        var back = AnnexB.Split(AnnexB.FromAvcc(AnnexB.ToAvcc(Oracle.Bytes("main-b"))));

        Assert.True(original.Count == back.Count, $"main-b.h264 → AVCC → Annex B: {original.Count} NAL units became {back.Count}. See README §AVCC.");
        for (int i = 0; i < original.Count; i++)
        {
            HexDiff.AssertEqual(original[i].Bytes.Span, back[i].Bytes.Span, $"NAL #{i} after the round trip", "README §AVCC");
            Assert.True(back[i].StartCodeLength == 4, "FromAvcc writes 4-byte start codes. See README §AVCC.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Split_takes_a_3_byte_start_code_at_offset_0()
    {
        // 00 00 01 as the stream's first bytes: nothing before it, so no zero_byte — a 3-byte start code (§B.1.1).
        var units = AnnexB.Split(new byte[] { 0x00, 0x00, 0x01, 0x09, 0xF0, 0x00, 0x00, 0x00, 0x01, 0x67, 0x42 });
        Assert.True(units.Count == 2, $"00 00 01 09 f0 00 00 00 01 67 42 holds 2 NAL units; Split found {units.Count}. See README §Annex B.");
        Assert.True(units[0].StartCodeOffset == 0 && units[0].StartCodeLength == 3 && Bits.Hex(units[0].Bytes.Span) == "09f0",
            $"The stream starts with the 3-byte start code 00 00 01 at offset 0 and the unit 09 f0; you have a {units[0].StartCodeLength}-byte start code at {units[0].StartCodeOffset} and {Bits.Hex(units[0].Bytes.Span)}. See README §Annex B.");
        Assert.True(units[1].StartCodeOffset == 5 && units[1].StartCodeLength == 4 && Bits.Hex(units[1].Bytes.Span) == "6742",
            $"Then 00 00 00 01 at offset 5 (4 bytes) and 67 42; you have a {units[1].StartCodeLength}-byte start code at {units[1].StartCodeOffset} and {Bits.Hex(units[1].Bytes.Span)}. See README §Annex B.");
    }

    private static byte[] OneNal(int nalLength) => [0, 0, 0, 1, 0x09, .. Enumerable.Repeat((byte)0xAB, nalLength - 1)];

    [Theory]
    [InlineData(1, 255)]
    [InlineData(2, 65535)]
    [Trait("Milestone", Milestone)]
    public void ToAvcc_refuses_a_NAL_unit_too_long_for_its_length_field(int lengthSize, int longest)
    {
        var fits = AnnexB.ToAvcc(OneNal(longest), lengthSize);
        Assert.True(fits.Length == lengthSize + longest && fits.AsSpan(0, lengthSize).IndexOfAnyExcept((byte)0xFF) < 0,
            $"A {longest}-byte NAL unit fits a {lengthSize}-byte length: expected {lengthSize} bytes ff then the unit ({lengthSize + longest} bytes); got {fits.Length} bytes starting {Bits.Hex(fits.AsSpan(0, Math.Min(fits.Length, 4)))}. See README §AVCC.");
        var error = Record.Exception(() => AnnexB.ToAvcc(OneNal(longest + 1), lengthSize));
        Assert.True(error is ArgumentException,
            $"A {longest + 1}-byte NAL unit does not fit a {lengthSize}-byte length (at most {longest}): expected an ArgumentException, not a cut length; got {(error is null ? "no exception" : error.GetType().Name)}. See README §AVCC.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void AVCC_lengths_are_1_2_or_4_bytes()
    {
        foreach (int size in new[] { 0, 3, 8 })
        {
            var to = Record.Exception(() => AnnexB.ToAvcc(Stream, size));
            var from = Record.Exception(() => AnnexB.FromAvcc(Convert.FromHexString("0000000209F0"), size));
            Assert.True(to is ArgumentException && from is ArgumentException,
                $"lengthSize {size}: AVCC lengths are 1, 2 or 4 bytes, so ToAvcc and FromAvcc must throw an ArgumentException; got {to?.GetType().Name ?? "nothing"} and {from?.GetType().Name ?? "nothing"}. See README §AVCC.");
        }

        HexDiff.AssertEqual(Convert.FromHexString("0000000109F0000000016742"), AnnexB.FromAvcc(Convert.FromHexString("000209F000026742"), lengthSize: 2), "Annex B from 2-byte-length AVCC", "README §AVCC");
    }
}
