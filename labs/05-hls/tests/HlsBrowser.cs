using System.Net;
using System.Text;
using Microsoft.Playwright;

namespace Lab05.Hls.Tests;

/// <summary>What the page saw: frames decoded, the video's currentTime, the hls.js levels and the fragments it loaded.</summary>
internal sealed record HlsPlayback(int DecodedFrames, double CurrentTime, int FragmentsLoaded);

/// <summary>
/// A real HLS player: the system Chromium, headless, driven by Playwright (RECIPES.md: never a browser download), on a
/// page from the test's own HTTP server that plays a playlist with hls.js from tools/players. The same server serves
/// the folder the learner's code wrote, with HLS's content types (RFC 8216 §4: application/vnd.apple.mpegurl;
/// video/mp2t for TS segments).
/// </summary>
internal sealed class HlsBrowser : IAsyncDisposable
{
    private const string Page = """
<!doctype html>
<html><head><meta charset="utf-8"><title>lab05 test player</title></head>
<body>
<video id="video" muted playsinline></video>
<script src="/hls.min.js"></script>
<script>
window.state = { errors: [], fragments: 0 };
window.startPlayer = (url) => {
  const video = document.getElementById('video');
  const hls = new Hls({ enableWorker: false });
  hls.on(Hls.Events.ERROR, (event, data) => window.state.errors.push(`${data.type} ${data.details} fatal=${data.fatal}`));
  hls.on(Hls.Events.FRAG_LOADED, () => window.state.fragments++);
  hls.loadSource(url);
  hls.attachMedia(video);
  video.play().catch(e => window.state.errors.push('play(): ' + e));
};
window.startLowLatency = (url) => {
  const video = document.getElementById('video');
  const hls = new Hls({ enableWorker: false, lowLatencyMode: true });
  window.hls = hls;
  window.state.parts = 0;
  hls.on(Hls.Events.ERROR, (event, data) => window.state.errors.push(`${data.type} ${data.details} fatal=${data.fatal}`));
  hls.on(Hls.Events.FRAG_LOADED, (event, data) => { window.state.fragments++; if (data.part) window.state.parts++; });
  hls.loadSource(url);
  hls.attachMedia(video);
  video.play().catch(e => window.state.errors.push('play(): ' + e));
};
window.startAbr = (url, startLevel) => {
  const video = document.getElementById('video');
  // A short forward buffer (hls.js config maxBufferLength) so that fragments are still to be loaded when the test caps the level.
  const hls = new Hls({ enableWorker: false, startLevel, maxBufferLength: 1, maxMaxBufferLength: 2 });
  window.hls = hls;
  window.state.switches = [];
  window.state.loads = [];
  window.state.aborts = [];
  window.state.capped = false;
  window.state.lifted = false;
  const estimate = () => Math.round(hls.bandwidthEstimate);
  hls.on(Hls.Events.ERROR, (event, data) => window.state.errors.push(`${data.type} ${data.details} fatal=${data.fatal}`));
  hls.on(Hls.Events.FRAG_LOADED, () => window.state.fragments++);
  // hls.js's ABR controller samples a fragment's load time at FRAG_BUFFERED (its listener runs before this one), so bw is the estimate after that sample.
  hls.on(Hls.Events.FRAG_BUFFERED, (event, data) => { if (data.frag.type === 'main') window.state.loads.push({ sn: data.frag.sn, level: data.frag.level, bytes: data.stats.loaded, ms: Math.round(data.stats.loading.end - data.stats.loading.start), bw: estimate(), capped: window.state.capped, lifted: window.state.lifted }); });
  hls.on(Hls.Events.FRAG_LOAD_EMERGENCY_ABORTED, (event, data) => window.state.aborts.push({ sn: data.frag.sn, level: data.frag.level, loaded: data.stats.loaded, bw: estimate(), time: video.currentTime }));
  hls.on(Hls.Events.LEVEL_SWITCHED, (event, data) => window.state.switches.push({ level: data.level, time: video.currentTime, bw: estimate(), capped: window.state.capped, lifted: window.state.lifted }));
  hls.loadSource(url);
  hls.attachMedia(video);
  video.play().catch(e => window.state.errors.push('play(): ' + e));
};
</script>
</body></html>
""";

