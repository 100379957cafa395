namespace Lab04.LiveServer.Tests;

/// <summary>
/// M1: the stream registry over RTMP. Scripted RTMP clients (your Lab 01 handshake, Lab 02 chunks) publish
/// and play; the status codes are those of RTMP 1.0 §7.2.2 that README §Registry names.
/// </summary>
public class M1RegistryTests
{
    private const string Milestone = "M1 stream registry";

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_second_publisher_of_a_live_stream_gets_BadName_and_the_key_is_free_again_after_the_first_leaves()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = new LiveServer { Log = log.Enqueue };
        server.Start();

        await using var first = await RtmpTestClient.ConnectAsync(server.RtmpPort);
        string code = await first.PublishAsync("test");
        Assert.True(code == "NetStream.Publish.Start" && first.LastLevel == "status", $"The first publisher of live/test must get onStatus NetStream.Publish.Start, level status; it got {code}, level {first.LastLevel}. See README §Registry.");

        await using (var second = await RtmpTestClient.ConnectAsync(server.RtmpPort))
        {
            int logged = log.Count;
            code = await second.PublishAsync("test");
            Assert.True(code == "NetStream.Publish.BadName" && second.LastLevel == "error", $"A second publisher of live/test, while the first still publishes, must get onStatus NetStream.Publish.BadName, level error; it got {code}, level {second.LastLevel}. See README §Registry.");
            await Publishing.UntilAsync(() => log.Skip(logged).Any(line => line.Contains("live/test", StringComparison.Ordinal)),
                $"a log line (LiveServer.Log) naming live/test for the refused publisher (README §Registry); your server logged:\n{string.Join('\n', log)}\n—");
        }

        await using (var other = await RtmpTestClient.ConnectAsync(server.RtmpPort))
        {
            code = await other.PublishAsync("other");
            Assert.True(code == "NetStream.Publish.Start", $"Another key (live/other) is another stream: its publisher must get NetStream.Publish.Start; it got {code}. See README §Registry.");
        }

        await first.DisposeAsync(); // the first publisher disconnects: live/test is free
        string again = "";
        for (int attempt = 0; attempt < 50 && again != "NetStream.Publish.Start"; attempt++)
        {
            await using var third = await RtmpTestClient.ConnectAsync(server.RtmpPort);
            again = await third.PublishAsync("test");
            if (again != "NetStream.Publish.Start")
            {
                await Task.Delay(100, TestContext.Current.CancellationToken); // the server may not have seen the close yet
            }
        }

        Assert.True(again == "NetStream.Publish.Start", $"Once the first publisher disconnected, live/test is free: a new publisher must get NetStream.Publish.Start; it got {again}. See README §Registry.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_player_of_a_stream_that_never_goes_live_waits_then_gets_a_clear_end()
    {
        await using var server = new LiveServer(new LiveServerOptions { PublisherWait = TimeSpan.FromSeconds(1) });
        server.Start();

        await using var player = await RtmpTestClient.ConnectAsync(server.RtmpPort);
        string code = await player.PlayAsync("nobody", TimeSpan.FromSeconds(10));
        Assert.True(code == "NetStream.Play.StreamNotFound",
            $"With PublisherWait = 1 s, an RTMP player of live/nobody must get onStatus NetStream.Play.StreamNotFound once the wait is over; it got {code}. See README §Registry.");

        await using var http = await HttpFlvClient.GetAsync(server.HttpPort, "/live/nobody.flv");
        await http.ReadHeadAsync(TimeSpan.FromSeconds(10));
        Assert.True(http.Status == 404, $"With PublisherWait = 1 s, GET /live/nobody.flv must be answered 404 once the wait is over; it got {http.Status}. See README §Registry.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_key_that_is_not_app_slash_name_of_safe_characters_is_refused_at_once_and_never_becomes_a_stream()
    {
        await using var server = new LiveServer(new LiveServerOptions { PublisherWait = TimeSpan.FromSeconds(60) });
        server.Start();

        await using var player = await RtmpTestClient.ConnectAsync(server.RtmpPort);
        string code = await player.PlayAsync("..", TimeSpan.FromSeconds(10));
        Assert.True(code == "NetStream.Play.StreamNotFound" && player.LastLevel == "error",
            $"A play of live/.. (not a valid key) must be refused at once with onStatus NetStream.Play.StreamNotFound, level error — not after PublisherWait (60 s here); it got {code}, level {player.LastLevel}. See README §Registry.");
        await using var publisher = await RtmpTestClient.ConnectAsync(server.RtmpPort);
        code = await publisher.PublishAsync("..");
        Assert.True(code == "NetStream.Publish.BadName" && publisher.LastLevel == "error",
            $"A publish of live/.. (not a valid key) must be refused with onStatus NetStream.Publish.BadName, level error; it got {code}, level {publisher.LastLevel}. See README §Registry.");
        Assert.True(server.Streams.Channels.Count == 0,
            $"A refused key never becomes a stream: the registry must have no channel; yours has {string.Join(", ", server.Streams.Channels.Select(c => c.Key))}. See README §Registry.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task Garbage_and_a_stalled_handshake_on_the_rtmp_port_do_not_keep_a_publisher_out()
    {
        await using var server = new LiveServer(new LiveServerOptions { HandshakeTimeout = TimeSpan.FromSeconds(1) });
        server.Start();
        using var stalled = new System.Net.Sockets.TcpClient();
        await stalled.ConnectAsync(System.Net.IPAddress.Loopback, server.RtmpPort, TestContext.Current.CancellationToken); // connects, sends nothing
        using (var garbage = new System.Net.Sockets.TcpClient())
        {
            await garbage.ConnectAsync(System.Net.IPAddress.Loopback, server.RtmpPort, TestContext.Current.CancellationToken);
            await garbage.GetStream().WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        }

        await using var publisher = await RtmpTestClient.ConnectAsync(server.RtmpPort);
        string code = await publisher.PublishAsync("test");
        Assert.True(code == "NetStream.Publish.Start", $"A client that sends HTTP to the RTMP port, and one stalled in the handshake, must not keep a real publisher out; it got {code}. See README §Architecture.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Stream_keys_are_app_slash_name_of_safe_characters()
    {
        string longest = new('x', 64); // 64 characters: the longest part
        foreach (var good in new[] { "live/test", "live/cam-1_a.b", "a/b", "AZaz09/zZ9aA0", $"live/{longest}", $"{longest}/test" })
        {
            Assert.True(StreamKey.TryParse(good, out var key) && key == good, $"\"{good}\" is a valid key (README §Registry).");
        }

        foreach (var bad in new[] { null, "", "live", "live/", "/test", "live/../x", "../etc/passwd", "live/..", "live/a/b", "live/te st", "live/%2e%2e", "live/test?x", $"live/{longest}x", $"{longest}x/test", "live/t@st", "live/t[st", "live/t`st", "live/t{st", "live/t:st", "live/t\\st" })
        {
            Assert.False(StreamKey.TryParse(bad, out _), $"\"{bad}\" is not a valid key: keys are app/name, each 1–64 of A–Z a–z 0–9 - _ . and not \".\" or \"..\" (README §Registry).");
        }
    }
}
