using System.Text.RegularExpressions;

namespace Workbook.Notebooks;

/// <summary>
/// Tells whether a notebook's committed outputs still match a fresh run: the same code cells with
/// the same number and kinds of outputs, the same MIME types, and the same text once volatile
/// things (numbers, times, random hex bytes, ids) are masked.
/// </summary>
internal static partial class OutputComparer
{
    // A hex run that is the integer part of a decimal ("71" of "71.5") is masked with its fraction, as one number.
    [GeneratedRegex(@"\b[0-9A-Fa-f]{2,}\b(?![.,:]\d)|\d+([.,:]\d+)*")]
    private static partial Regex Volatile();

    [GeneratedRegex(@"<(script|style)\b.*?</\1>|<[^>]*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Markup();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>
    /// What a reader sees of a display: its text/plain, else the text of its text/html without tags, styles and
    /// scripts (the kernel formats values as text/html only, e.g. <c>&lt;div class="dni-plaintext"&gt;&lt;pre&gt;42&lt;/pre&gt;</c>).
    /// </summary>
    public static string VisibleText(DisplayOutput display)
    {
        ArgumentNullException.ThrowIfNull(display);
        if (display.Data.TryGetValue("text/plain", out var plain))
            return plain;
        return display.Data.TryGetValue("text/html", out var html)
            // Each tag becomes a space, so that neighbouring cells stay separate words ("C1" "1537" "71.5" must not
            // read as one hex run "C1153771" that the mask keeps); runs of white space count as one.
            ? Spaces().Replace(System.Net.WebUtility.HtmlDecode(Markup().Replace(html, " ")), " ").Trim()
            : "";
    }

    public static string Mask(string text) => Volatile().Replace(text.Replace("\r\n", "\n", StringComparison.Ordinal), "#");

    /// <summary>The first difference, or null when the committed outputs match.</summary>
    public static string? FirstDifference(NotebookDocument committed, NotebookRunResult fresh)
    {
        var old = NotebookOutputs.Read(committed);
        foreach (var cell in fresh.Cells)
        {
            var before = old.GetValueOrDefault(cell.Number) ?? [];
            var now = cell.Outputs;
            if (before.Count != now.Count)
                return $"cell {cell.Number} has {before.Count} output(s) committed but {now.Count} now";
            for (var i = 0; i < now.Count; i++)
            {
                var (a, b) = (before[i], now[i]);
                if (a.OutputType != b.OutputType)
                    return $"cell {cell.Number} output {i + 1} is {a.OutputType} committed but {b.OutputType} now";
                switch (a, b)
                {
                    case (StreamOutput sa, StreamOutput sb) when sa.Name != sb.Name || Mask(sa.Text) != Mask(sb.Text):
                        return $"cell {cell.Number} output {i + 1}: the {sb.Name} text differs (committed: \"{Excerpt(sa.Text)}\", now: \"{Excerpt(sb.Text)}\")";
                    case (DisplayOutput da, DisplayOutput db):
                        var (ma, mb) = (string.Join(",", da.Data.Keys.Order()), string.Join(",", db.Data.Keys.Order()));
                        if (ma != mb)
                            return $"cell {cell.Number} output {i + 1} has {ma} committed but {mb} now";
                        var (ta, tb) = (VisibleText(da), VisibleText(db));
                        if (Mask(ta) != Mask(tb))
                            return $"cell {cell.Number} output {i + 1}: the text differs (committed: \"{Excerpt(ta)}\", now: \"{Excerpt(tb)}\")";
                        break;
                }
            }
        }
        var executed = fresh.Cells.Select(c => c.Number).ToHashSet();
        foreach (var (number, outputs) in old)
            if (!executed.Contains(number) && outputs.Count > 0)
                return $"cell {number} has committed outputs but did not run";
        foreach (var cell in fresh.Cells)
            if (committed.Cells[cell.Number - 1].Json["execution_count"] is null)
                return $"cell {cell.Number} has no execution_count committed (the notebook was saved without running it)";
        return null;
    }

    private static string Excerpt(string text)
    {
        var line = text.Trim().Split('\n')[0];
        return line.Length > 60 ? line[..60] + "…" : line;
    }
}
