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
        var tools = await Prerequisites.CheckAsync(labs, cancellationToken);
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
        int columns = labs.Count == 0 ? 0 : labs.Max(l => l.Manifest.Milestones.Count);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Lab").AddColumn("Topic");
        for (int i = 1; i <= columns; i++)
        {
            table.AddColumn(new TableColumn("M" + i).Centered());
        }

        table.AddColumn(new TableColumn("Points").RightAligned());
        (Lab Lab, MilestoneProgress Step)? next = null;
        foreach (var lab in labs)
        {
            var progress = Progress.Of(lab, runner);
            var cells = new List<string>
            {
                lab.Manifest.Id,
                Markup.Escape(ShortTitle(lab.Manifest.Title)) + (lab.Manifest.TitleZh is null ? "" : $"\n[grey]{Markup.Escape(lab.Manifest.TitleZh)}[/]"),
            };
            cells.AddRange(progress.Select(Cell));
            cells.AddRange(Enumerable.Repeat("", columns - progress.Count));
            int earned = progress.Where(p => p.State == MilestoneState.Passed).Sum(p => p.Milestone.Points);
            int total = progress.Where(p => !p.Milestone.Stretch).Sum(p => p.Milestone.Points);
            cells.Add($"{earned}/{total}");
            table.AddRow(cells.ToArray());
            var open = progress.FirstOrDefault(p => p.State != MilestoneState.Passed);
            if (next is null && open is not null)
            {
                next = (lab, open);
            }
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]✔ passed   ✘ failing (passed/total)   ○ not started   ? changed since the last check   ★ stretch[/]");
        AnsiConsole.WriteLine();
        if (next is { } step)
        {
            var (lab, milestone) = step;
            string verb = milestone.State == MilestoneState.NotStarted ? "Start" : "Continue";
            AnsiConsole.MarkupLine($"[bold]Next:[/] {verb} {Markup.Escape(lab.Name)} · {Markup.Escape(milestone.Milestone.Id)} {Markup.Escape(milestone.Milestone.Title)}");
            if (lab.Manifest.Notebook is { } notebook && File.Exists(Path.Combine(repository.Root, notebook)))
            {
                AnsiConsole.MarkupLine($"  read   [blue]{Markup.Escape(notebook)}[/]");
            }

            AnsiConsole.MarkupLine($"  read   [blue]labs/{Markup.Escape(lab.Manifest.Slug)}/README.md[/]");
            AnsiConsole.MarkupLine($"  edit   [blue]labs/{Markup.Escape(lab.Manifest.Slug)}/src/[/]");
            AnsiConsole.MarkupLine($"  run    [bold]{Markup.Escape(Ui.Command("check " + lab.Id))}[/]   (or [bold]watch {lab.Id}[/], and [bold]hint {lab.Id}[/] when stuck)");
        }
        else if (labs.Count > 0)
        {
            AnsiConsole.MarkupLine("[green]Every milestone passes.[/] Compare with the reference: " + Markup.Escape(Ui.Command("compare NN")));
        }

        return 0;
    }

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
        MilestoneState.Passed => $"[green]✔[/] {progress.Passed}/{progress.Total}",
        MilestoneState.Failing => $"[red]✘[/] {progress.Passed}/{progress.Total}",
        MilestoneState.NotChecked => "[yellow]?[/]",
        _ => "[grey]○[/]",
    } + (progress.Milestone.Stretch ? " [grey]★[/]" : "");
}
