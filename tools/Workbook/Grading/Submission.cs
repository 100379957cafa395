using System.IO.Compression;

namespace Workbook.Grading;

/// <summary>
/// One student's copy of the repository: a folder, or a zip unpacked into one. <paramref name="Problem"/> says why it
/// cannot be graded (a bad zip): that student gets a row with the reason and nothing of theirs is run.
/// </summary>
public sealed record Submission(string Name, string Root, string? Problem = null);

/// <summary>Finds the submissions in what an instructor points the grader at.</summary>
public static class Submissions
{
    /// <summary>The most a zip may unpack to, counted as it unpacks (a zip's own sizes may lie): a repository is small, a zip bomb is not.</summary>
    public const long MaxUnpackedBytes = 200L * 1024 * 1024;

    /// <summary>The most entries a zip may hold.</summary>
    public const int MaxEntries = 20_000;

    /// <summary>
    /// A folder holding labs/ is one submission; a zip is one submission; any other folder holds
    /// submissions, one per subfolder or zip. Zips are unpacked under <paramref name="unpackTo"/>.
    /// Names are unique: a folder and a zip of the same name are two students ("ada" and "ada.zip").
    /// </summary>
    public static IReadOnlyList<Submission> Find(string path, string unpackTo)
    {
        path = Path.GetFullPath(path);
        if (File.Exists(path) && path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            return [Unzip(path, Path.GetFileNameWithoutExtension(path), unpackTo)];
        }

        if (!Directory.Exists(path))
        {
            throw new WorkbookException($"No submissions at {path}: give a folder of submissions, one submission's folder, or a zip.");
        }

        if (IsRepository(path))
        {
            return [new Submission(Path.GetFileName(path), path)];
        }

        var entries = Directory.EnumerateFileSystemEntries(path).Order(StringComparer.Ordinal).ToList();
        var folders = entries.Where(Directory.Exists).Select(Path.GetFileName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var found = new List<Submission>();
        foreach (var entry in entries)
        {
            string name = Path.GetFileName(entry);
            if (new FileInfo(entry).LinkTarget is not null || new DirectoryInfo(entry).LinkTarget is not null)
            {
                found.Add(new Submission(name, entry, "the submission is a link (to " + (new FileInfo(entry).LinkTarget ?? new DirectoryInfo(entry).LinkTarget) + "): not followed, not graded"));
            }
            else if (Directory.Exists(entry))
            {
                found.Add(new Submission(name, Locate(entry)));
            }
            else if (entry.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                string stem = Path.GetFileNameWithoutExtension(entry);
                found.Add(Unzip(entry, folders.Contains(stem) ? name : stem, unpackTo));
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
        return children.Length == 1 && new DirectoryInfo(children[0]).LinkTarget is null && IsRepository(children[0]) ? children[0] : folder;
    }

    /// <summary>Unpacks one zip; anything wrong with it becomes the submission's problem, never an exception.</summary>
    private static Submission Unzip(string zip, string name, string unpackTo)
    {
        string target = Path.Combine(unpackTo, Reports.FileStem(name));
        try
        {
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.CreateDirectory(target);
            string? problem = Extract(zip, target);
            if (problem is not null)
            {
                Directory.Delete(target, recursive: true);
                return new Submission(name, target, $"{Path.GetFileName(zip)}: {problem}: not unpacked, not graded");
            }

            return new Submission(name, Locate(target));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            try
            {
                Directory.Delete(target, recursive: true);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // left for the instructor
            }

            return new Submission(name, target, $"{Path.GetFileName(zip)} is not a readable zip ({e.Message}): not graded");
        }
    }

    private static string? Extract(string zip, string target)
    {
        string root = Path.GetFullPath(target) + Path.DirectorySeparatorChar;
        using var archive = ZipFile.OpenRead(zip);
        if (archive.Entries.Count > MaxEntries)
        {
            return $"{archive.Entries.Count} entries, more than {MaxEntries}";
        }

        long total = 0;
        var buffer = new byte[81920];
        foreach (var entry in archive.Entries)
        {
            string entryName = entry.FullName.Replace('\\', '/');
            if (entryName.StartsWith('/') || Path.IsPathRooted(entryName) || entryName.Contains(':', StringComparison.Ordinal))
            {
                return $"the entry {entry.FullName} has an absolute path";
            }

            string destination = Path.GetFullPath(Path.Combine(target, entryName));
            if (!destination.StartsWith(root, StringComparison.Ordinal) && destination + Path.DirectorySeparatorChar != root)
            {
                return $"the entry {entry.FullName} points outside the submission";
            }

            if (entryName.EndsWith('/'))
            {
                Directory.CreateDirectory(destination);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            using var from = entry.Open();
            using var to = new FileStream(destination, FileMode.CreateNew, FileAccess.Write);
            int read;
            while ((read = from.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += read;
                if (total > MaxUnpackedBytes)
                {
                    return $"unpacks to more than {MaxUnpackedBytes / (1024 * 1024)} MB (a zip bomb?)";
                }

                to.Write(buffer, 0, read);
            }
        }

        return null;
    }
}