    private readonly HttpListener _site;
    private readonly Task _serving;
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private HlsBrowser(HttpListener site, Task serving, IPlaywright playwright, IBrowser browser, int port)
    {
        _site = site;
        _serving = serving;
        _playwright = playwright;
        _browser = browser;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts the site (serving <paramref name="folder"/> under /media/) and Chromium.</summary>
    public static async Task<HlsBrowser> StartAsync(string folder)
    {
        string hlsJs = Players.HlsJs();
        string chromium = RealTools.Find("chromium") ?? RealTools.Find("chromium-browser") ?? RealTools.Find("google-chrome")
            ?? throw new Xunit.Sdk.XunitException($"This test plays HLS in a real browser, and no Chromium is on your PATH. Install it:\n  {RealTools.InstallCommand("chromium")}");
        int port = Loopback.FreePort();
        var site = new HttpListener();
        site.Prefixes.Add($"http://127.0.0.1:{port}/");
        site.Start();
        var serving = ServeAsync(site, await File.ReadAllBytesAsync(hlsJs, TestContext.Current.CancellationToken), folder);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required"],
        });
        return new HlsBrowser(site, serving, playwright, browser, port);
    }

    private static async Task ServeAsync(HttpListener site, byte[] hlsJs, string folder)
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

            string path = context.Request.Url?.AbsolutePath ?? "/";
            byte[]? body;
            string type;
            if (path == "/hls.min.js")
            {
                (body, type) = (hlsJs, "text/javascript");
            }
            else if (path.StartsWith("/media/", StringComparison.Ordinal) && !path.Contains("..", StringComparison.Ordinal))
            {
                var file = Path.Combine(folder, path["/media/".Length..]);
                body = File.Exists(file) ? await File.ReadAllBytesAsync(file) : null;
                type = file.EndsWith(".m3u8", StringComparison.Ordinal) ? "application/vnd.apple.mpegurl" : "video/mp2t";
            }
            else
            {
                (body, type) = (Encoding.UTF8.GetBytes(Page), "text/html; charset=utf-8");
            }

            try
            {
                if (body is null)
                {
                    context.Response.StatusCode = 404;
                    context.Response.Close();
                    continue;
                }

                context.Response.ContentType = type;
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // the browser went away
            }
        }
    }

    /// <summary>
    /// Plays /media/<paramref name="playlist"/> until currentTime passes <paramref name="untilTime"/> with more than
    /// <paramref name="minFrames"/> frames decoded; fails with what the page saw after <paramref name="limit"/>.
    /// </summary>
    public Task<HlsPlayback> PlayAsync(string playlist, double untilTime, int minFrames, TimeSpan limit, string see) =>
        PlayAsync("startPlayer", playlist, untilTime, minFrames, limit, see);

    /// <summary>As <see cref="PlayAsync(string, double, int, TimeSpan, string)"/>, with hls.js in <c>lowLatencyMode</c>; <see cref="HlsPlayback.FragmentsLoaded"/> counts the parts it loaded.</summary>
    public Task<HlsPlayback> PlayLowLatencyAsync(string playlist, double untilTime, int minFrames, TimeSpan limit, string see) =>
        PlayAsync("startLowLatency", playlist, untilTime, minFrames, limit, see);

    private async Task<HlsPlayback> PlayAsync(string start, string playlist, double untilTime, int minFrames, TimeSpan limit, string see)
    {
        var page = await _browser.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => { lock (console) { console.Add(m.Text); } };
        await page.GotoAsync($"http://127.0.0.1:{Port}/");
        await page.EvaluateAsync($"url => window.{start}(url)", playlist.StartsWith("http", StringComparison.Ordinal) ? playlist : $"/media/{playlist}");
        using var deadline = Deadline.After(limit);
        double time = 0;
        int decoded = 0;
        while (!deadline.IsCancellationRequested)
        {
            time = await page.EvaluateAsync<double>("document.getElementById('video').currentTime");
            decoded = await page.EvaluateAsync<int>("document.getElementById('video').getVideoPlaybackQuality().totalVideoFrames");
            if (time > untilTime && decoded > minFrames)
            {
                int fragments = await page.EvaluateAsync<int>(start == "startLowLatency" ? "window.state.parts" : "window.state.fragments");
                await page.CloseAsync();
                return new HlsPlayback(decoded, time, fragments);
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

        string errors = await page.EvaluateAsync<string>("window.state.errors.join('\\n')");
        string log;
        lock (console)
        {
            log = string.Join('\n', console.TakeLast(15));
        }

        throw new Xunit.Sdk.XunitException(
            $"Chromium with hls.js did not play {playlist} past {untilTime} s within {limit.TotalSeconds:0} s: video.currentTime {time:0.00} s, {decoded} frames decoded.\n" +
            $"hls.js errors: {(errors.Length == 0 ? "none" : errors)}\nConsole:\n{log}\nSee {see}.");
    }

    /// <summary>A new page of the site, its console collected into <paramref name="console"/>.</summary>
    public async Task<IPage> OpenAsync(List<string> console)
    {
        var page = await _browser.NewPageAsync();
        page.Console += (_, m) => { lock (console) { console.Add(m.Text); } };
        await page.GotoAsync($"http://127.0.0.1:{Port}/");
        return page;
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
