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
        var marked = HexDump.Format(bytes, highlight: [new HexRange(0, 3, "signature"), new HexRange(5, 4, "DataOffset"), new HexRange(30, 1, "second line")]);
        var (stripped, reversed) = StripEscapes(marked);
        AssertSameText(plain, stripped, "the highlighted dump without its escape codes");

        // README §HexDump: a chosen byte is shown in reverse video (both of its hex digits); no other byte is.
        // One escape per byte or one per run, the ASCII column marked too or not: all are fine.
        int[] expected = [0, 1, 2, 5, 6, 7, 8, 30];
        var found = new List<int>();
        var half = new List<int>();
        var lines = stripped.Split('\n');
        int lineStart = 0;
        for (int line = 0; line < 2; line++)
        {
            for (int i = 0; i < 16; i++)
            {
                int column = 10 + 3 * i + (i >= 8 ? 1 : 0); // hexdump -C: offset, two spaces, "xx " groups of eight with one extra space
                bool high = reversed[lineStart + column], low = reversed[lineStart + column + 1];
                if (high && low)
                {
                    found.Add(line * 16 + i);
                }
                else if (high || low)
                {
                    half.Add(line * 16 + i);
                }
            }

            int bar = lines[line].IndexOf('|', StringComparison.Ordinal);
            for (int i = 0; i < 16; i++)
            {
                if (reversed[lineStart + bar + 1 + i] && !expected.Contains(line * 16 + i))
                {
                    Assert.Fail($"Byte {line * 16 + i} is not highlighted, but its ASCII character is in reverse video. See README §HexDump.");
                }
            }

            lineStart += lines[line].Length + 1;
        }

        Assert.True(found.SequenceEqual(expected) && half.Count == 0,
            $"The bytes in reverse video (ESC[7m … ESC[0m, both hex digits) must be exactly {string.Join(", ", expected)} (ranges 0+3, 5+4, 30+1); in your dump they are [{string.Join(", ", found)}]{(half.Count > 0 ? $", and only one digit of [{string.Join(", ", half)}]" : "")}. Your dump: {marked.Replace("\u001b", "ESC", StringComparison.Ordinal)}See README §HexDump.");
    }

    /// <summary>The text without its SGR escape codes, and for each character whether reverse video (ESC[7m) was on.</summary>
    private static (string Text, bool[] Reversed) StripEscapes(string marked)
    {
        var text = new System.Text.StringBuilder();
        var reversed = new List<bool>();
        bool on = false;
        foreach (var part in System.Text.RegularExpressions.Regex.Split(marked, "(\u001b\\[[0-9;]*m)"))
        {
            if (part.StartsWith('\u001b'))
            {
                var codes = part[2..^1].Split(';');
                foreach (var code in codes)
                {
                    if (code == "7")
                    {
                        on = true;
                    }
                    else if (code is "" or "0" or "27")
                    {
                        on = false;
                    }
                }

                continue;
            }

            text.Append(part);
            reversed.AddRange(Enumerable.Repeat(on, part.Length));
        }

        return (text.ToString(), [.. reversed]);
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
