using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lab04.LiveServer.Tests;

/// <summary>
/// M4, the robustness list: half-open connections, slowloris heads, garbage on both ports and 500 idle
/// connections, all at once, while a healthy publisher and player are served; the server's managed memory and
/// queues stay bounded (measured, no timing asserted). README §Back-pressure, §Bad requests.
/// </summary>
[Collection(nameof(M4HostileClientsTests))] // alone: the managed memory it measures is the whole process's
public class M4HostileClientsTests
{
    private const string Milestone = "M4 back-pressure and clean ends";

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = Deadline.After(Deadline.Step);
        await socket.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
        return socket;
    }

    [Fact(Timeout = 90000)]
    [Trait("Milestone", Milestone)]
    public async Task Idle_half_open_slowloris_and_garbage_clients_do_not_stop_a_healthy_publish_and_play_and_memory_stays_bounded()
    {
        var options = new LiveServerOptions { HandshakeTimeout = TimeSpan.FromSeconds(3), IdleTimeout = TimeSpan.FromSeconds(30), GopCache = false };
        await using var server = new LiveServer(options);
        server.Start();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = GC.GetTotalMemory(forceFullCollection: true);

        var hostile = new List<Socket>();
        var random = new Random(4);
        var slowloris = new List<Task>();
        using var stopSlowloris = new CancellationTokenSource();
        try
        {
            // 500 idle connections: 250 on each port, connected and silent.
            for (int i = 0; i < 500; i++)
            {
                hostile.Add(await ConnectAsync(i % 2 == 0 ? server.HttpPort : server.RtmpPort));
            }

            // Half-open: 20 that send half a request or half a handshake, then shut down their sending side and never read.
            for (int i = 0; i < 20; i++)
            {
                var socket = await ConnectAsync(i % 2 == 0 ? server.HttpPort : server.RtmpPort);
                await socket.SendAsync(i % 2 == 0 ? "GET /live/test.flv HTTP/1.1\r\nHost: x\r\n"u8.ToArray() : new byte[] { 3, 0, 0, 0, 0 }, SocketFlags.None);
                socket.Shutdown(SocketShutdown.Send);
                hostile.Add(socket);
            }

            // Garbage on both ports: 20 clients, seeded random bytes.
            for (int i = 0; i < 20; i++)
            {
                var socket = await ConnectAsync(i % 2 == 0 ? server.HttpPort : server.RtmpPort);
                var junk = new byte[4096];
                random.NextBytes(junk);
                await socket.SendAsync(junk, SocketFlags.None);
                hostile.Add(socket);
            }

            // Slowloris: 10 clients that send one byte of a request head every 200 ms, forever.
            for (int i = 0; i < 10; i++)
            {
                var socket = await ConnectAsync(server.HttpPort);
                hostile.Add(socket);
                slowloris.Add(Task.Run(async () =>
                {
                    var head = Encoding.ASCII.GetBytes("GET /live/test.flv HTTP/1.1\r\n" + string.Concat(Enumerable.Range(0, 1000).Select(n => $"X-Slow-{n}: y\r\n")));
                    try
                    {
                        foreach (byte b in head)
                        {
                            await socket.SendAsync(new[] { b }, SocketFlags.None, stopSlowloris.Token);
                            await Task.Delay(200, stopSlowloris.Token);
                        }
                    }
                    catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
                    {
                        // closed by the server (its head timeout), or the test is done
                    }
                }, TestContext.Current.CancellationToken));
            }

            // Meanwhile a healthy publisher and player: every frame of the clip arrives.
            var tags = Clip.Tags();
            var frames = tags.Where(t => t.IsFrame).ToList();
            await using var player = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv");
            await using var publisher = await Publishing.StartAsync(server.RtmpPort);
            await Publishing.SubscribersAsync(server, 1);
            await Publishing.SendAsync(publisher, tags);
            await player.ReadHeadAsync(TimeSpan.FromSeconds(10));
            Assert.True(player.Status == 200, $"With 550 idle, half-open, slow and garbage clients connected, a healthy player must still be answered 200; it got {player.Status}. See README §Bad requests.");
            await player.ReadFlvHeaderAsync(TimeSpan.FromSeconds(10));
            var got = await Publishing.ReadTagsAsync(player, 3 + frames.Count, "the headers and every frame of the clip, beside 550 hostile clients");
            Assert.True(got.Where(t => t.IsFrame).Select(t => t.Data.Length).SequenceEqual(frames.Select(f => f.Data.Length)),
                "Beside the hostile clients, the healthy player must receive every frame of the clip in order. See README §Fan-out.");

            // Bounded: the server's managed memory with all of them connected, and the player's queue.
            long during = GC.GetTotalMemory(forceFullCollection: true);
            long grown = during - before;
            TestContext.Current.TestOutputHelper?.WriteLine($"managed memory: {before / 1024} KiB before, {during / 1024} KiB with 550 hostile clients ({grown / 550.0 / 1024:0.0} KiB per connection)");
            Assert.True(grown < 64L * 1024 * 1024, $"With 550 idle or hostile connections the server's managed memory grew by {grown / 1024 / 1024} MiB; more than 64 MiB means something is kept per connection without bound (README §Bad requests: a head is at most 8 KiB).");
            var queued = server.Streams.Find("live/test")!.Subscribers.Sum(s => s.QueuedBytes);
            Assert.True(queued <= options.SubscriberQueueBytes, $"The player's queue holds {queued} bytes, more than SubscriberQueueBytes. See README §Back-pressure.");

            // The slowloris and half-open heads are closed by the server after HandshakeTimeout; the idle ones too.
            await Publishing.UntilAsync(() => server.ConnectionCount <= 2, $"the server to close the idle, half-open, slow and garbage connections after HandshakeTimeout ({options.HandshakeTimeout.TotalSeconds} s) and IdleTimeout, keeping only the publisher and the player (it serves {server.ConnectionCount}; README §Bad requests)");
        }
        finally
        {
            await stopSlowloris.CancelAsync();
            await Task.WhenAll(slowloris);
            foreach (var socket in hostile)
            {
                socket.Dispose();
            }
        }
    }
}

/// <summary>Runs <see cref="M4HostileClientsTests"/> after the parallel tests, alone.</summary>
[CollectionDefinition(nameof(M4HostileClientsTests), DisableParallelization = true)]
public sealed class M4HostileClientsCollection
{
}
