using Workbook.Labs;
using Workbook.Running;

namespace Workbook.Grading;

/// <summary>How grading one lab of one submission ended.</summary>
public enum GradeStatus
{
    Graded,
    Missing,
    BuildFailed,
    TimedOut,
    Crashed,
}

/// <summary>A failing test, as the student sees it in the feedback.</summary>
public sealed record FailedTest(string Milestone, string Test, string Message);

/// <summary>One lab of one submission, graded.</summary>
public sealed record LabGrade(
    string Student,
    string LabId,
    string LabTitle,
    GradeStatus Status,
    string? Reason,
    IReadOnlyList<MilestoneScore> Milestones,
    IReadOnlyList<FailedTest> Failures,
    double BuildSeconds,
    double TestSeconds)
{
    /// <summary>Points earned, stretch bonus included.</summary>
    public double Points => Milestones.Sum(m => m.Points);

    /// <summary>Points available without stretch milestones.</summary>
    public double MaxPoints => Milestones.Where(m => !m.Stretch).Sum(m => m.MaxPoints);
}

/// <summary>Options of a grading run.</summary>
public sealed record GradingOptions(string OutputFolder, string? HiddenTests, string SubmissionsPath, int Jobs, TimeSpan LabLimit, TimeSpan BuildLimit);

/// <summary>
/// Grades submissions lab by lab: each in a fresh work folder with the instructor's pristine tests,
/// built outside the sandbox (the build runs no student code), tested inside it with limits.
/// </summary>
public sealed class Grader(Repository repository, Sandbox sandbox, GradingOptions options)
{
    /// <summary>The tests each lab's pristine project holds, from a run against the reference solution.</summary>
    private readonly Dictionary<string, IReadOnlyList<TestOutcome>> _expected = [];

    /// <summary>Where each lab's pristine tests were compiled, by the reference run.</summary>
    private readonly Dictionary<string, string> _compiledTests = [];

    /// <summary>Runs the pristine tests against the reference solution, through the same pipeline as a student's code.</summary>
    public async Task<LabGrade> PrepareAsync(Lab lab, CancellationToken cancellationToken)
    {
        var (grade, outcomes) = await GradeOneAsync("reference", lab, lab.SolutionDirectory, reference: true, cancellationToken);
        if (grade.Status != GradeStatus.Graded || outcomes.Count == 0 || outcomes.Any(o => o.Result != TestResultKind.Pass))
        {
            string why = grade.Reason ?? string.Join("; ", outcomes.Where(o => o.Result != TestResultKind.Pass).Take(3).Select(o => o.Name));
            throw new WorkbookException($"The reference solution of {lab.Name} does not pass its own tests in the grading sandbox ({why}); fix that before grading.");
        }

        _expected[lab.Id] = outcomes;
        return grade with { Milestones = GradingPlan.Score(lab, outcomes, outcomes) };
    }

    /// <summary>Grades one lab of one submission. Never throws for anything the submission does.</summary>
    public async Task<LabGrade> GradeAsync(Submission submission, Lab lab, CancellationToken cancellationToken)
    {
        string theirs = Path.Combine(submission.Root, "labs", lab.Manifest.Slug, "src");
        if (!Directory.Exists(theirs))
        {
            return new LabGrade(submission.Name, lab.Id, lab.Manifest.Title, GradeStatus.Missing, $"no labs/{lab.Manifest.Slug}/src in the submission",
                GradingPlan.Score(lab, _expected[lab.Id], []), [], 0, 0);
        }

        var (grade, _) = await GradeOneAsync(submission.Name, lab, theirs, reference: false, cancellationToken);
        return grade;
    }

