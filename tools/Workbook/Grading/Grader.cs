using System.Globalization;
using System.Text;
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

    /// <summary>The test run was interfered with (a control test misbehaved, tests missing from the report): 0, for the instructor to review.</summary>
    Tampered,

    /// <summary>The submission could not be taken in (a bad zip, a link where its code should be): 0 with the reason.</summary>
    Rejected,
}

/// <summary>A failing test, as the student sees it in the feedback.</summary>
public sealed record FailedTest(string Milestone, string Test, string Message);

/// <summary>One lab of one submission, graded. <paramref name="Flags"/> are things for the instructor to look at; they never change the score.</summary>
public sealed record LabGrade(
    string Student,
    string LabId,
    string LabTitle,
    GradeStatus Status,
    string? Reason,
    IReadOnlyList<MilestoneScore> Milestones,
    IReadOnlyList<FailedTest> Failures,
    double BuildSeconds,
    double TestSeconds,
    IReadOnlyList<string>? Flags = null)
{
    /// <summary>Points earned, stretch bonus included.</summary>
    public double Points => Milestones.Sum(m => m.Points);

    /// <summary>Points available without stretch milestones.</summary>
    public double MaxPoints => Milestones.Where(m => !m.Stretch).Sum(m => m.MaxPoints);
}

/// <summary>Options of a grading run.</summary>
public sealed record GradingOptions(string OutputFolder, string? HiddenTests, string SubmissionsPath, int Jobs, TimeSpan LabLimit, TimeSpan BuildLimit);

/// <summary>
/// Grades submissions lab by lab. Each lab run (the build, then the tests) happens in a sandbox of its own: a fresh
/// tmpfs work folder filled from a read-only stage (the instructor's build files and project file, the student's .cs
/// files and nothing else of theirs) and the pristine tests, compiled once by the reference run with canary tests of
/// this run. The report leaves the sandbox on its standard output, written by the sandbox's own script after every
/// other process in it has been killed (kill -KILL -1 in its process namespace), and only if it is a regular file and no
/// link. Why this channel: student code shares the test runner's process, so no file the runner can write is out of its
/// reach while the runner lives; what this channel removes is everything after that — a leftover process rewriting the
/// report, a fifo or a link to /dev/zero in its place (the grader never opens a file the student made), and bytes the
/// student writes on the same pipe earlier (only what follows the script's last marker counts; a script that does not
/// end normally marks the run tampered). Rewrites inside the runner's own lifetime (a ProcessExit hook, patched tests)
/// are caught by the canaries.
/// </summary>
public sealed class Grader(Repository repository, Sandbox sandbox, GradingOptions options)
{
    private const string Pivot = "student-on-solutions";

    /// <summary>The tests each lab's pristine project holds, from a run against the reference solution (canaries left out).</summary>
    private readonly Dictionary<string, IReadOnlyList<TestOutcome>> _expected = [];

    /// <summary>Where each lab's pristine tests were compiled, by the reference run.</summary>
    private readonly Dictionary<string, string> _compiledTests = [];

    private readonly Canaries _canaries = Canaries.Create();

    private int _folders;

    /// <summary>The control tests of this run.</summary>
    public Canaries Canaries => _canaries;

    /// <summary>Runs the pristine tests against the reference solution, through the same pipeline as a student's code.</summary>
    public async Task<LabGrade> PrepareAsync(Lab lab, CancellationToken cancellationToken)
    {
        var (grade, outcomes) = await GradeOneAsync("reference", lab, lab.SolutionDirectory, reference: true, cancellationToken);
        var real = outcomes.Where(o => !_canaries.Holds(o)).ToList();
        if (grade.Status != GradeStatus.Graded || real.Count == 0 || real.Any(o => o.Result != TestResultKind.Pass) || _canaries.Check(outcomes) is not null)
        {
            string why = grade.Reason ?? _canaries.Check(outcomes) ?? string.Join("; ", real.Where(o => o.Result != TestResultKind.Pass).Take(3).Select(o => o.Name + ": " + o.Message));
            throw new WorkbookException($"The reference solution of {lab.Name} does not pass its own tests in the grading sandbox ({why}); fix that before grading.");
        }

        _expected[lab.Id] = real;
        return grade with { Milestones = GradingPlan.Score(lab, real, real) };
    }

