using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Workbook.Notebooks;

/// <summary>The <c>workbook run</c> command: runs notebooks headless, writes outputs and HTML pages.</summary>
public static class RunCommand
{
    /// <summary>
    /// <c>run &lt;notebook.ipynb | all&gt; [--write-outputs] [--html DIR] [--timeout-per-cell S]</c>; exit code 0 when
    /// every notebook ran, 1 when a cell failed, 2 when the arguments name no notebook.
    /// </summary>
    public static Command Create()
    {
        var notebookArgument = new Argument<string>("notebook")
        {
            Description = "A notebook (.ipynb path, or a name in notebooks/ such as 01), or 'all' for every notebook.",
        };
        var writeOutputs = new Option<bool>("--write-outputs")
        {
            Description = "Write the outputs back into the .ipynb (nbformat 4), so GitHub and VS Code show them.",
        };
        var html = new Option<string?>("--html")
        {
            Description = "Write one standalone HTML page per notebook into this folder, readable offline.",
        };
        var timeout = new Option<double>("--timeout-per-cell")
        {
            Description = "Fail a cell that runs longer than this many seconds.",
            DefaultValueFactory = _ => 60,
        };
        var command = new Command("run", "Run notebooks headless: C# cells in order with the .NET Interactive kernel's semantics; a failing cell fails the run.")
        {
            notebookArgument, writeOutputs, html, timeout,
        };
        command.SetAction((ParseResult p, CancellationToken ct) =>
            RunAsync(p.GetValue(notebookArgument)!, p.GetValue(writeOutputs), p.GetValue(html), p.GetValue(timeout), AnsiConsole.Console, ct));
        return command;
    }

    /// <summary>The command's work, with the console to write to (tests pass a recording one).</summary>
    internal static async Task<int> RunAsync(string notebookArgument, bool writeOutputs, string? htmlDirectory, double timeoutSeconds, IAnsiConsole console, CancellationToken ct)
    {
        IReadOnlyList<string> paths;
        string repoRoot;
        try
        {
            repoRoot = File.Exists(notebookArgument) && !notebookArgument.Equals("all", StringComparison.OrdinalIgnoreCase)
                ? TryFindRepoRoot(Path.GetDirectoryName(Path.GetFullPath(notebookArgument))) ?? Directory.GetCurrentDirectory()
                : NotebookFiles.FindRepoRoot();
            paths = NotebookFiles.Resolve(notebookArgument, repoRoot);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            console.MarkupLineInterpolated($"[red]✘ {e.Message}[/]");
            return 2;
        }
        if (paths.Count == 0)
        {
            console.MarkupLineInterpolated($"[yellow]No notebooks in {Path.Combine(repoRoot, "notebooks")}.[/]");
            return 0;
        }

        var failed = 0;
        var cells = 0;
        var total = Stopwatch.StartNew();
        await using var renderer = new ChromiumChartRenderer();
        foreach (var path in paths)
        {
            var notebook = NotebookDocument.Load(path);
            console.MarkupLineInterpolated($"[bold]{Path.GetRelativePath(Directory.GetCurrentDirectory(), path)}[/]");
            var result = await NotebookRunner.RunAsync(notebook, new NotebookRunOptions
            {
                CellTimeout = TimeSpan.FromSeconds(timeoutSeconds),
                ChartRenderer = renderer,
                CellCompleted = cell =>
                {
                    var time = cell.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
                    if (cell.Failure is null)
                        console.MarkupLineInterpolated($"  [green]✔[/] cell {cell.Number,-3} [grey]{time} s[/]");
                    else
                        console.MarkupLineInterpolated($"  [red]✘[/] cell {cell.Number,-3} [grey]{time} s[/]  [red]{cell.Failure.ToString()}[/]");
                },
            }, ct).ConfigureAwait(false);
            cells += result.Cells.Count;
            if (!result.Succeeded)
                failed++;
            if (writeOutputs)
            {
                NotebookOutputs.Apply(result);
                notebook.Save();
                var size = new FileInfo(path).Length / 1024.0;
                console.MarkupLineInterpolated($"  [grey]outputs written ({size:0} KiB)[/]");
            }
            if (htmlDirectory is not null)
            {
                Directory.CreateDirectory(htmlDirectory);
                var page = Path.Combine(htmlDirectory, Path.GetFileNameWithoutExtension(path) + ".html");
                await File.WriteAllTextAsync(page, HtmlExporter.Render(notebook, result), ct).ConfigureAwait(false);
                console.MarkupLineInterpolated($"  [grey]page written: {page}[/]");
            }
            var verdict = result.Succeeded ? "[green]✔ ran[/]" : "[red]✘ failed[/]";
            console.MarkupLine($"  {verdict} [grey]{result.Cells.Count} cells in {result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s[/]");
        }
        console.MarkupLineInterpolated($"{paths.Count - failed} passed, {failed} failed [grey]({cells} cells, {total.Elapsed.TotalSeconds:0.0} s)[/]");
        return failed == 0 ? 0 : 1;
    }

    private static string? TryFindRepoRoot(string? start)
    {
        try
        {
            return NotebookFiles.FindRepoRoot(start);
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}
