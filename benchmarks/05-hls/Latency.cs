using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Lab04.LiveServer;
using Lab05.Hls;
using Microsoft.Playwright;

namespace Lab05.Benchmarks;

/// <summary>
/// HTTP-FLV vs HLS vs LL-HLS, as a viewer sees it. One ffmpeg publish into the reference live server (RTMP in; HTTP-FLV,
/// and HLS with 1 s segments cut into 0.34 s parts), watched at the same time by three players in one headless Chromium
/// page: mpegts.js on the HTTP-FLV URL, hls.js on the playlist, hls.js with <c>lowLatencyMode</c> on the same playlist.
/// <para>The clock is in the picture: ffmpeg generates the video live (<c>-re</c>, lavfi testsrc2 at 30 fps) and its
/// filter graph sets each frame's timestamp to the wall clock at which it was made (<c>setpts</c> with
/// <c>RTCTIME</c>, microseconds since the epoch, minus a base the benchmark picks), then <c>geq</c> draws the
/// milliseconds since that base as a 20-bit bar code across the top 32 rows (bit i = stripe i, 16 pixels wide), then
/// <c>setpts</c> puts the frame rate's timestamps back. In the page, <c>requestVideoFrameCallback</c> gives the wall
/// time each frame is shown (<c>performance.timeOrigin + expectedDisplayTime</c>); the frame is drawn into a canvas,
/// its bar code read, and the latency is the time shown minus the time made. Same machine, same clock: the glass-to-glass
/// latency of an encoder, the server and each player with its default buffering.</para>
/// </summary>
internal static class Latency
{
    private const int Bits = 20;

    private const string Page = """
<!doctype html>
<html><head><meta charset="utf-8"><title>lab05 latency</title></head>
<body>
<video id="flv" muted playsinline width="320" height="180"></video>
<video id="hls" muted playsinline width="320" height="180"></video>
<video id="ll" muted playsinline width="320" height="180"></video>
<script src="/mpegts.js"></script>
<script src="/hls.min.js"></script>
<script>
window.samples = { flv: [], hls: [], ll: [] };
window.errors = [];
window.loads = { hls: { fragments: 0, parts: 0 }, ll: { fragments: 0, parts: 0 } };
window.players = {};
const base = BASE;
function watch(id) {
  const video = document.getElementById(id);
  const canvas = document.createElement('canvas');
  canvas.width = 320; canvas.height = 32;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const onFrame = (now, meta) => {
    const shown = performance.timeOrigin + meta.expectedDisplayTime;
    context.drawImage(video, 0, 0, 320, 180, 0, 0, 320, 180);
    const row = context.getImageData(0, 16, 320, 1).data;
    let made = 0;
    for (let i = 0; i < BITS; i++) if (row[(16 * i + 8) * 4] > 128) made += 2 ** i;
    let latency = (shown - base) % (2 ** BITS) - made;
    if (latency < -(2 ** (BITS - 1))) latency += 2 ** BITS;
    window.samples[id].push(latency);
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  video.play().catch(e => window.errors.push(id + ' play(): ' + e));
}
window.start = (flvUrl, hlsUrl) => {
  const flv = mpegts.createPlayer({ type: 'flv', isLive: true, url: flvUrl }, { enableWorker: false });
  flv.on(mpegts.Events.ERROR, (type, detail) => window.errors.push('mpegts.js ' + type + ' ' + detail));
  flv.attachMediaElement(document.getElementById('flv'));
  flv.load();
  const hls = new Hls({ enableWorker: false, lowLatencyMode: false }); // hls.js defaults to lowLatencyMode: true
  window.players.hls = hls;
  hls.on(Hls.Events.FRAG_LOADED, (e, d) => { if (d.part) window.loads.hls.parts++; else window.loads.hls.fragments++; });
  hls.on(Hls.Events.ERROR, (e, d) => { if (d.fatal) window.errors.push('hls.js ' + d.details); });
  hls.loadSource(hlsUrl); hls.attachMedia(document.getElementById('hls'));
  const ll = new Hls({ enableWorker: false, lowLatencyMode: true });
  window.players.ll = ll;
  ll.on(Hls.Events.FRAG_LOADED, (e, d) => { if (d.part) window.loads.ll.parts++; else window.loads.ll.fragments++; });
  ll.on(Hls.Events.ERROR, (e, d) => { if (d.fatal) window.errors.push('hls.js LL ' + d.details); });
  ll.loadSource(hlsUrl); ll.attachMedia(document.getElementById('ll'));
  for (const id of ['flv', 'hls', 'll']) watch(id);
};
</script>
</body></html>
""";

