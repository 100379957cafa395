using System.Diagnostics;
using System.Text;
using Workbook.Setup;

namespace Workbook.Grading;

/// <summary>What one sandboxed run is: a shell script, what it may read, where it works, how long it may take.</summary>
/// <param name="Script">A POSIX shell script run in the work folder (/w inside).</param>
/// <param name="ReadOnly">Host paths bound read-only inside, in order, after the work folder is made (so they may lie inside /w).</param>
/// <param name="WritableWork">A host folder bound at /w instead of a size-limited tmpfs: only for the instructor's own reference run, whose build must outlive the sandbox.</param>
/// <param name="Limit">The wall clock of the whole run; on overrun everything in it is killed.</param>
/// <param name="Environment">Variables set inside (nothing of the grader's own environment goes in).</param>
public sealed record SandboxRun(
    string Script,
    IReadOnlyList<(string Host, string Inside)> ReadOnly,
    string? WritableWork,
    TimeSpan Limit,
    IReadOnlyDictionary<string, string> Environment);

/// <summary>How a sandboxed run ended. <see cref="Report"/> is what it wrote on standard output, <see cref="Log"/> on standard error (both bounded).</summary>
public sealed record SandboxResult(
    int ExitCode, byte[] Report, string Log, long LogBytes, bool TimedOut, bool MemoryExceeded, bool TasksExceeded, long PeakMemory, TimeSpan Elapsed);

/// <summary>
/// Runs untrusted code (a submission's build and its test run) apart from the machine, with bubblewrap
/// (<c>bwrap</c>): a user namespace in which the code runs as uid 1000 with no capabilities and no_new_privs
/// (so it cannot mount, unmount or remount anything), its own process tree (everything dies with it), its own
/// network with only loopback, a fresh /proc with /proc/sys read-only, /sys read-only, /usr and the .NET SDK and
/// NuGet packages read-only, and one writable place: the work folder, a tmpfs of limited size. Nothing else of the
/// machine is there: not the repository, the submissions, the output folder or the home folder.
/// Limits: memory (native included) and tasks through a control group where the machine allows one, disk through
/// the tmpfs size, output through bounded reads, wall clock by killing the sandbox.
/// Where bwrap or user namespaces are missing, <see cref="IsIsolated"/> is false and the grader says so loudly.
/// </summary>
public sealed class Sandbox
{
    /// <summary>The uid the code runs as inside (never 0).</summary>
    public const int Uid = 1000;

    private readonly string _dotnetRoot;
    private readonly string? _packages;

    private Sandbox(bool isolated, string description, IReadOnlyList<string> verified, Limits limits, bool controlGroups, string dotnetRoot, string? packages)
    {
        IsIsolated = isolated;
        Description = description;
        Verified = verified;
        Limits = limits;
        HasControlGroups = controlGroups;
        _dotnetRoot = dotnetRoot;
        _packages = packages;
    }

    /// <summary>True when runs go through bubblewrap and every isolation property was verified by a probe.</summary>
    public bool IsIsolated { get; }

    /// <summary>What was verified at run time, in one line, for the reports.</summary>
    public string Description { get; }

    /// <summary>The isolation properties a probe verified on this machine.</summary>
    public IReadOnlyList<string> Verified { get; }

    /// <summary>The limits of each lab run.</summary>
    public Limits Limits { get; }

    /// <summary>True when memory and task limits come from a control group.</summary>
    public bool HasControlGroups { get; }

    /// <summary>What goes before the test command: a prlimit where no control group limits memory, else nothing.</summary>
    public string CommandPrefix { get; private init; } = "";

    /// <summary>The managed-heap limit of one run, for messages.</summary>
    public long HeapLimitBytes => Limits.HeapBytes;

    /// <summary>Where the NuGet packages are, inside the sandbox.</summary>
    public const string PackagesInside = "/nuget";

