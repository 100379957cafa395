using System.Text;

namespace Workbook.TestKit;

/// <summary>
/// Byte comparisons that explain themselves: the first differing offset, and the bytes around it
/// as two aligned hexdump rows, so a learner sees at once which field is wrong.
/// </summary>
public static class HexDiff
{
    /// <summary>Fails with a hex diff when <paramref name="actual"/> differs from <paramref name="expected"/>.</summary>
    /// <param name="what">What the bytes are, in the learner's words ("S1").</param>
    /// <param name="seeAlso">Where to read about it ("README §Handshake").</param>
    public static void AssertEqual(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string what, string? seeAlso = null)
    {
        if (expected.SequenceEqual(actual))
        {
            return;
        }

        Xunit.Assert.Fail(Describe(expected, actual, what, seeAlso));
    }

    /// <summary>The explanation <see cref="AssertEqual"/> gives, as text.</summary>
    public static string Describe(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string what, string? seeAlso = null)
    {
        var text = new StringBuilder();
        int first = FirstDifference(expected, actual);
        if (expected.Length != actual.Length)
        {
            text.Append(what).Append(" must be ").Append(expected.Length).Append(" bytes; yours is ").Append(actual.Length).Append(" bytes.");
            if (first < Math.Min(expected.Length, actual.Length))
            {
                text.Append(" They first differ at offset ").Append(first).Append('.');
            }
        }
        else
        {
            text.Append(what).Append(" differs from the expected bytes at offset ").Append(first)
                .Append(" (0x").Append(first.ToString("x")).Append("): expected 0x").Append(expected[first].ToString("x2"))
                .Append(", got 0x").Append(actual[first].ToString("x2")).Append('.');
        }

        text.AppendLine();
        int row = Math.Max(0, first / 16 - 1) * 16;
        int end = Math.Min(Math.Max(expected.Length, actual.Length), row + 48);
        for (int offset = row; offset < end; offset += 16)
        {
            text.Append("  expected ").Append(Row(expected, offset, first)).AppendLine();
            text.Append("  actual   ").Append(Row(actual, offset, first)).AppendLine();
        }

        if (seeAlso is not null)
        {
            text.Append("See ").Append(seeAlso).Append('.');
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>The first offset where the two differ (the shorter length when one is a prefix of the other).</summary>
    public static int FirstDifference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int common = a.CommonPrefixLength(b);
        return common;
    }

    private static string Row(ReadOnlySpan<byte> bytes, int offset, int mark)
    {
        var row = new StringBuilder();
        row.Append(offset.ToString("x8")).Append(' ');
        for (int i = offset; i < offset + 16; i++)
        {
            row.Append(i == mark ? '[' : ' ');
            row.Append(i < bytes.Length ? bytes[i].ToString("x2") : "  ");
            row.Append(i == mark ? ']' : ' ');
        }

        return row.ToString().TrimEnd();
    }
}
