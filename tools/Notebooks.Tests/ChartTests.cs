using Microsoft.Playwright;

namespace Workbook.Notebooks.Tests;

/// <summary>Charts: offline HTML, plotly.js once, a PNG screenshot, and an exported page that draws them.</summary>
public sealed class ChartTests : IDisposable
{
    // The notebooks' own set-up cell, then a cell that uses it, as every notebook starts.
    private static readonly string SetupCell =
        "#r \"nuget: Plotly.NET, 6.0.0\"\n#r \"nuget: Plotly.NET.CSharp, 0.14.0\"\n#load \"" + SetupFile.Replace("\\", "/", StringComparison.Ordinal) + "\"";
    private const string ChartCells = "using Plotly.NET.CSharp;";
    private const string Chart1 = "Chart.Column<int, int, string>(new[] { 1, 2, 3 }, new[] { 10, 30, 20 })";
    private const string Chart2 = "Chart.Line<int, int, string>(new[] { 1, 2, 3 }, new[] { 3, 1, 2 })";

    private readonly TestNotebooks _notebooks = new();

    private static string SetupFile => Path.Combine(NotebookFiles.FindRepoRoot(AppContext.BaseDirectory), "notebooks", "workbook-setup.csx");

    public void Dispose() => _notebooks.Dispose();

    [Fact]
    public async Task Charts_are_offline_html_with_plotly_inlined_once_and_a_png_rendering()
    {
        Chromium.Require();
        await using var renderer = new ChromiumChartRenderer();
        var result = await TestNotebooks.RunAsync(_notebooks.Create(SetupCell, ChartCells, Chart1, Chart2), renderer: renderer);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.All(result.Cells.Skip(2), c => Assert.Single(c.Outputs));
        var first = Assert.IsType<DisplayOutput>(Assert.Single(result.Cells[2].Outputs));
        var second = Assert.IsType<DisplayOutput>(Assert.Single(result.Cells[3].Outputs));
        Assert.True(first.Data["text/html"].Length > 1_000_000, "the first chart carries plotly.js");
        Assert.InRange(first.Data["text/html"].Length, 1_000_000, 2_000_000); // gzipped + base64, not 3.6 MB
        Assert.True(second.Data["text/html"].Length < 20_000, "later charts do not carry plotly.js again");
        Assert.DoesNotMatch("<script[^>]+src=\"http", first.Data["text/html"]);
        var png = Convert.FromBase64String(second.Data["image/png"]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public async Task The_html_page_draws_the_chart_in_headless_chromium()
    {
        var executable = Chromium.Require();
        var result = await TestNotebooks.RunAsync(_notebooks.Create("md:# Charts", SetupCell, ChartCells, Chart1));
        Assert.True(result.Succeeded, result.Failure?.ToString());
        var page = HtmlExporter.Render(result.Notebook, result);
        Assert.Equal(1, CountOf(page, "<!-- workbook:plotly.js -->"));
        Assert.DoesNotMatch("<script[^>]+src=\"http", page);
        var file = Path.Combine(_notebooks.Directory, "page.html");
        await File.WriteAllTextAsync(file, page, TestContext.Current.CancellationToken);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(Chromium.LaunchOptions(executable));
        var tab = await browser.NewPageAsync();
        var failedRequests = new List<string>();
        tab.RequestFailed += (_, r) => failedRequests.Add(r.Url);
        await tab.GotoAsync(new Uri(file).AbsoluteUri);
        await tab.WaitForSelectorAsync(".workbook-chart .main-svg", new() { Timeout = 15_000 });
        var shot = await tab.Locator(".workbook-chart").ScreenshotAsync();
        Assert.Empty(failedRequests);

        // Not blank: the screenshot has many distinct colours (bars, axes, text), not one background.
        var pixels = await tab.EvaluateAsync<int>(
            """
            async (b64) => {
              const img = new Image(); img.src = 'data:image/png;base64,' + b64; await img.decode();
              const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
              const g = c.getContext('2d'); g.drawImage(img, 0, 0);
              const d = g.getImageData(0, 0, c.width, c.height).data; const seen = new Set();
              let nonWhite = 0;
              for (let i = 0; i < d.length; i += 4) { seen.add(d[i] << 16 | d[i+1] << 8 | d[i+2]); if (d[i] < 200 || d[i+1] < 200 || d[i+2] < 200) nonWhite++; }
              return seen.size > 8 ? nonWhite : 0;
            }
            """, Convert.ToBase64String(shot));
        Assert.True(pixels > 2_000, $"the chart screenshot looks blank ({pixels} non-white pixels)");
    }

    [Fact]
    public async Task Every_chart_of_notebook_03s_page_is_drawn_whole_inside_its_box()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(Chromium.LaunchOptions(Chromium.Require()));
        var boxes = await OpenCommittedPageAsync(browser, "03-flv.ipynb");
        var count = await boxes.CountAsync();
        Assert.True(count >= 3, $"notebook 03 shows tag sizes, bitrate and DTS/PTS charts; the page has {count}");
        for (var i = 0; i < count; i++)
        {
            var box = boxes.Nth(i);
            await box.Locator(".main-svg").First.WaitForAsync(new() { Timeout = 15_000 });
            await box.ScrollIntoViewIfNeededAsync();
            // Where the drawing is against its box: the whole SVG, the x-axis title, and how many traces were drawn.
            var m = await box.EvaluateAsync<double[]>(
                """
                (div) => {
                  const r = div.getBoundingClientRect();
                  const svg = div.querySelector('.main-svg').getBoundingClientRect();
                  const title = div.querySelector('.g-xtitle');
                  const t = title ? title.getBoundingClientRect() : { bottom: -1, height: 0 };
                  return [r.width, r.height, svg.width, svg.height, t.bottom - r.top, t.height,
                          div.querySelectorAll('.scatterlayer .trace, .barlayer .trace').length];
                }
                """);
            var (boxW, boxH, svgW, svgH, titleBottom, titleH, traces) = (m[0], m[1], m[2], m[3], m[4], m[5], (int)m[6]);
            var where = $"chart {i + 1} of notebook 03's page";
            Assert.True(svgW <= boxW + 1 && svgH <= boxH + 1,
                $"{where}: the plot is {svgW:0}×{svgH:0} px in a {boxW:0}×{boxH:0} px box, so part of it is cut off");
            Assert.True(titleH > 0 && titleBottom <= boxH + 1,
                $"{where}: the x-axis title must be drawn inside the box (its bottom at {titleBottom:0} px of {boxH:0})");
            Assert.True(traces >= 1, $"{where}: no series was drawn");
            if (i == 0)
            {
                Assert.True(traces >= 2, $"{where} (tag sizes over time) must draw the video and the audio series; it drew {traces}");
                var shot = Path.Combine(Path.GetTempPath(), "workbook-03-tag-sizes.png");
                await box.ScreenshotAsync(new() { Path = shot });
                TestContext.Current.SendDiagnosticMessage($"screenshot of the tag-size chart: {shot}");
            }
        }
    }

    [Theory]
    [InlineData("00-ffmpeg-toolbox.ipynb")]
    [InlineData("01-rtmp-handshake.ipynb")]
    [InlineData("02-rtmp-chunks.ipynb")]
    [InlineData("04-live-server.ipynb")]
    [InlineData("06-yuv-dct.ipynb")]
    [InlineData("07-h264-bitstream.ipynb")]
    public async Task Every_chart_of_a_notebooks_page_fits_its_box(string notebook)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(Chromium.LaunchOptions(Chromium.Require()));
        var boxes = await OpenCommittedPageAsync(browser, notebook);
        var count = await boxes.CountAsync();
        Assert.True(count >= 1, $"{notebook}'s page shows no chart");
        for (var i = 0; i < count; i++)
        {
            var box = boxes.Nth(i);
            await box.Locator(".main-svg").First.WaitForAsync(new() { Timeout = 15_000 });
            var m = await box.EvaluateAsync<double[]>(
                """
                (div) => {
                  const r = div.getBoundingClientRect();
                  const svg = div.querySelector('.main-svg').getBoundingClientRect();
                  return [r.width, r.height, svg.width, svg.height, div.querySelectorAll('.plot > *, .heatmaplayer > *').length];
                }
                """);
            Assert.True(m[2] <= m[0] + 1 && m[3] <= m[1] + 1,
                $"chart {i + 1} of {notebook}'s page: the plot is {m[2]:0}×{m[3]:0} px in a {m[0]:0}×{m[1]:0} px box, so part of it is cut off");
            Assert.True(m[4] >= 1, $"chart {i + 1} of {notebook}'s page: nothing was drawn in the plot area");
        }
    }

