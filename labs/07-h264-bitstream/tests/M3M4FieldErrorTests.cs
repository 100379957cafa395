namespace Lab07.H264Bitstream.Tests;

/// <summary>
/// M3 and M4: every syntax element of the suite's SPS, PPS and slice headers, broken one at a time (see
/// <see cref="FieldErrors"/>), is an error naming that element at its first bit (README §Bit reader, §Exp-Golomb).
/// </summary>
public class M3M4FieldErrorTests
{
    public static TheoryData<string> AllStreams() => [.. Oracle.Streams];

    [Theory]
    [MemberData(nameof(AllStreams))]
    [Trait("Milestone", "M3 SPS and PPS")]
    public void Each_SPS_and_PPS_field_cut_short_or_too_long_is_an_error_naming_it(string name)
    {
        var spss = new Dictionary<int, SequenceParameterSet>();
        foreach (var (index, nal, block) in FieldErrors.Units(name, 7).DistinctBy(u => Convert.ToHexString(u.Nal)))
        {
            foreach (var c in FieldErrors.Cases(nal, block))
            {
                var error = Expect.FormatError(() => SequenceParameterSet.Parse(c.Nal, index), $"{name}.h264's SPS (NAL #{index}) broken at {c.Field.Name} by {c.How}", "§SPS");
                FieldErrors.AssertAt(error, c, $"{name}.h264's SPS (NAL #{index})", "§SPS");
                Assert.True(error.NalIndex == index, $"{name}.h264's SPS is NAL #{index}; the error says NAL #{error.NalIndex}. See README §Bit reader.");
            }

            var sps = SequenceParameterSet.Parse(nal, index);
            spss[sps.SeqParameterSetId] = sps;
        }

        // The PPS up to transform_8x8_mode_flag: from there on more_rbsp_data() decides, and a cut RBSP may be a shorter valid PPS.
        foreach (var (index, nal, block) in FieldErrors.Units(name, 8).DistinctBy(u => Convert.ToHexString(u.Nal)))
        {
            foreach (var c in FieldErrors.Cases(nal, block, stopAt: "transform_8x8_mode_flag"))
            {
                var error = Expect.FormatError(() => PictureParameterSet.Parse(c.Nal, spss, index), $"{name}.h264's PPS (NAL #{index}) broken at {c.Field.Name} by {c.How}", "§PPS");
                FieldErrors.AssertAt(error, c, $"{name}.h264's PPS (NAL #{index})", "§PPS");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllStreams))]
    [Trait("Milestone", "M4 slice headers and SEI")]
    public void Each_slice_header_field_cut_short_or_too_long_is_an_error_naming_it(string name)
    {
        var spss = new Dictionary<int, SequenceParameterSet>();
        var ppss = new Dictionary<int, PictureParameterSet>();
        foreach (var u in AnnexB.Split(Oracle.Bytes(name)))
        {
            switch (u.Bytes.Span[0] & 0x1F)
            {
                case 7: var sps = SequenceParameterSet.Parse(u.Bytes.Span); spss[sps.SeqParameterSetId] = sps; break;
                case 8: var pps = PictureParameterSet.Parse(u.Bytes.Span, spss); ppss[pps.PicParameterSetId] = pps; break;
            }
        }

        int checkedCases = 0;
        foreach (var (index, nal, block) in FieldErrors.Units(name, 1, 5))
        {
            foreach (var c in FieldErrors.Cases(nal, block))
            {
                var error = Expect.FormatError(() => SliceHeader.Parse(c.Nal, spss, ppss, index), $"{name}.h264's slice (NAL #{index}) broken at {c.Field.Name} by {c.How}", "§Slice header");
                FieldErrors.AssertAt(error, c, $"{name}.h264's slice (NAL #{index})", "§Slice header");
                checkedCases++;
            }
        }

        Assert.True(checkedCases > 0, $"(test) no slice of {name}.h264 was broken.");
    }

    [Fact]
    [Trait("Milestone", "M4 slice headers and SEI")]
    public void A_NAL_unit_of_another_type_is_an_error_at_nal_unit_type()
    {
        var sps = M3ParameterSetTests.FirstNal("high", 7);
        var pps = M3ParameterSetTests.FirstNal("high", 8);
        var spss = new Dictionary<int, SequenceParameterSet> { [0] = SequenceParameterSet.Parse(sps) };
        var ppss = new Dictionary<int, PictureParameterSet> { [0] = PictureParameterSet.Parse(pps, spss) };
        foreach (var (what, act) in new (string, Action)[]
        {
            ("a PPS given to SequenceParameterSet.Parse", () => SequenceParameterSet.Parse(pps, 4)),
            ("an SPS given to PictureParameterSet.Parse", () => PictureParameterSet.Parse(sps, spss, 4)),
            ("an SPS given to SliceHeader.Parse", () => SliceHeader.Parse(sps, spss, ppss, 4)),
            ("an SPS given to SeiMessage.ParseAll", () => SeiMessage.ParseAll(sps, 4)),
        })
        {
            var error = Expect.FormatError(act, what, "§Bit reader");
            Assert.True(error.Field == "nal_unit_type" && error.BitOffset == 3 && error.NalIndex == 4,
                $"Given {what}: expected the error at nal_unit_type (bit 3) of NAL #4; got {error.Field ?? "null"} at bit {error.BitOffset}, NAL #{error.NalIndex}. See README §Bit reader.");
        }
    }
}