    /// <summary>Works out what isolation this machine allows by trying it: a probe sandbox tests each property.</summary>
    public static async Task<Sandbox> DetectAsync(CancellationToken cancellationToken, Limits? limits = null, IReadOnlyList<string>? mustBeHidden = null)
    {
        limits ??= Limits.Default;
        string dotnetRoot = DotnetRoot();
        string? packages = PackagesFolder();
        if (!OperatingSystem.IsLinux())
        {
            return Unisolated("NOT ISOLATED: this system has no Linux namespaces, so submissions run with the grader's own rights (only a wall clock and a managed-heap limit apply); grade only code you trust here, or grade on Linux with bubblewrap", limits, dotnetRoot, packages);
        }

        if (Prerequisites.RealTool("bwrap") is null)
        {
            return Unisolated("NOT ISOLATED: bubblewrap (bwrap) is not installed, so submissions run with the grader's own rights (only a wall clock and a managed-heap limit apply); install it: " + Prerequisites.InstallCommand("bubblewrap"), limits, dotnetRoot, packages);
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var hidden = new[] { home }.Concat(mustBeHidden ?? []).Where(p => !string.IsNullOrEmpty(p) && (Directory.Exists(p) || File.Exists(p))).Distinct().ToList();
        string probe = """
            set -u
            [ "$(id -u)" != 0 ] && grep -q '^CapEff:[[:space:]]*0000000000000000$' /proc/self/status && grep -q '^CapBnd:[[:space:]]*0000000000000000$' /proc/self/status && echo ok:nocaps
            grep -q '^NoNewPrivs:[[:space:]]*1$' /proc/self/status && echo ok:nonewprivs
            umount /w 2>/dev/null || umount -l /w 2>/dev/null || mount -o remount,rw / 2>/dev/null || mount -o remount,rw /usr 2>/dev/null || echo ok:mounts
            (echo 1 > /proc/sys/kernel/ns_last_pid) 2>/dev/null || (mkdir /sys/fs/cgroup/workbook-probe) 2>/dev/null || echo ok:procsys
            (touch /usr/workbook-probe) 2>/dev/null || (touch /workbook-probe) 2>/dev/null || (touch /w/probe && rm /w/probe && echo ok:writable)
            [ "$(grep -c ':' /proc/net/dev)" = 1 ] && grep -q '^ *lo:' /proc/net/dev && [ $(( $(cat /sys/class/net/lo/flags) & 1 )) = 1 ] && echo ok:network
            seen=0; for p in "$@"; do [ -e "$p" ] && seen=1; done; [ $seen = 0 ] && echo ok:hidden
            [ -x "$(command -v dotnet)" ] && echo ok:dotnet
            command -v prlimit >/dev/null && echo ok:prlimit
            """;
        var sandbox = new Sandbox(true, "", [], limits, false, dotnetRoot, packages);
        SandboxResult result;
        try
        {
            result = await sandbox.RunAsync(new SandboxRun(probe + "\n", [], null, TimeSpan.FromSeconds(60), new Dictionary<string, string>()), hidden, cancellationToken);
        }
        catch (WorkbookException e)
        {
            return Unisolated("NOT ISOLATED: bubblewrap could not start here (" + e.Message + "); submissions run with the grader's own rights", limits, dotnetRoot, packages);
        }

        string said = Encoding.UTF8.GetString(result.Report);
        var checks = new (string Key, string Words)[]
        {
            ("nocaps", $"code runs as uid {Uid} with no capabilities"),
            ("nonewprivs", "no_new_privs"),
            ("mounts", "mounts cannot be undone"),
            ("procsys", "/proc/sys, /sys and the cgroup file system read-only"),
            ("writable", "the work folder (a tmpfs) the one writable place"),
            ("network", "network: loopback only"),
            ("hidden", "repository, submissions, output and home folder not visible"),
            ("dotnet", ".NET SDK and NuGet packages read-only"),
        };
        var verified = checks.Where(c => said.Contains("ok:" + c.Key, StringComparison.Ordinal)).Select(c => c.Words).ToList();
        var missing = checks.Where(c => !said.Contains("ok:" + c.Key, StringComparison.Ordinal)).Select(c => c.Words).ToList();
        if (missing.Count > 0)
        {
            return Unisolated($"NOT ISOLATED: bubblewrap runs here but the probe could not verify: {string.Join("; ", missing)} (exit {result.ExitCode}: {Tail(result.Log)})", limits, dotnetRoot, packages);
        }

        using var group = ControlGroup.TryCreate(limits);
        bool groups = group is not null;
        bool prlimit = !groups && said.Contains("ok:prlimit", StringComparison.Ordinal);
        string limitWords = (groups
                ? $"memory {Limits.Words(limits.MemoryBytes)} native included and {limits.Tasks} processes/threads (control group)"
                : prlimit
                    ? $"memory: each test process's address space capped at {Limits.Words(limits.AddressSpaceBytes)} (prlimit --as; the build uncapped), NO process-count limit (control groups not writable here)"
                    : $"NO memory or process limit beyond a {Limits.Words(limits.HeapBytes)} managed heap (control groups not writable here)")
            + $", disk {Limits.Words(limits.DiskBytes)} (tmpfs), output {Limits.Words(limits.OutputBytes)} kept, wall clock per lab";
        return new Sandbox(true, "bubblewrap, verified at run time: " + string.Join(", ", verified) + "; limits: " + limitWords, verified, limits, groups, dotnetRoot, packages)
        {
            CommandPrefix = prlimit ? $"prlimit --as={limits.AddressSpaceBytes} " : "",
        };
    }

    private static Sandbox Unisolated(string why, Limits limits, string dotnetRoot, string? packages) => new(false, why, [], limits, false, dotnetRoot, packages);

    /// <summary>Runs one script in a fresh sandbox (with a fresh control group where available).</summary>
    public Task<SandboxResult> RunAsync(SandboxRun run, CancellationToken cancellationToken) => RunAsync(run, [], cancellationToken);

    private async Task<SandboxResult> RunAsync(SandboxRun run, IReadOnlyList<string> scriptArguments, CancellationToken cancellationToken)
    {
        if (!IsIsolated)
        {
            throw new InvalidOperationException("Sandbox.RunAsync needs bubblewrap; the grader runs unisolated submissions itself.");
        }

        var arguments = new List<string>
        {
            "--unshare-all", "--unshare-user", "--uid", Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--gid", Uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--disable-userns", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv",
            "--ro-bind", "/usr", "/usr",
        };
        foreach (var link in new[] { "bin", "lib", "lib64", "sbin", "lib32", "libx32" })
        {
            var folder = new DirectoryInfo("/" + link);
            if (folder.LinkTarget is { } target)
            {
                arguments.AddRange(["--symlink", target, "/" + link]);
            }
            else if (folder.Exists)
            {
                arguments.AddRange(["--ro-bind", "/" + link, "/" + link]);
            }
        }

        // Only what programs need from /etc: not passwd's hashes, not the machine's secrets.
        foreach (var file in new[] { "/etc/alternatives", "/etc/ssl", "/etc/ca-certificates", "/etc/hosts", "/etc/nsswitch.conf", "/etc/localtime", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/dotnet", "/etc/fonts", "/etc/mime.types" })
        {
            if (File.Exists(file) || Directory.Exists(file))
            {
                arguments.AddRange(["--ro-bind", file, file]);
            }
        }

        // A user database that knows the sandbox's user: without one, MSBuild's restore loops looking uid 1000 up.
        string etc = UserDatabase();
        arguments.AddRange(["--ro-bind", Path.Combine(etc, "passwd"), "/etc/passwd", "--ro-bind", Path.Combine(etc, "group"), "/etc/group"]);
        arguments.AddRange(["--proc", "/proc", "--dev", "/dev", "--size", "67108864", "--tmpfs", "/dev/shm", "--ro-bind", "/sys", "/sys"]);
        if (!_dotnetRoot.StartsWith("/usr/", StringComparison.Ordinal))
        {
            arguments.AddRange(["--ro-bind", _dotnetRoot, _dotnetRoot]);
        }

        if (_packages is not null)
        {
            arguments.AddRange(["--ro-bind", _packages, PackagesInside]);
        }

        if (run.WritableWork is not null)
        {
            arguments.AddRange(["--bind", run.WritableWork, "/w"]);
        }
        else
        {
            arguments.AddRange(["--size", Limits.DiskBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tmpfs", "/w"]);
        }

        // The report gets a tmpfs of its own, so a run that fills its work folder still gets its report written.
        arguments.AddRange(["--size", Limits.ReportBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tmpfs", "/w/report"]);
        arguments.AddRange(["--size", "67108864", "--tmpfs", "/tmp"]);
        foreach (var (host, inside) in run.ReadOnly)
        {
            arguments.AddRange(["--ro-bind", host, inside]);
        }

        var environment = new Dictionary<string, string>
        {
            ["PATH"] = (_dotnetRoot.StartsWith("/usr/", StringComparison.Ordinal) ? "" : _dotnetRoot + ":") + "/usr/local/bin:/usr/bin:/bin",
            ["DOTNET_ROOT"] = _dotnetRoot,
            ["HOME"] = "/w/home",
            ["TMPDIR"] = "/w/tmp",
            ["DOTNET_CLI_HOME"] = "/w/home",
            ["NUGET_PACKAGES"] = PackagesInside,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_GCHeapHardLimit"] = "0x" + Limits.HeapBytes.ToString("x", System.Globalization.CultureInfo.InvariantCulture),
            ["LANG"] = "C.UTF-8",
        };
        foreach (var (key, value) in run.Environment)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            arguments.AddRange(["--setenv", key, value]);
        }

        arguments.AddRange(["--remount-ro", "/", "--chdir", "/w", "sh", "-c", run.Script, "sandbox", .. scriptArguments]);

        using var group = HasControlGroups ? ControlGroup.TryCreate(Limits) : null;
        // Joins the control group before bwrap starts, so that everything the sandbox runs is counted from its first task.
        string join = group is null ? "" : string.Join(" && ", group.Folders.Select(f => $"echo $$ > '{f}/cgroup.procs'")) + " && ";
        var info = new ProcessStartInfo("sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        // Not exec: bwrap's --die-with-parent ties it to the thread that forked it, and .NET forks from a pool thread that may
        // retire mid-run (the sandbox would be killed after ~40 s). A shell in between is a parent that lives as long as bwrap.
        info.ArgumentList.Add(join + "bwrap \"$@\"");
        info.ArgumentList.Add("workbook-sandbox");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new WorkbookException("Cannot start the sandbox: " + e.Message);
        }

        process.StandardInput.Close();
        var report = new BoundedBuffer(Limits.ReportBytes);
        var log = new BoundedBuffer(Limits.OutputBytes);
        var reading = Task.WhenAll(report.DrainAsync(process.StandardOutput.BaseStream), log.DrainAsync(process.StandardError.BaseStream));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(run.Limit);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            Stop(process, group);
        }

        // Whatever the sandbox left (nothing should: its process tree dies with it) is killed before the pipes are read to their end.
        group?.KillAll();
        if (await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(20), CancellationToken.None)) != reading)
        {
            // a process outside the group holds a pipe open: never wait for it
            Stop(process, group);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new SandboxResult(timedOut ? -1 : process.HasExited ? process.ExitCode : -1, report.ToArray(), log.ToText(), log.Total, timedOut,
            group?.MemoryExceeded ?? false, group?.TasksExceeded ?? false, group?.PeakMemory ?? -1, watch.Elapsed);
    }

    private static void Stop(Process process, ControlGroup? group)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // ended meanwhile
        }

        group?.KillAll();
    }

    private static readonly Lazy<string> Users = new(() =>
    {
        string folder = Path.Combine(Path.GetTempPath(), "workbook-sandbox-etc-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "passwd"), $"student:x:{Uid}:{Uid}:student:/w/home:/bin/sh\n");
        File.WriteAllText(Path.Combine(folder, "group"), $"student:x:{Uid}:\n");
        // The two files are bound read-only into every sandbox of this grader process; nothing needs them after it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // already gone, or still bound by a sandbox being killed: a few bytes in the temp folder
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
        return folder;
    });

    private static string UserDatabase() => Users.Value;

    /// <summary>The .NET installation the grader runs on (its SDK builds the submissions).</summary>
    private static string DotnetRoot()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, "dotnet")))
        {
            return Path.GetFullPath(fromEnvironment).TrimEnd('/');
        }

