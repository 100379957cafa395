namespace Lab04.LiveServer.Tests;

/// <summary>M2 at scale: fifty HTTP-FLV players of one stream each receive every tag, in order (README §Fan-out).</summary>
public class M2FanOut50Tests
{
    private const string Milestone = "M2 HTTP-FLV fan-out";

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Fifty_concurrent_http_flv_subscribers_all_receive_every_tag()
    {
        const int Players = 50;
        await using var server = new LiveServer(new LiveServerOptions { PublisherWait = TimeSpan.FromSeconds(30) });
        server.Start();
        var tags = Clip.Tags();
        var frames = tags.Where(t => t.IsFrame).ToList();
        var clients = new List<HttpFlvClient>();
        try
        {
            for (int i = 0; i < Players; i++)
            {
                clients.Add(await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv"));
            }

            await Publishing.SubscribersAsync(server, Players);
            var readers = clients.Select((client, i) => Task.Run(async () =>
            {
                await client.ReadHeadAsync(TimeSpan.FromSeconds(20));
                await client.ReadFlvHeaderAsync(TimeSpan.FromSeconds(20));
                var got = await Publishing.ReadTagsAsync(client, 3 + frames.Count, $"player {i + 1} of {Players}: onMetaData, two sequence headers, every frame of the clip");
                var media = got.Where(t => t.IsFrame).ToList();
                for (int k = 0; k < frames.Count; k++)
                {
                    Assert.True(k < media.Count && media[k].Type == frames[k].Type && media[k].Data.AsSpan().SequenceEqual(frames[k].Data),
                        $"Player {i + 1} of {Players}: frame {k} must be the clip's frame {k} ({(frames[k].Type == 9 ? "video" : "audio")}, {frames[k].Data.Length} bytes); it got {(k < media.Count ? media[k].ToString() : "nothing")}. Every tag reaches every subscriber, in order. See README §Fan-out.");
                }
            }, TestContext.Current.CancellationToken)).ToList();

            await using var publisher = await Publishing.StartAsync(server.RtmpPort);
            await Publishing.SendAsync(publisher, tags);
            await Task.WhenAll(readers);
            Assert.True(server.Streams.Find("live/test")!.Subscribers.All(s => s.DroppedTags == 0), "No tag is dropped for players that read.");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
