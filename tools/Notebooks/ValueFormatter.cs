using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace Workbook.Notebooks;

/// <summary>
/// Turns values into outputs the way the .NET Interactive kernel does: through
/// Microsoft.DotNet.Interactive.Formatting (text/html tables for lists and objects, text/plain),
/// and charts as offline HTML plus a PNG screenshot.
/// </summary>
internal sealed class ValueFormatter(IChartRenderer? renderer)
{
    private bool _plotlyInlined;
    private int _chartCount;

    /// <summary>How many charts were shown in this run.</summary>
    public int ChartCount => _chartCount;

    public IReadOnlyDictionary<string, string> Format(object? value, IReadOnlyCollection<string>? mimeTypes = null)
    {
        var data = new Dictionary<string, string>();
        switch (value)
        {
            case null:
                data["text/plain"] = "<null>";
                return data;
            case GenericChart chart:
                return FormatChart(chart);
            case IHtmlContent html when mimeTypes is not { Count: > 0 }:
                using (var writer = new StringWriter())
                {
                    html.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
                    data["text/html"] = writer.ToString();
                }
                return data;
            case string text when mimeTypes is not { Count: > 0 }:
                data["text/plain"] = text;
                return data;
        }

        IEnumerable<string> wanted = mimeTypes is { Count: > 0 }
            ? mimeTypes
            : Formatter.GetPreferredMimeTypesFor(value.GetType()).Append("text/plain");
        foreach (var mime in wanted.Distinct())
            data[mime] = value.ToDisplayString(mime);
        return data;
    }

    private Dictionary<string, string> FormatChart(GenericChart chart)
    {
        _chartCount++;
        var id = $"workbook-chart-{_chartCount}";
        var html = Charts.ChartHtml(chart, id);
        var data = new Dictionary<string, string>();
        if (!_plotlyInlined)
        {
            data["text/html"] = Charts.CompressedLoader() + "\n" + html;
            _plotlyInlined = true;
        }
        else
        {
            data["text/html"] = html;
        }
        if (renderer is not null)
            data["image/png"] = Convert.ToBase64String(renderer.RenderPngAsync(Charts.FigureJson(chart), CancellationToken.None).GetAwaiter().GetResult());
        return data;
    }
}
