using Microsoft.Playwright;

namespace Workbook.Notebooks;

/// <summary>Renders a chart to a PNG picture.</summary>
public interface IChartRenderer
{
    /// <summary>The chart whose Plotly figure JSON is <paramref name="figureJson"/>, as PNG bytes.</summary>
    Task<byte[]> RenderPngAsync(string figureJson, CancellationToken ct);
}

/// <summary>Where the system Chromium is, and the words that say how to install it when it is not.</summary>
public static class Chromium
{
    /// <summary>The command that installs Chromium on the workbook's machines (Debian/Ubuntu).</summary>
    public const string InstallCommand = "sudo apt-get install -y chromium";

    /// <summary>The message given when no Chromium is found.</summary>
    public static string MissingMessage =>
        "Chromium is needed to render charts as PNG and to check exported pages, and none was found "
        + "(looked at $WORKBOOK_CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome). "
        + $"Install it: `{InstallCommand}` (Debian/Ubuntu), `brew install --cask chromium` (macOS); "
        + "or point WORKBOOK_CHROMIUM at a Chromium or Chrome executable. `workbook run` never downloads a browser.";

    /// <summary>The Chromium executable, or null when there is none.</summary>
    public static string? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("WORKBOOK_CHROMIUM");
        if (!string.IsNullOrEmpty(fromEnvironment))
            return File.Exists(fromEnvironment) ? fromEnvironment : null;
        string[] candidates =
        [
            "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable",
            "/Applications/Chromium.app/Contents/MacOS/Chromium", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            @"C:\Program Files\Google\Chrome\Application\chrome.exe",
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>The Chromium executable.</summary>
    /// <exception cref="ChromiumMissingException">No Chromium is installed.</exception>
    public static string Require() => Find() ?? throw new ChromiumMissingException(MissingMessage);

    internal static BrowserTypeLaunchOptions LaunchOptions(string executable) => new()
    {
        ExecutablePath = executable,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
    };
}

/// <summary>Chromium, needed for PNG rendering, is not installed.</summary>
public sealed class ChromiumMissingException(string message) : Exception(message);

/// <summary>
/// Renders Plotly charts in headless Chromium (through Playwright, with the system browser; nothing is
/// downloaded) and screenshots them. One browser and one page with plotly.js loaded serve a whole run.
/// </summary>
public sealed class ChromiumChartRenderer : IChartRenderer, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IPage? _page;

    /// <summary>Width and height of the PNG in CSS pixels for a chart whose layout sets no size.</summary>
    public (int Width, int Height) Size { get; init; } = (800, 450);

    /// <inheritdoc/>
    public async Task<byte[]> RenderPngAsync(string figureJson, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var page = await PageAsync().ConfigureAwait(false);
            // The chart's own size where its layout has one (notebooks/workbook-setup.csx keeps a size the
            // cell set), else Size: the picture shows what the notebook's box shows.
            await page.EvaluateAsync(
                """
                async ([json, width, height]) => {
                  const figure = JSON.parse(json);
                  const div = document.getElementById('chart');
                  window.Plotly.purge(div);
                  const layout = Object.assign({}, figure.layout);
                  layout.width = layout.width || width;
                  layout.height = layout.height || height;
                  div.style.width = layout.width + 'px';
                  div.style.height = layout.height + 'px';
                  await window.Plotly.newPlot(div, figure.data, layout, { staticPlot: true });
                }
                """,
                new object[] { figureJson, Size.Width, Size.Height }).ConfigureAwait(false);
            return await page.Locator("#chart").ScreenshotAsync(new() { Type = ScreenshotType.Png }).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IPage> PageAsync()
    {
        if (_page is not null)
            return _page;
        var executable = Chromium.Require();
        _playwright = await Playwright.CreateAsync().ConfigureAwait(false);
        _browser = await _playwright.Chromium.LaunchAsync(Chromium.LaunchOptions(executable)).ConfigureAwait(false);
        _page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1200 } }).ConfigureAwait(false);
        await _page.SetContentAsync(
            "<!doctype html><html><head><meta charset=\"utf-8\"><script>" + Charts.PlotlyJs + "</script></head>"
            + "<body style=\"margin:0;background:white\"><div id=\"chart\"></div></body></html>").ConfigureAwait(false);
        return _page;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.CloseAsync().ConfigureAwait(false);
        _playwright?.Dispose();
        _gate.Dispose();
    }
}
