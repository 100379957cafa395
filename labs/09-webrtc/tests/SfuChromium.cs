using System.Text.Json;
using Lab08.Sfu;
using Microsoft.Playwright;

namespace Lab09.WebRtc.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright for M6 (no browser download): a fake camera, host candidates as plain
/// 127.0.0.1 (no mDNS names), loopback allowed for WebRTC, and no throttling of pages in the background.
/// </summary>
internal sealed class SfuChromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private SfuChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<SfuChromium> LaunchAsync()
    {
        string chromium = RealTools.Find("chromium") ?? RealTools.Find("chromium-browser") ?? RealTools.Find("google-chrome")
            ?? throw new Xunit.Sdk.XunitException($"This test connects real browsers, and no Chromium is on your PATH. Install it:\n  {RealTools.InstallCommand("chromium")}");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
                    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
                    "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"],
        });
        return new SfuChromium(playwright, browser);
    }

    /// <summary>A new tab on the SFU's page (each in its own context, as two people would open it).</summary>
    public async Task<IPage> OpenAsync(Uri page)
    {
        var context = await _browser.NewContextAsync();
        var tab = await context.NewPageAsync();
        await tab.GotoAsync(page.ToString());
        return tab;
    }

    /// <summary>The page's <c>lab.stats()</c> (its getStats numbers) until <paramref name="done"/> holds or the limit passes; the last ones.</summary>
    public static async Task<Stats> UntilAsync(IPage page, Func<Stats, bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        Stats stats;
        while (true)
        {
            stats = new Stats(await page.EvaluateAsync<JsonElement>("() => lab.stats()"), await page.EvaluateAsync<string?>("() => lab.error"));
            if (done(stats) || DateTime.UtcNow > deadline)
            {
                return stats;
            }

            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>What the SFU saw, for failure messages.</summary>
    public static string Describe(WebRtcServer server)
    {
        var lines = server.Peers.Select(p =>
            $"  {(p.IsPublisher ? "publisher" : "watcher  ")} {p.Stream}: remote {p.Remote?.ToString() ?? "(no ICE check answered)"}, keys {(p.Inbound is null ? "not yet (DTLS not done)" : "set")}, " +
            $"media in {p.MediaIn}, out {p.MediaOut}, dropped {p.Dropped}; ICE {p.Agent.Answered} answered, {p.Agent.Rejected} rejected, {p.Agent.Dropped} dropped" +
            (p.Producer is Producer producer ? $"\n    producer: {producer.Stats}" : "") + (p.Consumer is Consumer consumer ? $"\n    consumer: {consumer.Stats}" : ""));
        return $"server dropped {server.Dropped} datagrams; sessions:\n{string.Join('\n', lines)}";
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }

    /// <summary>The numbers of the page's stats panel.</summary>
    public sealed record Stats(JsonElement Json, string? Error)
    {
        public double Number(string name) => Json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

        public double CurrentTime => Number("currentTime");

        public double FramesDecoded => Number("framesDecoded");

        public double PacketsReceived => Number("packetsReceived");

        public double NackCount => Number("nackCount");

        public double PliCount => Number("pliCount");

        public override string ToString() => Json.GetRawText() + (Error is null ? "" : $" error: {Error}");
    }
}
