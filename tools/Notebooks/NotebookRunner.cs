using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace Workbook.Notebooks;

/// <summary>How to run a notebook.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>The longest one cell may run; the run fails at the first cell that takes longer.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Renders charts to PNG; null leaves charts as HTML only.</summary>
    public IChartRenderer? ChartRenderer { get; init; }

    /// <summary>Called after each code cell, for progress output.</summary>
    public Action<CellResult>? CellCompleted { get; init; }
}

/// <summary>Where and why a notebook failed: notebook, cell number, line in the cell, exception.</summary>
/// <param name="Notebook">The notebook's file name.</param>
/// <param name="Cell">The 1-based number of the cell in the notebook.</param>
/// <param name="Line">The 1-based line in the cell, where known.</param>
/// <param name="Exception">The exception type, or "CompilationError", "Timeout", "Kernel".</param>
/// <param name="Message">What went wrong.</param>
public sealed record CellFailure(string Notebook, int Cell, int? Line, string Exception, string Message)
{
    /// <summary>"01-rtmp-handshake.ipynb cell 7, line 3: InvalidOperationException: ...".</summary>
    public override string ToString() =>
        $"{Notebook} cell {Cell}{(Line is { } l ? $", line {l}" : "")}: {Exception}: {Message}";
}

/// <summary>What one code cell did.</summary>
/// <param name="Number">The 1-based number of the cell in the notebook.</param>
/// <param name="ExecutionCount">The execution count, as nbformat's execution_count.</param>
/// <param name="Outputs">The outputs in order.</param>
/// <param name="Elapsed">How long the cell took (compile and run).</param>
/// <param name="Failure">Why the cell failed, or null.</param>
public sealed record CellResult(int Number, int ExecutionCount, IReadOnlyList<CellOutput> Outputs, TimeSpan Elapsed, CellFailure? Failure);

/// <summary>What a notebook run did: the executed cells in order, and the failure that stopped it, if any.</summary>
public sealed record NotebookRunResult(NotebookDocument Notebook, IReadOnlyList<CellResult> Cells, CellFailure? Failure, TimeSpan Elapsed)
{
    /// <summary>True when every code cell ran without an error.</summary>
    public bool Succeeded => Failure is null;
}

/// <summary>
/// Runs a notebook's C# cells in order in the .NET Interactive C# kernel (Microsoft.DotNet.Interactive.CSharp),
/// hosted in this process and set up as the <c>dotnet interactive</c> tool sets it up for Jupyter: <c>#r "nuget:"</c>,
/// <c>#load</c>, magics, <c>display</c>, formatters and console capture are the kernel's own. The kernel's working
/// directory is the notebook's folder, as Jupyter starts it. What the runner adds: a time limit per cell, the first
/// failing cell stops the run, and chart outputs get a PNG picture beside their HTML.
/// </summary>
public static class NotebookRunner
{
    // Semaphore: the kernel's formatters and the process's current directory are process-wide, so runs take turns.
    private static readonly SemaphoreSlim OneRunAtATime = new(1, 1);

    /// <summary>Runs a notebook file.</summary>
    public static Task<NotebookRunResult> RunAsync(string path, NotebookRunOptions options, CancellationToken ct) =>
        RunAsync(NotebookDocument.Load(path), options, ct);

