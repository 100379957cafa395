using System.Diagnostics;
using System.Text;

namespace Workbook.Running;

/// <summary>What a child process did.</summary>
public sealed record ProcessResult(int ExitCode, string Output, bool TimedOut, TimeSpan Elapsed);

/// <summary>
/// Runs a child process (dotnet build, a test program, ffmpeg) with a wall-clock limit. On overrun or
/// cancellation the whole process tree is killed, so a learner's hanging code cannot stall the tool.
/// </summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="fileName"/> and collects stdout and stderr together, line by line.</summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan limit,
        CancellationToken cancellationToken,
        Action<string>? onLine = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        void Collect(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                // Bounded: a test program that prints megabytes does not exhaust memory here.
                if (output.Length < 4_000_000)
                {
                    output.AppendLine(e.Data);
                }
            }

            onLine?.Invoke(e.Data);
        }

        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new WorkbookException($"Cannot start `{fileName}`: {e.Message}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // it ended on its own meanwhile
            }

            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
        }

        process.WaitForExit();
        lock (output)
        {
            return new ProcessResult(timedOut ? -1 : process.ExitCode, output.ToString(), timedOut, watch.Elapsed);
        }
    }

    /// <summary>The first compiler errors in a build's output, without duplicates, made relative to <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> FirstErrors(string buildOutput, string root, int count = 5) =>
        buildOutput.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Contains(": error ", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\s*\[[^\]]*\.csproj[^\]]*\]$", ""))
            .Select(l => l.Replace(root.TrimEnd('/', '\\') + Path.DirectorySeparatorChar, "", StringComparison.Ordinal))
            .Distinct()
            .Take(count)
            .ToList();
}
