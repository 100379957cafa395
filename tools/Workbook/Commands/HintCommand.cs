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
            AnsiConsole.WriteLine(Rest(list[i]));
            AnsiConsole.WriteLine();
        }

        AnsiConsole.MarkupLine(shown < list.Count
            ? $"[grey]Hint {shown} of {list.Count}. Run the same command again for the next one.[/]"
            : $"[grey]That was the last hint for {Markup.Escape(milestone.Id)}. The handout: labs/{Markup.Escape(lab.Manifest.Slug)}/README.md. Start over with --reset.[/]");
        return 0;
    }

    private static string FirstLine(string hint) => hint.Split('\n', 2)[0].Trim();

    private static string Rest(string hint) => hint.Contains('\n', StringComparison.Ordinal) ? hint.Split('\n', 2)[1].Trim() : "";
}
