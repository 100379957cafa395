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
        var run = await Ui.Step($"Building and testing {lab.Name} against {whose}",
            progress => runner.RunAsync(lab, target, dependOnSolutions, cancellationToken, progress: progress));
        return Report(AnsiConsole.Console, lab, run, only, solution, dependOnSolutions);
    }

    /// <summary>Writes what a run means for the learner: the milestone table, the first open milestone's failures, what to do next.</summary>
    public static int Report(IAnsiConsole console, Lab lab, LabRun run, Milestone? only, bool solution, bool dependOnSolutions)
    {
        string whose = solution ? "the reference solution" : "your code";
        if (run.BuildError is not null)
        {
            console.MarkupLine($"[red]✘[/] {Markup.Escape($"{lab.Name} does not build yet ({whose}):")}");
            console.WriteLine(run.BuildError);
            console.MarkupLine("[grey]Fix the first error first; the others often follow from it.[/]");
            return 1;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("Milestone").AddColumn("Tests").AddColumn("");
        Milestone? firstOpen = null;
        foreach (var milestone in lab.Manifest.Milestones.Where(m => only is null || m.Id == only.Id))
        {
            var tests = run.Of(milestone.Id).ToList();
            int passed = tests.Count(t => t.Result == TestResultKind.Pass);
            var state = Progress.StateOf(tests);
            string cell = state switch
            {
                MilestoneState.Passed => "[green]✔ passed[/]",
                MilestoneState.NotStarted => "[grey]○ not started[/]",
                _ => "[red]✘ failing[/]",
            };
            string title = $"{milestone.Id} {Markup.Escape(milestone.Title)}" + (milestone.Stretch ? " [grey](stretch)[/]" : "");
            table.AddRow(title, $"{passed}/{tests.Count}", cell);
            if (state != MilestoneState.Passed && firstOpen is null)
            {
                firstOpen = milestone;
            }
        }

        console.Write(table);
        var unassigned = run.Tests.Where(t => lab.MilestoneOf(t.MilestoneTrait) is null).ToList();
        if (unassigned.Count > 0)
        {
            console.MarkupLine($"[red]✘[/] {Markup.Escape($"{unassigned.Count} test(s) name no milestone of lab.json: {string.Join(", ", unassigned.Take(3).Select(t => t.Name))}")}");
        }

        // The lab is finished when every milestone it requires passes (stretch milestones are a bonus): only then is the
        // whole reference worth reading beside one's own code.
        bool finished = lab.Manifest.Milestones.Where(m => !m.Stretch).All(m => Progress.StateOf(run.Of(m.Id).ToList()) == MilestoneState.Passed);
        string compare = $"Compare your code with the reference: [bold]{Markup.Escape(Ui.Command("compare " + lab.Id))}[/]";
        if (firstOpen is null)
        {
            int count = run.Tests.Count(t => only is null || lab.MilestoneOf(t.MilestoneTrait)?.Id == only.Id);
            console.MarkupLine($"[green]✔[/] {Markup.Escape($"All {count} tests pass{(only is null ? "" : " for " + only.Id)}.")}");
            if (!solution)
            {
                console.MarkupLine(finished
                    ? $"{Markup.Escape(lab.Name)}'s required milestones all pass. {compare}"
                    : $"Next: [bold]{Markup.Escape(Ui.Command("check " + lab.Id))}[/] shows the milestone to take on next.");
            }

            return unassigned.Count == 0 ? 0 : 1;
        }

        var failing = run.Of(firstOpen.Id).Where(t => t.Result != TestResultKind.Pass).ToList();
        var groups = Failures(run.Of(firstOpen.Id).ToList());
        console.WriteLine();
        console.MarkupLine($"[bold]{Markup.Escape(firstOpen.Id)} {Markup.Escape(firstOpen.Title)}[/]: " +
            Markup.Escape(groups.Count == failing.Count ? $"{failing.Count} test(s) to make pass." : $"{groups.Count} test(s) to make pass ({failing.Count} cases)."));
        foreach (var group in groups.Take(Explained))
        {
            var first = group.Cases[0];
            string cases = group.Total > 1 ? $" ({group.Cases.Count} of {group.Total} cases fail; the first: {Arguments(first.Name)})" : "";
            console.MarkupLine($"[red]✘[/] [bold]{Markup.Escape(first.Method)}[/][grey]{Markup.Escape(cases)}[/]");
            console.WriteLine(Indent(Trim(first.Message ?? "(no message)")));
        }

        if (groups.Count > Explained)
        {
            var rest = groups.Skip(Explained).Select(g => g.Cases[0].Method + (g.Total > 1 ? $" ({g.Cases.Count} cases)" : "")).ToList();
            console.MarkupLine($"[grey]{Markup.Escape($"… and {rest.Count} more: {string.Join(", ", rest)}")}[/]");
        }

        console.WriteLine();
        var earlier = run.Tests
            .Select(t => System.Text.RegularExpressions.Regex.Match(t.Message ?? "", @"Lab (\d\d) · M\d+"))
            .Where(m => m.Success && m.Groups[1].Value != lab.Id)
            .Select(m => m.Groups[1].Value)
            .Distinct()
            .ToList();
        if (earlier.Count > 0 && !dependOnSolutions)
        {
            console.MarkupLine($"[yellow]Some failures come from your Lab {Markup.Escape(string.Join(", ", earlier))}, which {Markup.Escape(lab.Name)} builds on and is not finished.[/] " +
                $"Finish it, or build on the reference for now: [bold]{Markup.Escape(Ui.Command($"check {lab.Id} --depend-on-solutions"))}[/]");
        }

        if (finished && !solution)
        {
            console.MarkupLine($"{Markup.Escape(lab.Name)}'s required milestones all pass; {Markup.Escape(firstOpen.Id)} is a stretch. {compare}");
        }

        console.MarkupLine($"Stuck? [bold]{Markup.Escape(Ui.Command("hint " + lab.Id))}[/] shows the next hint for {Markup.Escape(firstOpen.Id)}.");
        return 1;
    }

    /// <summary>One failing test method: a theory's failing data rows together, with how many rows it has in all.</summary>
    internal sealed record FailureGroup(IReadOnlyList<TestOutcome> Cases, int Total);

    /// <summary>The failing tests of a milestone grouped by test method (a theory once, not once per data row), in the order they came.</summary>
    internal static IReadOnlyList<FailureGroup> Failures(IReadOnlyList<TestOutcome> tests) =>
        tests.GroupBy(t => MethodKey(t.Name), StringComparer.Ordinal)
            .Select(g => new FailureGroup(g.Where(t => t.Result != TestResultKind.Pass).ToList(), g.Count()))
            .Where(g => g.Cases.Count > 0)
            .ToList();

    /// <summary>"Ns.Class.Method" of "Ns.Class.Method(version: 6, kind: "RTMPE")".</summary>
    private static string MethodKey(string name)
    {
        int open = name.IndexOf('(', StringComparison.Ordinal);
        return open < 0 ? name : name[..open];
    }

    /// <summary>The data of a theory row: "version: 6, kind: "RTMPE"".</summary>
    private static string Arguments(string name)
    {
        int open = name.IndexOf('(', StringComparison.Ordinal);
        return open < 0 || !name.EndsWith(')') ? name : name[(open + 1)..^1];
    }

    private static string Trim(string message)
    {
        var lines = message.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        return lines.Length <= 16 ? message.TrimEnd() : string.Join('\n', lines.Take(16)) + "\n…";
    }

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "    " + l));
}
