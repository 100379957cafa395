namespace Workbook.Commands;

/// <summary>One line of a diff: kept (' '), removed ('-') or added ('+').</summary>
public readonly record struct DiffLine(char Kind, string Text);

/// <summary>
/// A line diff from the longest common subsequence: the simple version, O(n·m), ample for a lab's
/// files of a few hundred lines.
/// </summary>
public static class LineDiff
{
    public static IReadOnlyList<DiffLine> Compute(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        int n = before.Count, m = after.Count;
        var lcs = new int[n + 1, m + 1];
        for (int i = n - 1; i >= 0; i--)
        {
            for (int j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = before[i] == after[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var diff = new List<DiffLine>(n + m);
        int a = 0, b = 0;
        while (a < n && b < m)
        {
            if (before[a] == after[b])
            {
                diff.Add(new DiffLine(' ', before[a]));
                a++;
                b++;
            }
            else if (lcs[a + 1, b] >= lcs[a, b + 1])
            {
                diff.Add(new DiffLine('-', before[a++]));
            }
            else
            {
                diff.Add(new DiffLine('+', after[b++]));
            }
        }

        while (a < n)
        {
            diff.Add(new DiffLine('-', before[a++]));
        }

        while (b < m)
        {
            diff.Add(new DiffLine('+', after[b++]));
        }

        return diff;
    }

    /// <summary>The changed lines with <paramref name="context"/> unchanged lines around each change; "…" marks a gap.</summary>
    public static IReadOnlyList<DiffLine> WithContext(IReadOnlyList<DiffLine> diff, int context = 3)
    {
        var keep = new bool[diff.Count];
        for (int i = 0; i < diff.Count; i++)
        {
            if (diff[i].Kind != ' ')
            {
                for (int k = Math.Max(0, i - context); k <= Math.Min(diff.Count - 1, i + context); k++)
                {
                    keep[k] = true;
                }
            }
        }

        var result = new List<DiffLine>();
        for (int i = 0; i < diff.Count; i++)
        {
            if (keep[i])
            {
                result.Add(diff[i]);
            }
            else if (i == 0 || keep[i - 1])
            {
                result.Add(new DiffLine('…', "")); // one mark per run of hidden lines
            }
        }

        return result;
    }
}