    /// <summary>Grades one lab of one submission. Never throws for anything the submission does.</summary>
    public async Task<LabGrade> GradeAsync(Submission submission, Lab lab, CancellationToken cancellationToken)
    {
        LabGrade Zero(GradeStatus status, string reason) =>
            new(submission.Name, lab.Id, lab.Manifest.Title, status, reason, GradingPlan.Score(lab, _expected[lab.Id], []), [], 0, 0);
        if (submission.Problem is not null)
        {
            return Zero(GradeStatus.Rejected, submission.Problem);
        }

        string relative = $"labs/{lab.Manifest.Slug}/src";
        if (SafeFiles.LinkOnTheWay(submission.Root, relative) is { } link)
        {
            return Zero(GradeStatus.Rejected, $"{Path.GetRelativePath(submission.Root, link)} is a link (to {new FileInfo(link).LinkTarget}): links are not followed, so there is no code to grade");
        }

        string theirs = Path.Combine(submission.Root, relative);
        if (!Directory.Exists(theirs))
        {
            return Zero(GradeStatus.Missing, $"no {relative} in the submission");
        }

        try
        {
            var (grade, _) = await GradeOneAsync(submission.Name, lab, theirs, reference: false, cancellationToken);
            return grade;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException or WorkbookException)
        {
            return Zero(GradeStatus.Crashed, "the grader could not take this submission in: " + e.Message);
        }
    }

