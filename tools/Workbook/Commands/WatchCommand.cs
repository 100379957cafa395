using Spectre.Console;
using Workbook.Labs;

namespace Workbook.Commands;

/// <summary>Re-runs <c>check</c> each time a file under labs/NN/src is saved, until Ctrl+C.</summary>
public static class WatchCommand
{
    public static async Task<int> RunAsync(Repository repository, string labName, string? milestone, CancellationToken cancellationToken)
    {
        var lab = repository.Find(labName);
        using var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(lab.SourceDirectory, "*.cs") { IncludeSubdirectories = true, EnableRaisingEvents = true };
        void OnChange(object sender, FileSystemEventArgs e)
        {
            if (!e.FullPath.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                !e.FullPath.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                changed.Release();
            }
        }

        watcher.Changed += OnChange;
        watcher.Created += OnChange;
        watcher.Renamed += OnChange;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                AnsiConsole.Clear();
                AnsiConsole.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss} checking {Markup.Escape(lab.Name)}: a build, then its tests (a minute or more on a busy machine) …[/]");
                await CheckCommand.RunAsync(repository, lab.Id, milestone, solution: false, dependOnSolutions: false, cancellationToken);
                AnsiConsole.MarkupLine($"[grey]Watching labs/{Markup.Escape(lab.Manifest.Slug)}/src — save a file to re-run, Ctrl+C to stop.[/]");
                await changed.WaitAsync(cancellationToken);
                await Task.Delay(300, cancellationToken); // editors save in bursts: take them as one change
                while (changed.CurrentCount > 0)
                {
                    await changed.WaitAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C
        }

        return 0;
    }
}
