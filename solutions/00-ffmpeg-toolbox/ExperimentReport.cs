using System.Globalization;
using System.Net;
using System.Text;
using Plotly.NET;
using Plotly.NET.CSharp;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Lab00.FfmpegToolbox;

/// <summary>
/// The experiment as an offline HTML page of Plotly charts (given code): plotly.js is inlined from inside the
/// Plotly.NET package, so the page opens without a network and references no CDN.
/// </summary>
public static class ExperimentReport
{
    /// <summary>Size vs PSNR, one line per preset (a point per CRF): lower and to the right is better.</summary>
    public static GenericChart SizeVsPsnr(IReadOnlyList<ExperimentResult> results) =>
        PerPreset(results, r => r.Psnr, "PSNR, dB (higher is better)");

    /// <summary>Size vs SSIM, one line per preset.</summary>
    public static GenericChart SizeVsSsim(IReadOnlyList<ExperimentResult> results) =>
        PerPreset(results, r => r.Ssim, "SSIM (1 = identical)");

    /// <summary>Encode CPU time per preset, as a ratio to the fastest preset of the run.</summary>
    public static GenericChart SpeedPerPreset(IReadOnlyList<ExperimentResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var presets = results.GroupBy(r => r.Preset).Select(g => (Preset: g.Key, Ratio: g.First().SpeedRatio)).ToList();
        return CSharpChart.Column<double, string, string>(values: presets.Select(p => p.Ratio), Keys: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(presets.Select(p => p.Preset), true), Name: "CPU time ÷ fastest")
            .WithXAxisStyle<double, double, string>(TitleText: "preset")
            .WithYAxisStyle<double, double, string>(TitleText: "encode CPU time ÷ fastest preset's");
    }

    /// <summary>A standalone page: a title, the three charts and the table of results.</summary>
    public static string ToHtml(IReadOnlyList<ExperimentResult> results, string title)
    {
        ArgumentNullException.ThrowIfNull(results);
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n");
        html.Append("<script type=\"text/javascript\">").Append(PlotlyJs()).Append("</script>\n");
        html.Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}</style>\n");
        html.Append("</head><body>\n<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>\n");
        var charts = new[] { SizeVsPsnr(results), SizeVsSsim(results), SpeedPerPreset(results) };
        for (int i = 0; i < charts.Length; i++)
        {
            html.Append(c, $"<div id=\"chart{i}\" style=\"width:900px;height:450px\"></div>\n");
            html.Append(c, $"<script>(function(){{var f={GenericChart.toFigureJson(charts[i])};Plotly.newPlot('chart{i}',f.data,f.layout);}})();</script>\n");
        }

        html.Append("<table><tr><th>preset</th><th>CRF</th><th>bytes</th><th>kb/s</th><th>CPU s</th><th>time ÷ fastest</th><th>PSNR dB</th><th>SSIM</th><th>VMAF</th></tr>\n");
        foreach (var r in results)
        {
            html.Append(c, $"<tr><td>{WebUtility.HtmlEncode(r.Preset)}</td><td>{r.Crf}</td><td>{r.Bytes}</td><td>{r.BitrateKbps:0.0}</td><td>{r.EncodeCpuSeconds:0.000}</td><td>{r.SpeedRatio:0.00}</td><td>{r.Psnr:0.00}</td><td>{r.Ssim:0.0000}</td><td>{(r.Vmaf is { } v ? v.ToString("0.0", c) : "—")}</td></tr>\n");
        }

        html.Append("</table>\n</body></html>\n");
        return html.ToString();
    }

    private static GenericChart PerPreset(IReadOnlyList<ExperimentResult> results, Func<ExperimentResult, double> quality, string yTitle)
    {
        ArgumentNullException.ThrowIfNull(results);
        var lines = results.GroupBy(r => r.Preset).Select(g => CSharpChart.Line<double, double, string>(
            x: g.Select(r => r.Bytes / 1000.0), y: g.Select(quality), Name: g.Key, ShowMarkers: true,
            MultiText: new Plotly.NET.CSharp.Optional<IEnumerable<string>>(g.Select(r => "CRF " + r.Crf.ToString(CultureInfo.InvariantCulture)), true)));
        return CSharpChart.Combine(lines)
            .WithXAxisStyle<double, double, string>(TitleText: "size, kB")
            .WithYAxisStyle<double, double, string>(TitleText: yTitle);
    }

    /// <summary>plotly.js as shipped inside the Plotly.NET assembly (an embedded resource: no download, no CDN).</summary>
    private static string PlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().First(n => n.StartsWith("Plotly.NET.plotly", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }
}
