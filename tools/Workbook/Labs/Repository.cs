namespace Workbook.Labs;

/// <summary>The workbook's repository: its root and its labs.</summary>
public sealed class Repository
{
    private Repository(string root)
    {
        Root = root;
    }

    public string Root { get; }

    /// <summary>Where the workbook keeps its own state (results, hint levels): ignored by git.</summary>
    public string StateDirectory => Path.Combine(Root, ".workbook");

    /// <summary>Finds the repository from the current folder or the tool's own location.</summary>
    public static Repository Locate()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Labs.sln")) && Directory.Exists(Path.Combine(dir.FullName, "labs")))
                {
                    return new Repository(dir.FullName);
                }
            }
        }

        throw new WorkbookException("Run the workbook from inside its folder (the one with Labs.sln).");
    }

    /// <summary>A repository at a known root (tests).</summary>
    public static Repository At(string root) => new(Path.GetFullPath(root));

    /// <summary>Every lab with a lab.json, in order.</summary>
    public IReadOnlyList<Lab> Labs()
    {
        var labsDir = Path.Combine(Root, "labs");
        if (!Directory.Exists(labsDir))
        {
            return [];
        }

        return Directory.GetDirectories(labsDir)
            .Where(d => File.Exists(Path.Combine(d, "lab.json")))
            .Order(StringComparer.Ordinal)
            .Select(d => new Lab(this, LabManifest.Load(Path.Combine(d, "lab.json"))))
            .ToList();
    }

    /// <summary>The lab a learner means by "1", "01", "01-rtmp-handshake" or "rtmp-handshake".</summary>
    public Lab Find(string name)
    {
        string wanted = name.Trim().TrimEnd('/', '\\');
        wanted = Path.GetFileName(wanted);

        // The usual case, "03" or "3": only that lab's lab.json is read (every command starts here; try is often a quick one-shot).
        if (int.TryParse(wanted, out int number) && Directory.Exists(Path.Combine(Root, "labs")))
        {
            var folders = Directory.GetDirectories(Path.Combine(Root, "labs"), $"{number:00}-*");
            if (folders.Length == 1 && File.Exists(Path.Combine(folders[0], "lab.json")))
            {
                var lab = new Lab(this, LabManifest.Load(Path.Combine(folders[0], "lab.json")));
                if (int.TryParse(lab.Manifest.Id, out int id) && id == number)
                {
                    return lab;
                }
            }
        }

        var labs = Labs();
        var match = labs.FirstOrDefault(l =>
            l.Manifest.Id == wanted ||
            (int.TryParse(wanted, out int n) && int.TryParse(l.Manifest.Id, out int m) && n == m) ||
            l.Manifest.Slug.Equals(wanted, StringComparison.OrdinalIgnoreCase) ||
            l.Manifest.Slug[(l.Manifest.Id.Length + 1)..].Equals(wanted, StringComparison.OrdinalIgnoreCase));
        return match ?? throw new WorkbookException(
            $"There is no lab \"{name}\". Labs: {string.Join(", ", labs.Select(l => l.Manifest.Id + " " + l.Manifest.Title))}.");
    }
}
