using System.Text.Json;
using Workbook.Labs;

namespace Workbook.Running;

/// <summary>Which code a lab's tests build against.</summary>
public enum Target
{
    /// <summary>labs/NN/src: the learner's code (the stubs, in a fresh clone).</summary>
    Student,

    /// <summary>solutions/NN: the reference.</summary>
    Solution,
}

/// <summary>Builds a lab's tests against the learner's code or the solution, runs them, keeps the results.</summary>
public sealed class LabRunner(Repository repository)
{
    /// <summary>How long one lab's whole test run may take before it is killed.</summary>
    public static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(10);

    /// <summary>How long one build may take.</summary>
    public static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(10);

    public static string Pivot(Target target, bool dependOnSolutions) =>
        (target == Target.Solution ? "solution" : "student") + (dependOnSolutions && target == Target.Student ? "-on-solutions" : "");

    /// <summary>The MSBuild properties for a target.</summary>
    public static IEnumerable<string> Properties(Target target, bool dependOnSolutions)
    {
        yield return "-p:LabTarget=" + (target == Target.Solution ? "solution" : "student");
        if (dependOnSolutions)
        {
            yield return "-p:DependOnSolutions=true";
        }
    }

    /// <summary>Builds a project; returns null when it built, else the first compiler errors.</summary>
    public async Task<string?> BuildAsync(string project, Target target, bool dependOnSolutions, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "build", project, "-nologo", "-v", "q", "-clp:NoSummary" };
        arguments.AddRange(Properties(target, dependOnSolutions));
        var result = await ProcessRunner.RunAsync("dotnet", arguments, repository.Root, BuildLimit, cancellationToken);
        if (result.ExitCode == 0)
        {
            return null;
        }

        if (result.TimedOut)
        {
            return $"the build took longer than {BuildLimit.TotalMinutes} minutes and was stopped";
        }

        var errors = ProcessRunner.FirstErrors(result.Output, repository.Root);
        return errors.Count > 0
            ? string.Join('\n', errors)
            : string.Join('\n', result.Output.Split('\n').Where(l => l.Trim().Length > 0).TakeLast(10));
    }

    /// <summary>Builds and runs one lab's tests; saves and returns the results.</summary>
    public async Task<LabRun> RunAsync(Lab lab, Target target, bool dependOnSolutions, CancellationToken cancellationToken, bool build = true, Action<string>? progress = null)
    {
        if (build)
        {
            progress?.Invoke($"building {lab.Name}");
            string? buildError = await BuildAsync(lab.TestsProject, target, dependOnSolutions, cancellationToken);
            if (buildError is not null)
            {
                var failed = new LabRun(lab.Id, TargetName(target), DateTimeOffset.Now, [], buildError, OnSolutions(target, dependOnSolutions));
                Save(failed);
                return failed;
            }
        }

        string dll = Path.Combine(lab.TestsDirectory, "bin", Pivot(target, dependOnSolutions), "Debug", "net10.0", lab.Manifest.Project + ".Tests.dll");
        if (!File.Exists(dll))
        {
            throw new WorkbookException($"The tests of {lab.Name} were built but {Path.GetRelativePath(repository.Root, dll)} is not there.");
        }

        Directory.CreateDirectory(repository.StateDirectory);
        string xml = Path.Combine(repository.StateDirectory, $"{lab.Id}-{Pivot(target, dependOnSolutions)}.xml");
        File.Delete(xml);
        progress?.Invoke($"running {lab.Name}'s tests");
        int finished = 0;
        var result = await ProcessRunner.RunAsync(
            "dotnet", [dll, "-xml", xml, "-noColor", "-noLogo", "-parallel", "collections", "-maxThreads", "2", .. progress is null ? Array.Empty<string>() : ["-reporter", "verbose"]],
            lab.TestsDirectory, RunLimit, cancellationToken,
            onLine: progress is null ? null : (Action<string>)(line =>
            {
                if (IsTestFinished(line))
                {
                    progress($"running {lab.Name}'s tests: {Interlocked.Increment(ref finished)} done");
                }
            }));
        if (!File.Exists(xml))
        {
            string why = result.TimedOut
                ? $"the tests ran longer than {RunLimit.TotalMinutes} minutes and were stopped"
                : "the test program ended without a report:\n" + string.Join('\n', result.Output.Split('\n').TakeLast(15));
            var broken = new LabRun(lab.Id, TargetName(target), DateTimeOffset.Now, [], why, OnSolutions(target, dependOnSolutions));
            Save(broken);
            return broken;
        }

        var run = new LabRun(lab.Id, TargetName(target), DateTimeOffset.Now, XunitXml.Parse(File.ReadAllText(xml)), null, OnSolutions(target, dependOnSolutions));
        Save(run);
        return run;
    }

    /// <summary>True for the verbose reporter's line that ends one test: "    Ns.Class.Method [FINISHED] Time: 0.02s".</summary>
    internal static bool IsTestFinished(string line) => line.Contains(" [FINISHED] Time:", StringComparison.Ordinal);

    /// <summary>
    /// The last saved run of a lab, if any; <paramref name="onSolutions"/> asks for the learner's last run built on the
    /// reference versions of earlier labs (<c>--depend-on-solutions</c>), which is kept apart from the plain one.
    /// </summary>
    public LabRun? Last(Lab lab, Target target, bool onSolutions = false)
    {
        string path = ResultPath(lab.Id, Pivot(target, onSolutions));
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<LabRun>(File.ReadAllText(path));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Save(LabRun run)
    {
        Directory.CreateDirectory(repository.StateDirectory);
        File.WriteAllText(ResultPath(run.LabId, run.Target + (run.OnSolutions ? "-on-solutions" : "")), JsonSerializer.Serialize(run, new JsonSerializerOptions { WriteIndented = true }));
    }

    private string ResultPath(string labId, string target) => Path.Combine(repository.StateDirectory, $"{labId}-{target}.json");

    private static bool OnSolutions(Target target, bool dependOnSolutions) => dependOnSolutions && target == Target.Student;

    private static string TargetName(Target target) => target == Target.Solution ? "solution" : "student";
}
