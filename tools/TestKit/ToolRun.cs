using System.Diagnostics;
using System.Text;

namespace Workbook.TestKit;

/// <summary>What a real tool did: its exit code and what it printed.</summary>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    /// <summary>The last lines of standard error, for a failure message.</summary>
    public string ErrorTail(int lines = 12) =>
        string.Join('\n', StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
}

/// <summary>
/// Runs a real tool with a time limit. The process tree is killed when the limit or the test's
/// cancellation comes first, so a tool waiting on a learner's unfinished server never hangs a run.
/// </summary>
public sealed class ToolRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ToolRun(Process process)
    {
        _process = process;
    }

    /// <summary>The command line, for messages.</summary>
    public string CommandLine { get; private init; } = "";

    /// <summary>Starts <paramref name="fileName"/> with arguments passed one by one (no shell quoting).</summary>
    public static ToolRun Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var run = new ToolRun(process) { CommandLine = fileName + " " + string.Join(' ', info.ArgumentList) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (run._stdout) { run._stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (run._stderr) { run._stderr.AppendLine(e.Data); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Runs a tool to its end, or kills it after <paramref name="limit"/>.</summary>
    public static async Task<ToolResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan limit, CancellationToken cancellationToken)
    {
        await using var run = Start(fileName, arguments);
        return await run.WaitAsync(limit, cancellationToken);
    }

    /// <summary>True while the tool runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Waits for the tool to exit, killing it after <paramref name="limit"/>.</summary>
    public async Task<ToolResult> WaitAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        bool timedOut = false;
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.WaitForExit(); // flushes the redirected output
        lock (_stdout)
        {
            lock (_stderr)
            {
                return new ToolResult(_process.ExitCode, _stdout.ToString(), _stderr.ToString(), timedOut);
            }
        }
    }

    /// <summary>Kills the tool if it still runs and returns what it printed, for a check or a failure message.</summary>
    public Task<ToolResult> StopAsync()
    {
        Kill();
        return WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
    }

    /// <summary>Kills the tool and its children.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    /// <summary>Kills the tool if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // the OS will reap it
        }

        _process.Dispose();
    }
}