    private async Task<(LabGrade Grade, IReadOnlyList<TestOutcome> Outcomes)> GradeOneAsync(string student, Lab lab, string theirs, bool reference, CancellationToken cancellationToken)
    {
        string folder = Path.Combine(options.OutputFolder, "work", reference ? "reference" : $"{Interlocked.Increment(ref _folders):000}-{Reports.FileStem(student)}", lab.Manifest.Slug);
        var skipped = WorkFolder.Create(repository, lab, theirs, folder, options.HiddenTests, withTests: reference);
        if (reference)
        {
            File.WriteAllText(Path.Combine(folder, "labs", lab.Manifest.Slug, "tests", "Checks.cs"), _canaries.Source());
        }

        var flags = reference ? [] : CodeScan.Flags(Path.Combine(folder, "labs", lab.Manifest.Slug, "src")).Concat(skipped).ToList();
        var expected = _expected.GetValueOrDefault(lab.Id) ?? [];
        LabGrade Zero(GradeStatus status, string reason, double build, double test) =>
            new(student, lab.Id, lab.Manifest.Title, status, reason, GradingPlan.Score(lab, expected, []), [], build, test, flags);

        var run = sandbox.IsIsolated
            ? await RunIsolatedAsync(lab, folder, reference, cancellationToken)
            : await RunUnisolatedAsync(lab, folder, reference, cancellationToken);
        if (!reference && Directory.Exists(folder))
        {
            TryDelete(folder); // the stage; nothing the student made is kept on disk
        }

        var limits = sandbox.Limits;
        string? limitNote = run.MemoryExceeded ? $"used more than {Limits.Words(limits.MemoryBytes)} of memory and was stopped"
            : run.TasksExceeded ? $"tried to run more than {limits.Tasks} processes or threads at once (refused)"
            : run.DiskFull ? $"filled its {Limits.Words(limits.DiskBytes)} of disk"
            : null;
        string? outputNote = run.LogBytes > limits.OutputBytes ? $"printed {Limits.Words(run.LogBytes)}, more than {Limits.Words(limits.OutputBytes)} (only the first {Limits.Words(limits.OutputBytes)} was kept)" : null;
        string Join(params string?[] parts) => string.Join("; ", parts.Where(p => p is not null));

        if (run.BuildExit is null)
        {
            if (run.TimedOut)
            {
                return (Zero(GradeStatus.TimedOut, Join($"the build took longer than {options.BuildLimit.TotalMinutes:0.#} minutes and was stopped", limitNote), run.BuildSeconds, 0), []);
            }

            return (Zero(GradeStatus.Crashed, Join(limitNote ?? $"the sandbox ended before the build finished (exit {run.ExitCode}): {Tail(run.Log)}", outputNote), run.BuildSeconds, 0), []);
        }

        if (run.BuildExit != 0)
        {
            var errors = ProcessRunner.FirstErrors(run.Log, "/w", 3).Select(e => e.Replace("/w/", "", StringComparison.Ordinal)).ToList();
            string reason = run.BuildExit == 124 ? $"the build took longer than {options.BuildLimit.TotalMinutes:0.#} minutes and was stopped"
                : "does not compile: " + (errors.Count > 0 ? string.Join(" | ", errors) : "the build failed: " + Tail(run.Log));
            return (Zero(GradeStatus.BuildFailed, Join(reason, limitNote), run.BuildSeconds, 0), []);
        }

        if (run.TimedOut || run.TestExit == 124)
        {
            return (Zero(GradeStatus.TimedOut, Join($"the tests ran longer than {options.LabLimit.TotalMinutes:0.#} minutes and were stopped (an endless loop or a wait that never ends?)", limitNote, outputNote),
                run.BuildSeconds, run.TestSeconds), []);
        }

        if (run.ExitCode == 98)
        {
            return (Zero(GradeStatus.Crashed, "the grader could not set up the test run (copying the compiled tests failed)", run.BuildSeconds, 0), []);
        }

        if (run.TestExit is null || run.ExitCode != 0)
        {
            return (Zero(GradeStatus.Tampered, Join($"the grader's own script in the sandbox was stopped before it could hand the report over (exit {run.ExitCode}): the test run was interfered with", limitNote), run.BuildSeconds, run.TestSeconds), []);
        }

        if (run.Report is null)
        {
            string reason = run.Log.Contains("OutOfMemory", StringComparison.Ordinal) || run.MemoryExceeded
                ? limitNote ?? $"the tests ran out of memory (the limit is {Limits.Words(limits.HeapBytes)} of managed heap)"
                : run.ReportProblem is not null && run.TestExit is 0 or 1
                    ? Join(limitNote, run.ReportProblem + " when the test run ended (replaced by a fifo or a link?): no score can be read")
                    : Join(limitNote, $"the test run crashed before it could report (exit code {run.TestExit}): {Tail(run.Log)}", run.ReportProblem);
            return (Zero(GradeStatus.Crashed, Join(reason, outputNote), run.BuildSeconds, run.TestSeconds), []);
        }

        IReadOnlyList<TestOutcome> outcomes;
        try
        {
            outcomes = XunitXml.Parse(run.Report);
        }
        catch (System.Xml.XmlException e)
        {
            return (Zero(GradeStatus.Crashed, Join("the test report is unreadable: " + e.Message, limitNote, outputNote), run.BuildSeconds, run.TestSeconds), []);
        }

        if (!reference)
        {
            string? tampered = _canaries.Check(outcomes);
            var names = outcomes.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            var missing = expected.Where(e => !names.Contains(e.Name)).ToList();
            if (tampered is null && missing.Count > 0)
            {
                tampered = $"{missing.Count} of the {expected.Count} tests are missing from the report (first: {missing[0].Name})";
            }

            if (tampered is not null)
            {
                return (Zero(GradeStatus.Tampered, "TAMPERED, scored 0 for the instructor to review: " + tampered, run.BuildSeconds, run.TestSeconds), outcomes);
            }
        }

        var real = outcomes.Where(o => !_canaries.Holds(o)).ToList();
        var scores = GradingPlan.Score(lab, expected.Count > 0 ? expected : real, real);
        var failures = real.Where(o => o.Result != TestResultKind.Pass)
            .Select(o => new FailedTest(lab.MilestoneOf(o.MilestoneTrait)?.Id ?? "?", o.Method, Shorten(o.Message)))
            .ToList();
        string? note = Join(
            real.Any(o => o.Message?.Contains("OutOfMemoryException", StringComparison.Ordinal) == true)
                ? $"the tests ran out of memory (the limit is {Limits.Words(limits.HeapBytes)} of managed heap)" : null,
            limitNote, outputNote);
        return (new LabGrade(student, lab.Id, lab.Manifest.Title, GradeStatus.Graded, note.Length == 0 ? null : note, scores, failures, run.BuildSeconds, run.TestSeconds, flags), outcomes);
    }

