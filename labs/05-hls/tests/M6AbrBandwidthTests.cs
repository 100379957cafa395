using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Lab05.Hls.Tests;

/// <summary>
/// A ladder long enough for hls.js to make its own bandwidth decisions, down and up again: av.flv ten times over (60 s,
/// joined by <c>ffmpeg -stream_loop 9 -c copy</c>), 96p 160×96 at 400 kbit/s and 48p 80×48 at 60 kbit/s, a 1 s GOP and 1 s segments.
/// </summary>
public sealed class LongAbrLadderFixture : IAsyncLifetime
{
    public static readonly AbrRendition[] Renditions = [new("96p", 160, 96, 400), new("48p", 80, 48, 60)];

    public string Folder { get; } = Media.TempFolder();
    public Exception? Failure { get; private set; }

    public async ValueTask InitializeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        string looped = Path.Combine(Folder, "av-60s.flv");
        var loop = await ToolRun.RunAsync(RealTools.Ffmpeg(), ["-hide_banner", "-v", "error", "-y", "-stream_loop", "9", "-i", Media.Path("av.flv"), "-c", "copy", "-f", "flv", looped],
            TimeSpan.FromSeconds(60), limit.Token);
        if (loop.ExitCode != 0 || loop.TimedOut)
        {
            Failure = new InvalidOperationException($"ffmpeg could not loop av.flv into {looped} (this is the test's input, not your code): {loop.ErrorTail()}");
            return;
        }