    /// <summary>Runs a loaded notebook; the document is not changed (see <see cref="NotebookOutputs.Apply"/>).</summary>
    public static async Task<NotebookRunResult> RunAsync(NotebookDocument notebook, NotebookRunOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        ArgumentNullException.ThrowIfNull(options);
        await OneRunAtATime.WaitAsync(ct).ConfigureAwait(false);
        var previousDirectory = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!);
            Formatter.ResetToDefault();
            using var kernel = CreateKernel();
            return await RunCellsAsync(kernel, notebook, options, ct).ConfigureAwait(false);
        }
        finally
        {
            Directory.SetCurrentDirectory(previousDirectory);
            Formatter.ResetToDefault();
            OneRunAtATime.Release();
        }
    }

    /// <summary>The kernel as the <c>dotnet interactive</c> tool builds its C# kernel.</summary>
    internal static CompositeKernel CreateKernel()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective((kernel, references) =>
            {
                kernel.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            })
            .UseKernelHelpers()
            .UseWho()
            .UseValueSharing();
        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        return composite;
    }

    private static async Task<NotebookRunResult> RunCellsAsync(Kernel kernel, NotebookDocument notebook, NotebookRunOptions options, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var results = new List<CellResult>();
        var executionCount = 0;
        foreach (var cell in notebook.Cells)
        {
            ct.ThrowIfCancellationRequested();
            if (cell.Kind != CellKind.Code || string.IsNullOrWhiteSpace(cell.Source) || IsMarkdown(cell.Source))
                continue;
            executionCount++;
            var watch = Stopwatch.StartNew();
            CellResult result;
            if (OtherLanguage(cell) is { } language)
            {
                var failure = new CellFailure(notebook.Name, cell.Number, null, "Kernel",
                    $"the cell's kernel is '{language}'; the workbook's notebooks run C# cells only.");
                result = new CellResult(cell.Number, executionCount, [ToErrorOutput(failure)], watch.Elapsed, failure);
            }
            else
            {
                var (outputs, failure) = await SubmitAsync(kernel, notebook, cell, options.CellTimeout, ct).ConfigureAwait(false);
                if (options.ChartRenderer is { } renderer)
                    outputs = await AddChartPicturesAsync(outputs, renderer, ct).ConfigureAwait(false);
                if (failure is not null)
                    outputs = [.. outputs, ToErrorOutput(failure)];
                result = new CellResult(cell.Number, executionCount, outputs, watch.Elapsed, failure);
            }
            results.Add(result);
            options.CellCompleted?.Invoke(result);
            if (result.Failure is not null)
                break;
        }
        return new NotebookRunResult(notebook, results, results.Select(r => r.Failure).LastOrDefault(f => f is not null), total.Elapsed);
    }

    /// <summary>Submits one cell and turns the kernel's events into nbformat outputs.</summary>
    private static async Task<(IReadOnlyList<CellOutput> Outputs, CellFailure? Failure)> SubmitAsync(
        Kernel kernel, NotebookDocument notebook, NotebookCell cell, TimeSpan timeout, CancellationToken ct)
    {
        var outputs = new CellOutputList();
        CellFailure? failure = null;
        int? errorLine = null;
        // Events are observed as they happen, so a cell that times out still shows what it printed.
        using var subscription = kernel.KernelEvents.Subscribe(e =>
        {
            lock (outputs)
            {
                switch (e)
                {
                    case StandardOutputValueProduced o:
                        outputs.AddStream("stdout", Text(o));
                        break;
                    case StandardErrorValueProduced o:
                        outputs.AddStream("stderr", Text(o));
                        break;
                    case DisplayedValueUpdated u:
                        outputs.Update(u.ValueId, Data(u));
                        break;
                    case ReturnValueProduced r:
                        outputs.Add(new DisplayOutput(Data(r), IsResult: true), r.ValueId);
                        break;
                    case DisplayedValueProduced d:
                        outputs.Add(new DisplayOutput(Data(d), IsResult: false), d.ValueId);
                        break;
                    case DiagnosticsProduced { Diagnostics: var diagnostics }:
                        errorLine ??= diagnostics.FirstOrDefault(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
                            is { } first ? first.LinePositionSpan.Start.Line + 1 : null;
                        break;
                }
            }
        });

        var work = kernel.SendAsync(new SubmitCode(cell.Source), ct);
        try
        {
            var result = await work.WaitAsync(timeout, ct).ConfigureAwait(false);
            if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
                failure = ToFailure(notebook, cell, failed, errorLine);
        }
        catch (TimeoutException) when (!work.IsCompleted)
        {
            failure = new CellFailure(notebook.Name, cell.Number, null, "Timeout",
                $"the cell did not finish within its time limit of {timeout.TotalSeconds:0.#} s (--timeout-per-cell).");
        }
        lock (outputs)
            return (outputs.ToList(), failure);
    }

    private static CellFailure ToFailure(NotebookDocument notebook, NotebookCell cell, CommandFailed failed, int? errorLine)
    {
        var exception = failed.Exception;
        if (exception is CodeSubmissionCompilationErrorException)
            return new CellFailure(notebook.Name, cell.Number, errorLine, "CompilationError", FirstLine(failed.Message));
        if (exception is null)
            return new CellFailure(notebook.Name, cell.Number, errorLine, "Kernel", FirstLine(failed.Message));
        var inner = exception is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : exception;
        return new CellFailure(notebook.Name, cell.Number, LineIn(inner), inner.GetType().Name, inner.Message);
    }

    /// <summary>The line of the cell where the exception passed through the cell's own code, from the stack trace.</summary>
    private static int? LineIn(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            foreach (var frame in new StackTrace(e, fNeedFileInfo: true).GetFrames())
                if (frame.GetMethod()?.DeclaringType?.FullName?.StartsWith("Submission#", StringComparison.Ordinal) == true && frame.GetFileLineNumber() > 0)
                    return frame.GetFileLineNumber();
        return null;
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static string Text(StandardOutputValueProduced e) => e.FormattedValues.FirstOrDefault()?.Value ?? "";

    private static string Text(StandardErrorValueProduced e) => e.FormattedValues.FirstOrDefault()?.Value ?? "";

    private static Dictionary<string, string> Data(DisplayEvent e) =>
        e.FormattedValues.GroupBy(f => f.MimeType).ToDictionary(g => g.Key, g => g.First().Value);

    /// <summary>Adds an image/png picture to every chart output (the HTML of notebooks/workbook-setup.csx's formatter).</summary>
    private static async Task<IReadOnlyList<CellOutput>> AddChartPicturesAsync(IReadOnlyList<CellOutput> outputs, IChartRenderer renderer, CancellationToken ct)
    {
        var pictured = new List<CellOutput>(outputs.Count);
        foreach (var output in outputs)
        {
            if (output is DisplayOutput { Data: var data } display && data.TryGetValue("text/html", out var html) && Charts.FigureIn(html) is { } figure)
            {
                var withPicture = new Dictionary<string, string>(data)
                {
                    ["image/png"] = Convert.ToBase64String(await renderer.RenderPngAsync(figure, ct).ConfigureAwait(false)),
                };
                pictured.Add(display with { Data = withPicture });
            }
            else
            {
                pictured.Add(output);
            }
        }
        return pictured;
    }

    private static ErrorOutput ToErrorOutput(CellFailure failure) =>
        new(failure.Exception, failure.Message, [failure.ToString()]);

    /// <summary>A code cell whose first line is <c>#!markdown</c> is prose in .NET Interactive's notebooks.</summary>
    private static bool IsMarkdown(string source) =>
        source.TrimStart().StartsWith("#!markdown", StringComparison.Ordinal);

    private static string? OtherLanguage(NotebookCell cell)
    {
        var metadata = cell.Json["metadata"];
        var language = (string?)metadata?["dotnet_interactive"]?["language"] ?? (string?)metadata?["polyglot_notebook"]?["kernelName"];
        return language is null or "csharp" or "C#" or "markdown" ? null : language;
    }

    /// <summary>
    /// A cell's outputs in order, as Jupyter keeps them: consecutive writes to one stream make one output,
    /// and an updated display replaces the output it updates.
    /// </summary>
    private sealed class CellOutputList : List<CellOutput>
    {
        private readonly Dictionary<string, int> _byValueId = [];

        public void AddStream(string name, string text)
        {
            if (Count > 0 && this[^1] is StreamOutput last && last.Name == name)
                this[^1] = last with { Text = last.Text + text };
            else
                Add(new StreamOutput(name, text));
        }

        public void Add(DisplayOutput output, string? valueId)
        {
            if (!string.IsNullOrEmpty(valueId))
                _byValueId[valueId] = Count;
            Add(output);
        }

        public void Update(string valueId, Dictionary<string, string> data)
        {
            if (_byValueId.TryGetValue(valueId, out var index) && this[index] is DisplayOutput old)
                this[index] = old with { Data = data };
        }
    }
}