    [Fact]
    public void Without_chromium_the_message_says_how_to_install_it()
    {
        var old = Environment.GetEnvironmentVariable("WORKBOOK_CHROMIUM");
        try
        {
            Environment.SetEnvironmentVariable("WORKBOOK_CHROMIUM", "/nonexistent/chromium");
            var e = Assert.Throws<ChromiumMissingException>(() => Chromium.Require());
            Assert.Contains("apt-get install -y chromium", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("WORKBOOK_CHROMIUM", old);
        }
    }

    /// <summary>Exports a committed notebook's page (no run), opens it in a 1100 px wide tab, and returns its chart boxes.</summary>
    private async Task<ILocator> OpenCommittedPageAsync(IBrowser browser, string notebook)
    {
        var root = NotebookFiles.FindRepoRoot(AppContext.BaseDirectory);
        var file = Path.Combine(_notebooks.Directory, Path.ChangeExtension(notebook, ".html"));
        await File.WriteAllTextAsync(file, HtmlExporter.Render(NotebookDocument.Load(Path.Combine(root, "notebooks", notebook))), TestContext.Current.CancellationToken);
        var tab = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1100, Height = 900 } });
        await tab.GotoAsync(new Uri(file).AbsoluteUri);
        return tab.Locator(".workbook-chart");
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
