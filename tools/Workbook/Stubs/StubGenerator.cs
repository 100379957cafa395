using System.Text;
using System.Text.RegularExpressions;

namespace Workbook.Stubs;

/// <summary>
/// Turns a reference solution into the learner's starting point. Solutions are the single source:
/// <c>#region lab M2: what to do</c> … <c>#endregion</c> becomes
/// <c>throw new NotImplementedException("Lab 01 · M2: what to do");</c> and
/// <c>#region lab-remove</c> … <c>#endregion</c> disappears. See docs/AUTHORING.md.
/// </summary>
public static partial class StubGenerator
{
    [GeneratedRegex(@"^(?<indent>\s*)#region\s+lab\s+(?<milestone>M\d+)\s*:\s*(?<text>.+?)\s*$")]
    private static partial Regex LabRegion();

    [GeneratedRegex(@"^\s*#region\s+lab-remove\b")]
    private static partial Regex RemoveRegion();

    [GeneratedRegex(@"^\s*#region\b")]
    private static partial Regex AnyRegion();

    [GeneratedRegex(@"^\s*#endregion\b")]
    private static partial Regex EndRegion();

    [GeneratedRegex(@"^\s*#region\s+lab\b(?!-remove)")]
    private static partial Regex LooseLabRegion();

    /// <summary>The stub text for one solution file.</summary>
    /// <param name="labId">"01", for the message.</param>
    /// <param name="source">The solution file's text.</param>
    /// <param name="fileName">For error messages.</param>
    public static string Transform(string labId, string source, string fileName)
    {
        string newline = source.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = source.Split('\n');
        var output = new StringBuilder(source.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            var lab = LabRegion().Match(line);
            if (lab.Success)
            {
                int end = FindEnd(lines, i, fileName);
                string message = $"Lab {labId} · {lab.Groups["milestone"].Value}: {lab.Groups["text"].Value}";
                output.Append(lab.Groups["indent"].Value)
                    .Append("throw new NotImplementedException(")
                    .Append(Literal(message))
                    .Append(");")
                    .Append(newline);
                i = end;
                continue;
            }

            if (LooseLabRegion().IsMatch(line))
            {
                throw new WorkbookException($"{fileName}:{i + 1}: a lab region needs a milestone and an instruction: `#region lab M1: what to do`.");
            }

            if (RemoveRegion().IsMatch(line))
            {
                i = FindEnd(lines, i, fileName);
                if (i + 1 < lines.Length && lines[i + 1].Trim().Length == 0 && output.Length > 0 && EndsWithBlankLine(output))
                {
                    i++; // do not leave two blank lines where the block was
                }

                if (i + 1 < lines.Length && lines[i + 1].TrimStart().StartsWith('}') && EndsWithBlankLine(output))
                {
                    output.Length -= newline.Length; // nor a blank line before the closing brace
                }

                continue;
            }

            output.Append(line);
            if (i < lines.Length - 1)
            {
                output.Append(newline);
            }
        }

        return output.ToString();
    }

    /// <summary>The solution as a learner reads it: the lab markers (and their #endregion) removed, their contents kept.</summary>
    public static string StripMarkers(string source)
    {
        var lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var output = new List<string>(lines.Length);
        var stack = new Stack<bool>(); // for each open #region: is it a lab marker?
        foreach (var line in lines)
        {
            if (AnyRegion().IsMatch(line))
            {
                bool marker = LooseLabRegion().IsMatch(line) || RemoveRegion().IsMatch(line);
                stack.Push(marker);
                if (marker)
                {
                    continue;
                }
            }
            else if (EndRegion().IsMatch(line) && stack.Count > 0 && stack.Pop())
            {
                continue;
            }

            output.Add(line);
        }

        return string.Join('\n', output);
    }

    /// <summary>The files a lab's src/ should hold: relative path → text.</summary>
    public static IReadOnlyDictionary<string, string> Plan(Labs.Lab lab)
    {
        var plan = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var relative in lab.SolutionFiles())
        {
            string text = File.ReadAllText(Path.Combine(lab.SolutionDirectory, relative));
            plan[relative] = relative.EndsWith(".cs", StringComparison.Ordinal)
                ? Transform(lab.Id, text, "solutions/" + lab.Manifest.Slug + "/" + relative)
                : text;
        }

        return plan;
    }

    /// <summary>Where labs/NN/src differs from what <see cref="Plan"/> says: missing, changed and extra files.</summary>
    public static IReadOnlyList<string> Drift(Labs.Lab lab)
    {
        var problems = new List<string>();
        var plan = Plan(lab);
        foreach (var (relative, text) in plan)
        {
            string path = Path.Combine(lab.SourceDirectory, relative);
            if (!File.Exists(path))
            {
                problems.Add($"labs/{lab.Manifest.Slug}/src/{relative} is missing");
            }
            else if (Normalise(File.ReadAllText(path)) != Normalise(text))
            {
                problems.Add($"labs/{lab.Manifest.Slug}/src/{relative} differs from its generated stub");
            }
        }

        foreach (var relative in lab.SourceFiles())
        {
            if (!plan.ContainsKey(relative))
            {
                problems.Add($"labs/{lab.Manifest.Slug}/src/{relative} has no counterpart in solutions/{lab.Manifest.Slug}");
            }
        }

        return problems;
    }

    /// <summary>Writes the stubs into labs/NN/src, deleting generated files the solution no longer has.</summary>
    public static IReadOnlyList<string> Write(Labs.Lab lab)
    {
        var written = new List<string>();
        var plan = Plan(lab);
        foreach (var (relative, text) in plan)
        {
            string path = Path.Combine(lab.SourceDirectory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path) || File.ReadAllText(path) != text)
            {
                File.WriteAllText(path, text);
                written.Add(relative);
            }
        }

        foreach (var relative in lab.SourceFiles().ToList())
        {
            if (!plan.ContainsKey(relative))
            {
                File.Delete(Path.Combine(lab.SourceDirectory, relative));
                written.Add(relative + " (deleted)");
            }
        }

        return written;
    }

    private static int FindEnd(string[] lines, int start, string fileName)
    {
        int depth = 0;
        for (int i = start; i < lines.Length; i++)
        {
            if (AnyRegion().IsMatch(lines[i]))
            {
                depth++;
            }
            else if (EndRegion().IsMatch(lines[i]))
            {
                depth--;
                if (depth == 0)
                {
                    return i;
                }
            }
        }

        throw new WorkbookException($"{fileName}:{start + 1}: this #region has no #endregion.");
    }

    private static bool EndsWithBlankLine(StringBuilder output)
    {
        string tail = output.Length >= 4 ? output.ToString(output.Length - 4, 4) : output.ToString();
        return tail.EndsWith("\n\n", StringComparison.Ordinal) || tail.EndsWith("\n\r\n", StringComparison.Ordinal);
    }

    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string Literal(string text)
    {
        var literal = new StringBuilder("\"");
        foreach (char c in text)
        {
            literal.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ => c.ToString(),
            });
        }

        return literal.Append('"').ToString();
    }
}
