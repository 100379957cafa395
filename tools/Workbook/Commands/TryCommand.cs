using System.Reflection;
using Spectre.Console;
using Workbook.Labs;
using Workbook.Running;

namespace Workbook.Commands;

/// <summary>
/// Runs a lab's code as a small tool on the learner's own input (a port, a file). The lab's assembly
/// is built, loaded, and its <c>…TryTool.RunAsync(string[] args, TextWriter output, CancellationToken)</c> called.
/// </summary>
public static class TryCommand
{
    public static async Task<int> RunAsync(Repository repository, string labName, string[] arguments, bool solution, bool dependOnSolutions, CancellationToken cancellationToken)
    {
        var lab = repository.Find(labName);
        if (lab.Manifest.Try is null)
        {
            throw new WorkbookException($"{lab.Name} has no tool to try.");
        }

        var target = solution ? Target.Solution : Target.Student;
        string project = solution ? lab.SolutionProject : lab.SourceProject;
        var runner = new LabRunner(repository);
        string dll = solution
            ? Path.Combine(lab.SolutionDirectory, "bin", "Debug", "net10.0", lab.Manifest.Project + ".dll")
            : Path.Combine(lab.SourceDirectory, "bin", LabRunner.Pivot(target, dependOnSolutions), "Debug", "net10.0", lab.Manifest.Project + ".dll");
        if (!UpToDate(repository, project, Path.GetDirectoryName(dll)!, fromSolutions: solution || dependOnSolutions))
        {
            string? error = await Ui.Step($"Building {lab.Name} ({(solution ? "reference solution" : "your code")})",
                () => runner.BuildAsync(project, target, dependOnSolutions, cancellationToken));
            if (error is not null)
            {
                Ui.Error($"{lab.Name} does not build:");
                AnsiConsole.WriteLine(error);
                return 1;
            }
        }

        var context = new LabLoadContext(dll);
        var assembly = context.LoadFromAssemblyPath(dll);
        var entry = (lab.Manifest.Try.Entry is { } name ? assembly.GetType(name) : assembly.GetExportedTypes().FirstOrDefault(t => t.Name.EndsWith("TryTool", StringComparison.Ordinal)))
            ?.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static, [typeof(string[]), typeof(TextWriter), typeof(CancellationToken)])
            ?? throw new WorkbookException($"{lab.Name} has no public static TryTool.RunAsync(string[], TextWriter, CancellationToken).");
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(lab.Manifest.Try.Description)} Ctrl+C stops it.[/]");
        try
        {
            var task = (Task<int>)entry.Invoke(null, [arguments, Console.Out, cancellationToken])!;
            return await task;
        }
        catch (Exception e) when (Unwrap(e) is NotImplementedException missing)
        {
            Ui.Error($"This needs a part of {lab.Name} you have not built yet: {missing.Message}");
            AnsiConsole.MarkupLine($"Build it ({Markup.Escape(Ui.Command("check " + lab.Id))}), or try the reference: {Markup.Escape(Ui.Command($"try {lab.Id} --solution"))}");
            return 1;
        }
        catch (Exception e) when (Unwrap(e) is OperationCanceledException)
        {
            return 0;
        }
    }

    /// <summary>
    /// True when the lab's build output is newer than everything it is built from, so the build (about 3 s even when
    /// nothing changed) can be skipped: every project in the chain — the lab and the earlier labs it references, the
    /// learner's or the reference versions as the build would pick them — has its assembly in <paramref name="outputDirectory"/>
    /// (the build copies them there with their times) written after each of its .cs and .csproj files and the repository's
    /// shared build files.
    /// </summary>
    internal static bool UpToDate(Repository repository, string project, string outputDirectory, bool fromSolutions)
    {
        var shared = new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config" }
            .Select(f => Path.Combine(repository.Root, f)).Where(File.Exists).Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.MinValue).Max();
        var pending = new Stack<string>([project]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryPop(out string? current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            if (!File.Exists(current))
            {
                return false;
            }

            string directory = Path.GetDirectoryName(current)!;
            var output = new FileInfo(Path.Combine(outputDirectory, Path.GetFileNameWithoutExtension(current) + ".dll"));
            var inputs = Lab.CodeFiles(directory).Select(f => File.GetLastWriteTimeUtc(Path.Combine(directory, f))).Append(shared).Max();
            if (!output.Exists || output.LastWriteTimeUtc < inputs)
            {
                return false;
            }

            foreach (System.Text.RegularExpressions.Match reference in System.Text.RegularExpressions.Regex.Matches(
                         File.ReadAllText(current), @"<LabReference\s+Include=""([^""]+)""\s+Assembly=""([^""]+)"""))
            {
                string slug = reference.Groups[1].Value, assembly = reference.Groups[2].Value;
                bool solutionProject = current.StartsWith(Path.Combine(repository.Root, "solutions") + Path.DirectorySeparatorChar, StringComparison.Ordinal);
                pending.Push(fromSolutions || solutionProject
                    ? Path.Combine(repository.Root, "solutions", slug, assembly + ".csproj")
                    : Path.Combine(repository.Root, "labs", slug, "src", assembly + ".csproj"));
            }
        }

        return true;
    }

    private static Exception Unwrap(Exception e) =>
        e is TargetInvocationException { InnerException: { } inner } ? Unwrap(inner)
        : e is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0])
        : e;
}
