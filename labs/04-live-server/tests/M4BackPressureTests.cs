using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Lab04.LiveServer.Tests;

/// <summary>
/// M4: back-pressure and clean ends. A subscriber that never reads must not stall the publisher or 20
/// others that all receive every tag; ffmpeg receives every frame over HTTP-FLV and ends by itself when
/// the publisher leaves; stopping the server ends every subscriber cleanly and leaves nothing behind.
/// </summary>
public class M4BackPressureTests
{
    private const string Milestone = "M4 back-pressure and clean ends";

    private const int QueueBytes = 512 * 1024;

    [Fact(Timeout = 90000)]
    [Trait("Milestone", Milestone)]
    public async Task A_subscriber_that_never_reads_stalls_neither_the_publisher_nor_20_others()
    {
        const int fast = 20, plays = 24;
        await using var server = new LiveServer(new LiveServerOptions
        {
            GopCache = false,
            SubscriberQueueBytes = QueueBytes,
            SendBufferSize = 32 * 1024,
            ReconnectWait = TimeSpan.FromSeconds(1),
        });
        server.Start();
        var tags = Clip.Tags();
        int key1 = tags.FindIndex(t => t.IsKeyFrame);
        var frames = tags.Skip(key1).Where(t => t.IsFrame).ToList();
        await using var publisher = await Publishing.StartAsync(server.RtmpPort);
        await Publishing.SendAsync(publisher, tags.Take(key1)); // headers

        // The slow one: a tiny receive window, and it never reads after its request.
        await using var slow = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv", receiveBuffer: 2048);
        var readers = new List<(HttpFlvClient Client, Task<int> Reading)>();
        for (int i = 0; i < fast; i++)
        {
            var client = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv");
            readers.Add((client, Task.Run(async () =>
            {
                await client.ReadHeadAsync(TimeSpan.FromSeconds(30));
                await client.ReadFlvHeaderAsync(TimeSpan.FromSeconds(30));
                int count = 0;
                while (await client.ReadTagAsync(TimeSpan.FromSeconds(30)) is { } tag)
                {
                    count += tag.IsFrame ? 1 : 0;
                }

                return count; // the clean end: the last chunk
            }, TestContext.Current.CancellationToken)));
        }

        await Publishing.SubscribersAsync(server, fast + 1);

        // The publisher sends the clip 24 times (about 1.8 MB), a play (76 KB, 2 s of media) every 100 ms: about 20 times
        // real time, which the 20 readers keep up with, and far more than the slow one's window and queue hold.
        await Deadline.Within(Task.Run(async () =>
        {
            for (int play = 0; play < plays; play++)
            {
                await Publishing.SendAsync(publisher, tags.Skip(key1).Where(t => t.IsFrame), (uint)(play * 2000));
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }, TestContext.Current.CancellationToken), TimeSpan.FromSeconds(30), "the publisher to send 24 plays of the clip while one subscriber never reads (README §Back-pressure: a slow subscriber never slows the publisher)");
        await Publishing.TakenAsync(server, key1 + plays * frames.Count);

        var channel = server.Streams.Find("live/test");
        Assert.NotNull(channel);
        var subscribers = channel.Subscribers;
        Assert.True(subscribers.Count < fast + 1 || subscribers.Any(s => s.DroppedTags > 0),
            $"The subscriber that never reads cannot hold {plays} plays of the clip in a {QueueBytes}-byte queue: it must be dropped to the next keyframe (counted in DroppedTags) or disconnected; your server still has {subscribers.Count} subscribers and none dropped a tag. See README §Back-pressure.");
        Assert.True(subscribers.Sum(s => s.QueuedBytes) <= (fast + 1) * (QueueBytes + 64 * 1024),
            $"Each queue is bounded by SubscriberQueueBytes; together they hold {subscribers.Sum(s => s.QueuedBytes)} bytes. See README §Back-pressure.");

        await publisher.DisposeAsync(); // the publisher leaves: after ReconnectWait (1 s) everyone gets the clean end
        for (int i = 0; i < fast; i++)
        {
            int got = await Deadline.Within(readers[i].Reading, TimeSpan.FromSeconds(30), $"fast subscriber {i} to read the whole stream and its clean end");
            Assert.True(got == plays * frames.Count,
                $"Fast subscriber {i} must receive every frame ({plays} × {frames.Count} = {plays * frames.Count}) although another subscriber never reads; it received {got}. See README §Back-pressure.");
            await readers[i].Client.DisposeAsync();
        }
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task With_the_Disconnect_policy_a_subscriber_that_never_reads_is_closed_and_the_others_go_on()
    {
        await using var server = new LiveServer(new LiveServerOptions
        {
            GopCache = false,
            SubscriberQueueBytes = QueueBytes,
            SendBufferSize = 32 * 1024,
            SlowSubscriber = SlowSubscriberPolicy.Disconnect,
            ReconnectWait = TimeSpan.FromSeconds(1),
        });
        server.Start();
        var tags = Clip.Tags();
        int key1 = tags.FindIndex(t => t.IsKeyFrame);
        await using var publisher = await Publishing.StartAsync(server.RtmpPort);
        await Publishing.SendAsync(publisher, tags.Take(key1));
        await using var slow = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv", receiveBuffer: 2048);
        await using var reader = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv");
        await Publishing.SubscribersAsync(server, 2);
        var reading = Task.Run(async () =>
        {
            await reader.ReadHeadAsync(TimeSpan.FromSeconds(30));
            await reader.ReadFlvHeaderAsync(TimeSpan.FromSeconds(30));
            int count = 0;
            while (await reader.ReadTagAsync(TimeSpan.FromSeconds(30)) is { } tag)
            {
                count += tag.IsFrame ? 1 : 0;
            }

            return count;
        }, TestContext.Current.CancellationToken);

        for (int play = 0; play < 24; play++)
        {
            await Publishing.SendAsync(publisher, tags.Skip(key1).Where(t => t.IsFrame), (uint)(play * 2000));
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await Publishing.UntilAsync(() => server.Streams.Find("live/test")?.Subscribers.Count == 1,
            "your server to close the subscriber that never reads (SlowSubscriberPolicy.Disconnect), leaving 1 subscriber");
        await publisher.DisposeAsync();
        int frames = tags.Skip(key1).Count(t => t.IsFrame);
        int got = await Deadline.Within(reading, TimeSpan.FromSeconds(30), "the reading subscriber to read the whole stream and its clean end");
        Assert.True(got == 24 * frames, $"The subscriber that reads must receive every frame (24 × {frames}) although the slow one was closed; it got {got}. See README §Back-pressure.");
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Ffmpeg_receives_every_frame_over_http_flv_and_ends_by_itself_when_the_publisher_leaves()
    {
        await using var server = new LiveServer(new LiveServerOptions { PublisherWait = TimeSpan.FromSeconds(30), ReconnectWait = TimeSpan.FromSeconds(1) });
        server.Start();
        var folder = Directory.CreateTempSubdirectory("lab04-http-");
        try
        {
            string recorded = Path.Combine(folder.FullName, "out.flv");
            await using var player = ToolRun.Start(RealTools.Ffmpeg(),
                ["-hide_banner", "-loglevel", "info", "-y", "-rw_timeout", "20000000", "-i", $"http://127.0.0.1:{server.HttpPort}/live/test.flv", "-c", "copy", "-f", "flv", recorded]);
            await RtmpFfmpeg.ExplainAsync(player, async () =>
            {
                await Publishing.UntilAsync(() => server.Streams.Find("live/test") is not null, "ffmpeg's GET /live/test.flv to wait in your server", player);
                return true;
            });
            await using var publisher = RtmpFfmpeg.Publish(server.RtmpPort);
            var published = await publisher.WaitAsync(RtmpFfmpeg.Limit, TestContext.Current.CancellationToken);
            Assert.True(published.ExitCode == 0 && !published.TimedOut, $"ffmpeg must publish the clip and exit 0; it exited {published.ExitCode}:\n{published.ErrorTail()}");
            var played = await player.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
            Assert.True(played.ExitCode == 0 && !played.TimedOut,
                $"When the publisher leaves and nobody publishes within ReconnectWait, the subscriber gets the last chunk and ffmpeg ends by itself with exit code 0; it {(played.TimedOut ? "was still running 15 s later" : $"exited {played.ExitCode}")}:\n{played.ErrorTail()}\nSee README §Clean ends.");

            var probe = await ToolRun.RunAsync(RealTools.Ffprobe(), ["-v", "error", "-show_entries", "packet=codec_type,dts,flags", "-of", "compact=p=0", recorded], TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
            Assert.True(probe.ExitCode == 0, $"ffprobe cannot read what ffmpeg recorded from your server:\n{probe.ErrorTail()}");
            var got = probe.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('|').Select(f => f.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]))
                .Select(f => new ClipPacket(f["codec_type"], long.Parse(f["dts"], CultureInfo.InvariantCulture), 0, f["flags"].StartsWith('K'))).ToList();
            var clip = Clip.Packets();
            foreach (var kind in new[] { "video", "audio" })
            {
                var want = clip.Where(p => p.CodecType == kind).ToList();
                var have = got.Where(p => p.CodecType == kind).ToList();
                Assert.True(have.Count == want.Count, $"The clip has {want.Count} {kind} frames (ffprobe, testdata/04-live-server/clip-2s.packets.txt); ffmpeg received {have.Count} from your server. The subscriber waited from the start: every frame must reach it. See README §Registry, §Fan-out.");
                if (kind == "video")
                {
                    Assert.True(have.Select(p => p.Key).SequenceEqual(want.Select(p => p.Key)),
                        $"The keyframes must be where the clip has them (frames {string.Join(", ", want.Select((p, i) => (p, i)).Where(x => x.p.Key).Select(x => x.i))}); ffmpeg found them at {string.Join(", ", have.Select((p, i) => (p, i)).Where(x => x.p.Key).Select(x => x.i))}.");
                    var wantGaps = want.Select(p => p.Dts - want[0].Dts).ToList();
                    var haveGaps = have.Select(p => p.Dts - have[0].Dts).ToList();
                    Assert.True(haveGaps.SequenceEqual(wantGaps),
                        $"Rebasing moves every timestamp by the same amount: the video frames' distances from the first must be the clip's ({string.Join(",", wantGaps.Take(6))}…); ffmpeg received ({string.Join(",", haveGaps.Take(6))}…). See README §Timestamps.");
                    Assert.True(have[0].Dts < 100, $"A subscriber starts near 0: the first video DTS ffmpeg received is {have[0].Dts} ms. See README §Timestamps.");
                }
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Stopping_the_server_ends_every_subscriber_cleanly_and_leaves_no_connection_or_port()
    {
        var server = new LiveServer(new LiveServerOptions { PublisherWait = TimeSpan.FromSeconds(30), ReconnectWait = TimeSpan.FromSeconds(30) });
        server.Start();
        int rtmpPort = server.RtmpPort, httpPort = server.HttpPort;
        var tags = Clip.Tags();
        int key1 = tags.FindIndex(t => t.IsKeyFrame);
        await using var publisher = await Publishing.StartAsync(rtmpPort);
        await Publishing.SendAsync(publisher, tags.Take(key1 + 5));
        await Publishing.TakenAsync(server, key1 + 5);

        await using var http = await HttpFlvClient.GetAsync(httpPort, "/live/test.flv");
        await http.ReadHeadAsync(TimeSpan.FromSeconds(10));
        await http.ReadFlvHeaderAsync(TimeSpan.FromSeconds(10));
        await using var rtmp = await RtmpTestClient.ConnectAsync(rtmpPort);
        Assert.Equal("NetStream.Play.Start", await rtmp.PlayAsync("test", TimeSpan.FromSeconds(10)));
        await using var waiting = await HttpFlvClient.GetAsync(httpPort, "/live/later.flv"); // waits for a publisher
        await Publishing.SubscribersAsync(server, 2);
        await Publishing.SubscribersAsync(server, 1, "live/later");

        await Deadline.Within(server.DisposeAsync().AsTask(), TimeSpan.FromSeconds(20), "LiveServer.DisposeAsync to stop the server");

        while (await http.ReadTagAsync(TimeSpan.FromSeconds(10)) is not null)
        {
            // what was queued comes first; then the last chunk
        }

        Assert.True(await http.ClosedAsync(TimeSpan.FromSeconds(10)), "After the last chunk the server closes the HTTP connection. See README §Clean ends.");

        bool eof = false, unpublished = false;
        while (await rtmp.ReadAsync(TimeSpan.FromSeconds(10)) is { } message)
        {
            if (message.TypeId == 4 && message.Payload.Length >= 2 && message.Payload.Span[1] == 1)
            {
                eof = true; // User Control Stream EOF (event type 1, RTMP 1.0 §7.1.7)
            }

            if (message.TypeId == 20 && Lab02.RtmpChunks.RtmpCommand.Parse(message) is { Name: "onStatus" } status
                && status.Arguments.FirstOrDefault() is Lab02.RtmpChunks.Amf0Object info && info.GetString("code") == "NetStream.Play.UnpublishNotify" && info.GetString("level") == "status")
            {
                unpublished = true;
            }
        }

        Assert.True(eof && unpublished, $"When the server stops, an RTMP player gets User Control Stream EOF ({(eof ? "sent" : "missing")}) and onStatus NetStream.Play.UnpublishNotify, level status ({(unpublished ? "sent" : "missing")}), then the connection closes. See README §Clean ends.");

        await waiting.ReadHeadAsync(TimeSpan.FromSeconds(10));
        Assert.True(waiting.Status == 404, $"A player still waiting for a publisher when the server stops gets 404; it got {waiting.Status}. See README §Clean ends.");
        Assert.True(server.ConnectionCount == 0, $"After DisposeAsync no connection may be left; {server.ConnectionCount} are. See README §Clean ends.");

        foreach (int port in new[] { rtmpPort, httpPort })
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
            }
            catch (SocketException e)
            {
                Assert.Fail($"After DisposeAsync the port {port} must be free again; listening on it fails: {e.Message}. See README §Clean ends.");
            }
        }
    }
}
