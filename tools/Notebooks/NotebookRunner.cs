using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;

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
/// <param name="Exception">The exception type, or "CompilationError", "Timeout", "Directive".</param>
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
/// Runs a notebook's C# cells in order with Roslyn scripting, with the .NET Interactive C# kernel's
/// semantics: state carries from cell to cell, a trailing expression is displayed, <c>display(x)</c>
/// shows mid-cell, console output is captured per cell, and the first failing cell stops the run.
/// </summary>
public static class NotebookRunner
{
    // The kernel's default usings (CSharpKernel).
    private static readonly string[] DefaultImports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    private static readonly Lazy<ImmutableArray<MetadataReference>> DefaultReferences = new(BuildDefaultReferences);

    /// <summary>Runs a notebook file.</summary>
    public static Task<NotebookRunResult> RunAsync(string path, NotebookRunOptions options, CancellationToken ct) =>
        RunAsync(NotebookDocument.Load(path), options, ct);

    /// <summary>Runs a loaded notebook; the document is not changed (see <see cref="NotebookOutputs.Apply"/>).</summary>
    public static async Task<NotebookRunResult> RunAsync(NotebookDocument notebook, NotebookRunOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        ArgumentNullException.ThrowIfNull(options);
        Formatter.ResetToDefault();
        var total = Stopwatch.StartNew();
        var directory = Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!;
        var formatter = new ValueFormatter(options.ChartRenderer);
        var globals = new NotebookGlobals(formatter);
        var scriptOptions = ScriptOptions.Default
            .WithReferences(DefaultReferences.Value)
            .WithImports(DefaultImports)
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(directory).WithSearchPaths(directory))
            .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, directory))
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8);

        var results = new List<CellResult>();
        ScriptState<object>? state = null;
        var executionCount = 0;
        foreach (var cell in notebook.Cells)
        {
            ct.ThrowIfCancellationRequested();
            if (cell.Kind != CellKind.Code || string.IsNullOrWhiteSpace(cell.Source))
                continue;
            if (UnsupportedLanguage(cell) is { } language)
            {
                var failure = new CellFailure(notebook.Name, cell.Number, null, "Directive",
                    $"the cell's kernel is '{language}'; `workbook run` runs only C# cells (and #!markdown).");
                Complete(new CellResult(cell.Number, ++executionCount, [ToErrorOutput(failure)], TimeSpan.Zero, failure));
                break;
            }

            var watch = Stopwatch.StartNew();
            CellDirectives directives;
            try
            {
                directives = CellDirectives.Parse(cell.Source);
            }
            catch (CellDirectiveException e)
            {
                var failure = new CellFailure(notebook.Name, cell.Number, e.Line, "Directive", e.Message);
                Complete(new CellResult(cell.Number, ++executionCount, [ToErrorOutput(failure)], watch.Elapsed, failure));
                break;
            }
            if (directives.IsMarkdown)
                continue;

            executionCount++;
            var packageError = (CellFailure?)null;
            foreach (var (name, version, line) in directives.Packages)
            {
                var (assemblies, error) = ProvidedPackages.Resolve(name, version);
                if (error is not null)
                {
                    packageError = new CellFailure(notebook.Name, cell.Number, line, "UnknownPackage", error);
                    break;
                }
                scriptOptions = scriptOptions.AddReferences(assemblies);
            }
            if (packageError is not null)
            {
                Complete(new CellResult(cell.Number, executionCount, [ToErrorOutput(packageError)], watch.Elapsed, packageError));
                break;
            }
            if (string.IsNullOrWhiteSpace(directives.Code))
            {
                Complete(new CellResult(cell.Number, executionCount, [], watch.Elapsed, null));
                continue;
            }

            var cellPath = Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(notebook.Name)}.cell{cell.Number}.csx");
            var cellOptions = scriptOptions.WithFilePath(cellPath);
            var script = state is null
                ? CSharpScript.Create<object>(directives.Code, cellOptions, typeof(NotebookGlobals))
                : state.Script.ContinueWith<object>(directives.Code, cellOptions);

            var sink = new CellSink();
            var (newState, failureOut) = await ExecuteAsync(notebook, cell, script, state, globals, sink, formatter, cellPath, options.CellTimeout, ct).ConfigureAwait(false);
            var outputs = sink.Complete().ToList();
            if (failureOut is not null)
                outputs.Add(ToErrorOutput(failureOut));
            Complete(new CellResult(cell.Number, executionCount, outputs, watch.Elapsed, failureOut));
            if (failureOut is not null)
                break;
            state = newState;
        }
        return new NotebookRunResult(notebook, results, results.Select(r => r.Failure).LastOrDefault(f => f is not null), total.Elapsed);

        void Complete(CellResult result)
        {
            results.Add(result);
            options.CellCompleted?.Invoke(result);
        }
    }

    private static async Task<(ScriptState<object>? State, CellFailure? Failure)> ExecuteAsync(
        NotebookDocument notebook, NotebookCell cell, Script<object> script, ScriptState<object>? previous,
        NotebookGlobals globals, CellSink sink, ValueFormatter formatter, string cellPath, TimeSpan timeout, CancellationToken ct)
    {
        var diagnostics = script.Compile(ct);
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            var first = errors[0];
            int? line = first.Location.IsInSource ? first.Location.GetLineSpan().StartLinePosition.Line + 1 : null;
            var message = string.Join("; ", errors.Take(3).Select(e => $"{e.Id} {e.GetMessage(CultureInfo.InvariantCulture)}"));
            return (null, new CellFailure(notebook.Name, cell.Number, line, "CompilationError", message));
        }
        var hasValue = HasTrailingExpression(script.GetCompilation());

        // A dedicated thread per cell: a cell that never returns cannot be stopped, but it can be left
        // behind, so the run fails on time instead of hanging.
        var work = Task.Factory.StartNew(async () =>
        {
            using var capture = ConsoleRouter.Capture(sink);
            globals.Sink = sink;
            try
            {
                var state = previous is null
                    ? await script.RunAsync(globals, ct).ConfigureAwait(false)
                    : await script.RunFromAsync(previous, ct).ConfigureAwait(false);
                if (hasValue)
                    sink.Add(new DisplayOutput(formatter.Format(state.ReturnValue), IsResult: true));
                return state;
            }
            finally
            {
                await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

        try
        {
            return (await work.WaitAsync(timeout, ct).ConfigureAwait(false), null);
        }
        catch (TimeoutException) when (!work.IsCompleted)
        {
            return (null, new CellFailure(notebook.Name, cell.Number, null, "Timeout",
                $"the cell did not finish within its time limit of {timeout.TotalSeconds:0.#} s (--timeout-per-cell)."));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var inner = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
            return (null, new CellFailure(notebook.Name, cell.Number, LineIn(inner, cellPath), inner.GetType().Name, inner.Message));
        }
        finally
        {
            globals.Sink = null;
        }
    }

    /// <summary>The line of the cell where the exception passed through it, from the stack trace's debug info.</summary>
    private static int? LineIn(Exception exception, string cellPath)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var frames = new StackTrace(e, fNeedFileInfo: true).GetFrames();
            foreach (var frame in frames)
                if (string.Equals(frame.GetFileName(), cellPath, StringComparison.Ordinal) && frame.GetFileLineNumber() > 0)
                    return frame.GetFileLineNumber();
        }
        return null;
    }

    /// <summary>
    /// True when the cell ends in an expression without a semicolon whose type is not void: the kernel
    /// displays its value (even when the value is null), and displays nothing after a statement.
    /// </summary>
    private static bool HasTrailingExpression(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.Last();
        var root = (Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax)tree.GetRoot();
        if (root.Members.LastOrDefault() is not Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax { Statement: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax statement }
            || !statement.SemicolonToken.IsMissing)
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    private static ErrorOutput ToErrorOutput(CellFailure failure) =>
        new(failure.Exception, failure.Message, [failure.ToString()]);

    private static string? UnsupportedLanguage(NotebookCell cell)
    {
        var metadata = cell.Json["metadata"];
        var language = (string?)metadata?["dotnet_interactive"]?["language"] ?? (string?)metadata?["polyglot_notebook"]?["kernelName"];
        return language is null or "csharp" or "C#" or "markdown" ? null : language;
    }

    private static ImmutableArray<MetadataReference> BuildDefaultReferences()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDirectory, StringComparison.Ordinal))
            .Where(p => Path.GetFileName(p) is var f && (f.StartsWith("System.", StringComparison.Ordinal) || f is "mscorlib.dll" or "netstandard.dll" or "Microsoft.CSharp.dll" or "Microsoft.Win32.Primitives.dll"));
        Assembly[] own = [typeof(NotebookGlobals).Assembly, typeof(Formatter).Assembly, typeof(Microsoft.AspNetCore.Html.IHtmlContent).Assembly];
        return [.. framework.Concat(own.Select(a => a.Location)).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
