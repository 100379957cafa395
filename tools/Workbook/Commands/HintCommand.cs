using Spectre.Console;
using Workbook.Labs;
using Workbook.Running;

namespace Workbook.Commands;

/// <summary>Shows the next hint for the first milestone that does not pass yet (or the one asked for).</summary>
public static class HintCommand
{
    public static int Run(Repository repository, string labName, string? milestoneName, bool reset)
    {
        var lab = repository.Find(labName);
        if (!File.Exists(lab.HintsFile))
        {
            throw new WorkbookException($"{lab.Name} has no HINTS.md.");
        }

        var hints = Hints.Parse(File.ReadAllText(lab.HintsFile));
        Milestone milestone;
        if (milestoneName is not null)
        {
            milestone = lab.FindMilestone(milestoneName);
        }
        else if (Pick(Progress.Of(lab, new LabRunner(repository))) is { } open)
        {
            milestone = open;
        }
        else
        {
            Ui.Ok($"Every milestone of {lab.Name} passes: there is no hint left to give.");
            AnsiConsole.MarkupLine($"[grey]A milestone's hints all the same: {Markup.Escape(Ui.Command($"hint {lab.Id} M1"))}. " +
                $"The reference beside your code: {Markup.Escape(Ui.Command("compare " + lab.Id))}.[/]");
            return 0;
        }

        if (!hints.TryGetValue(milestone.Id, out var list) || list.Count == 0)
        {
            throw new WorkbookException($"HINTS.md of {lab.Name} has no hints for {milestone.Id}.");
        }

        var seen = new Hints.Seen(repository.StateDirectory);
        string key = $"{lab.Id}/{milestone.Id}";
        int shown = reset ? 1 : Math.Min(seen.Get(key) + 1, list.Count);
        seen.Set(key, shown);
        AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(lab.Name)} · {Markup.Escape(milestone.Id)} {Markup.Escape(milestone.Title)}[/]").LeftJustified());
        for (int i = 0; i < shown; i++)
        {
            AnsiConsole.MarkupLine($"[bold yellow]{Markup.Escape(FirstLine(list[i]))}[/]");
            foreach (string line in Wrap(Reflow(Rest(list[i])), Math.Max(20, AnsiConsole.Profile.Width)))
            {
                Console.Out.WriteLine(line);
            }

            AnsiConsole.WriteLine();
        }

        AnsiConsole.MarkupLine(shown < list.Count
            ? $"[grey]Hint {shown} of {list.Count}. Run the same command again for the next one.[/]"
            : $"[grey]That was the last hint for {Markup.Escape(milestone.Id)}. The handout: labs/{Markup.Escape(lab.Manifest.Slug)}/README.md. Start over with --reset.[/]");
        return 0;
    }

    /// <summary>The milestone to give hints for: the first that does not pass; null when every milestone passes.</summary>
    internal static Milestone? Pick(IReadOnlyList<MilestoneProgress> progress) =>
        progress.FirstOrDefault(p => p.State != MilestoneState.Passed)?.Milestone;

    /// <summary>
    /// Wraps reflowed hint text to <paramref name="width"/> columns between words only: an inline code span
    /// (<c>`data[i + 1] == 0`</c>) is one word with the punctuation around it, and a word longer than a line stands on a
    /// line of its own, whole. Code blocks, indented lines and tables keep their lines as written.
    /// </summary>
    internal static IEnumerable<string> Wrap(string text, int width)
    {
        bool inCode = false;
        foreach (string line in text.Split('\n'))
        {
            bool fence = line.TrimStart().StartsWith("```", StringComparison.Ordinal);
            if (fence || inCode || line.StartsWith("    ", StringComparison.Ordinal) || line.StartsWith('|') || StatusCommand.CellWidth(line) <= width)
            {
                if (fence)
                {
                    inCode = !inCode;
                }

                yield return line;
                continue;
            }

            string indent = line.TrimStart() is var trimmed && (trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed.StartsWith("* ", StringComparison.Ordinal))
                ? new string(' ', line.Length - trimmed.Length + 2) : "";
            var current = new System.Text.StringBuilder();
            foreach (string word in Words(line))
            {
                if (current.Length > 0 && StatusCommand.CellWidth(current.ToString()) + 1 + StatusCommand.CellWidth(word) > width)
                {
                    yield return current.ToString();
                    current.Clear().Append(indent);
                }

                if (current.Length > 0 && current.ToString() != indent)
                {
                    current.Append(' ');
                }

                current.Append(word);
            }

            yield return current.ToString();
        }
    }

    /// <summary>The words of a line, split at spaces outside inline code spans.</summary>
    private static IEnumerable<string> Words(string line)
    {
        var word = new System.Text.StringBuilder();
        bool inSpan = false;
        foreach (char c in line)
        {
            if (c == '`')
            {
                inSpan = !inSpan;
            }

            if (c == ' ' && !inSpan)
            {
                if (word.Length > 0)
                {
                    yield return word.ToString();
                    word.Clear();
                }

                continue;
            }

            word.Append(c);
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    /// <summary>Joins the hard-wrapped lines of each paragraph so the terminal wraps them; code blocks and lists stay as written.</summary>
    internal static string Reflow(string markdown)
    {
        var output = new System.Text.StringBuilder();
        bool inCode = false;
        string? previous = null;
        foreach (var raw in markdown.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            string line = raw.TrimEnd();
            bool fence = line.TrimStart().StartsWith("```", StringComparison.Ordinal);
            bool structural = inCode || fence || line.Length == 0 || line.StartsWith("    ", StringComparison.Ordinal) ||
                              line.TrimStart().StartsWith("- ", StringComparison.Ordinal) || line.TrimStart().StartsWith("* ", StringComparison.Ordinal) ||
                              line.StartsWith('|') || char.IsDigit(line.TrimStart().FirstOrDefault()) && line.TrimStart().Contains(". ", StringComparison.Ordinal);
            bool continues = !structural && previous is { Length: > 0 } && !previous.TrimStart().StartsWith("```", StringComparison.Ordinal) && !previous.StartsWith('|');
            if (continues)
            {
                output.Append(' ').Append(line.Trim());
            }
            else
            {
                if (output.Length > 0)
                {
                    output.Append('\n');
                }

                output.Append(line);
            }

            if (fence)
            {
                inCode = !inCode;
            }

            previous = inCode && !fence ? "```" : line;
        }

        return output.ToString();
    }

    private static string FirstLine(string hint) => hint.Split('\n', 2)[0].Trim();

    private static string Rest(string hint) => hint.Contains('\n', StringComparison.Ordinal) ? hint.Split('\n', 2)[1].Trim() : "";
}
