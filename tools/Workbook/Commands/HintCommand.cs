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
        else
        {
            var progress = Progress.Of(lab, new LabRunner(repository));
            milestone = progress.FirstOrDefault(p => p.State != MilestoneState.Passed)?.Milestone ?? lab.Manifest.Milestones[0];
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
            AnsiConsole.WriteLine(Reflow(Rest(list[i])));
            AnsiConsole.WriteLine();
        }

        AnsiConsole.MarkupLine(shown < list.Count
            ? $"[grey]Hint {shown} of {list.Count}. Run the same command again for the next one.[/]"
            : $"[grey]That was the last hint for {Markup.Escape(milestone.Id)}. The handout: labs/{Markup.Escape(lab.Manifest.Slug)}/README.md. Start over with --reset.[/]");
        return 0;
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
