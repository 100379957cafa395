using System.Text.RegularExpressions;
using Workbook.Labs;

namespace Workbook.Grading;

/// <summary>
/// A fresh, minimal copy of the workbook for grading one lab of one submission: the instructor's
/// build files, test data and reference solutions of earlier labs, plus the student's C# files of
/// that lab's src/ and nothing else of theirs (not their tests, not their project or build files).
/// The reference run's folder also holds the test kit and the pristine tests, compiled once.
/// </summary>
public static partial class WorkFolder
{
    [GeneratedRegex(@"<LabReference\s+Include=""(?<slug>[^""]+)""")]
    private static partial Regex LabReference();

    /// <summary>Files of the instructor's repository root every build needs.</summary>
    private static readonly string[] RootFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "Labs.sln"];

    /// <summary>Makes the folder; returns what of the student's code was left out (links, special files, giant files), in words.</summary>
    public static IReadOnlyList<string> Create(Repository repository, Lab lab, string theirSource, string folder, string? hiddenTests, bool withTests)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        foreach (var file in RootFiles.Where(f => File.Exists(Path.Combine(repository.Root, f))))
        {
            File.Copy(Path.Combine(repository.Root, file), Path.Combine(folder, file));
        }

        CopyTree(Path.Combine(repository.Root, "testdata"), Path.Combine(folder, "testdata"));
        string labFolder = Path.Combine(folder, "labs", lab.Manifest.Slug);
        if (withTests)
        {
            CopyTree(Path.Combine(repository.Root, "tools", "TestKit"), Path.Combine(folder, "tools", "TestKit"));
            CopyTree(lab.TestsDirectory, Path.Combine(labFolder, "tests"));
        }

        Directory.CreateDirectory(labFolder);
        File.Copy(Path.Combine(lab.Directory, "lab.json"), Path.Combine(labFolder, "lab.json"));

        // The student's code: their .cs files, under the instructor's project file.
        string source = Path.Combine(labFolder, "src");
        Directory.CreateDirectory(source);
        File.Copy(lab.SourceProject, Path.Combine(source, Path.GetFileName(lab.SourceProject)));
        var skipped = SafeFiles.CopySources(theirSource, source);
        // Earlier labs this lab builds on: the reference solutions, so each lab is graded on its own.
        foreach (var slug in EarlierLabs(repository, lab.Manifest.Slug))
        {
            CopyTree(Path.Combine(repository.Root, "solutions", slug), Path.Combine(folder, "solutions", slug));
        }

        if (withTests && hiddenTests is not null && Directory.Exists(Path.Combine(hiddenTests, lab.Manifest.Slug)))
        {
            CopyTree(Path.Combine(hiddenTests, lab.Manifest.Slug), Path.Combine(labFolder, "tests", "Hidden"));
        }

        Directory.CreateDirectory(Path.Combine(folder, "home"));
        Directory.CreateDirectory(Path.Combine(folder, "tmp"));
        return skipped;
    }

    /// <summary>Every lab a lab's solution references, directly or through others.</summary>
    private static IEnumerable<string> EarlierLabs(Repository repository, string slug)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([slug]);
        while (pending.Count > 0)
        {
            string current = pending.Pop();
            string folder = Path.Combine(repository.Root, "solutions", current);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var project in Directory.GetFiles(folder, "*.csproj"))
            {
                foreach (Match match in LabReference().Matches(File.ReadAllText(project)))
                {
                    string earlier = match.Groups["slug"].Value;
                    if (seen.Add(earlier))
                    {
                        pending.Push(earlier);
                    }
                }
            }
        }

        return seen;
    }

    private static void CopyTree(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal) ||
                relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal))
            {
                continue;
            }

            string destination = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }
}
