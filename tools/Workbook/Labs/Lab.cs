namespace Workbook.Labs;

/// <summary>One lab and where its parts live.</summary>
public sealed class Lab(Repository repository, LabManifest manifest)
{
    public Repository Repository { get; } = repository;

    public LabManifest Manifest { get; } = manifest;

    public string Id => Manifest.Id;

    /// <summary>"Lab 01".</summary>
    public string Name => "Lab " + Manifest.Id;

    public string Directory => Path.Combine(Repository.Root, "labs", Manifest.Slug);

    /// <summary>The learner's code.</summary>
    public string SourceDirectory => Path.Combine(Directory, "src");

    public string TestsDirectory => Path.Combine(Directory, "tests");

    public string SolutionDirectory => Path.Combine(Repository.Root, "solutions", Manifest.Slug);

    public string SourceProject => Path.Combine(SourceDirectory, Manifest.Project + ".csproj");

    public string SolutionProject => Path.Combine(SolutionDirectory, Manifest.Project + ".csproj");

    public string TestsProject => Path.Combine(TestsDirectory, Manifest.Project + ".Tests.csproj");

    public string HintsFile => Path.Combine(Directory, "HINTS.md");

    public string ReadmeFile => Path.Combine(Directory, "README.md");

    /// <summary>The milestone a trait value like "M2 server handshake" belongs to.</summary>
    public Milestone? MilestoneOf(string? trait)
    {
        if (string.IsNullOrWhiteSpace(trait))
        {
            return null;
        }

        string id = trait.Split(' ', 2)[0];
        return Manifest.Milestones.FirstOrDefault(m => m.Id.Equals(id, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The milestone a learner means by "M2", "m2" or "2".</summary>
    public Milestone FindMilestone(string name)
    {
        string wanted = name.Trim();
        if (!wanted.StartsWith('M') && !wanted.StartsWith('m'))
        {
            wanted = "M" + wanted;
        }

        return Manifest.Milestones.FirstOrDefault(m => m.Id.Equals(wanted, StringComparison.OrdinalIgnoreCase))
            ?? throw new WorkbookException($"{Name} has no milestone \"{name}\". Milestones: {string.Join(", ", Manifest.Milestones.Select(m => m.Id + " " + m.Title))}.");
    }

    /// <summary>The learner's C# files (relative paths), bin and obj left out.</summary>
    public IEnumerable<string> SourceFiles() => CodeFiles(SourceDirectory);

    /// <summary>The reference solution's files (relative paths), bin and obj left out.</summary>
    public IEnumerable<string> SolutionFiles() => CodeFiles(SolutionDirectory);

    /// <summary>The files of a project folder that are code or project files, as paths relative to it.</summary>
    public static IEnumerable<string> CodeFiles(string root)
    {
        if (!System.IO.Directory.Exists(root))
        {
            yield break;
        }

        // bin/ and obj/ hold thousands of build outputs: they are never walked, not just filtered out.
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var files = new List<string>();
        var folders = new Stack<string>([root]);
        while (folders.TryPop(out string? folder))
        {
            foreach (string file in System.IO.Directory.EnumerateFiles(folder, "*", options))
            {
                if (file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".csproj", StringComparison.Ordinal))
                {
                    files.Add(Path.GetRelativePath(root, file).Replace('\\', '/'));
                }
            }

            foreach (string sub in System.IO.Directory.EnumerateDirectories(folder, "*", options))
            {
                if (folder != root || Path.GetFileName(sub) is not ("bin" or "obj"))
                {
                    folders.Push(sub);
                }
            }
        }

        foreach (string relative in files.Order(StringComparer.Ordinal))
        {
            yield return relative;
        }
    }
}
