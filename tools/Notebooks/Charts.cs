using System.Runtime.Loader;
using System.Text;
using System.Text.RegularExpressions;

namespace Workbook.Notebooks;

/// <summary>
/// Plotly.NET charts offline. The notebooks' own set-up file (notebooks/workbook-setup.csx) formats a chart as
/// HTML that draws into its own box once <c>window.Plotly</c> exists, plotly.js inlined in the first chart's
/// output; here are plotly.js itself for exported pages and the PNG renderer, and the figure inside a chart output.
/// </summary>
public static partial class Charts
{
    /// <summary>Marks the block that inlines plotly.js, so the HTML exporter can move it into the page's head.</summary>
    internal const string LoaderStart = "<!-- workbook:plotly.js -->";
    internal const string LoaderEnd = "<!-- /workbook:plotly.js -->";

    private static readonly Lazy<string> PlotlyJsSource = new(LoadPlotlyJs);

    /// <summary>plotly.js as shipped inside Plotly.NET (an embedded resource, no download).</summary>
    public static string PlotlyJs => PlotlyJsSource.Value;

    /// <summary>For a page: the script block that defines <c>window.Plotly</c>, plotly.js inlined as it is, between markers.</summary>
    internal static string Loader() =>
        LoaderStart + "<script type=\"text/javascript\">" + PlotlyJs + "</script>" + LoaderEnd;

    /// <summary>
    /// The Plotly figure JSON of a chart output made by notebooks/workbook-setup.csx's formatter (its
    /// <c>script type="application/json" class="workbook-figure"</c> block), or null when the HTML holds no chart.
    /// </summary>
    public static string? FigureIn(string html)
    {
        var match = FigureBlock().Match(html);
        return match.Success ? match.Groups["json"].Value.Replace("<\\/", "</", StringComparison.Ordinal) : null;
    }

    [GeneratedRegex("<script type=\"application/json\" class=\"workbook-figure\"[^>]*>(?<json>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex FigureBlock();

    private static string LoadPlotlyJs()
    {
        // Plotly.NET.dll is copied beside this assembly and opened for its resources only (see Notebooks.csproj).
        var path = Path.Combine(AppContext.BaseDirectory, "plotly", "Plotly.NET.dll");
        if (!File.Exists(path))
            throw new FileNotFoundException("plotly.js comes from Plotly.NET.dll beside the runner; rebuild tools/Notebooks.", path);
        var context = new AssemblyLoadContext("plotly.js", isCollectible: true);
        var assembly = context.LoadFromAssemblyPath(path);
        var name = assembly.GetManifestResourceNames()
            .FirstOrDefault(n => n.StartsWith("Plotly.NET.plotly", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("plotly.js is not embedded in this Plotly.NET assembly.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // A "</script>" inside the library would end the inline block early.
        var source = reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        context.Unload();
        return source;
    }
}
