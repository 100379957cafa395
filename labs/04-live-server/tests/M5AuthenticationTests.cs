using System.Collections.Concurrent;

namespace Lab04.LiveServer.Tests;

/// <summary>
/// M5: signed URLs (推流鉴权), node-media-server's scheme (README §Authentication). The hash vector comes
/// from coreutils: <c>printf '/live/test-1700000000-s3cret' | md5sum</c> → e78c974fc7113112df706ce842c266dc.
/// </summary>
public class M5AuthenticationTests
{
    private const string Milestone = "M5 push authentication";

    private const string Secret = "s3cret";

    private const string Vector = "1700000000-e78c974fc7113112df706ce842c266dc";

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_signature_is_the_md5_of_path_expiry_and_secret_and_is_checked_in_full()
    {
        Assert.Equal(Vector, SignedUrl.Sign("/live/test", 1700000000, Secret));
        var before = DateTimeOffset.FromUnixTimeSeconds(1700000000 - 10);
        foreach (var (path, query, secret, now, want, why) in new (string, string?, string, DateTimeOffset, SignCheck, string)[]
        {
            ("/live/test", "sign=" + Vector, Secret, before, SignCheck.Valid, "the right signature before its expiry"),
            ("/live/test", "x=1&sign=" + Vector + "&y=2", Secret, before, SignCheck.Valid, "sign among other parameters"),
            ("/live/test", "sign=" + Vector.ToUpperInvariant(), Secret, before, SignCheck.Valid, "the hash in upper-case hex"),
            ("/live/test", "sign=" + Vector, Secret, DateTimeOffset.FromUnixTimeSeconds(1700000001), SignCheck.Expired, "one second after the expiry"),
            ("/live/test", "sign=" + Vector, Secret, DateTimeOffset.FromUnixTimeSeconds(1700000000), SignCheck.Valid, "at the expiry itself (not yet before now)"),
            ("/live/test", "sign=1700000000-e78c974fc7113112df706ce842c266dc0", Secret, before, SignCheck.Malformed, "33 hex digits"),
            ("/live/other", "sign=" + Vector, Secret, before, SignCheck.BadHash, "another stream's signature"),
            ("/live/test", "sign=" + Vector, "s3cret2", before, SignCheck.BadHash, "another secret"),
            ("/live/test", "sign=1700000001-e78c974fc7113112df706ce842c266dc", Secret, before, SignCheck.BadHash, "a changed expiry"),
            ("/live/test", "sign=1700000000-e78c974fc7113112df706ce842c266dd", Secret, before, SignCheck.BadHash, "a changed hash"),
            ("/live/test", null, Secret, before, SignCheck.Missing, "no query"),
            ("/live/test", "token=" + Vector, Secret, before, SignCheck.Missing, "no sign parameter"),
            ("/live/test", "sign=abc", Secret, before, SignCheck.Malformed, "no dash"),
            ("/live/test", "sign=-e78c974fc7113112df706ce842c266dc", Secret, before, SignCheck.Malformed, "no expiry"),
            ("/live/test", "sign=17x0-e78c974fc7113112df706ce842c266dc", Secret, before, SignCheck.Malformed, "an expiry that is no number"),
            ("/live/test", "sign=1700000000-e78c974fc7113112df706ce842c266d", Secret, before, SignCheck.Malformed, "31 hex digits"),
            ("/live/test", "sign=1700000000-z78c974fc7113112df706ce842c266dc", Secret, before, SignCheck.Malformed, "a hash that is not hex"),
        })
        {
            var got = SignedUrl.Verify(path, query, secret, now);
            Assert.True(got == want, $"{why}: Verify(\"{path}\", \"{query}\") must be {want}; yours says {got}. See README §Authentication.");
        }
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Publishing_needs_a_valid_unexpired_signature_and_refusals_are_logged()
    {
        var log = new ConcurrentQueue<string>();
        await using var server = new LiveServer(new LiveServerOptions { AuthSecret = Secret }) { Log = log.Enqueue };
        server.Start();
        foreach (var (name, why) in new[]
        {
            ("test", "no signature"),
            ($"test?sign={SignedUrl.Sign("/live/test", Now - 60, Secret)}", "an expired signature"),
            ($"test?sign={SignedUrl.Sign("/live/other", Now + 3600, Secret)}", "another stream's signature"),
            ($"test?sign={Now + 3600}-00000000000000000000000000000000", "a wrong hash"),
        })
        {
            await using var refused = await RtmpTestClient.ConnectAsync(server.RtmpPort);
            string code = await refused.PublishAsync(name);
            Assert.True(code == "NetStream.Publish.Unauthorized", $"With AuthSecret set, publishing live/{name} ({why}) must get onStatus NetStream.Publish.Unauthorized; it got {code}. See README §Authentication.");
        }

        Assert.True(log.Count(line => line.Contains("refused", StringComparison.OrdinalIgnoreCase)) >= 4,
            $"Each refusal is logged with a line that says \"refused\" (LiveServer.Log); your server logged:\n{string.Join('\n', log)}\nSee README §Authentication.");

        // A real ffmpeg with a signed URL publishes; without one it is refused.
        string signed = $"{RtmpFfmpeg.Url(server.RtmpPort)}?sign={SignedUrl.Sign("/live/test", Now + 3600, Secret)}";
        await using var unsigned = RtmpFfmpeg.Publish(server.RtmpPort);
        var refusedRun = await unsigned.WaitAsync(RtmpFfmpeg.Limit, TestContext.Current.CancellationToken);
        Assert.True(refusedRun.ExitCode != 0, $"ffmpeg publishing without a signature must be refused (it exits non-zero); it exited {refusedRun.ExitCode}. See README §Authentication.");
        await using var publisher = ToolRun.Start(RealTools.Ffmpeg(), ["-hide_banner", "-loglevel", "info", "-re", "-i", Clip.Path, "-c", "copy", "-f", "flv", signed]);
        var run = await publisher.WaitAsync(RtmpFfmpeg.Limit, TestContext.Current.CancellationToken);
        Assert.True(run.ExitCode == 0 && !run.TimedOut,
            $"ffmpeg publishing to {signed} (a valid signature) must publish the whole clip and exit 0; it exited {run.ExitCode}:\n{run.ErrorTail()}\nSee README §Authentication.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task With_AuthPlay_players_need_a_signature_too()
    {
        await using var server = new LiveServer(new LiveServerOptions { AuthSecret = Secret, AuthPlay = true, PublisherWait = TimeSpan.FromSeconds(10) });
        server.Start();
        await using var publisher = await Publishing.StartAsync(server.RtmpPort, $"test?sign={SignedUrl.Sign("/live/test", Now + 3600, Secret)}");
        await Publishing.SendAsync(publisher, Clip.Tags().Take(10));

        await using (var unsigned = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv"))
        {
            await unsigned.ReadHeadAsync(TimeSpan.FromSeconds(10));
            Assert.True(unsigned.Status == 403, $"With AuthPlay, GET /live/test.flv without a signature must be answered 403 Forbidden; it got {unsigned.Status}. See README §Authentication.");
        }

        await using (var signed = await HttpFlvClient.GetAsync(server.HttpPort, $"/live/test.flv?sign={SignedUrl.Sign("/live/test", Now + 3600, Secret)}"))
        {
            await signed.ReadHeadAsync(TimeSpan.FromSeconds(10));
            Assert.True(signed.Status == 200, $"With AuthPlay, GET /live/test.flv?sign=… with a valid signature must be served (200); it got {signed.Status}. See README §Authentication.");
        }

        await using var player = await RtmpTestClient.ConnectAsync(server.RtmpPort);
        string code = await player.PlayAsync("test", TimeSpan.FromSeconds(10));
        Assert.True(code == "NetStream.Play.Unauthorized", $"With AuthPlay, an RTMP play of live/test without a signature must get onStatus NetStream.Play.Unauthorized; it got {code}. See README §Authentication.");
    }
}
