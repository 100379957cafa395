using System.Net;
using System.Text;
using Markdig;

namespace Workbook.Notebooks;

/// <summary>
/// A notebook as one standalone HTML page a learner can read offline without any kernel: markdown
/// rendered, code highlighted, outputs inline, charts drawn by plotly.js inlined once in the page.
/// </summary>
public static class HtmlExporter
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private const string Style = """
        body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em; color: #1f2328; }
        pre, code { font: 13px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
        .md pre { background: #f6f8fa; padding: .8em; overflow-x: auto; }
        .md table { border-collapse: collapse; } .md td, .md th { border: 1px solid #d0d7de; padding: .3em .6em; }
        .cell { margin: 1.2em 0; }
        .code { display: flex; gap: .6em; }
        .prompt { color: #6e7781; font: 12px ui-monospace, monospace; min-width: 3.5em; text-align: right; padding-top: .8em; }
        .code pre { flex: 1; background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: .8em; margin: 0; overflow-x: auto; }
        .kw { color: #cf222e; } .str { color: #0a3069; } .num { color: #0550ae; } .com { color: #6e7781; font-style: italic; }
        .outputs { margin-left: 4.1em; }
        .output { margin: .4em 0; overflow-x: auto; }
        .output pre { margin: 0; padding: .4em .8em; border-left: 3px solid #d0d7de; }
        .output pre.stderr { background: #fff8c5; } .output pre.error { background: #ffebe9; border-color: #cf222e; }
        .output table { border-collapse: collapse; font-size: 14px; } .output td, .output th { border: 1px solid #d0d7de; padding: .2em .5em; }
        """;

    /// <summary>The page for a notebook, from the outputs stored in it (run it first, or pass a run).</summary>
    /// <param name="notebook">The notebook.</param>
    /// <param name="run">A run's outputs; null uses the outputs committed in the notebook.</param>
    public static string Render(NotebookDocument notebook, NotebookRunResult? run = null)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        var outputs = run is null
            ? NotebookOutputs.Read(notebook)
            : run.Cells.ToDictionary(c => c.Number, c => c.Outputs.ToList());
        var counts = run?.Cells.ToDictionary(c => c.Number, c => (int?)c.ExecutionCount)
            ?? notebook.Cells.ToDictionary(c => c.Number, c => (int?)(c.Json["execution_count"]?.GetValue<int>()));
        var body = new StringBuilder();
        var needsPlotly = false;
        foreach (var cell in notebook.Cells)
        {
            if (cell.Kind == CellKind.Markdown || cell.Kind == CellKind.Code && cell.Source.TrimStart().StartsWith("#!markdown", StringComparison.Ordinal))
            {
                var markdown = cell.Kind == CellKind.Markdown ? cell.Source : cell.Source.TrimStart()["#!markdown".Length..];
                body.Append("<div class=\"cell md\">").Append(Markdown.ToHtml(markdown, Pipeline)).Append("</div>\n");
                continue;
            }
            if (cell.Kind == CellKind.Raw)
            {
                body.Append("<div class=\"cell\"><pre>").Append(WebUtility.HtmlEncode(cell.Source)).Append("</pre></div>\n");
                continue;
            }
            var count = counts.GetValueOrDefault(cell.Number);
            body.Append("<div class=\"cell\"><div class=\"code\"><div class=\"prompt\">[").Append(count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? " ")
                .Append("]:</div><pre><code>").Append(CSharpHighlighter.ToHtml(cell.Source)).Append("</code></pre></div>\n<div class=\"outputs\">");
            foreach (var output in outputs.GetValueOrDefault(cell.Number) ?? [])
                body.Append("<div class=\"output\">").Append(RenderOutput(output, ref needsPlotly)).Append("</div>\n");
            body.Append("</div></div>\n");
        }

        var title = notebook.Cells.FirstOrDefault(c => c.Kind == CellKind.Markdown)?.Source.Split('\n')
            .FirstOrDefault(l => l.StartsWith('#'))?.TrimStart('#').Trim() ?? Path.GetFileNameWithoutExtension(notebook.Name);
        var page = new StringBuilder();
        page.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
            .Append(WebUtility.HtmlEncode(title)).Append("</title>\n<style>\n").Append(Style).Append("\n</style>\n");
        if (needsPlotly)
            page.Append(Charts.Loader()).Append('\n');
        page.Append("</head>\n<body>\n").Append(body).Append("<footer><small>Exported by <code>workbook run --html</code> from ")
            .Append(WebUtility.HtmlEncode(notebook.Name)).Append(".</small></footer>\n</body>\n</html>\n");
        return page.ToString();
    }

    private static string RenderOutput(CellOutput output, ref bool needsPlotly)
    {
        switch (output)
        {
            case StreamOutput stream:
                return $"<pre class=\"{(stream.Name == "stderr" ? "stderr" : "stdout")}\">{WebUtility.HtmlEncode(stream.Text)}</pre>";
            case ErrorOutput error:
                return $"<pre class=\"error\">{WebUtility.HtmlEncode(error.Name + ": " + error.Value)}</pre>";
            case DisplayOutput display when display.Data.TryGetValue("text/html", out var html):
                var withoutLoader = RemoveLoader(html);
                needsPlotly |= withoutLoader.Contains("window.Plotly", StringComparison.Ordinal);
                return withoutLoader;
            case DisplayOutput display when display.Data.TryGetValue("image/png", out var png):
                return $"<img alt=\"output\" src=\"data:image/png;base64,{png.Trim()}\">";
            case DisplayOutput display when display.Data.TryGetValue("image/svg+xml", out var svg):
                return svg;
            case DisplayOutput display when display.Data.TryGetValue("text/markdown", out var md):
                return Markdown.ToHtml(md, Pipeline);
            case DisplayOutput display when display.Data.TryGetValue("text/plain", out var text):
                return $"<pre>{WebUtility.HtmlEncode(text)}</pre>";
            default:
                return "";
        }
    }

    /// <summary>Takes out the plotly.js block a notebook output carries: the page inlines it once in its head.</summary>
    internal static string RemoveLoader(string html)
    {
        var start = html.IndexOf(Charts.LoaderStart, StringComparison.Ordinal);
        if (start < 0)
            return html;
        var end = html.IndexOf(Charts.LoaderEnd, start, StringComparison.Ordinal);
        return end < 0 ? html : html[..start] + html[(end + Charts.LoaderEnd.Length)..];
    }
}