    /// <summary>What a lab run produced, whichever way it ran.</summary>
    private sealed record LabRunResult(
        int ExitCode, int? BuildExit, int? TestExit, double BuildSeconds, double TestSeconds, string? Report, string? ReportProblem, string Log, long LogBytes,
        bool TimedOut, bool MemoryExceeded, bool TasksExceeded, bool DiskFull);

    private async Task<LabRunResult> RunIsolatedAsync(Lab lab, string folder, bool reference, CancellationToken cancellationToken)
    {
        string slug = lab.Manifest.Slug, project = lab.Manifest.Project;
        string output = $"bin/{Pivot}/Debug/net10.0";
        // One MSBuild process (-m:1), no build servers, no audit (it would ask nuget.org): the build is offline.
        string build = "dotnet build -m:1 -nologo -v q -clp:NoSummary -p:DependOnSolutions=true -p:TreatWarningsAsErrors=false -nodeReuse:false -p:UseSharedCompilation=false -p:NuGetAudit=false";
        int buildSeconds = (int)options.BuildLimit.TotalSeconds, labSeconds = (int)options.LabLimit.TotalSeconds;
        var script = new StringBuilder();
        script.Append(CultureInfo.InvariantCulture, $$"""
            set -u
            now() { date +%s%N | cut -c1-13; }
            mkdir -p /w/home /w/tmp /w/report
            {{(reference ? "" : "cp -R /stage/. /w/ || exit 97")}}
            start=$(now)
            cd /w/labs/{{slug}}/{{(reference ? "tests" : "src")}} && timeout -k 5 {{buildSeconds}} {{build}} 1>&2 </dev/null
            b=$?
            echo "@@built $b $(( $(now) - start ))"
            [ $b = 0 ] || exit 0
            T=/w/labs/{{slug}}/tests/{{output}}

            """);
        if (!reference)
        {
            script.Append(CultureInfo.InvariantCulture, $$"""
                mkdir -p "$T" && cp -R /pristine/. "$T"/ && cp "{{output}}/{{project}}.dll" "$T"/ || exit 98
                cp "{{output}}/{{project}}.pdb" "$T"/ 2>/dev/null

                """);
        }

        script.Append(CultureInfo.InvariantCulture, $$"""
            cd "$T" || exit 98
            start=$(now)
            timeout -k 5 {{labSeconds}} {{sandbox.CommandPrefix}}dotnet {{project}}.Tests.dll -xml /w/report/report.xml -noColor -noLogo -maxThreads 2 1>&2 </dev/null
            t=$?
            took=$(( $(now) - start ))
            for i in 1 2 3; do kill -KILL -1 2>/dev/null; done
            echo "@@tested $t $took"
            df -k /w | awk 'NR==2 { print "@@disk", $3, $2 }'
            r=/w/report/report.xml
            if [ -f "$r" ] && [ ! -L "$r" ]; then echo "@@report"; head -c {{sandbox.Limits.ReportBytes}} "$r"; else echo "@@noreport"; fi
            exit 0

            """);
        var readOnly = new List<(string, string)>();
        if (!reference)
        {
            readOnly.Add((folder, "/stage"));
            readOnly.Add((_compiledTests[lab.Id], "/pristine"));
        }

        var total = options.BuildLimit + options.LabLimit + TimeSpan.FromSeconds(60);
        var result = await sandbox.RunAsync(new SandboxRun(script.ToString(), readOnly, reference ? folder : null, total, new Dictionary<string, string>()), cancellationToken);
        if (reference)
        {
            _compiledTests[lab.Id] = Path.Combine(folder, "labs", slug, "tests", output);
        }

        if (Environment.GetEnvironmentVariable("WORKBOOK_GRADE_DEBUG") == "1")
        {
            Console.Error.WriteLine($"[sandbox] exit {result.ExitCode} timedOut {result.TimedOut} memory {result.MemoryExceeded} tasks {result.TasksExceeded} peak {result.PeakMemory} elapsed {result.Elapsed}\n{Encoding.UTF8.GetString(result.Report)[..Math.Min(2000, result.Report.Length)]}\n--- log\n{result.Log[..Math.Min(3000, result.Log.Length)]}");
        }

        return Interpret(result);
    }

