using Spectre.Console;
using Workbook.Labs;
using Workbook.Running;
using Workbook.Stubs;

namespace Workbook.Commands;

/// <summary>
/// The maintainers' gate, run by CI: stubs match the solutions, both builds succeed with the same public
/// API, every lab test passes against the solution and fails against the stubs, every notebook is valid
/// nbformat 4.5 and runs with current outputs, and the workbook's own tests pass. Ends with the line
/// "N passed, M failed".
/// </summary>
public static class VerifyCommand
{
    public static async Task<int> RunAsync(Repository repository, string? labName, CancellationToken cancellationToken)
    {
        var labs = labName is null ? repository.Labs() : [repository.Find(labName)];
        var runner = new LabRunner(repository);
        var failures = new List<string>();
        int passed = 0;
        var summary = new Table().Border(TableBorder.Rounded)
            .AddColumn("Part").AddColumn(new TableColumn("Passed").RightAligned()).AddColumn(new TableColumn("Failed").RightAligned());

        foreach (var missing in MissingSolutionProjects(repository))
        {
            failures.Add($"Labs.sln names {missing}, which does not exist (commit a lab's projects together with its Labs.sln entries)");
        }

        foreach (var lab in labs)
        {
            int labPassed = 0, labFailed = 0;
            void Pass() => labPassed++;
            void Fail(string why)
            {
                labFailed++;
                failures.Add($"{lab.Name}: {why}");
            }

            var drift = StubGenerator.Drift(lab);
            if (drift.Count == 0)
            {
                Pass();
            }
            else
            {
                Fail("stubs drifted from the solution — " + string.Join("; ", drift) + $" (regenerate: {Ui.Command("stubs --write")})");
            }

            var solutionRun = await Ui.Step($"{lab.Name}: tests against the solution", () => runner.RunAsync(lab, Target.Solution, false, cancellationToken));
            var stubRun = await Ui.Step($"{lab.Name}: tests against the stubs", () => runner.RunAsync(lab, Target.Student, false, cancellationToken));
            if (solutionRun.BuildError is not null)
            {
                Fail("the tests do not build against the solution:\n" + solutionRun.BuildError);
            }

            if (stubRun.BuildError is not null)
            {
                Fail("the tests do not build against the stubs:\n" + stubRun.BuildError);
            }

            if (solutionRun.BuildError is null && stubRun.BuildError is null)
            {
                var api = CompareApi(lab);
                if (api is null)
                {
                    Pass();
                }
                else
                {
                    Fail(api);
                }

                if (solutionRun.Tests.Count == 0)
                {
                    Fail("no tests ran");
                }

                foreach (var (name, count) in Collisions(solutionRun.Tests.Select(t => t.Name)))
                {
                    Fail($"{count} tests are named \"{name}\": verify cannot tell which of them passed on the stubs. " +
                         "Give each theory row a display name that differs within its first 50 characters.");
                }

                var onStubs = stubRun.Tests.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());
                foreach (var test in solutionRun.Tests)
                {
                    var milestone = lab.MilestoneOf(test.MilestoneTrait);
                    if (milestone is null)
                    {
                        Fail($"{test.Name} has no Milestone trait naming a milestone of lab.json (it says \"{test.MilestoneTrait}\")");
                    }
                    else if (test.Result != TestResultKind.Pass)
                    {
                        Fail($"{test.Name} fails against the solution: {FirstLines(test.Message)}");
                    }
                    else if (!onStubs.TryGetValue(test.Name, out var stub))
                    {
                        Fail($"{test.Name} did not run against the stubs");
                    }
                    else if (stub.Result == TestResultKind.Pass)
                    {
                        Fail($"{test.Name} passes against the stubs: it is vacuous");
                    }
                    else if (stub.Result != TestResultKind.Fail)
                    {
                        Fail($"{test.Name} was {stub.Result} against the stubs, it must run and fail");
                    }
                    else
                    {
                        Pass();
                    }
                }

                var empty = lab.Manifest.Milestones.Where(m => !solutionRun.Of(m.Id).Any()).ToList();
                foreach (var m in empty)
                {
                    Fail($"milestone {m.Id} has no tests");
                }
            }

            if (labName is not null && lab.Manifest.Notebook is { } notebook && File.Exists(Path.Combine(repository.Root, notebook)))
            {
                var (schemaPassed, schemaFailures) = await Ui.Step($"{lab.Name}: checking {notebook} against nbformat 4.5",
                    () => CheckNotebookSchemasAsync(repository, [Path.Combine(repository.Root, notebook)], cancellationToken));
                labPassed += schemaPassed;
                labFailed += schemaFailures.Count;
                failures.AddRange(schemaFailures);
                string? problem = await Ui.Step($"{lab.Name}: running {notebook}", () => Workbook.Notebooks.NotebookVerifier.VerifyOneAsync(repository.Root, notebook, cancellationToken));
                if (problem is null)
                {
                    Pass();
                }
                else
                {
                    Fail($"notebook {notebook}: {problem}");
                }
            }

            summary.AddRow(Markup.Escape($"{lab.Name} {lab.Manifest.Title}"), labPassed.ToString(), Colour(labFailed));
            passed += labPassed;
        }

