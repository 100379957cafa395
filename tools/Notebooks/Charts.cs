using System.Globalization;
using System.Reflection;
using System.Text;
using Plotly.NET;

namespace Workbook.Notebooks;

/// <summary>
/// Plotly.NET charts as HTML that works offline. A chart's HTML never references a CDN: it draws
/// into its own div once <c>window.Plotly</c> exists, and plotly.js itself (≈3.6 MB) is inlined once
/// per notebook (in the first chart's output) and once per exported page, never per chart.
/// </summary>
public static class Charts
{
    /// <summary>Marks the block that inlines plotly.js, so the HTML exporter can move it into the page's head.</summary>
    internal const string LoaderStart = "<!-- workbook:plotly.js -->";
    internal const string LoaderEnd = "<!-- /workbook:plotly.js -->";

    private static readonly Lazy<string> PlotlyJsSource = new(LoadPlotlyJs);

    /// <summary>plotly.js as shipped inside Plotly.NET (an embedded resource, no download).</summary>
    public static string PlotlyJs => PlotlyJsSource.Value;

    private static readonly Lazy<string> PlotlyJsGzipBase64 = new(() =>
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.SmallestSize))
            gzip.Write(Encoding.UTF8.GetBytes(PlotlyJs));
        return Convert.ToBase64String(buffer.ToArray());
    });

    /// <summary>For a page: the script block that defines <c>window.Plotly</c>, plotly.js inlined as it is, between markers.</summary>
    internal static string Loader() =>
        LoaderStart + "<script type=\"text/javascript\">" + PlotlyJs + "</script>" + LoaderEnd;

    /// <summary>
    /// For a notebook output: plotly.js gzipped and base64-encoded (≈1.4 MB instead of 3.6 MB), unpacked
    /// by the viewer's DecompressionStream and run once; charts wait for <c>window.Plotly</c>.
    /// </summary>
    internal static string CompressedLoader() =>
        LoaderStart + "<script type=\"text/javascript\">\n(function () {\n"
        + "  if (window.Plotly || window.workbookPlotlyLoading) return;\n  window.workbookPlotlyLoading = true;\n"
        + "  var packed = \"" + PlotlyJsGzipBase64.Value + "\";\n"
        + "  var bytes = Uint8Array.from(atob(packed), function (c) { return c.charCodeAt(0); });\n"
        + "  new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(function (source) {\n"
        + "    var script = document.createElement('script'); script.text = source; document.head.appendChild(script);\n  });\n"
        + "})();\n</script>" + LoaderEnd;

    /// <summary>True for a Plotly.NET chart (from Plotly.NET or Plotly.NET.CSharp).</summary>
    public static bool IsChart(object? value) => value is GenericChart;

    /// <summary>The chart's figure (data, layout, config) as JSON.</summary>
    internal static string FigureJson(GenericChart chart) => GenericChart.toFigureJson(chart);

    /// <summary>A div and a script that draws the chart into it once plotly.js is there.</summary>
    internal static string ChartHtml(GenericChart chart, string id)
    {
        var figure = FigureJson(chart);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<div id=\"{id}\" class=\"workbook-chart\" style=\"width:100%;max-width:900px;height:450px\"></div>\n");
        html.Append("<script type=\"text/javascript\">\n(function () {\n");
        html.Append(CultureInfo.InvariantCulture, $"  var figure = {figure};\n");
        html.Append(CultureInfo.InvariantCulture, $"  function draw() {{ if (window.Plotly) {{ window.Plotly.newPlot('{id}', figure.data, figure.layout, {{responsive: true}}); }} else {{ setTimeout(draw, 50); }} }}\n");
        html.Append("  draw();\n})();\n</script>");
        return html.ToString();
    }

    private static string LoadPlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames()
            .FirstOrDefault(n => n.StartsWith("Plotly.NET.plotly", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("plotly.js is not embedded in this Plotly.NET assembly.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // A "</script>" inside the library would end the inline block early.
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }

    internal static Assembly PlotlyAssembly => typeof(GenericChart).Assembly;
}
