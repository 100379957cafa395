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

        foreach (var file in System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal))
            {
                continue;
            }

            if (relative.EndsWith(".cs", StringComparison.Ordinal) || relative.EndsWith(".csproj", StringComparison.Ordinal))
            {
                yield return relative;
            }
        }
    }
}