        if (labName is null)
        {
            var (schemaPassed, schemaFailures) = await Ui.Step("Checking every notebook against nbformat 4.5",
                () => CheckNotebookSchemasAsync(repository, Workbook.Notebooks.NotebookFiles.All(repository.Root), cancellationToken));
            passed += schemaPassed;
            failures.AddRange(schemaFailures);
            summary.AddRow("Notebooks: nbformat 4.5", schemaPassed.ToString(), Colour(schemaFailures.Count));

            var (notebooksPassed, notebookFailures) = await Ui.Step("Running every notebook", () => Workbook.Notebooks.NotebookVerifier.RunAllAsync(repository.Root, cancellationToken));
            passed += notebooksPassed;
            failures.AddRange(notebookFailures.Select(f => "notebook " + f));
            summary.AddRow("Notebooks", notebooksPassed.ToString(), Colour(notebookFailures.Count));

            foreach (var project in ToolTestProjects(repository))
            {
                string name = Path.GetFileNameWithoutExtension(project);
                var (toolPassed, toolFailures) = await Ui.Step($"{name}", () => RunToolTestsAsync(repository, project, cancellationToken));
                passed += toolPassed;
                failures.AddRange(toolFailures.Select(f => $"{name}: {f}"));
                summary.AddRow(Markup.Escape(name), toolPassed.ToString(), Colour(toolFailures.Count));
            }
        }

        AnsiConsole.Write(summary);
        foreach (var failure in failures)
        {
            Ui.Error(failure);
        }

        Console.WriteLine($"{passed} passed, {failures.Count} failed");
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// One check per notebook: it is valid nbformat 4.5 (every cell with an id, …). When Python's nbformat is
    /// missing that is one failure carrying the install command, never a pass.
    /// </summary>
    internal static async Task<(int Passed, List<string> Failures)> CheckNotebookSchemasAsync(
        Repository repository, IReadOnlyList<string> notebooks, CancellationToken cancellationToken, IReadOnlyList<string>? pythons = null)
    {
        if (notebooks.Count == 0)
        {
            return (0, []);
        }

        var report = await NotebookSchema.CheckAsync(notebooks, cancellationToken, pythons);
        if (report.Unavailable is { } why)
        {
            return (0, ["notebooks: " + why]);
        }

        int passed = 0;
        var failures = new List<string>();
        foreach (var notebook in notebooks)
        {
            string relative = Path.GetRelativePath(repository.Root, notebook).Replace('\\', '/');
            var problems = report.Problems.GetValueOrDefault(notebook) ?? ["was not checked"];
            if (problems.Count == 0)
            {
                passed++;
                continue;
            }

            const int Shown = 5;
            string more = problems.Count > Shown ? $"\n  … and {problems.Count - Shown} more" : "";
            string fix = problems.Any(p => p.Contains("has no \"id\"", StringComparison.Ordinal))
                ? $"\n  Cells without an id get one when the notebook is saved: {Ui.Command($"run {Path.GetFileName(notebook)} --write-outputs")}"
                : "";
            failures.Add($"notebook {relative} is not valid nbformat 4.5 (nbformat {report.NbformatVersion}):\n  "
                + string.Join("\n  ", problems.Take(Shown)) + more + fix);
        }

        return (passed, failures);
    }

