using System.Net;
using System.Text;
using Microsoft.Playwright;

namespace Lab04.LiveServer.Tests;

/// <summary>What the page saw: time from load() to the first decoded frame, frames decoded, the video's currentTime.</summary>
internal sealed record Playback(double FirstFrameMs, int DecodedFrames, double CurrentTime);

/// <summary>
/// A real browser player: the system Chromium, headless, driven by Playwright (RECIPES.md: never a browser
/// download), opening a page from the test's own HTTP server (another origin than the live server's, so
/// CORS is needed) that plays an HTTP-FLV URL with mpegts.js from tools/players.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    private const string Page = """
<!doctype html>
<html><head><meta charset="utf-8"><title>lab04 test player</title></head>
<body>
<video id="video" muted playsinline></video>
<script src="/mpegts.js"></script>
<script>
window.state = { errors: [], firstFrameMs: -1 };
window.startPlayer = (url) => {
  const video = document.getElementById('video');
  const player = mpegts.createPlayer({ type: 'flv', isLive: true, url }, { enableStashBuffer: false });
  player.on(mpegts.Events.ERROR, (kind, detail, info) => window.state.errors.push(`${kind} ${detail} ${JSON.stringify(info)}`));
  player.attachMediaElement(video);
  const opened = performance.now();
  video.requestVideoFrameCallback(() => window.state.firstFrameMs = performance.now() - opened);
  player.load();
  video.play().catch(e => window.state.errors.push('play(): ' + e));
};
</script>
</body></html>
""";

    private readonly HttpListener _site;
    private readonly Task _serving;
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(HttpListener site, Task serving, IPlaywright playwright, IBrowser browser, int sitePort)
    {
        _site = site;
        _serving = serving;
        _playwright = playwright;
        _browser = browser;
        SitePort = sitePort;
    }

    public int SitePort { get; }

    public static async Task<Browser> StartAsync()
    {
        string mpegts = Players.MpegtsJs();
        string chromium = RealTools.Find("chromium") ?? RealTools.Find("chromium-browser") ?? RealTools.Find("google-chrome")
            ?? throw new Xunit.Sdk.XunitException($"This test plays the stream in a real browser, and no Chromium is on your PATH. Install it:\n  {RealTools.InstallCommand("chromium")}");

        int port = Loopback.FreePort();
        var site = new HttpListener();
        site.Prefixes.Add($"http://127.0.0.1:{port}/");
        site.Start();
        var serving = ServeAsync(site, await File.ReadAllBytesAsync(mpegts, TestContext.Current.CancellationToken));
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required"],
        });
        return new Browser(site, serving, playwright, browser, port);
    }

    private static async Task ServeAsync(HttpListener site, byte[] mpegts)
    {
        while (site.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await site.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var (body, type) = context.Request.Url?.AbsolutePath == "/mpegts.js" ? (mpegts, "text/javascript") : (Encoding.UTF8.GetBytes(Page), "text/html; charset=utf-8");
            context.Response.ContentType = type;
            context.Response.ContentLength64 = body.Length;
            try
            {
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // the browser went away
            }
        }
    }

    /// <summary>Opens the page, plays <paramref name="url"/>, and waits until currentTime advanced past 1 s with decoded frames; fails with what the page saw.</summary>
    public async Task<Playback> PlayAsync(string url)
    {
        var page = await _browser.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => { lock (console) { console.Add(m.Text); } };
        await page.GotoAsync($"http://127.0.0.1:{SitePort}/");
        await page.EvaluateAsync("url => window.startPlayer(url)", url);
        using var deadline = Deadline.After(TimeSpan.FromSeconds(30));
        double time = 0;
        int decoded = 0;
        while (!deadline.IsCancellationRequested)
        {
            time = await page.EvaluateAsync<double>("document.getElementById('video').currentTime");
            decoded = await page.EvaluateAsync<int>("document.getElementById('video').getVideoPlaybackQuality().totalVideoFrames");
            if (time > 1.0 && decoded > 10)
            {
                double first = await page.EvaluateAsync<double>("window.state.firstFrameMs");
                await page.CloseAsync();
                return new Playback(first, decoded, time);
            }

            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        string errors = await page.EvaluateAsync<string>("window.state.errors.join('\\n')");
        string log;
        lock (console)
        {
            log = string.Join('\n', console.TakeLast(15));
        }

        throw new Xunit.Sdk.XunitException(
            $"Chromium with mpegts.js did not play {url} from a page on another origin within 30 s: video.currentTime {time:0.00} s, {decoded} frames decoded.\n" +
            $"Player errors: {(errors.Length == 0 ? "none" : errors)}\nConsole:\n{log}\nSee README §HTTP-FLV (CORS, chunked FLV, the headers before the frames).");
    }

    /// <summary>
    /// Opens <paramref name="url"/> in headless Chromium (no test site, no player) and waits until the element
    /// <paramref name="selector"/> exists and its text contains every one of <paramref name="texts"/>; returns its text.
    /// </summary>
    public static async Task<string> WaitForTextAsync(string url, string selector, params string[] texts)
    {
        string chromium = RealTools.Find("chromium") ?? RealTools.Find("chromium-browser") ?? RealTools.Find("google-chrome")
            ?? throw new Xunit.Sdk.XunitException($"This test opens a page in a real browser, and no Chromium is on your PATH. Install it:\n  {RealTools.InstallCommand("chromium")}");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => { lock (errors) { errors.Add(e); } };
        await page.GotoAsync(url);
        using var deadline = Deadline.After(TimeSpan.FromSeconds(15));
        string seen = "";
        while (!deadline.IsCancellationRequested)
        {
            seen = await page.EvaluateAsync<string>("s => document.querySelector(s)?.innerText ?? ''", selector);
            if (texts.All(t => seen.Contains(t, StringComparison.Ordinal)))
            {
                return seen;
            }

            try
            {
                await Task.Delay(200, deadline.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        string body = await page.EvaluateAsync<string>("document.body?.innerText ?? ''");
        throw new Xunit.Sdk.XunitException($"Chromium at {url}: within 15 s, \"{selector}\" never showed all of {string.Join(", ", texts.Select(t => $"\"{t}\""))}; it showed \"{seen}\". Page text:\n{body}\nScript errors: {(errors.Count == 0 ? "none" : string.Join("\n", errors))}");
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _site.Stop();
        _site.Close();
        await _serving;
    }
}
