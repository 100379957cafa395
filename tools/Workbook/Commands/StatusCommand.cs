using Spectre.Console;
using Workbook.Labs;
using Workbook.Running;
using Workbook.Setup;

namespace Workbook.Commands;

/// <summary>The workbook's main job: the set-up state and a board of every lab × milestone.</summary>
public static class StatusCommand
{
    public static async Task<int> RunAsync(Repository repository, CancellationToken cancellationToken)
    {
        var labs = repository.Labs();
        AnsiConsole.Write(new Rule("[bold]Streaming-media workbook[/] [grey]· 流媒体[/]").LeftJustified());
        var tools = await Prerequisites.CheckAsync(labs, repository.Root, cancellationToken);
        AnsiConsole.MarkupLine("[bold]Set-up[/]  " + string.Join("   ", tools.Select(Badge)));
        var missing = tools.Where(t => t.Required && !t.Ok).ToList();
        if (missing.Count > 0)
        {
            AnsiConsole.MarkupLine($"[yellow]Missing:[/] {Markup.Escape(string.Join(", ", missing.Select(t => t.Name)))} — run [bold]{Markup.Escape(Ui.Command("setup --yes"))}[/] to install.");
        }

        if (Warning(tools) is { } warning)
        {
            AnsiConsole.MarkupLine(warning);
        }

        AnsiConsole.WriteLine();
        var runner = new LabRunner(repository);
        var progress = labs.Select(l => Progress.Of(l, runner)).ToList();
        var activity = labs.Select(l => Progress.LastActivity(l, runner)).ToList();
        int? recent = activity.Any(a => a is not null) ? activity.IndexOf(activity.Max()) : null;
        Board(AnsiConsole.Console, repository, labs, progress, recent);
        return 0;
    }

    /// <summary>The board: a row per lab, a cell per milestone, then the learner's next step.</summary>
    internal static void Board(IAnsiConsole console, Repository repository, IReadOnlyList<Lab> labs, IReadOnlyList<IReadOnlyList<MilestoneProgress>> progress, int? recent)
    {
        int columns = labs.Count == 0 ? 0 : labs.Max(l => l.Manifest.Milestones.Count);

        // The topic column is as wide as its longest word (a Chinese name counts its phrases as words, two cells a
        // character), and never wraps on its own: the names are broken between phrases here, never inside one.
        int topicWidth = labs.Count == 0 ? 5 : labs.Max(l => Math.Max(CellWidth(ShortTitle(l.Manifest.Title)),
            Phrases(l.Manifest.TitleZh ?? "").Select(p => CellWidth(p.Trim())).DefaultIfEmpty(0).Max()));
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Lab").AddColumn(new TableColumn("Topic").Width(topicWidth).NoWrap());
        for (int i = 1; i <= columns; i++)
        {
            table.AddColumn(new TableColumn("M" + i).Centered());
        }

        table.AddColumn(new TableColumn("Points").RightAligned());
        for (int l = 0; l < labs.Count; l++)
        {
            var lab = labs[l];
            var cells = new List<string>
            {
                lab.Manifest.Id,
                Markup.Escape(ShortTitle(lab.Manifest.Title)) + (lab.Manifest.TitleZh is null ? "" : $"\n[grey]{Markup.Escape(string.Join('\n', Wrap(lab.Manifest.TitleZh, topicWidth)))}[/]"),
            };
            cells.AddRange(progress[l].Select(Cell));
            cells.AddRange(Enumerable.Repeat("", columns - progress[l].Count));
            int earned = progress[l].Where(p => p.State == MilestoneState.Passed).Sum(p => p.Milestone.Points);
            int total = progress[l].Where(p => !p.Milestone.Stretch).Sum(p => p.Milestone.Points);
            cells.Add($"{earned}/{total}");
            table.AddRow(cells.ToArray());
        }

        console.Write(table);
        bool borrowed = progress.Any(p => p.Any(m => m.OnSolutions));
        console.MarkupLine("[grey]✔ passed   ✘ failing (passed/total)   ○ not started   ? changed since the last check   ★ stretch[/]" +
            (borrowed ? "\n[grey]† passed only on the reference versions of earlier labs (check NN --depend-on-solutions)[/]" : ""));
        console.WriteLine();
        if (Next(progress, recent) is var (index, milestone))
        {
            var lab = labs[index];
            string verb = milestone.State == MilestoneState.NotStarted ? "Start" : "Continue";
            console.MarkupLine($"[bold]Next:[/] {verb} {Markup.Escape(lab.Name)} · {Markup.Escape(milestone.Milestone.Id)} {Markup.Escape(milestone.Milestone.Title)}");
            if (lab.Manifest.Notebook is { } notebook && File.Exists(Path.Combine(repository.Root, notebook)))
            {
                console.MarkupLine($"  read   [blue]{Markup.Escape(notebook)}[/]");
            }

            console.MarkupLine($"  read   [blue]labs/{Markup.Escape(lab.Manifest.Slug)}/README.md[/]");
            console.MarkupLine($"  edit   [blue]labs/{Markup.Escape(lab.Manifest.Slug)}/src/[/]");
            console.MarkupLine($"  run    [bold]{Markup.Escape(Ui.Command("check " + lab.Id))}[/]   (or [bold]watch {lab.Id}[/], and [bold]hint {lab.Id}[/] when stuck)");
        }
        else if (labs.Count > 0)
        {
            console.MarkupLine("[green]Every milestone passes.[/] Compare with the reference: " + Markup.Escape(Ui.Command("compare NN")));
        }
    }

