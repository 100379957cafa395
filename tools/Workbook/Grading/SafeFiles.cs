using System.Text;

namespace Workbook.Grading;

/// <summary>
/// Reading what a student made without trusting it: no link is ever followed, nothing but regular files is
/// opened (a fifo or a device would block or never end), and every read is bounded in size.
/// </summary>
public static class SafeFiles
{
    /// <summary>The most bytes one source file may have (a lab's file is a few kB).</summary>
    public const long MaxSourceBytes = 2_000_000;

    /// <summary>The most source files one lab's src may hold.</summary>
    public const int MaxSourceFiles = 500;

    /// <summary>
    /// True when <paramref name="path"/> is a non-empty file and not a link. Fifos, sockets and devices have a size of
    /// 0 in their status (only regular files carry one), so they are never opened: opening a fifo blocks, reading a
    /// device never ends.
    /// </summary>
    public static bool IsRegularFile(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && info.LinkTarget is null && (info.Attributes & (FileAttributes.Directory | FileAttributes.Device | FileAttributes.ReparsePoint)) == 0 && info.Length > 0;
    }

    /// <summary>The first segment of <paramref name="relative"/> under <paramref name="root"/> that is a link, or null.</summary>
    public static string? LinkOnTheWay(string root, string relative)
    {
        string current = root;
        var info = new DirectoryInfo(root);
        if (info.LinkTarget is not null)
        {
            return root;
        }

        foreach (var part in relative.Split('/', '\\').Where(p => p.Length > 0))
        {
            current = Path.Combine(current, part);
            var here = new FileInfo(current);
            if (here.LinkTarget is not null)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>
    /// Copies the .cs files under <paramref name="from"/> to <paramref name="to"/>, keeping folders, without following links
    /// or opening anything but regular files. Returns what was left out, in words.
    /// </summary>
    public static IReadOnlyList<string> CopySources(string from, string to)
    {
        var skipped = new List<string>();
        int copied = 0;
        var pending = new Stack<string>([from]);
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0 };
        while (pending.TryPop(out var folder))
        {
            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", options))
            {
                string relative = Path.GetRelativePath(from, entry.FullName).Replace('\\', '/');
                if (entry.LinkTarget is not null)
                {
                    skipped.Add($"{relative} is a link (to {entry.LinkTarget}): not followed");
                    continue;
                }

                if (entry is DirectoryInfo directory)
                {
                    if (folder != from || directory.Name is not ("bin" or "obj"))
                    {
                        pending.Push(directory.FullName);
                    }

                    continue;
                }

                if (!entry.Name.EndsWith(".cs", StringComparison.Ordinal))
                {
                    continue;
                }

                if (!IsRegularFile(entry.FullName))
                {
                    skipped.Add($"{relative} is empty or not a regular file: left out");
                    continue;
                }

                var file = (FileInfo)entry;
                if (file.Length > MaxSourceBytes)
                {
                    skipped.Add($"{relative} has {file.Length} bytes, more than {MaxSourceBytes}: left out");
                    continue;
                }

                if (++copied > MaxSourceFiles)
                {
                    skipped.Add($"more than {MaxSourceFiles} source files: the rest left out");
                    return skipped;
                }

                string destination = Path.Combine(to, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                using var source = OpenBounded(entry.FullName);
                using var target = File.Create(destination);
                CopyAtMost(source, target, MaxSourceBytes);
            }
        }

        return skipped;
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes of a regular file as text; null when it is not one (a link, a fifo, a device).</summary>
    public static string? ReadText(string path, long limit, out bool truncated)
    {
        truncated = false;
        if (!IsRegularFile(path))
        {
            return null;
        }

        using var stream = OpenBounded(path);
        using var buffer = new MemoryStream();
        truncated = CopyAtMost(stream, buffer, limit);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static FileStream OpenBounded(string path) =>
        // Checked by IsRegularFile just before, on files no student process can change any more (their sandbox is gone).
        new(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite, Options = FileOptions.None });

    /// <summary>Copies up to <paramref name="limit"/> bytes; true when there was more.</summary>
    private static bool CopyAtMost(Stream from, Stream to, long limit)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = from.Read(buffer, 0, (int)Math.Min(buffer.Length, limit - total + 1))) > 0)
        {
            int keep = (int)Math.Min(read, limit - total);
            to.Write(buffer, 0, keep);
            total += keep;
            if (keep < read)
            {
                return true;
            }
        }

        return false;
    }
}