    /// <summary>Reads the markers the sandbox's script wrote: the first "@@built" (written before any student code ran), the last "@@tested" and report.</summary>
    private LabRunResult Interpret(SandboxResult result)
    {
        byte[] bytes = result.Report;
        string text = Encoding.UTF8.GetString(bytes);
        int? buildExit = null, testExit = null;
        double buildSeconds = 0, testSeconds = 0;
        bool diskFull = false;
        var built = System.Text.RegularExpressions.Regex.Match(text, @"(?m)^@@built (\d+) (\d+)$");
        if (built.Success)
        {
            buildExit = int.Parse(built.Groups[1].Value, CultureInfo.InvariantCulture);
            buildSeconds = long.Parse(built.Groups[2].Value, CultureInfo.InvariantCulture) / 1000.0;
        }

        int reportAt = text.LastIndexOf("\n@@report\n", StringComparison.Ordinal);
        int testedAt = text.LastIndexOf("\n@@tested ", StringComparison.Ordinal);
        string? report = null, problem = null;
        if (testedAt >= 0)
        {
            var tested = System.Text.RegularExpressions.Regex.Match(text[(testedAt + 1)..], @"^@@tested (\d+) (\d+)\n(?:@@disk (\d+) (\d+)\n)?");
            if (tested.Success)
            {
                testExit = int.Parse(tested.Groups[1].Value, CultureInfo.InvariantCulture);
                testSeconds = long.Parse(tested.Groups[2].Value, CultureInfo.InvariantCulture) / 1000.0;
                if (tested.Groups[3].Success)
                {
                    long used = long.Parse(tested.Groups[3].Value, CultureInfo.InvariantCulture), size = long.Parse(tested.Groups[4].Value, CultureInfo.InvariantCulture);
                    diskFull = used >= size - 1024;
                }
            }

            if (reportAt > testedAt)
            {
                report = text[(reportAt + "\n@@report\n".Length)..];
            }
            else
            {
                problem = "the report was missing, a link or not a regular file";
            }
        }

        return new LabRunResult(result.ExitCode, buildExit, testExit, buildSeconds, testSeconds, report, problem, result.Log, result.LogBytes,
            result.TimedOut, result.MemoryExceeded, result.TasksExceeded, diskFull);
    }