    /// <summary>
    /// The learner's next step: the first open required milestone of the lab they worked on last (<paramref name="recent"/>),
    /// else of the labs after it, else of any lab; stretch milestones come after every required one.
    /// </summary>
    internal static (int Lab, MilestoneProgress Milestone)? Next(IReadOnlyList<IReadOnlyList<MilestoneProgress>> labs, int? recent)
    {
        int start = recent ?? 0;
        var order = Enumerable.Range(start, labs.Count - start).Concat(Enumerable.Range(0, start)).ToList();
        foreach (bool stretch in new[] { false, true })
        {
            foreach (int l in order)
            {
                var open = labs[l].FirstOrDefault(p => p.Milestone.Stretch == stretch && p.State != MilestoneState.Passed);
                if (open is not null)
                {
                    return (l, open);
                }
            }
        }

        return null;
    }

    /// <summary>A Chinese name cut into the phrases a line may break between: at spaces, after 、：，and before （.</summary>
    internal static IReadOnlyList<string> Phrases(string text)
    {
        var phrases = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (char c in text)
        {
            if (c == '（' && current.Length > 0)
            {
                phrases.Add(current.ToString());
                current.Clear();
            }

            current.Append(c);
            if (c is ' ' or '、' or '：' or '，')
            {
                phrases.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            phrases.Add(current.ToString());
        }

        return phrases;
    }

    /// <summary>Lines of at most <paramref name="width"/> terminal cells, broken only between phrases.</summary>
    internal static IReadOnlyList<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        string line = "";
        foreach (string phrase in Phrases(text))
        {
            if (line.Length > 0 && CellWidth((line + phrase).TrimEnd()) > width)
            {
                lines.Add(line.TrimEnd());
                line = "";
            }

            line += phrase;
        }

        if (line.Trim().Length > 0)
        {
            lines.Add(line.TrimEnd());
        }

        return lines;
    }

    /// <summary>How many terminal cells a text takes: two for an East Asian wide character, one for the others.</summary>
    internal static int CellWidth(string text) => text.Sum(c => c is >= '\u1100' and <= '\u115F' or >= '\u2E80' and <= '\uA4CF' or >= '\uAC00' and <= '\uD7A3'
        or >= '\uF900' and <= '\uFAFF' or >= '\uFE30' and <= '\uFE4F' or >= '\uFF00' and <= '\uFF60' or >= '\uFFE0' and <= '\uFFE6' ? 2 : 1);

    /// <summary>The board's topic: a lab's title up to its first colon or comma ("FLV", "RTMP chunk stream").</summary>
    internal static string ShortTitle(string title)
    {
        int cut = title.IndexOfAny([':', ',']);
        return cut > 0 ? title[..cut] : title;
    }

    /// <summary>
    /// The board's line for what the notebooks want but no lab needs (Jupyter, the kernel, a CJK font): a warning
    /// that `workbook run NN --html` works without them; null when nothing is missing.
    /// </summary>
    internal static string? Warning(IReadOnlyList<Prerequisite> tools)
    {
        var wanted = tools.Where(t => t.Recommended && !t.Ok).ToList();
        if (wanted.Count == 0)
        {
            return null;
        }

        string what = string.Join("; ", wanted.Select(t => t.Name + (t.Problem is null ? "" : $" ({t.Problem})")));
        return $"[yellow]! Recommended:[/] {Markup.Escape(what)} — [bold]{Markup.Escape(Ui.Command("setup --yes"))}[/] installs them "
               + $"(Jupyter and the kernel open the notebooks in Jupyter / VS Code; [bold]{Markup.Escape(Ui.Command("run NN --html out"))}[/] works without either).";
    }

    internal static string Badge(Prerequisite tool)
    {
        string version = tool.Version is null || tool.Version == "found" ? "" : " " + tool.Version;
        if (tool.Ok)
        {
            return $"[green]✔[/] {Markup.Escape(tool.Name + version)}";
        }

        if (tool.Recommended)
        {
            return $"[yellow]! {Markup.Escape(tool.Name)}[/]";
        }

        return tool.Required
            ? $"[red]✘ {Markup.Escape(tool.Name)}[/]{Markup.Escape(tool.Path is null ? "" : version + " (too old)")}"
            : $"[grey]○ {Markup.Escape(tool.Name)} (later labs)[/]";
    }

    private static string Cell(MilestoneProgress progress) => progress.State switch
    {
        MilestoneState.Passed => $"[green]✔[/] {progress.Passed}/{progress.Total}" + (progress.OnSolutions ? "[grey]†[/]" : ""),
        MilestoneState.Failing => $"[red]✘[/] {progress.Passed}/{progress.Total}",
        MilestoneState.NotChecked => "[yellow]?[/]",
        _ => "[grey]○[/]",
    } + (progress.Milestone.Stretch ? " [grey]★[/]" : "");
}
