using Workbook.Setup;

namespace Workbook.Grading;

/// <summary>
/// Runs untrusted test runs apart from the machine. On Linux, where user namespaces are allowed, a run
/// gets its own network (loopback only), its own process tree (every process dies with it), a
/// read-only view of the file system with its work folder the one writable place, and the
/// instructor's repository, the submissions and the home folder hidden. Everywhere, a run has a
/// wall-clock limit and a managed-heap limit.
/// </summary>
public sealed class Sandbox
{
    /// <summary>The managed-heap limit of one test run (DOTNET_GCHeapHardLimit), 1.5 GiB.</summary>
    public const long HeapLimitBytes = 1536L * 1024 * 1024;

    private Sandbox(bool isolated, string description)
    {
        IsIsolated = isolated;
        Description = description;
    }

    /// <summary>True when runs get namespaces; false when only limits apply.</summary>
    public bool IsIsolated { get; }

    /// <summary>What this machine allowed, for the report.</summary>
    public string Description { get; }

    /// <summary>Works out what isolation this machine allows by trying it.</summary>
    public static async Task<Sandbox> DetectAsync(CancellationToken cancellationToken)
    {
        string limits = $"wall-clock limit per lab, process tree killed on overrun, managed heap capped at {HeapLimitBytes / (1024 * 1024)} MB";
        if (!OperatingSystem.IsLinux() || Prerequisites.RealTool("unshare") is null || !Directory.Exists("/mnt"))
        {
            return new Sandbox(false, "no namespaces on this system: " + limits);
        }

        var probe = await Running.ProcessRunner.RunAsync("unshare", [.. Flags, "sh", "-c", "mount -o remount,bind,ro / && echo isolated"],
            Environment.CurrentDirectory, TimeSpan.FromSeconds(20), cancellationToken);
        return probe.ExitCode == 0 && probe.Output.Contains("isolated", StringComparison.Ordinal)
            ? new Sandbox(true, "Linux namespaces: no network but loopback, own process tree, read-only file system but the work folder, repository and submissions hidden; " + limits)
            : new Sandbox(false, "user namespaces are not allowed here: " + limits);
    }

    private static readonly string[] Flags = ["--map-root-user", "--net", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc"];

    /// <summary>
    /// The command line that runs <paramref name="command"/> in <paramref name="workFolder"/>, isolated when the
    /// machine allows it. Inside, the work folder is at /mnt (so paths in messages read /mnt/...).
    /// </summary>
    public (string File, IReadOnlyList<string> Arguments, string WorkingDirectory) Wrap(
        string workFolder, string relativeDirectory, IReadOnlyList<string> command, IEnumerable<string> hide)
    {
        if (!IsIsolated)
        {
            return (command[0], command.Skip(1).ToList(), Path.Combine(workFolder, relativeDirectory));
        }

        var hidden = hide.Where(Directory.Exists).Select(d => $"mount -t tmpfs -o size=1m tmpfs {Quote(d)}");
        string script = string.Join(" && ", new[]
        {
            "(ip link set lo up 2>/dev/null || true)",
            $"mount --bind {Quote(workFolder)} /mnt",
        }.Concat(hidden).Concat(
        [
            // every mount read-only (a remount of / alone leaves /tmp, /dev/shm and other mounts writable), but the work folder
            "for m in $(awk '{print $5}' /proc/self/mountinfo | sort -u); do case \"$m\" in /mnt|/proc*|/sys*|/dev/pts) ;; *) mount -o remount,bind,ro \"$m\" 2>/dev/null || true ;; esac; done",
            "mount -o remount,bind,ro /",
            $"cd {Quote("/mnt/" + relativeDirectory.Replace('\\', '/'))}",
            "exec \"$@\"",
        ]));
        return ("unshare", [.. Flags, "sh", "-c", script, "sandbox", .. command], workFolder);
    }

    /// <summary>The environment of a test run: home and temp inside the work folder, the heap capped.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentFor(string workFolder)
    {
        string inside = IsIsolated ? "/mnt" : workFolder;
        return new Dictionary<string, string>
        {
            ["HOME"] = inside + "/home",
            ["TMPDIR"] = inside + "/tmp",
            ["DOTNET_CLI_HOME"] = inside + "/home",
            ["DOTNET_GCHeapHardLimit"] = "0x" + HeapLimitBytes.ToString("x", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