        try
        {
            await AbrLadder.WriteAsync(looped, Folder, Renditions, AbrLadderFixture.GopFrames, 1.0, limit.Token);
        }
        catch (Exception e)
        {
            Failure = e;
        }
    }

    public void Require()
    {
        if (Failure is not null)
        {
            throw new Xunit.Sdk.XunitException($"AbrLadder.WriteAsync(av.flv looped to 60 s, 96p 160×96 @ 400k and 48p 80×48 @ 60k, GOP 15, 1 s) failed: {Failure.GetType().Name}: {Failure.Message}\nSee README §ABR ladder.");
        }
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Folder, true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// M6: hls.js in headless Chromium plays the master playlist, and when the test caps the network (Chrome DevTools
/// Protocol <c>Network.emulateNetworkConditions</c>: Chromium itself delivers the response bytes no faster than the cap)
/// its own bandwidth estimate, measured on the learner's segments, drives it from the top level down to the lower one,
/// and back up once the cap is lifted. The oracle is hls.js's ABR decision, read from its LEVEL_SWITCHED events in the page.
/// </summary>
public class M6AbrBandwidthTests(LongAbrLadderFixture ladder) : IClassFixture<LongAbrLadderFixture>
{
    private const string See = "README §ABR ladder";

    /// <summary>
    /// The cap, bit/s. The 96p rendition carries 400 kbit/s of video and 32 kbit/s of AAC in TS (its BANDWIDTH, the peak
    /// segment rate, is above 450 kbit/s), the 48p one under 200 kbit/s: hls.js 1.7.4 (abr-controller, findBestLevel) picks the
    /// highest level whose BANDWIDTH is at most 0.95 × its estimate (0.7 × to climb) and whose next fragment it expects to
    /// load before the buffer runs out, so under this cap only the 48p level can be sustained.
    /// </summary>
    private const int CapBitsPerSecond = 250_000;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(150);

    [Fact(Timeout = 300_000)]
    [Trait("Milestone", "M6 ABR ladder")]
    public async Task HlsJs_switches_down_on_its_own_bandwidth_estimate_when_the_network_is_capped_and_up_when_it_is_not()
    {
        ladder.Require();
        await using var browser = await HlsBrowser.StartAsync(ladder.Folder);
        var console = new List<string>();
        var page = await browser.OpenAsync(console);
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        // hls.js sorts levels by bit rate: level 1 is 96p, the top. Start there with the network as fast as the loopback.
        await page.EvaluateAsync("url => window.startAbr(url, 1)", $"/media/{AbrLadder.MasterName}");
        const int top = 1;
        using var deadline = Deadline.After(Limit);
        string stage = "playing past 2 s on the top level (96p) with the network uncapped";
        double switchedAt = -1, upAt = -1;
        int framesAtSwitch = 0;
        bool lifted = false;
        while (!deadline.IsCancellationRequested)
        {
            var now = await ReadAsync(page);
            if (now.Ended || now.Errors.Any(e => e.Contains("fatal=true", StringComparison.Ordinal)))
            {
                break;
            }

            if (stage.StartsWith("playing past 2 s", StringComparison.Ordinal) && now.Time > 2.0 && now.LoadsAtTop >= 2)
            {
                Assert.True(now.Levels == 2, $"hls.js reads {now.Levels} levels from master.m3u8; the ladder has 2. {await SeenAsync(page, console)}\nSee {See}.");
                Assert.True(now.Level == top && now.LoadsBelowTop == 0,
                    $"With the network uncapped (the loopback, many Mbit/s) hls.js was started on level 1 (96p) and its bandwidth estimate allows it, yet it plays level {now.Level} " +
                    $"and loaded {now.LoadsBelowTop} fragment(s) below the top. Is BANDWIDTH the peak segment bit rate? {await SeenAsync(page, console)}\nSee {See}.");
                await page.EvaluateAsync("() => { window.state.capped = true; }");
                await cdp.SendAsync("Network.emulateNetworkConditions", new()
                {
                    ["offline"] = false,
                    ["latency"] = 0,
                    ["downloadThroughput"] = CapBitsPerSecond / 8.0, // bytes per second
                    ["uploadThroughput"] = -1,                       // not throttled
                });
                stage = $"a LEVEL_SWITCHED below the top once the network was capped at {CapBitsPerSecond / 1000} kbit/s";
            }
            else if (switchedAt < 0 && stage.StartsWith("a LEVEL_SWITCHED", StringComparison.Ordinal) && now.SwitchedDownAt >= 0)
            {
                switchedAt = now.SwitchedDownAt;
                framesAtSwitch = now.Frames;
                stage = $"playback going on from {switchedAt:0.00} s for 2 s on the lower level (48p fragments loaded under the cap, frames decoded)";
            }
            else if (switchedAt >= 0 && upAt < 0 && !lifted && now.Time > switchedAt + 2.0 && now.Frames > framesAtSwitch + 15 && now.CappedLoadsBelowTop >= 2)
            {
                await page.EvaluateAsync("() => { window.state.capped = false; window.state.lifted = true; }");
                await cdp.SendAsync("Network.emulateNetworkConditions", new() { ["offline"] = false, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = -1 });
                lifted = true;
                stage = "a LEVEL_SWITCHED back to the top level once the cap was lifted (hls.js's estimate climbs as the lower level's fragments load at loopback speed)";
            }
            else if (lifted && upAt < 0 && now.SwitchedUpAt >= 0)
            {
                upAt = now.SwitchedUpAt;
                stage = $"playback going on from {upAt:0.00} s for 1 s on the top level again";
            }
            else if (upAt >= 0 && now.Time > upAt + 1.0)
            {
                TestContext.Current.TestOutputHelper?.WriteLine(await SeenAsync(page, console));
                await page.CloseAsync();
                return;
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

        throw new Xunit.Sdk.XunitException($"Chromium with hls.js on master.m3u8 never got to {stage} within {Limit.TotalSeconds:0} s (or before the 60 s clip ended, or before a fatal error). {await SeenAsync(page, console)}\nSee {See}.");
    }

    private sealed record Now(double Time, int Frames, int Level, int Levels, int LoadsAtTop, int LoadsBelowTop, int CappedLoadsBelowTop, double SwitchedDownAt, double SwitchedUpAt, bool Ended, string[] Errors);

    private static async Task<Now> ReadAsync(IPage page)
    {
        string json = await page.EvaluateAsync<string>("""
            () => {
              const video = document.getElementById('video'), s = window.state, hls = window.hls, top = hls.levels.length - 1;
              const down = s.switches.find(w => w.capped && w.level < top), up = s.switches.find(w => w.lifted && w.level === top);
              return JSON.stringify({
                time: video.currentTime, frames: video.getVideoPlaybackQuality().totalVideoFrames, level: hls.currentLevel, levels: hls.levels.length,
                loadsAtTop: s.loads.filter(l => l.level === top).length, loadsBelowTop: s.loads.filter(l => l.level < top).length,
                cappedLoadsBelowTop: s.loads.filter(l => l.capped && l.level < top).length, switchedDownAt: down ? down.time : -1, switchedUpAt: up ? up.time : -1, ended: video.ended, errors: s.errors });
            }
            """);
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        return new Now(r.GetProperty("time").GetDouble(), r.GetProperty("frames").GetInt32(), r.GetProperty("level").GetInt32(), r.GetProperty("levels").GetInt32(),
            r.GetProperty("loadsAtTop").GetInt32(), r.GetProperty("loadsBelowTop").GetInt32(), r.GetProperty("cappedLoadsBelowTop").GetInt32(),
            r.GetProperty("switchedDownAt").GetDouble(), r.GetProperty("switchedUpAt").GetDouble(), r.GetProperty("ended").GetBoolean(), r.GetProperty("errors").EnumerateArray().Select(e => e.GetString() ?? "").ToArray());
    }

    /// <summary>What the page saw, for a failure message: the levels, every LEVEL_SWITCHED and every fragment buffered with hls.js's bandwidth estimate after it.</summary>
    private static async Task<string> SeenAsync(IPage page, List<string> console)
    {
        string seen = await page.EvaluateAsync<string>("""
            () => {
              const video = document.getElementById('video'), s = window.state, hls = window.hls;
              const row = l => `sn ${l.sn} level ${l.level} ${l.bytes} B in ${l.ms} ms → estimate ${l.bw} bit/s${l.capped ? ' (capped)' : l.lifted ? ' (cap lifted)' : ''}`;
              return [
                `currentTime ${video.currentTime.toFixed(2)} s, ${video.getVideoPlaybackQuality().totalVideoFrames} frames decoded, hls.currentLevel ${hls.currentLevel}, hls.bandwidthEstimate ${Math.round(hls.bandwidthEstimate)} bit/s`,
                `levels (BANDWIDTH as hls.js read it): ${hls.levels.map((l, i) => `${i}: ${l.bitrate} ${l.width}x${l.height}`).join(', ')}`,
                `LEVEL_SWITCHED: ${s.switches.map(w => `level ${w.level} at ${w.time.toFixed(2)} s (estimate ${w.bw}${w.capped ? ', capped' : w.lifted ? ', cap lifted' : ''})`).join('; ') || 'none'}`,
                `emergency aborts: ${s.aborts.map(a => `sn ${a.sn} level ${a.level} after ${a.loaded} B (estimate ${a.bw})`).join('; ') || 'none'}`,
                `fragments buffered:\n  ${s.loads.map(row).join('\n  ')}`,
                `hls.js errors: ${s.errors.join('; ') || 'none'}`].join('\n');
            }
            """);
        string log;
        lock (console)
        {
            log = string.Join('\n', console.TakeLast(10));
        }

        return $"The page saw:\n{seen}\nConsole:\n{log}";
    }
}
