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
    /// <summary>A plain <c>try NN …</c> command line: the lab, the two options of try itself, the rest for the lab's tool in order.</summary>
    public sealed record PlainTry(string Lab, string[] Arguments, bool Solution, bool DependOnSolutions);

    /// <summary>
    /// Reads <c>try NN [--solution] [--depend-on-solutions] …</c> without System.CommandLine, as it would: the two options
    /// wherever they stand, every other token for the lab's tool in order. Null when the line is anything else — another
    /// command, no lab, a request for help, a response file — which the full parser then handles.
    /// </summary>
    public static PlainTry? Plain(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length < 2 || args[0] is not ("try" or "serve") || args[1].StartsWith('-') || args[1].StartsWith('@')
            || args.Any(a => a is "-h" or "--help" or "-?" or "/?" or "/h" or "--"))
        {
            return null;
        }

        var rest = args.Skip(2).Where(a => a is not ("--solution" or "--depend-on-solutions")).ToArray();
        return new PlainTry(args[1], rest, args.Contains("--solution"), args.Contains("--depend-on-solutions"));
    }

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
        // Plain text, not Spectre markup: the console library's first use costs ~0.1 s, and try is often a quick one-shot.
        Console.Out.WriteLine(lab.Manifest.Try.Description + " Ctrl+C stops it.");
        try
        {
            // Console.Out writes 256 characters at a time (a system call each: 1,400 for a long --tags table); this writer
            // still flushes after every write, so a server's log lines come out at once.
            var encoding = Console.OutputEncoding.CodePage == 65001 ? new System.Text.UTF8Encoding(false) : Console.OutputEncoding;
            using var output = new StreamWriter(Console.OpenStandardOutput(), encoding, 1 << 16) { AutoFlush = true };
            var task = (Task<int>)entry.Invoke(null, [arguments, output, cancellationToken])!;
            return await task;
        }
        catch (Exception e) when (Unwrap(e) is NotImplementedException missing)
        {
            Ui.Error($"This needs a part you have not built yet: {missing.Message}");
            Ui.Info(Advice(lab, missing.Message, arguments));
            return 1;
        }
        catch (Exception e) when (Unwrap(e) is OperationCanceledException)
        {
            return 0;
        }
    }

    /// <summary>
    /// What to do about a stub the tool ran into: build it, or — when it belongs to an earlier lab this one builds on —
    /// run on the reference versions of the earlier labs (<c>--depend-on-solutions</c>).
    /// </summary>
    internal static string Advice(Lab lab, string message, IReadOnlyList<string> arguments)
    {
        var owner = System.Text.RegularExpressions.Regex.Match(message, @"^Lab (\d\d) · ");
        string rest = string.Join(' ', arguments);
        return owner.Success && owner.Groups[1].Value != lab.Id
            ? $"That is Lab {owner.Groups[1].Value}, which {lab.Name} builds on. Finish it ({Ui.Command("check " + owner.Groups[1].Value)}), " +
              $"or run {lab.Name} on the reference versions of the earlier labs: {Ui.Command($"try {lab.Id} --depend-on-solutions {rest}".TrimEnd())}"
            : $"Build it ({Ui.Command("check " + lab.Id)}), or try the reference: {Ui.Command($"try {lab.Id} --solution {rest}".TrimEnd())}";
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
            if (!output.Exists || output.LastWriteTimeUtc < shared || output.LastWriteTimeUtc < NewestCode(directory))
            {
                return false;
            }

            // <LabReference Include="02-rtmp-chunks" Assembly="Lab02.RtmpChunks" />, read without a regex (start-up time).
            string xml = File.ReadAllText(current);
            for (int at = xml.IndexOf("<LabReference", StringComparison.Ordinal); at >= 0; at = xml.IndexOf("<LabReference", at + 1, StringComparison.Ordinal))
            {
                int end = xml.IndexOf('>', at);
                string element = end < 0 ? xml[at..] : xml[at..end];
                if (Attribute(element, "Include") is not { } slug || Attribute(element, "Assembly") is not { } assembly)
                {
                    return false;
                }

                bool solutionProject = current.StartsWith(Path.Combine(repository.Root, "solutions") + Path.DirectorySeparatorChar, StringComparison.Ordinal);
                pending.Push(fromSolutions || solutionProject
                    ? Path.Combine(repository.Root, "solutions", slug, assembly + ".csproj")
                    : Path.Combine(repository.Root, "labs", slug, "src", assembly + ".csproj"));
            }
        }

        return true;
    }

    /// <summary>The last write time of the newest .cs or .csproj file of a project folder, bin/ and obj/ left out (as <see cref="Lab.CodeFiles"/>).</summary>
    private static DateTime NewestCode(string root)
    {
        var newest = DateTime.MinValue;
        var folders = new Stack<(DirectoryInfo Folder, bool Top)>([(new DirectoryInfo(root), true)]);
        while (folders.TryPop(out var next))
        {
            foreach (var entry in next.Folder.EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo sub)
                {
                    if (!next.Top || sub.Name is not ("bin" or "obj"))
                    {
                        folders.Push((sub, false));
                    }
                }
                else if ((entry.Name.EndsWith(".cs", StringComparison.Ordinal) || entry.Name.EndsWith(".csproj", StringComparison.Ordinal)) && entry.LastWriteTimeUtc > newest)
                {
                    newest = entry.LastWriteTimeUtc;
                }
            }
        }

        return newest;
    }

    /// <summary>The value of name="value" in an element's text, or null.</summary>
    private static string? Attribute(string element, string name)
    {
        int at = element.IndexOf(" " + name + "=\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        int start = at + name.Length + 3;
        int end = element.IndexOf('"', start);
        return end < 0 ? null : element[start..end];
    }

    private static Exception Unwrap(Exception e) =>
        e is TargetInvocationException { InnerException: { } inner } ? Unwrap(inner)
        : e is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0])
        : e;
}
