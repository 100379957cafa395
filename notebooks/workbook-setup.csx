// Shared set-up for every notebook of the workbook, loaded by each notebook's first code cell:
//
//     #r "nuget: Plotly.NET, 6.0.0"
//     #r "nuget: Plotly.NET.CSharp, 0.14.0"
//     #load "workbook-setup.csx"
//
// It does two things the .NET Interactive kernel does not do by itself:
// 1. Plotly.NET 6.0.0 was built against FSharp.Core 10.1, but the kernel process has already loaded its own
//    FSharp.Core 10.0 (one FSharp.Core per process): when .NET looks for 10.1, hand it the loaded one.
// 2. Show Plotly.NET charts as interactive charts that work offline: plotly.js comes from inside the
//    Plotly.NET package (never a CDN), goes into the first chart's output once per kernel session
//    (gzipped), and each chart is drawn into a box of its own size.
// The same file runs in Jupyter, in VS Code and in `workbook run` (which hosts the same kernel).

using System.IO;
using System.IO.Compression;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Formatting;

WorkbookSetup.UseLoadedFSharpCore();
WorkbookSetup.RegisterChartFormatter();

/// <summary>The two set-up steps; the chart code is in methods of its own so it is compiled only after step 1.</summary>
public static class WorkbookSetup
{
    private static bool s_hooked;

    /// <summary>Resolves any FSharp.Core request to the FSharp.Core this process already runs.</summary>
    public static void UseLoadedFSharpCore()
    {
        if (s_hooked) return;
        s_hooked = true;
        AssemblyLoadContext.Default.Resolving += (_, name) => name.Name == "FSharp.Core"
            ? AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core")
            : null;
    }

    /// <summary>Registers the text/html formatter for Plotly.NET's GenericChart.</summary>
    public static void RegisterChartFormatter() =>
        Formatter.Register<Plotly.NET.GenericChart>((chart, writer) => writer.Write(WorkbookCharts.Html(chart)), "text/html");
}

/// <summary>A Plotly.NET chart as offline HTML: a box, the figure as JSON, and a script that draws it.</summary>
public static class WorkbookCharts
{
    // Plotly.NET gives every chart a 600 × 600 layout unless the cell sets a size (Plotly.NET's Defaults):
    // such a chart fills the width of the page instead, DefaultHeight pixels high.
    private const int PlotlyNetDefaultSize = 600;
    private const int DefaultHeight = 450;

    private static bool s_plotlyShown;

    /// <summary>The chart's HTML; the first chart of a session also carries plotly.js.</summary>
    public static string Html(Plotly.NET.GenericChart chart)
    {
        var figure = JsonNode.Parse(Plotly.NET.GenericChart.toFigureJson(chart))!.AsObject();
        var layout = figure["layout"] as JsonObject ?? new JsonObject();
        figure["layout"] = layout;
        int? width = (int?)(double?)layout["width"];
        int? height = (int?)(double?)layout["height"];
        if ((width is null or PlotlyNetDefaultSize) && (height is null or PlotlyNetDefaultSize))
        {
            width = null;
            height = DefaultHeight;
        }
        height ??= DefaultHeight;
        layout.Remove("width");
        layout["height"] = height;
        layout["autosize"] = true;
        if (width is { } w) layout["width"] = w;

        var id = $"workbook-chart-{Guid.NewGuid():N}";
        var box = width is { } fixedWidth ? $"width:{fixedWidth}px;max-width:100%" : "width:100%";
        var json = figure.ToJsonString().Replace("</", "<\\/");
        var html = new StringBuilder();
        if (!s_plotlyShown)
        {
            html.Append(Loader());
            s_plotlyShown = true;
        }
        html.Append($"<div id=\"{id}\" class=\"workbook-chart\" style=\"{box};height:{height}px\"></div>\n");
        html.Append($"<script type=\"application/json\" class=\"workbook-figure\" data-chart=\"{id}\">{json}</script>\n");
        html.Append("<script type=\"text/javascript\">\n(function () {\n");
        html.Append($"  var figure = JSON.parse(document.querySelector('script[data-chart=\"{id}\"]').textContent);\n");
        html.Append($"  function draw() {{ if (window.Plotly) {{ window.Plotly.newPlot('{id}', figure.data, figure.layout, {{responsive: true}}); }} else {{ setTimeout(draw, 50); }} }}\n");
        html.Append("  draw();\n})();\n</script>");
        return html.ToString();
    }

    /// <summary>
    /// plotly.js as Plotly.NET ships it (an embedded resource), gzipped and base64-encoded (≈1.4 MB instead of
    /// 3.6 MB), unpacked by the browser's DecompressionStream and run once; charts wait for window.Plotly.
    /// </summary>
    private static string Loader()
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        var resource = assembly.GetManifestResourceNames()
            .First(n => n.StartsWith("Plotly.NET.plotly", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var packed = new MemoryStream();
        using (var source = assembly.GetManifestResourceStream(resource)!)
        using (var gzip = new GZipStream(packed, CompressionLevel.SmallestSize, true))
            source.CopyTo(gzip);
        return "<!-- workbook:plotly.js --><script type=\"text/javascript\">\n(function () {\n"
            + "  if (window.Plotly || window.workbookPlotlyLoading) return;\n  window.workbookPlotlyLoading = true;\n"
            + "  var packed = \"" + Convert.ToBase64String(packed.ToArray()) + "\";\n"
            + "  var bytes = Uint8Array.from(atob(packed), function (c) { return c.charCodeAt(0); });\n"
            + "  new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(function (source) {\n"
            + "    var script = document.createElement('script'); script.text = source; document.head.appendChild(script);\n  });\n"
            + "})();\n</script><!-- /workbook:plotly.js -->\n";
    }
}
