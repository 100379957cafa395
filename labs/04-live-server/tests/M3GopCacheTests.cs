namespace Lab04.LiveServer.Tests;

/// <summary>
/// M3: the GOP cache (首帧秒开). A scripted publisher stops in the middle of the clip's second GOP; a
/// subscriber that joins then must start at once on the latest keyframe, with what followed it, before
/// the publisher sends anything more.
/// </summary>
public class M3GopCacheTests
{
    private const string Milestone = "M3 GOP cache";

    /// <summary>Headers, then reads media tags until <paramref name="count"/> arrived.</summary>
    private static async Task<List<ReceivedTag>> JoinAsync(LiveServer server, int count)
    {
        var client = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv");
        await client.ReadHeadAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, client.Status);
        await client.ReadFlvHeaderAsync(TimeSpan.FromSeconds(10));
        var headers = await Publishing.ReadTagsAsync(client, 3, "onMetaData and the two sequence headers");
        Assert.True(headers.All(t => !t.IsFrame), $"A new subscriber first gets onMetaData and the sequence headers; it got {string.Join("; ", headers)}. See README §HTTP-FLV.");
        var media = await Publishing.ReadTagsAsync(client, count, $"the cached GOP ({count} frames) at once, while the publisher sends nothing");
        await client.DisposeAsync();
        return media;
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_late_subscriber_starts_at_once_on_the_latest_keyframe()
    {
        await using var server = new LiveServer();
        server.Start();
        var tags = Clip.Tags();
        int key2 = Publishing.SecondKeyFrame(tags);
        int stop = key2 + 12;
        await using var publisher = await Publishing.StartAsync(server.RtmpPort);
        await Publishing.SendAsync(publisher, tags.Take(stop));
        await Publishing.TakenAsync(server, stop);

        // The publisher now pauses: everything the subscriber gets comes from the cache.
        var cached = tags.Skip(key2).Take(stop - key2).Where(t => t.IsFrame).ToList();
        var media = await JoinAsync(server, cached.Count);
        Assert.True(media[0].IsKeyFrame && media[0].Data.AsSpan().SequenceEqual(tags[key2].Data),
            $"A late subscriber starts on the latest keyframe (the clip's second, DTS 1000), from the GOP cache; it started on {media[0]}. See README §GOP cache.");
        for (int i = 0; i < cached.Count; i++)
        {
            Assert.True(media[i].Data.AsSpan().SequenceEqual(cached[i].Data),
                $"Frame {i} from the cache must be the publisher's frame {i} after the keyframe ({cached[i].Data.Length} bytes); it is {media[i]}. See README §GOP cache.");
            Assert.True(media[i].Timestamp == (cached[i].Timestamp >= tags[key2].Timestamp ? cached[i].Timestamp - tags[key2].Timestamp : 0),
                $"Cached frames are rebased like live ones (the keyframe at 0): frame {i} at {cached[i].Timestamp} ms must be written {cached[i].Timestamp - tags[key2].Timestamp}; yours {media[i].Timestamp}. See README §Timestamps.");
        }
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task The_cache_is_bounded_and_emptied_by_a_new_publisher_or_new_sequence_headers()
    {
        var tags = Clip.Tags();
        int key1 = tags.FindIndex(t => t.IsKeyFrame);
        int key2 = Publishing.SecondKeyFrame(tags);
        int stop = key2 + 12;
        var first = tags[key1];

        // 1. A GOP longer than GopCacheMaxTags is not cached: a subscriber waits for the next keyframe.
        await using (var server = new LiveServer(new LiveServerOptions { GopCacheMaxTags = 5 }))
        {
            server.Start();
            await using var publisher = await Publishing.StartAsync(server.RtmpPort);
            await Publishing.SendAsync(publisher, tags.Take(stop));
            await Publishing.TakenAsync(server, stop);
            var joining = JoinAsync(server, 1);
            await Publishing.SubscribersAsync(server, 1);
            await publisher.SendTagAsync(first, 2000); // the next keyframe
            var media = await Deadline.Within(joining, TimeSpan.FromSeconds(15), "the subscriber's first frame");
            Assert.True(media[0].Data.AsSpan().SequenceEqual(first.Data),
                $"With GopCacheMaxTags = 5, the clip's 12-frame-old GOP does not fit: the subscriber must wait for the next keyframe (the one sent after it joined); it started on {media[0]}. See README §GOP cache.");
        }

        // 2. A new publisher empties the cache: a subscriber gets nothing of the old publisher's GOP.
        await using (var server = new LiveServer(new LiveServerOptions { ReconnectWait = TimeSpan.FromSeconds(5) }))
        {
            server.Start();
            await using (var old = await Publishing.StartAsync(server.RtmpPort))
            {
                await Publishing.SendAsync(old, tags.Take(stop));
                await Publishing.TakenAsync(server, stop);
            }

            await using var publisher = await Publishing.StartAsync(server.RtmpPort);
            await Publishing.SendAsync(publisher, tags.Take(key1)); // headers
            await publisher.SendTagAsync(tags.First(t => t.Type == 8 && t.IsFrame)); // live, but no keyframe yet
            await Publishing.UntilAsync(() => server.Streams.Find("live/test")?.IsLive == true, "the new publisher's stream to go live");
            var joining = JoinAsync(server, 1);
            await Publishing.SubscribersAsync(server, 1);
            await publisher.SendTagAsync(first, 40);
            var media = await Deadline.Within(joining, TimeSpan.FromSeconds(15), "the subscriber's first frame");
            Assert.True(media[0].Data.AsSpan().SequenceEqual(first.Data),
                $"A new publisher empties the GOP cache (its frames may not even be the same codec): the subscriber must start on the new publisher's first keyframe, not on the old publisher's cached one; it started on {media[0]}. See README §GOP cache.");
        }

        // 3. A changed sequence header empties the cache.
        await using (var server = new LiveServer())
        {
            server.Start();
            await using var publisher = await Publishing.StartAsync(server.RtmpPort);
            await Publishing.SendAsync(publisher, tags.Take(stop));
            var avc = tags.First(t => t.Type == 9 && t.IsSequenceHeader);
            var changed = avc with { Data = [.. avc.Data] };
            changed.Data[^1] ^= 0x01; // another configuration
            await publisher.SendTagAsync(changed, tags[stop].Timestamp);
            await Publishing.TakenAsync(server, stop + 1);
            var joining = JoinAsync(server, 1);
            await Publishing.SubscribersAsync(server, 1);
            await publisher.SendTagAsync(first, tags[stop].Timestamp + 40);
            var media = await Deadline.Within(joining, TimeSpan.FromSeconds(15), "the subscriber's first frame");
            Assert.True(media[0].Data.AsSpan().SequenceEqual(first.Data),
                $"A changed AVC sequence header empties the GOP cache (the cached frames belong to the old configuration): the subscriber must start on the keyframe sent after it; it started on {media[0]}. See README §GOP cache.");
        }
    }

    [Fact(Timeout = 120000)]
    [Trait("Milestone", Milestone)]
    public async Task Chromium_starts_playing_a_running_stream_from_the_cache()
    {
        var times = new List<string>();
        await using var browser = await Browser.StartAsync();
        foreach (bool cache in new[] { true, false })
        {
            await using var server = new LiveServer(new LiveServerOptions { GopCache = cache });
            server.Start();
            await using var publisher = ToolRun.Start(RealTools.Ffmpeg(),
                ["-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", Clip.Path, "-c", "copy", "-f", "flv", RtmpFfmpeg.Url(server.RtmpPort)]);
            await RtmpFfmpeg.ExplainAsync(publisher, async () =>
            {
                await Publishing.UntilAsync(() => server.Streams.Find("live/test")?.TagsIn >= 80, "ffmpeg's publish to be well into its first GOP", publisher);
                return true;
            });
            var playback = await browser.PlayAsync($"http://127.0.0.1:{server.HttpPort}/live/test.flv");
            times.Add($"GOP cache {(cache ? "on" : "off")}: first frame after {playback.FirstFrameMs:0} ms");
        }

        // Measured, not asserted (a time depends on the machine): the README's §GOP cache reports it.
        TestContext.Current.TestOutputHelper?.WriteLine("mpegts.js in Chromium, joining a 25-frame-GOP stream mid-GOP: " + string.Join("; ", times));
        TestContext.Current.SendDiagnosticMessage(string.Join("; ", times));
    }
}