        // …/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? "/usr/share/dotnet/shared/x/y";
        return Path.GetFullPath(Path.Combine(runtime, "..", "..", "..")).TrimEnd('/');
    }

    /// <summary>The NuGet global packages folder the instructor's own builds filled (read-only inside).</summary>
    private static string? PackagesFolder()
    {
        string? configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        string folder = !string.IsNullOrEmpty(configured) ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Directory.Exists(folder) ? Path.GetFullPath(folder) : null;
    }

    private static string Tail(string log) =>
        string.Join(" | ", log.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(2).Select(l => l.Trim()));
}

/// <summary>Reads a stream to its end, keeping at most a fixed number of bytes and counting the rest.</summary>
public sealed class BoundedBuffer(long limit)
{
    private readonly MemoryStream _kept = new();

    /// <summary>How many bytes the stream held in all.</summary>
    public long Total { get; private set; }

    /// <summary>True when more arrived than was kept.</summary>
    public bool Overflowed => Total > limit;

    public async Task DrainAsync(Stream stream)
    {
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                lock (_kept)
                {
                    long room = limit - _kept.Length;
                    if (room > 0)
                    {
                        _kept.Write(buffer, 0, (int)Math.Min(room, read));
                    }

                    Total += read;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // the process was killed
        }
    }

    public byte[] ToArray()
    {
        lock (_kept)
        {
            return _kept.ToArray();
        }
    }

    public string ToText() => Encoding.UTF8.GetString(ToArray());
}