    /// <summary>
    /// Where no sandbox can be made: the same steps on the grader's own machine, with a wall clock and bounded reads
    /// only. The reports say loudly that nothing was isolated.
    /// </summary>
    private async Task<LabRunResult> RunUnisolatedAsync(Lab lab, string folder, bool reference, CancellationToken cancellationToken)
    {
        string tests = Path.Combine("labs", lab.Manifest.Slug, "tests");
        string source = Path.Combine("labs", lab.Manifest.Slug, "src");
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = Path.Combine(folder, "home"),
            ["TMPDIR"] = Path.Combine(folder, "tmp"),
            ["DOTNET_CLI_HOME"] = Path.Combine(folder, "home"),
            ["DOTNET_GCHeapHardLimit"] = "0x" + sandbox.Limits.HeapBytes.ToString("x", CultureInfo.InvariantCulture),
        };
        var build = await BoundedRun.RunAsync("dotnet",
            ["build", reference ? tests : source, "-nologo", "-v", "q", "-clp:NoSummary", "-p:DependOnSolutions=true", "-p:TreatWarningsAsErrors=false", "-nodeReuse:false"],
            folder, options.BuildLimit, sandbox.Limits.OutputBytes, cancellationToken);
        if (build.TimedOut || build.ExitCode != 0)
        {
            return new LabRunResult(0, build.TimedOut ? 124 : build.ExitCode, null, build.Elapsed.TotalSeconds, 0, null, null, build.Output, build.OutputBytes, false, false, false, false);
        }

        string output = Path.Combine("bin", Pivot, "Debug", "net10.0");
        if (reference)
        {
            _compiledTests[lab.Id] = Path.Combine(folder, tests, output);
        }
        else
        {
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
        var run = await BoundedRun.RunAsync("dotnet", [lab.Manifest.Project + ".Tests.dll", "-xml", report, "-noColor", "-noLogo", "-maxThreads", "2"],
            Path.Combine(folder, tests, output), options.LabLimit, sandbox.Limits.OutputBytes, cancellationToken, environment);
        string? text = run.TimedOut ? null : SafeFiles.ReadText(report, sandbox.Limits.ReportBytes, out _);
        return new LabRunResult(0, 0, run.TimedOut ? 124 : run.ExitCode, build.Elapsed.TotalSeconds, run.Elapsed.TotalSeconds, text,
            text is null ? "the report was missing, a link or not a regular file" : null, run.Output, run.OutputBytes, false, false, false, false);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // left for the instructor to remove
        }
    }

    private static string Tail(string log) =>
        string.Join(" | ", log.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3).Select(l => l.Trim()).Select(l => l.Length > 300 ? l[..300] + "…" : l));

    private static string Shorten(string? message)
    {
        if (message is null)
        {
            return "";
        }

        var lines = message.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        return string.Join('\n', lines.Take(12).Select(l => l.Length > 2000 ? l[..2000] + "…" : l)) + (lines.Length > 12 ? "\n…" : "");
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

    /// <summary>A file-name-safe form of a student's name (see <see cref="Reports.FileNames"/> for names unique in a class).</summary>
    public static string Safe(string name) => Reports.FileStem(name);
}

/// <summary>A child process with a wall clock and a byte-bounded output (the unisolated path).</summary>
internal static class BoundedRun
{
    public sealed record Result(int ExitCode, string Output, long OutputBytes, bool TimedOut, TimeSpan Elapsed);

    public static async Task<Result> RunAsync(string file, IReadOnlyList<string> arguments, string directory, TimeSpan limit, long outputBytes,
        CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new System.Diagnostics.ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var process = System.Diagnostics.Process.Start(info) ?? throw new WorkbookException("Cannot start " + file);
        process.StandardInput.Close();
        var output = new BoundedBuffer(outputBytes);
        var reading = Task.WhenAll(output.DrainAsync(process.StandardOutput.BaseStream), output.DrainAsync(process.StandardError.BaseStream));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // ended meanwhile
            }
        }

        await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None));
        cancellationToken.ThrowIfCancellationRequested();
        return new Result(timedOut ? -1 : process.ExitCode, output.ToText(), output.Total, timedOut, watch.Elapsed);
    }
}
