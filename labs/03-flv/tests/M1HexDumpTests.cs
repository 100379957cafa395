namespace Lab03.Flv.Tests;

/// <summary>M1: the hexdump -C layout, checked against what the real hexdump printed for the same files (make.sh).</summary>
public class M1HexDumpTests
{
    private const string Milestone = "M1 hexdump -C";

    [Theory]
    [InlineData("video.flv", "video.hexdump.txt")]
    [InlineData("audio.flv", "audio.hexdump.txt")]
    [InlineData("squeeze.bin", "squeeze.hexdump.txt")]
    [Trait("Milestone", Milestone)]
    public void A_whole_file_dumps_exactly_as_hexdump_C(string file, string oracle)
    {
        var expected = File.ReadAllText(Repo.TestData("03-flv/" + oracle));
        var actual = HexDump.Format(Clips.Bytes(file));
        AssertSameText(expected, actual, $"hexdump -C {file}");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_first_100_bytes_of_a_clip_end_with_a_padded_line_and_the_length()
    {
        var expected = File.ReadAllText(Repo.TestData("03-flv/av-100.hexdump.txt"));
        var actual = HexDump.Format(Clips.Flv("av").AsSpan(0, 100));
        AssertSameText(expected, actual, "head -c 100 av.flv | hexdump -C");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Nothing_to_dump_prints_nothing()
    {
        Assert.True(HexDump.Format([]) == "", "hexdump -C of an empty input prints nothing at all (not even the 00000000 length line). See README §HexDump.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_start_offset_shifts_the_offset_column()
    {
        var actual = HexDump.Format("FLV"u8, startOffset: 0x20);
        Assert.True(actual == "00000020  46 4c 56" + new string(' ', 42) + "|FLV|\n00000023\n",
            $"With startOffset 0x20, three bytes print at offset 00000020 and the last line is 00000023; you printed:\n{actual}See README §HexDump.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Highlighted_ranges_are_marked_and_nothing_else_changes()
    {
        var bytes = Clips.Flv("av").AsSpan(0, 32);
        var plain = HexDump.Format(bytes);
        var marked = HexDump.Format(bytes, highlight: [new HexRange(0, 3, "signature"), new HexRange(5, 4, "DataOffset")]);
        Assert.True(marked.Contains("\u001b[7m46\u001b[0m", StringComparison.Ordinal) && marked.Contains("\u001b[7m09\u001b[0m", StringComparison.Ordinal),
            "Bytes inside a highlighted range are wrapped in ESC[7m … ESC[0m (reverse video). See README §HexDump.");
        var stripped = marked.Replace("\u001b[7m", "", StringComparison.Ordinal).Replace("\u001b[0m", "", StringComparison.Ordinal);
        AssertSameText(plain, stripped, "the highlighted dump without its escape codes");
        Assert.True(marked.Split("\u001b[7m").Length - 1 == 7, "Exactly the 3 + 4 highlighted bytes are marked. See README §HexDump.");
    }

    private static void AssertSameText(string expected, string actual, string what)
    {
        if (expected == actual)
        {
            return;
        }

        var e = expected.Split('\n');
        var a = actual.Split('\n');
        int line = 0;
        while (line < Math.Min(e.Length, a.Length) && e[line] == a[line])
        {
            line++;
        }

        Assert.Fail($"{what}: line {line + 1} differs.\n  hexdump -C: \"{(line < e.Length ? e[line] : "(no more lines)")}\"\n  yours:      \"{(line < a.Length ? a[line] : "(no more lines)")}\"\nSee README §HexDump.");
    }
}
