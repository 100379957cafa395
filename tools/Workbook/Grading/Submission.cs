using System.IO.Compression;

namespace Workbook.Grading;

/// <summary>One student's copy of the repository: a folder, or a zip unpacked into one.</summary>
public sealed record Submission(string Name, string Root);

/// <summary>Finds the submissions in what an instructor points the grader at.</summary>
public static class Submissions
{
    /// <summary>The most a zip may unpack to: a repository is small, a zip bomb is not.</summary>
    public const long MaxUnpackedBytes = 200L * 1024 * 1024;

    /// <summary>The most entries a zip may hold.</summary>
    public const int MaxEntries = 20_000;

    /// <summary>
    /// A folder holding labs/ is one submission; a zip is one submission; any other folder holds
    /// submissions, one per subfolder or zip. Zips are unpacked under <paramref name="unpackTo"/>.
    /// </summary>
    public static IReadOnlyList<Submission> Find(string path, string unpackTo)
    {
        path = Path.GetFullPath(path);
        if (File.Exists(path) && path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            return [Unzip(path, unpackTo)];
        }

        if (!Directory.Exists(path))
        {
            throw new WorkbookException($"No submissions at {path}: give a folder of submissions, one submission's folder, or a zip.");
        }

        if (IsRepository(path))
        {
            return [new Submission(Path.GetFileName(path), path)];
        }

        var found = new List<Submission>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(path).Order(StringComparer.Ordinal))
        {
            if (Directory.Exists(entry))
            {
                found.Add(new Submission(Path.GetFileName(entry), Locate(entry)));
            }
            else if (entry.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                found.Add(Unzip(entry, unpackTo));
            }
        }

        if (found.Count == 0)
        {
            throw new WorkbookException($"{path} holds no submissions (folders or zips of a student's repository).");
        }

        return found;
    }

    private static bool IsRepository(string folder) => Directory.Exists(Path.Combine(folder, "labs"));

    /// <summary>The repository inside a submission folder (GitHub zips wrap it in one more folder).</summary>
    private static string Locate(string folder)
    {
        if (IsRepository(folder))
        {
            return folder;
        }

        var children = Directory.GetDirectories(folder);
        return children.Length == 1 && IsRepository(children[0]) ? children[0] : folder;
    }

    private static Submission Unzip(string zip, string unpackTo)
    {
        string name = Path.GetFileNameWithoutExtension(zip);
        string target = Path.Combine(unpackTo, name);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.CreateDirectory(target);
        string root = Path.GetFullPath(target) + Path.DirectorySeparatorChar;
        using var archive = ZipFile.OpenRead(zip);
        if (archive.Entries.Count > MaxEntries)
        {
            throw new WorkbookException($"{Path.GetFileName(zip)} has {archive.Entries.Count} entries, more than {MaxEntries}: not unpacked.");
        }

        long total = 0;
        foreach (var entry in archive.Entries)
        {
            total += entry.Length;
            if (total > MaxUnpackedBytes)
            {
                throw new WorkbookException($"{Path.GetFileName(zip)} unpacks to more than {MaxUnpackedBytes / (1024 * 1024)} MB: not unpacked.");
            }

            string destination = Path.GetFullPath(Path.Combine(target, entry.FullName));
            if (!destination.StartsWith(root, StringComparison.Ordinal))
            {
                throw new WorkbookException($"{Path.GetFileName(zip)}: the entry {entry.FullName} points outside the submission: not unpacked.");
            }

            if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\'))
            {
                Directory.CreateDirectory(destination);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            entry.ExtractToFile(destination, overwrite: true);
        }

        return new Submission(name, Locate(target));
    }
}
