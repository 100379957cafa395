using Spectre.Console;
using Workbook.Labs;
using Workbook.Running;

namespace Workbook.Commands;

/// <summary>Builds and runs one lab's tests, then shows per milestone what passes and what to do next.</summary>
public static class CheckCommand
{
    /// <summary>How many failing tests are explained in full.</summary>
    private const int Explained = 4;

    public static async Task<int> RunAsync(Repository repository, string labName, string? milestoneName, bool solution, bool dependOnSolutions, CancellationToken cancellationToken)
    {
        var lab = repository.Find(labName);
        var only = milestoneName is null ? null : lab.FindMilestone(milestoneName);
        var target = solution ? Target.Solution : Target.Student;
        string whose = solution ? "the reference solution" : "your code";
        var runner = new LabRunner(repository);
        var run = await Ui.Step($"Building and testing {lab.Name} against {whose}", () => runner.RunAsync(lab, target, dependOnSolutions, cancellationToken));
        if (run.BuildError is not null)
        {
            Ui.Error($"{lab.Name} does not build yet ({whose}):");
            AnsiConsole.WriteLine(run.BuildError);
            AnsiConsole.MarkupLine("[grey]Fix the first error first; the others often follow from it.[/]");
            return 1;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("Milestone").AddColumn("Tests").AddColumn("");
        MilestoneProgress? firstOpen = null;
        foreach (var progress in Progress.Of(lab, runner).Where(p => only is null || p.Milestone.Id == only.Id))
        {
            var tests = run.Of(progress.Milestone.Id).ToList();
            int passed = tests.Count(t => t.Result == TestResultKind.Pass);
            bool done = tests.Count > 0 && passed == tests.Count;
            string state = done ? "[green]✔ passed[/]"
                : passed == 0 && tests.All(t => t.IsNotImplemented) ? "[grey]○ not started[/]"
                : "[red]✘ failing[/]";
            string title = $"{progress.Milestone.Id} {Markup.Escape(progress.Milestone.Title)}" + (progress.Milestone.Stretch ? " [grey](stretch)[/]" : "");
            table.AddRow(title, $"{passed}/{tests.Count}", state);
            if (!done && firstOpen is null)
            {
                firstOpen = progress;
            }
        }

        AnsiConsole.Write(table);
        var unassigned = run.Tests.Where(t => lab.MilestoneOf(t.MilestoneTrait) is null).ToList();
        if (unassigned.Count > 0)
        {
            Ui.Error($"{unassigned.Count} test(s) name no milestone of lab.json: {string.Join(", ", unassigned.Take(3).Select(t => t.Name))}");
        }

        if (firstOpen is null)
        {
            int count = run.Tests.Count(t => only is null || lab.MilestoneOf(t.MilestoneTrait)?.Id == only.Id);
            Ui.Ok($"All {count} tests pass{(only is null ? "" : " for " + only.Id)}. " +
                  (solution ? "" : $"Compare with the reference: {Ui.Command("compare " + lab.Id)}"));
            return unassigned.Count == 0 ? 0 : 1;
        }

        var failing = run.Of(firstOpen.Milestone.Id).Where(t => t.Result != TestResultKind.Pass).ToList();
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(firstOpen.Milestone.Id)} {Markup.Escape(firstOpen.Milestone.Title)}[/]: {failing.Count} test(s) to make pass.");
        foreach (var test in failing.Take(Explained))
        {
            AnsiConsole.MarkupLine($"[red]✘[/] [bold]{Markup.Escape(test.Method)}[/]");
            AnsiConsole.WriteLine(Indent(Trim(test.Message ?? "(no message)")));
        }

        if (failing.Count > Explained)
        {
            AnsiConsole.MarkupLine($"[grey]… and {failing.Count - Explained} more: {Markup.Escape(string.Join(", ", failing.Skip(Explained).Select(t => t.Method).Distinct()))}[/]");
        }

        AnsiConsole.WriteLine();
        var earlier = run.Tests
            .Select(t => System.Text.RegularExpressions.Regex.Match(t.Message ?? "", @"Lab (\d\d) · M\d+"))
            .Where(m => m.Success && m.Groups[1].Value != lab.Id)
            .Select(m => m.Groups[1].Value)
            .Distinct()
            .ToList();
        if (earlier.Count > 0 && !dependOnSolutions)
        {
            AnsiConsole.MarkupLine($"[yellow]Some failures come from your Lab {Markup.Escape(string.Join(", ", earlier))}, which {Markup.Escape(lab.Name)} builds on and is not finished.[/] " +
                $"Finish it, or build on the reference for now: [bold]{Markup.Escape(Ui.Command($"check {lab.Id} --depend-on-solutions"))}[/]");
        }

        AnsiConsole.MarkupLine($"Stuck? [bold]{Markup.Escape(Ui.Command("hint " + lab.Id))}[/] shows the next hint for {Markup.Escape(firstOpen.Milestone.Id)}.");
        return 1;
    }

    private static string Trim(string message)
    {
        var lines = message.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        return lines.Length <= 16 ? message.TrimEnd() : string.Join('\n', lines.Take(16)) + "\n…";
    }

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "    " + l));
}