    /// <summary>
    /// Builds and runs one lab. The reference run builds the pristine tests once (against the solution);
    /// a student's run builds only the student's project and puts its assembly beside those compiled
    /// tests, so a class of 30 costs 30 small builds rather than 30 builds of the tests and the kit.
    /// </summary>
    private async Task<(LabGrade Grade, IReadOnlyList<TestOutcome> Outcomes)> GradeOneAsync(string student, Lab lab, string theirs, bool reference, CancellationToken cancellationToken)
    {
        string folder = Path.Combine(options.OutputFolder, "work", Safe(student), lab.Manifest.Slug);
        WorkFolder.Create(repository, lab, theirs, folder, options.HiddenTests, withTests: reference);
        var expected = _expected.GetValueOrDefault(lab.Id) ?? [];
        LabGrade Zero(GradeStatus status, string reason, double build, double test) =>
            new(student, lab.Id, lab.Manifest.Title, status, reason, GradingPlan.Score(lab, expected, []), [], build, test);

        string tests = Path.Combine("labs", lab.Manifest.Slug, "tests");
        string source = Path.Combine("labs", lab.Manifest.Slug, "src");
        var build = await ProcessRunner.RunAsync("dotnet",
            ["build", reference ? tests : source, "-nologo", "-v", "q", "-clp:NoSummary", "-p:DependOnSolutions=true", "-p:TreatWarningsAsErrors=false"],
            folder, options.BuildLimit, cancellationToken);
        if (build.TimedOut)
        {
            return (Zero(GradeStatus.BuildFailed, $"the build took longer than {options.BuildLimit.TotalMinutes:0.#} minutes", build.Elapsed.TotalSeconds, 0), []);
        }

        if (build.ExitCode != 0)
        {
            var errors = ProcessRunner.FirstErrors(build.Output, folder, 3);
            string reason = "does not compile: " + (errors.Count > 0 ? string.Join(" | ", errors) : "the build failed");
            return (Zero(GradeStatus.BuildFailed, reason, build.Elapsed.TotalSeconds, 0), []);
        }

        string output = Path.Combine("bin", "student-on-solutions", "Debug", "net10.0");
        string binary = Path.Combine(tests, output, lab.Manifest.Project + ".Tests.dll");
        if (reference)
        {
            _compiledTests[lab.Id] = Path.Combine(folder, tests, output);
        }
        else
        {
            // The pristine compiled tests, with the student's assembly in place of the reference's.
            CopyFolder(_compiledTests[lab.Id], Path.Combine(folder, tests, output));
            foreach (var extension in new[] { ".dll", ".pdb" })
            {
                string built = Path.Combine(folder, source, output, lab.Manifest.Project + extension);
                if (File.Exists(built))
                {
                    File.Copy(built, Path.Combine(folder, tests, output, lab.Manifest.Project + extension), overwrite: true);
                }
            }
        }

        string report = Path.Combine(folder, "report.xml");
        var command = sandbox.Wrap(folder, tests, ["dotnet", Path.GetRelativePath(Path.Combine(folder, tests), Path.Combine(folder, binary)), "-xml", Inside(folder, report), "-noColor", "-noLogo", "-maxThreads", "2"],
            [repository.Root, options.OutputFolder, .. HiddenFolders()]);
        var run = await ProcessRunner.RunAsync(command.File, command.Arguments, command.WorkingDirectory, options.LabLimit, cancellationToken,
            environment: sandbox.EnvironmentFor(folder));
        if (run.TimedOut)
        {
            return (Zero(GradeStatus.TimedOut, $"the tests ran longer than {options.LabLimit.TotalMinutes:0.#} minutes and were stopped (an endless loop or a wait that never ends?)",
                build.Elapsed.TotalSeconds, run.Elapsed.TotalSeconds), []);
        }

        if (!File.Exists(report))
        {
            string tail = string.Join(" | ", run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3).Select(l => l.Trim()));
            string reason = run.Output.Contains("OutOfMemory", StringComparison.Ordinal)
                ? $"the tests ran out of memory (the limit is {Sandbox.HeapLimitBytes / (1024 * 1024)} MB)"
                : $"the test run crashed before it could report (exit code {run.ExitCode}): {tail}";
            return (Zero(GradeStatus.Crashed, reason, build.Elapsed.TotalSeconds, run.Elapsed.TotalSeconds), []);
        }

        IReadOnlyList<TestOutcome> outcomes;
        try
        {
            outcomes = XunitXml.Parse(File.ReadAllText(report));
        }
        catch (System.Xml.XmlException e)
        {
            return (Zero(GradeStatus.Crashed, "the test report is unreadable: " + e.Message, build.Elapsed.TotalSeconds, run.Elapsed.TotalSeconds), []);
        }

        var scores = GradingPlan.Score(lab, expected.Count > 0 ? expected : outcomes, outcomes);
        var failures = outcomes.Where(o => o.Result != TestResultKind.Pass)
            .Select(o => new FailedTest(lab.MilestoneOf(o.MilestoneTrait)?.Id ?? "?", o.Method, Shorten(o.Message)))
            .ToList();
        string? note = outcomes.Any(o => o.Message?.Contains("OutOfMemoryException", StringComparison.Ordinal) == true)
            ? $"the tests ran out of memory (the limit is {Sandbox.HeapLimitBytes / (1024 * 1024)} MB)"
            : null;
        return (new LabGrade(student, lab.Id, lab.Manifest.Title, GradeStatus.Graded, note, scores, failures, build.Elapsed.TotalSeconds, run.Elapsed.TotalSeconds), outcomes);
    }

    /// <summary>What a test run must not see: instructor's hidden tests and every submission.</summary>
    private IEnumerable<string> HiddenFolders() =>
        (options.HiddenTests is null ? [] : new[] { options.HiddenTests }).Append(Directory.Exists(options.SubmissionsPath) ? options.SubmissionsPath : Path.GetDirectoryName(options.SubmissionsPath)!);

    private string Inside(string folder, string path) =>
        sandbox.IsIsolated ? "/mnt/" + Path.GetRelativePath(folder, path).Replace('\\', '/') : path;

    private static string Shorten(string? message)
    {
        if (message is null)
        {
            return "";
        }

        var lines = message.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        return string.Join('\n', lines.Take(12)) + (lines.Length > 12 ? "\n…" : "");
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string destination = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    /// <summary>A file-name-safe form of a student's name.</summary>
    public static string Safe(string name) =>
        new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
}