    /// <summary>Projects Labs.sln names that are not in the tree.</summary>
    private static IEnumerable<string> MissingSolutionProjects(Repository repository)
    {
        string sln = Path.Combine(repository.Root, "Labs.sln");
        if (!File.Exists(sln))
        {
            yield break;
        }

        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(sln), "\"([^\"]+\\.csproj)\""))
        {
            string relative = match.Groups[1].Value.Replace('\\', '/');
            if (!File.Exists(Path.Combine(repository.Root, relative)))
            {
                yield return relative;
            }
        }
    }

    /// <summary>Null when the stubs' public API equals the solution's; else what differs.</summary>
    private static string? CompareApi(Lab lab)
    {
        string stubs = Path.Combine(lab.SourceDirectory, "bin", "student", "Debug", "net10.0", lab.Manifest.Project + ".dll");
        string solution = Path.Combine(lab.SolutionDirectory, "bin", "Debug", "net10.0", lab.Manifest.Project + ".dll");
        if (!File.Exists(stubs) || !File.Exists(solution))
        {
            return $"cannot compare public APIs: {(File.Exists(stubs) ? solution : stubs)} was not built";
        }

        var a = ApiSurface.Of(stubs);
        var b = ApiSurface.Of(solution);
        var onlyStubs = a.Except(b).ToList();
        var onlySolution = b.Except(a).ToList();
        if (onlyStubs.Count == 0 && onlySolution.Count == 0)
        {
            return null;
        }

        return "the stubs' public API differs from the solution's: " +
               string.Join("; ", onlySolution.Take(5).Select(l => "only in solution: " + l.Trim()).Concat(onlyStubs.Take(5).Select(l => "only in stubs: " + l.Trim())));
    }

    private static IEnumerable<string> ToolTestProjects(Repository repository) =>
        Directory.Exists(Path.Combine(repository.Root, "tools"))
            ? Directory.GetFiles(Path.Combine(repository.Root, "tools"), "*.Tests.csproj", SearchOption.AllDirectories)
                .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
            : [];

    private static async Task<(int Passed, List<string> Failures)> RunToolTestsAsync(Repository repository, string project, CancellationToken cancellationToken)
    {
        var runner = new LabRunner(repository);
        string? error = await runner.BuildAsync(project, Target.Solution, false, cancellationToken);
        if (error is not null)
        {
            return (0, ["does not build:\n" + error]);
        }

        string name = Path.GetFileNameWithoutExtension(project);
        string dll = Path.Combine(Path.GetDirectoryName(project)!, "bin", "Debug", "net10.0", name + ".dll");
        Directory.CreateDirectory(repository.StateDirectory);
        string xml = Path.Combine(repository.StateDirectory, name + ".xml");
        File.Delete(xml);
        var result = await ProcessRunner.RunAsync("dotnet", [dll, "-xml", xml, "-noColor", "-noLogo"], Path.GetDirectoryName(project)!, LabRunner.RunLimit, cancellationToken);
        if (!File.Exists(xml))
        {
            return (0, ["the tests ended without a report:\n" + string.Join('\n', result.Output.Split('\n').TakeLast(15))]);
        }

        var tests = XunitXml.Parse(File.ReadAllText(xml));
        var failures = tests.Where(t => t.Result != TestResultKind.Pass).Select(t => $"{t.Name}: {t.Result} {FirstLines(t.Message)}").ToList();
        if (tests.Count == 0)
        {
            failures.Add("no tests ran");
        }

        return (tests.Count(t => t.Result == TestResultKind.Pass), failures);
    }

    /// <summary>Test names that occur more than once (xunit cuts long theory arguments, so rows can collide), with their counts.</summary>
    internal static IEnumerable<(string Name, int Count)> Collisions(IEnumerable<string> names) =>
        names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => (g.Key, g.Count()));

    private static string FirstLines(string? message) =>
        message is null ? "" : string.Join(" | ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(4).Select(l => l.Trim()));

    private static string Colour(int failed) => failed == 0 ? "0" : $"[red]{failed}[/]";
}
