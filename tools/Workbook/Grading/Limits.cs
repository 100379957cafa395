using System.Globalization;

namespace Workbook.Grading;

/// <summary>The limits of one lab run (build and tests together), as the student's feedback states them.</summary>
public sealed record Limits(long MemoryBytes, int Tasks, long DiskBytes, long OutputBytes, long ReportBytes)
{
    /// <summary>The defaults: 1.5 GB of memory (native included), 512 processes and threads, 512 MB of disk, 8 MB of output kept.</summary>
    public static Limits Default { get; } = new(1536L << 20, 512, 512L << 20, 8L << 20, 32L << 20);

    /// <summary>The managed-heap limit (DOTNET_GCHeapHardLimit): below the memory limit, so that a managed hoard ends in an OutOfMemoryException the report shows.</summary>
    public long HeapBytes => MemoryBytes * 2 / 3;

    /// <summary>
    /// The address-space cap of each test process where no control group can limit memory (prlimit --as, on the test run only:
    /// the build runs no student code, and MSBuild cannot load OpenSSL under a tight cap). .NET reserves far more address
    /// space than it uses, so the cap is four times the memory limit.
    /// </summary>
    public long AddressSpaceBytes => MemoryBytes * 4;

    /// <summary>A size in plain words: "1.5 GB", "512 MB".</summary>
    public static string Words(long bytes) =>
        bytes >= 1L << 30
            ? (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GB"
            : (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MB";
}

/// <summary>
/// A control group for one lab run, where this machine lets the grader make one (cgroup v1 memory and pids
/// controllers, or cgroup v2 with both): it limits memory including native allocations and page cache of the
/// run's tmpfs, and the number of tasks, and afterwards tells whether a limit was hit.
/// </summary>
public sealed class ControlGroup : IDisposable
{
    private readonly string? _memory;
    private readonly string? _pids;
    private readonly bool _v2;

    private ControlGroup(string? memory, string? pids, bool v2)
    {
        _memory = memory;
        _pids = pids;
        _v2 = v2;
    }

    /// <summary>The folders whose cgroup.procs a process joins (memory first).</summary>
    public IReadOnlyList<string> Folders => new[] { _memory, _pids }.OfType<string>().Distinct().ToList();

    /// <summary>Makes a group with these limits, or returns null when the machine does not allow it.</summary>
    public static ControlGroup? TryCreate(Limits limits)
    {
        // WORKBOOK_GRADE_NO_CGROUPS=1 tries the fallback (prlimit) on a machine that has control groups.
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/cgroup") || Environment.GetEnvironmentVariable("WORKBOOK_GRADE_NO_CGROUPS") == "1")
        {
            return null;
        }

        string name = "workbook-grade-" + Guid.NewGuid().ToString("n")[..12];
        try
        {
            var own = File.ReadAllLines("/proc/self/cgroup").Select(l => l.Split(':', 3)).Where(p => p.Length == 3).ToList();
            string? V1(string controller)
            {
                var line = own.FirstOrDefault(p => p[1].Split(',').Contains(controller));
                string root = Path.Combine("/sys/fs/cgroup", controller);
                return line is null || !File.Exists(Path.Combine(root, "cgroup.procs")) ? null : Path.Combine(root + line[2].TrimEnd('/'), name);
            }

            string? memory = V1("memory"), pids = V1("pids");
            if (memory is not null && pids is not null)
            {
                Directory.CreateDirectory(memory);
                Directory.CreateDirectory(pids);
                var group = new ControlGroup(memory, pids, v2: false);
                try
                {
                    File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), limits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
                    TryWrite(Path.Combine(memory, "memory.memsw.limit_in_bytes"), limits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
                    File.WriteAllText(Path.Combine(pids, "pids.max"), limits.Tasks.ToString(CultureInfo.InvariantCulture));
                    return group;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    group.Dispose();
                    return null;
                }
            }

            var unified = own.FirstOrDefault(p => p[0] == "0" && p[1] == "");
            if (unified is not null && File.Exists("/sys/fs/cgroup/cgroup.controllers"))
            {
                string folder = Path.Combine("/sys/fs/cgroup" + unified[2].TrimEnd('/'), name);
                Directory.CreateDirectory(folder);
                var group = new ControlGroup(folder, folder, v2: true);
                try
                {
                    File.WriteAllText(Path.Combine(folder, "memory.max"), limits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
                    TryWrite(Path.Combine(folder, "memory.swap.max"), "0");
                    File.WriteAllText(Path.Combine(folder, "pids.max"), limits.Tasks.ToString(CultureInfo.InvariantCulture));
                    return group;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    group.Dispose();
                    return null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not writable here: the caller falls back
        }

        return null;
    }

    /// <summary>True when a task of the run was killed for going over the memory limit.</summary>
    public bool MemoryExceeded =>
        _v2 ? Counter(Path.Combine(_memory!, "memory.events"), "max") > 0 || Counter(Path.Combine(_memory!, "memory.events"), "oom_kill") > 0
            : Counter(Path.Combine(_memory!, "memory.oom_control"), "oom_kill") > 0;

    /// <summary>True when the run tried to start more tasks than its limit.</summary>
    public bool TasksExceeded => Counter(Path.Combine(_pids!, "pids.events"), "max") > 0;

    /// <summary>The most memory the run used, in bytes (cgroup v1), or -1.</summary>
    public long PeakMemory => _v2 ? Number(Path.Combine(_memory!, "memory.peak")) : Number(Path.Combine(_memory!, "memory.max_usage_in_bytes"));

    /// <summary>Kills every process left in the group (a wall-clock overrun, or something that outlived the sandbox).</summary>
    public void KillAll()
    {
        for (int round = 0; round < 50; round++)
        {
            var pids = Folders.SelectMany(f => ReadLines(Path.Combine(f, "cgroup.procs"))).Distinct().ToList();
            if (pids.Count == 0)
            {
                return;
            }

            foreach (var pid in pids)
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture));
                    process.Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or FormatException)
                {
                    // gone already
                }
            }

            Thread.Sleep(40);
        }
    }

    public void Dispose()
    {
        KillAll();
        foreach (var folder in Folders)
        {
            for (int i = 0; i < 50 && Directory.Exists(folder); i++)
            {
                try
                {
                    Directory.Delete(folder); // rmdir: a cgroup folder's files are not real files
                }
                catch (IOException)
                {
                    Thread.Sleep(40);
                }
            }
        }
    }

    private static void TryWrite(string path, string value)
    {
        try
        {
            File.WriteAllText(path, value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // optional (no swap accounting here)
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static long Number(string path) =>
        ReadLines(path).FirstOrDefault() is { } line && long.TryParse(line.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : -1;

    private static long Counter(string path, string key) =>
        ReadLines(path).Select(l => l.Split(' ')).Where(p => p.Length == 2 && p[0] == key)
            .Select(p => long.TryParse(p[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : 0).FirstOrDefault();
}
