namespace Workbook.Notebooks;

/// <summary>The notebook half of <c>workbook verify</c>: every notebook runs, and its committed outputs are current.</summary>
public static class NotebookVerifier
{
    /// <summary>
    /// Runs every <c>notebooks/*.ipynb</c> under <paramref name="repoRoot"/>. Each notebook is one pass or one
    /// failure: a failing cell (notebook, cell, line, exception), or committed outputs that a fresh run no
    /// longer produces (stale: re-run with <c>--write-outputs</c>).
    /// </summary>
    public static async Task<(int Passed, IReadOnlyList<string> Failures)> RunAllAsync(string repoRoot, CancellationToken ct)
    {
        var passed = 0;
        var failures = new List<string>();
        await using var renderer = new ChromiumChartRenderer();
        foreach (var path in NotebookFiles.All(repoRoot))
        {
            var relative = Path.GetRelativePath(repoRoot, path).Replace('\\', '/');
            var outcome = await VerifyAsync(path, renderer, TimeSpan.FromSeconds(120), ct).ConfigureAwait(false);
            if (outcome is null)
                passed++;
            else
                failures.Add($"{relative}: {outcome}");
        }
        return (passed, failures);
    }

    /// <summary>Runs one notebook (a path under <paramref name="repoRoot"/>) and compares its outputs; null when it passes, else what is wrong.</summary>
    public static async Task<string?> VerifyOneAsync(string repoRoot, string notebook, CancellationToken ct)
    {
        var path = Path.GetFullPath(Path.Combine(repoRoot, notebook));
        if (!File.Exists(path))
            return $"{notebook} does not exist";
        await using var renderer = new ChromiumChartRenderer();
        return await VerifyAsync(path, renderer, TimeSpan.FromSeconds(120), ct).ConfigureAwait(false);
    }

    /// <summary>Runs one notebook and compares its outputs; null when it passes, else what is wrong.</summary>
    internal static async Task<string?> VerifyAsync(string path, IChartRenderer renderer, TimeSpan cellTimeout, CancellationToken ct)
    {
        NotebookDocument notebook;
        try
        {
            notebook = NotebookDocument.Load(path);
        }
        catch (NotebookFormatException e)
        {
            return e.Message;
        }
        var result = await NotebookRunner.RunAsync(notebook, new NotebookRunOptions { CellTimeout = cellTimeout, ChartRenderer = renderer }, ct).ConfigureAwait(false);
        if (result.Failure is { } failure)
            return $"cell {failure.Cell}{(failure.Line is { } l ? $", line {l}" : "")}: {failure.Exception}: {failure.Message}";
        var difference = OutputComparer.FirstDifference(NotebookDocument.Load(path), result);
        return difference is null
            ? null
            : $"committed outputs are stale: {difference}. Re-run it: dotnet run --project tools/Workbook -- run {Path.GetFileName(path)} --write-outputs";
    }
}

/// <summary>Finding the repository and its notebooks.</summary>
public static class NotebookFiles
{
    /// <summary>The repository root: the current folder or the nearest one above it that holds Labs.sln.</summary>
    /// <exception cref="DirectoryNotFoundException">No folder up the tree holds Labs.sln.</exception>
    public static string FindRepoRoot(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Labs.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("Run this inside the workbook repository: no folder up from here holds Labs.sln.");
    }

    /// <summary>Every notebooks/*.ipynb in name order.</summary>
    public static IReadOnlyList<string> All(string repoRoot)
    {
        var folder = Path.Combine(repoRoot, "notebooks");
        return Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder, "*.ipynb").Where(p => !p.Contains(".ipynb_checkpoints", StringComparison.Ordinal)).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>
    /// The notebooks a <c>run</c> argument names: "all", a path (relative to the current folder or the
    /// repository), or a bare name such as "01" or "01-rtmp-handshake" looked up in notebooks/.
    /// </summary>
    public static IReadOnlyList<string> Resolve(string argument, string repoRoot)
    {
        if (argument.Equals("all", StringComparison.OrdinalIgnoreCase))
            return All(repoRoot);
        foreach (var candidate in new[] { argument, Path.Combine(repoRoot, argument), Path.Combine(repoRoot, "notebooks", argument) })
            if (File.Exists(candidate))
                return [Path.GetFullPath(candidate)];
        var matches = All(repoRoot).Where(p => Path.GetFileName(p).StartsWith(argument, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1
            ? matches
            : throw new FileNotFoundException($"No notebook '{argument}': give a path to an .ipynb file, a name in notebooks/ (e.g. 01), or 'all'.");
    }
}
