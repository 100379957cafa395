namespace Lab04.LiveServer.Tests;

/// <summary>Steps the tests share: publishing the clip tag by tag, waiting for the server to take what was sent.</summary>
internal static class Publishing
{
    /// <summary>The index in <see cref="Clip.Tags"/> of the clip's second keyframe (DTS 1000, ffprobe's oracle).</summary>
    public static int SecondKeyFrame(List<ClipTag> tags) => tags.FindIndex(tags.FindIndex(t => t.IsKeyFrame) + 1, t => t.IsKeyFrame);

    /// <summary>A publisher of live/NAME that got NetStream.Publish.Start (retried while the server still sees an earlier publisher that just left).</summary>
    public static async Task<RtmpTestClient> StartAsync(int port, string name = "test")
    {
        string code = "";
        for (int attempt = 0; attempt < 50; attempt++)
        {
            var client = await RtmpTestClient.ConnectAsync(port);
            code = await client.PublishAsync(name);
            if (code == "NetStream.Publish.Start")
            {
                return client;
            }

            await client.DisposeAsync();
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new Xunit.Sdk.XunitException($"A publisher of live/{name} got {code} instead of NetStream.Publish.Start. See README §Registry.");
    }

    /// <summary>Sends <paramref name="tags"/>, each timestamp moved by <paramref name="shift"/>.</summary>
    public static async Task SendAsync(RtmpTestClient publisher, IEnumerable<ClipTag> tags, uint shift = 0)
    {
        foreach (var tag in tags)
        {
            await publisher.SendTagAsync(tag, tag.Timestamp + shift);
        }
    }

    /// <summary>Waits until the server has taken <paramref name="count"/> tags of live/test from its publisher.</summary>
    public static Task TakenAsync(LiveServer server, long count, string key = "live/test") =>
        UntilAsync(() => server.Streams.Find(key)?.TagsIn >= count, $"your server to take the {count} tags published to {key} (LiveChannel.TagsIn)");

    /// <summary>Waits until live/test has <paramref name="count"/> subscribers.</summary>
    public static Task SubscribersAsync(LiveServer server, int count, string key = "live/test") =>
        UntilAsync(() => server.Streams.Find(key)?.Subscribers.Count >= count, $"{count} subscriber(s) of {key} in your server (LiveChannel.Subscribers)");

    /// <summary>Polls <paramref name="condition"/> until it holds (at most 10 s); fails at once when <paramref name="tool"/> (the peer it waits for) has exited.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, ToolRun? tool = null)
    {
        using var deadline = Deadline.After(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (tool is { IsRunning: false })
            {
                throw new Xunit.Sdk.XunitException($"ffmpeg ended while the test waited for {what}.");
            }

            try
            {
                await Task.Delay(20, deadline.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                throw new Xunit.Sdk.XunitException($"Timed out after 10 s waiting for {what}.");
            }
        }
    }

    /// <summary>Reads the next <paramref name="count"/> tags.</summary>
    public static async Task<List<ReceivedTag>> ReadTagsAsync(HttpFlvClient client, int count, string what)
    {
        var tags = new List<ReceivedTag>();
        while (tags.Count < count)
        {
            var tag = await client.ReadTagAsync(TimeSpan.FromSeconds(10));
            Assert.True(tag is not null, $"The response ended after {tags.Count} of the {count} tags expected ({what}). Last ones: {string.Join("; ", tags.TakeLast(3))}.");
            tags.Add(tag);
        }

        return tags;
    }
}
