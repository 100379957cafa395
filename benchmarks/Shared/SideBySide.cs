using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Workbook.Benchmarks;

/// <summary>
/// What the side-by-side benchmarks (benchmarks/NN/VsNms.cs: the reference server beside node-media-server) share:
/// free ports, the repository, the median, restarting this program as a server process, and <see cref="Child"/>.
/// Linked into each benchmark project (one copy of the code, compiled into each).
/// </summary>
internal static class SideBySide
{
    /// <summary>The median of the values that are numbers (NaN for none).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>How to start this program again: its apphost, or <c>dotnet &lt;benchmark&gt;.dll</c>.</summary>
    public static (string File, string[] Prefix) SelfCommand(Assembly benchmark)
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [benchmark.Location])
            : (process, []);
    }

    /// <summary>The repository root: the first folder above the current one that holds Labs.sln.</summary>
    public static string FindRepo()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Labs.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the repository (Labs.sln not found above the current folder).");
    }

    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    /// <summary>Runs a command to its end within <paramref name="limit"/> (killed after it) and returns its exit code, stdout and all lines.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToEndAsync(string file, string[] args, TimeSpan limit)
    {
        var child = Child.Start(file, args, Directory.GetCurrentDirectory());
        try
        {
            await child.Process.WaitForExitAsync().WaitAsync(limit);
            await Task.Delay(50);
            return (child.Process.ExitCode, string.Join('\n', child.Out), string.Join('\n', child.Lines));
        }
        finally
        {
            child.Kill();
        }
    }

    public static string Uptime() => RunToEndAsync("uptime", [], TimeSpan.FromSeconds(5)).GetAwaiter().GetResult().Output.Trim();
}

/// <summary>A started process whose stdout and stderr lines are kept (both drained, so it never blocks on a full pipe).</summary>
internal sealed class Child
{
    private readonly List<string> _lines = [];
    private readonly List<string> _out = [];
    private int _killed;

    /// <summary>Lines kept of stdout and stderr together; beyond it the older half is dropped, so memory stays bounded.</summary>
    public const int MaxLines = 20_000;

    private Child(Process process) => Process = process;

    public Process Process { get; }

    public IReadOnlyList<string> Lines { get { lock (_lines) { return [.. _lines]; } } }

    public IReadOnlyList<string> Out { get { lock (_lines) { return [.. _out]; } } }

    public static Child Start(string file, string[] args, string directory)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = info };
        var child = new Child(process);
        process.OutputDataReceived += (_, e) => child.Add(e.Data, stdout: true);
        process.ErrorDataReceived += (_, e) => child.Add(e.Data, stdout: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    private void Add(string? line, bool stdout)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            if (_lines.Count > MaxLines)
            {
                _lines.RemoveRange(0, MaxLines / 2); // a chatty server (500 readers' log lines): keep the tail
            }

            _lines.Add(line);
            if (stdout)
            {
                _out.Add(line);
            }
        }
    }

    public string Tail() => string.Join('\n', Lines.TakeLast(15));

    public void Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) == 1)
        {
            return;
        }

        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        Process.Dispose();
    }
}