    /// <summary>Runs the measurement for <paramref name="seconds"/> of playback; prints and returns the medians (ms).</summary>
    public static async Task<int> RunAsync(int seconds, string? jsonOut)
    {
        string repo = FindRepo();
        string players = Path.Combine(repo, "tools", "players", "node_modules");
        string folder = Path.Combine(Path.GetTempPath(), $"lab05-latency-{Environment.ProcessId}");
        long baseMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000;
        Console.WriteLine($"load before: {File.ReadAllText("/proc/loadavg").Trim()}");
        await using var server = new HlsLiveServer(new LiveServerOptions(), folder, hlsTime: 1, windowSize: 6, partTarget: 0.34);
        server.Start();
        string filter = string.Create(CultureInfo.InvariantCulture,
            $"testsrc2=size=320x180:rate=30,setpts='(RTCTIME-{baseMs * 1000})/(TB*1000000)',geq=lum='if(lt(Y,32),255*mod(floor(floor(T*1000)/pow(2,floor(X/16))),2),lum(X,Y))':cb='if(lt(Y,16),128,cb(X,Y))':cr='if(lt(Y,16),128,cr(X,Y))',setpts=N/FRAME_RATE/TB");
        var publish = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", filter, "-t", (seconds + 30).ToString(CultureInfo.InvariantCulture),
                                  "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-b:v", "600k",
                                  "-f", "flv", $"rtmp://127.0.0.1:{server.Live.RtmpPort}/live/test" })
        {
            publish.ArgumentList.Add(a);
        }

        using var ffmpeg = Process.Start(publish)!;
        var ffmpegErrors = ffmpeg.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                try
                {
                    string text = await http.GetStringAsync(server.PlaylistUrl("live/test"));
                    if (text.Split('\n').Count(l => l.StartsWith("seg", StringComparison.Ordinal)) >= 3)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // not published yet
                }

                await Task.Delay(200);
            }

            using var site = new HttpListener();
            int port = FreePort();
            site.Prefixes.Add($"http://127.0.0.1:{port}/");
            site.Start();
            var files = new Dictionary<string, (byte[], string)>
            {
                ["/mpegts.js"] = (File.ReadAllBytes(Path.Combine(players, "mpegts.js", "dist", "mpegts.js")), "text/javascript"),
                ["/hls.min.js"] = (File.ReadAllBytes(Path.Combine(players, "hls.js", "dist", "hls.min.js")), "text/javascript"),
                ["/"] = (Encoding.UTF8.GetBytes(Page.Replace("BASE", baseMs.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("BITS", Bits.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)), "text/html"),
            };
            var serving = Task.Run(async () =>
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

                    var (body, type) = files.GetValueOrDefault(context.Request.Url!.AbsolutePath, files["/"]);
                    context.Response.ContentType = type;
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                }
            });

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required"],
            });
            var page = await browser.NewPageAsync();
            await page.GotoAsync($"http://127.0.0.1:{port}/");
            await page.EvaluateAsync("([f, h]) => window.start(f, h)", new[] { $"http://127.0.0.1:{server.Live.HttpPort}/live/test.flv", server.PlaylistUrl("live/test") });
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var samples = await page.EvaluateAsync<Dictionary<string, double[]>>("window.samples");
            string errors = await page.EvaluateAsync<string>("window.errors.join('; ')");
            string loads = await page.EvaluateAsync<string>("JSON.stringify({ loads: window.loads, hls: { latency: window.players.hls.latency, target: window.players.hls.targetLatency }, ll: { latency: window.players.ll.latency, target: window.players.ll.targetLatency } })");
            Console.WriteLine($"hls.js: {loads}");
            site.Stop();
            await serving;

            // The first 5 s of each player are its start-up (it may begin far behind and catch up); the rest is steady state.
            var rows = new List<(string Name, double Median, double P10, double P90, int Count)>();
            foreach (var (key, name) in new[] { ("flv", "HTTP-FLV (mpegts.js)"), ("hls", "HLS (hls.js)"), ("ll", "LL-HLS (hls.js lowLatencyMode)") })
            {
                var values = samples[key].Skip(150).Where(v => v > -1000 && v < 60_000).OrderBy(v => v).ToArray();
                rows.Add(values.Length == 0 ? (name, double.NaN, double.NaN, double.NaN, 0) : (name, values[values.Length / 2], values[values.Length / 10], values[values.Length * 9 / 10], values.Length));
            }

            Console.WriteLine($"latency from frame made (ffmpeg's filter graph) to frame shown (Chromium), {seconds} s of playback, the first 150 frames of each player left out:");
            foreach (var r in rows)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Name,-32} median {r.Median,7:0} ms   p10 {r.P10,7:0}   p90 {r.P90,7:0}   ({r.Count} frames)"));
            }

            if (errors.Length > 0)
            {
                Console.WriteLine($"player errors: {errors}");
            }

            Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
            if (jsonOut is not null)
            {
                var result = new
                {
                    measured = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    command = $"dotnet run -c Release --project benchmarks/05-hls -- --latency {seconds}",
                    segment = 1.0,
                    partTarget = 0.34,
                    players = rows.Select(r => new { name = r.Name, medianMs = Math.Round(r.Median), p10Ms = Math.Round(r.P10), p90Ms = Math.Round(r.P90), frames = r.Count }),
                    samplesMs = new { flv = samples["flv"].Skip(150).Select(v => Math.Round(v)), hls = samples["hls"].Skip(150).Select(v => Math.Round(v)), ll = samples["ll"].Skip(150).Select(v => Math.Round(v)) },
                };
                await File.WriteAllTextAsync(jsonOut, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = false }) + "\n");
                Console.WriteLine($"wrote {jsonOut}");
            }

            return rows.All(r => r.Count > 0) ? 0 : 1;
        }
        finally
        {
            if (!ffmpeg.HasExited)
            {
                ffmpeg.Kill(true);
            }

            await ffmpeg.WaitForExitAsync();
            _ = await ffmpegErrors;
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, true);
            }
        }
    }

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static string FindRepo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Labs.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Run from inside the repository (no Labs.sln above " + AppContext.BaseDirectory + ").");
    }
}
