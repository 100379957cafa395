using System.Net;
using System.Net.Sockets;
using static Lab02.RtmpChunks.Tests.Bytes;

namespace Lab02.RtmpChunks.Tests;

/// <summary>
/// M5 without ffmpeg: your RtmpServer and LiveStream with scripted clients (README §Server, §Replay) —
/// who may publish, who is listed as a player, how many connections are served, the GOP cache's bounds,
/// and the port after the server stops.
/// </summary>
public class M5StreamTests
{
    private const string Milestone = "M5 ingest server";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static bool IsStatus(RtmpMessage m, string code) =>
        m.TypeId == 20 && RtmpCommand.Parse(m) is { Name: "onStatus" } c && (c.Arguments.FirstOrDefault() as Amf0Object)?.GetString("code") == code;

    /// <summary>A scripted client that connected to app "live" and created a stream; returns it and its stream id.</summary>
    private static async Task<(ScriptedClient Client, uint StreamId)> ConnectAsync(int port)
    {
        var client = await ScriptedClient.ConnectAsync(port);
        await client.HandshakeAsync();
        await client.SendAsync(3, new RtmpCommand("connect", 1, new Amf0Object { { "app", "live" }, { "tcUrl", $"rtmp://127.0.0.1:{port}/live" } }).ToMessage(0));
        await client.SendAsync(3, new RtmpCommand("createStream", 2, null).ToMessage(0));
        var created = await client.ReadUntilAsync(m => m.TypeId == 20 && RtmpCommand.Parse(m) is { Name: "_result", TransactionId: 2 }, Deadline.Step, "_result to createStream");
        return (client, (uint)(double)RtmpCommand.Parse(created[^1]).Arguments[0]!);
    }

    private static async Task<ScriptedClient> PublishAsync(int port, string name = "test")
    {
        var (client, id) = await ConnectAsync(port);
        await client.SendAsync(8, new RtmpCommand("publish", 3, null, name, "live").ToMessage(id));
        await client.ReadUntilAsync(m => IsStatus(m, "NetStream.Publish.Start"), Deadline.Step, "onStatus NetStream.Publish.Start");
        return client;
    }

    private static async Task<ScriptedClient> PlayAsync(int port, string name = "test")
    {
        var (client, id) = await ConnectAsync(port);
        await client.SendAsync(8, new RtmpCommand("play", 3, null, name, -2000.0).ToMessage(id));
        await client.ReadUntilAsync(m => IsStatus(m, "NetStream.Play.Start"), Deadline.Step, "onStatus NetStream.Play.Start");
        return client;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing with <paramref name="because"/> after <see cref="Deadline.Step"/>.</summary>
    private static async Task EventuallyAsync(Func<bool> condition, Func<string> because)
    {
        using var limit = Deadline.After(Deadline.Step);
        while (!condition())
        {
            Assert.False(limit.IsCancellationRequested, because());
            await Task.Delay(20, Token);
        }
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_second_publisher_of_a_stream_being_published_is_refused_and_the_first_goes_on()
    {
        await using var server = new RtmpServer();
        var watch = new ServerWatch(server);
        server.Start();
        using var first = await PublishAsync(server.Port);
        var (second, id) = await ConnectAsync(server.Port);
        using var secondClient = second;
        var secondEnded = watch.EndOf(second.Tcp);
        await second.SendAsync(8, new RtmpCommand("publish", 3, null, "test", "live").ToMessage(id));

        var ended = await Deadline.Within(secondEnded, Deadline.Step, $"your server to end the second publisher of live/test (ConnectionEnded); the connections that ended: {watch.Ended}. See README §Server");
        Assert.True(ended.Error is RtmpException, $"A second publisher of a key that is being published is refused with an RtmpException that ends its session; ConnectionEnded reported {ended.Error?.GetType().Name ?? "no error"}: {ended.Error?.Message}. See README §Server.");

        // The first publisher is still the stream's publisher, and what it sends still arrives.
        await first.SendAsync(6, new RtmpMessage(9, 40, 1, Hex("17 01 000000 aabbcc")));
        await EventuallyAsync(() => watch.Media.Any(m => m.Timestamp == 40), () => $"The first publisher's video (40 ms) must still reach your server after the second was refused; the connections that ended: {watch.Ended}. See README §Server.");
        Assert.True(server.Streams.TryGetValue("live/test", out var stream) && stream.Publisher is not null && !ReferenceEquals(stream.Publisher, ended.Session),
            $"live/test's Publisher must still be the first publisher's session, not the refused one (got {(stream?.Publisher is null ? "none" : "the refused session")}). See README §Server.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_player_that_leaves_mid_stream_is_no_longer_listed()
    {
        await using var server = new RtmpServer();
        var watch = new ServerWatch(server);
        server.Start();
        using var publisher = await PublishAsync(server.Port);
        using var staying = await PlayAsync(server.Port);
        using var leaving = await PlayAsync(server.Port);
        await EventuallyAsync(() => server.Streams.TryGetValue("live/test", out var s) && s.PlayerCount == 2,
            () => $"Two players play live/test: its PlayerCount must be 2; it is {(server.Streams.TryGetValue("live/test", out var s) ? s.PlayerCount : 0)}. See README §Replay.");

        var leavingEnded = watch.EndOf(leaving.Tcp);
        leaving.Dispose(); // the player closes its connection in the middle of the stream
        await Deadline.Within(leavingEnded, Deadline.Step, $"your server to notice the player that closed its connection (ConnectionEnded); the connections that ended: {watch.Ended}");
        await EventuallyAsync(() => server.Streams["live/test"].PlayerCount == 1,
            () => $"A player that left must be taken off the stream's list (LiveStream.RemovePlayer when its connection ends): PlayerCount must go from 2 to 1; it is {server.Streams["live/test"].PlayerCount}. See README §Server.");

        // The stream goes on for the one who stayed.
        await publisher.SendAsync(6, new RtmpMessage(9, 80, 1, Hex("17 01 000000 ddeeff")));
        var got = await staying.ReadUntilAsync(m => m.TypeId == 9 && m.Timestamp == 80, Deadline.Step, "the video at 80 ms, sent after the other player left");
        Assert.True(got[^1].Payload.Span.SequenceEqual(Hex("17 01 000000 ddeeff")), $"The player that stayed gets the frame intact; it got {Describe(got[^1])}. See README §Replay.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_publisher_that_disconnects_ends_the_stream_for_its_players_and_frees_the_key()
    {
        await using var server = new RtmpServer();
        var watch = new ServerWatch(server);
        server.Start();
        var publisher = await PublishAsync(server.Port);
        using var player = await PlayAsync(server.Port);
        await EventuallyAsync(() => server.Streams.TryGetValue("live/test", out var s) && s.PlayerCount == 1,
            () => $"One player plays live/test: its PlayerCount must be 1; it is {(server.Streams.TryGetValue("live/test", out var s) ? s.PlayerCount : 0)}. See README §Replay.");

        string published = await Deadline.Within(watch.Published.Task, Deadline.Step, "RtmpServer.PublishStarted to report the publish");
        string played = await Deadline.Within(watch.Played.Task, Deadline.Step, "RtmpServer.PlayStarted to report the play");
        Assert.True(published == "live/test" && played == "live/test", $"RtmpServer.PublishStarted and PlayStarted report the stream key \"live/test\" (app/name); got \"{published}\" and \"{played}\". See README §Server.");

        // The publisher's connection closes without FCUnpublish or deleteStream (README §Replay: "or it disconnects").
        var publisherEnded = watch.EndOf(publisher.Tcp);
        publisher.Dispose();
        await Deadline.Within(publisherEnded, Deadline.Step, $"your server to notice the publisher that closed its connection (ConnectionEnded); the connections that ended: {watch.Ended}");
        var got = await player.ReadUntilAsync(m => IsStatus(m, "NetStream.Play.UnpublishNotify"), Deadline.Step, "onStatus NetStream.Play.UnpublishNotify after the publisher disconnected");
        Assert.True(got.Any(m => m.TypeId == 4 && m.Payload.Span[..2].SequenceEqual(Hex("0001"))),
            $"When the publisher disconnects, its player gets User Control Stream EOF (event 1) before NetStream.Play.UnpublishNotify; it got: {string.Join("; ", got.Select(Describe))}. See README §Replay.");

        // The key is free again (README §Session: the publisher "frees its stream key"): another client publishes it,
        // and a new player of it gets that client's video.
        using var next = await PublishAsync(server.Port);
        using var late = await PlayAsync(server.Port);
        await EventuallyAsync(() => server.Streams["live/test"].PlayerCount == 2,
            () => $"Two players are on live/test now; its PlayerCount is {server.Streams["live/test"].PlayerCount}. See README §Replay.");
        await next.SendAsync(6, new RtmpMessage(9, 120, 1, Hex("17 01 000000 a1b2c3")));
        var frame = await late.ReadUntilAsync(m => m.TypeId == 9 && m.Timestamp == 120, Deadline.Step, $"the video at 120 ms from the client that published live/test after the first publisher left (the connections that ended: {watch.Ended})");
        Assert.True(frame[^1].Payload.Span.SequenceEqual(Hex("17 01 000000 a1b2c3")), $"The player gets the new publisher's frame intact; it got {Describe(frame[^1])}. See README §Replay.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_client_that_stalls_in_the_handshake_is_dropped_after_HandshakeTimeout_and_blocks_no_one()
    {
        // README §Server: every client gets its own task; the handshake runs within HandshakeTimeout, "so a client that stalls in it is dropped".
        var handshakeTimeout = TimeSpan.FromSeconds(1);
        await using var server = new RtmpServer(new RtmpServerOptions { HandshakeTimeout = handshakeTimeout });
        var watch = new ServerWatch(server);
        server.Start();
        using var stalled = await ScriptedClient.ConnectAsync(server.Port);
        var stalledEnded = watch.EndOf(stalled.Tcp);
        await stalled.Stream.WriteAsync(new byte[] { 3, 0, 0, 0, 0 }, Token); // C0 and 4 bytes of C1, then nothing

        // Meanwhile another client is served at once.
        using var other = await ScriptedClient.ConnectAsync(server.Port);
        await other.HandshakeAsync();

        var end = await Deadline.Within(stalledEnded, handshakeTimeout + Deadline.Step, $"your server to drop the client that stalled in the handshake after HandshakeTimeout ({handshakeTimeout.TotalSeconds} s; ConnectionEnded); the connections that ended: {watch.Ended}");
        Assert.True(end.Session is null && end.Error is not null,
            $"A client dropped in the handshake has no session, and its end is reported with the error (ConnectionEnded: the session if the handshake finished, the error); got session {(end.Session is null ? "null" : "set")}, error {end.Error?.GetType().Name ?? "null"}. See README §Server.");
        int read;
        try
        {
            read = await Deadline.Within(stalled.Stream.ReadAsync(new byte[4096], Token).AsTask(), Deadline.Step, "the stalled client's socket to be closed");
            while (read > 0) // S0 + S1 may have been sent before the server gave up: read to the end
            {
                read = await Deadline.Within(stalled.Stream.ReadAsync(new byte[4096], Token).AsTask(), Deadline.Step, "the stalled client's socket to be closed");
            }
        }
        catch (IOException)
        {
            read = 0;
        }

        Assert.True(read == 0, "After HandshakeTimeout the stalled client's socket must be closed. See README §Server.");
        Assert.False(watch.HasEnded(other.Tcp), $"The client that finished its handshake must still be connected; the connections that ended: {watch.Ended}. See README §Server.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task Connections_beyond_MaxConnections_are_closed_at_once_and_a_freed_place_is_served()
    {
        await using var server = new RtmpServer(new RtmpServerOptions { MaxConnections = 2 });
        server.Start();
        using var one = await ScriptedClient.ConnectAsync(server.Port);
        await one.HandshakeAsync();
        using var two = await ScriptedClient.ConnectAsync(server.Port);
        await two.HandshakeAsync();

        using (var third = await ScriptedClient.ConnectAsync(server.Port))
        {
            // Beyond MaxConnections the server closes the socket without a handshake: the read ends (0 bytes, or a reset).
            int read;
            try
            {
                read = await Deadline.Within(third.Stream.ReadAsync(new byte[1], Token).AsTask(), Deadline.Step, "your server to close a third connection when MaxConnections is 2");
            }
            catch (IOException)
            {
                read = 0;
            }

            Assert.True(read == 0, $"With MaxConnections = 2 and two clients connected, a third connection must be closed at once; your server sent it {read} byte(s). See README §Server.");
        }

        // When one of the two leaves, its place is free again.
        two.Dispose();
        using var limit = Deadline.After(Deadline.Step);
        while (true)
        {
            using var next = await ScriptedClient.ConnectAsync(server.Port);
            try
            {
                await next.HandshakeAsync();
                break;
            }
            catch (Exception e) when (e is IOException or Xunit.Sdk.XunitException && !limit.IsCancellationRequested)
            {
                await Task.Delay(50, Token); // the server may not have counted the closed connection out yet
            }
            catch (Exception e) when (e is IOException or Xunit.Sdk.XunitException)
            {
                Assert.Fail($"After one of the two connections closed, a new client must be served (MaxConnections counts the connections being served now); its handshake failed: {e.Message}. See README §Server.");
            }
        }
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task After_DisposeAsync_the_port_is_free_again()
    {
        var server = new RtmpServer();
        server.Start();
        int port = server.Port;
        using (var client = await ScriptedClient.ConnectAsync(port))
        {
            await client.HandshakeAsync();
            await Deadline.Within(server.DisposeAsync().AsTask(), Deadline.Step, "DisposeAsync to stop listening and end the connection");
        }

        var listener = new TcpListener(IPAddress.Loopback, port);
        var error = Record.Exception(listener.Start);
        listener.Dispose();
        Assert.True(error is null, $"After DisposeAsync the server must stop listening, so 127.0.0.1:{port} can be listened on again; it failed with {error?.GetType().Name}: {error?.Message}. See README §Server.");
    }

    [Theory(Timeout = 30000)]
    [InlineData(true)]
    [InlineData(false)]
    [Trait("Milestone", Milestone)]
    public async Task Three_players_get_every_frame_whether_the_chunks_are_cut_once_or_per_player(bool shareChunks)
    {
        // RtmpServerOptions.ShareChunks (README §Performance): true sends each message as chunks that are the same
        // bytes for all players, in batches (SharedChunks), false cuts and writes it per player. Both must deliver the same frames.
        await using var server = new RtmpServer(new RtmpServerOptions { ShareChunks = shareChunks });
        server.Start();
        var players = new List<ScriptedClient>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                players.Add(await PlayAsync(server.Port));
            }

            // PlayStarted (and so AddPlayer) runs after play is answered, so onStatus NetStream.Play.Start may reach a
            // player before it is on the stream's list: the publish starts once all three are on it, then no frame may be missing.
            await EventuallyAsync(() => server.Streams.TryGetValue("live/test", out var s) && s.PlayerCount == players.Count,
                () => $"Three players play live/test: its PlayerCount must be 3; it is {(server.Streams.TryGetValue("live/test", out var s) ? s.PlayerCount : 0)}. See README §Replay.");
            using var publisher = await ScriptedClient.ConnectAsync(server.Port);
            await publisher.HandshakeAsync();
            await publisher.Stream.WriteAsync(Capture("ffmpeg-publish.c2s.bin"), Token); // what ffmpeg sent: the whole clip, then FCUnpublish
            var want = ClipPacket.All().Where(p => p.CodecType == "video").ToList();
            for (int i = 0; i < players.Count; i++)
            {
                var got = await players[i].ReadUntilAsync(m => IsStatus(m, "NetStream.Play.UnpublishNotify"), TimeSpan.FromSeconds(10), $"player {i + 1}'s onStatus NetStream.Play.UnpublishNotify");
                var frames = got.Where(m => m.TypeId == 9 && m.Payload.Length > 1 && m.Payload.Span[1] == 1).ToList();
                Assert.True(frames.Select(m => (m.Timestamp, ClipPacket.Md5Of(ClipPacket.CodecData(m)))).SequenceEqual(want.Select(p => (p.Dts, p.Md5))),
                    $"With ShareChunks = {shareChunks}, player {i + 1} must get every video frame of the clip in order ({want.Count}, ffprobe's timestamps and MD5s); it got {frames.Count}: {string.Join(",", frames.Select(m => m.Timestamp))}. See README §Replay, §Performance.");
            }
        }
        finally
        {
            players.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void SharedChunks_cuts_the_spec_example_with_a_type_0_header()
    {
        // §5.3.2.2 Example 2: one 307-byte video message, csid 4, msid 12345, timestamp 1000, chunk size 128.
        var payload = Pattern(307);
        var message = new RtmpMessage(9, 1000, 1, payload);
        var bytes = SharedChunks.For(message, 4, 12345, 128);
        var expected = Hex("04 0003e8 000133 09 39300000" + Convert.ToHexString(payload[..128]) + "c4" + Convert.ToHexString(payload[128..256]) + "c4" + Convert.ToHexString(payload[256..]));
        HexDiff.AssertEqual(expected, bytes.Span, "the shared chunks of §5.3.2.2's example (a type-0 header on the player's message stream 12345, then type-3 chunks of 128)", "README §Performance, §Writer");
        Assert.True(SharedChunks.For(message, 4, 12345, 128).Span == bytes.Span, "A second player with the same chunk stream, message stream and chunk size gets the same bytes, not a new cut. See README §Performance.");
        var other = SharedChunks.For(message, 4, 1, 4096);
        HexDiff.AssertEqual(Hex("04 0003e8 000133 09 01000000" + Convert.ToHexString(payload)), other.Span, "the same message for message stream 1 at chunk size 4096: one chunk", "README §Performance, §Writer");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void SharedChunks_repeat_the_extended_timestamp_in_every_chunk()
    {
        // §5.3.1.3: a timestamp of 0xFFFFFF or more goes in the 4-byte extended timestamp, after the type-0 header and
        // again after every type-3 header of the same message. 200 bytes at chunk size 128: two chunks.
        var payload = Pattern(200);
        var message = new RtmpMessage(9, 0x01000000, 1, payload);
        var expected = Hex("06 ffffff 0000c8 09 01000000 01000000" + Convert.ToHexString(payload[..128]) + "c6 01000000" + Convert.ToHexString(payload[128..]));
        HexDiff.AssertEqual(expected, SharedChunks.For(message, 6, 1, 128).Span, "the shared chunks of a message at timestamp 0x01000000 (extended timestamp after both headers)", "README §Performance, §Chunk headers");
        var buffer = new byte[expected.Length];
        Assert.Equal(expected.Length, SharedChunks.LengthOf(message, 6, 128));
        Assert.Equal(expected.Length, SharedChunks.WriteTo(buffer, message, 6, 1, 128));
        HexDiff.AssertEqual(expected, buffer, "the same chunks written into a player's send buffer (SharedChunks.WriteTo)", "README §Performance");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_player_gets_small_and_large_messages_in_the_order_they_were_queued()
    {
        // The fast path gathers small messages in one buffer and writes a large one (over half that buffer) from the
        // shared bytes: what was gathered before it must still go out first (README §Performance, §Replay).
        var queued = new List<RtmpMessage>
        {
            new(8, 0, 1, Pattern(100)),
            Video(0, key: false),
            Video(33, key: true, size: 40_000),
            new(8, 40, 1, Pattern(100, seed: 1)),
            Video(66, key: false, size: 50_000),
            Video(100, key: false),
        };
        var socket = new MemoryStream();
        var player = new RtmpPlayer(new RtmpSession(socket), new CancellationTokenSource(), queueLength: 64);
        queued.ForEach(player.Enqueue);
        player.Complete();
        await player.SendQueuedAsync(Token);

        var reader = new ChunkReader();
        var bytes = socket.ToArray();
        var got = new List<RtmpMessage>();
        for (int at = 0; at < bytes.Length;)
        {
            Assert.True(reader.TryReadChunk(bytes.AsSpan(at), out int consumed, out var message), "The player's bytes end inside a chunk. See README §Performance.");
            at += consumed;
            if (message is not null)
            {
                got.Add(message);
            }
        }

        static string Describe(IEnumerable<RtmpMessage> messages) => string.Join(", ", messages.Select(m => $"{MessageType.NameOf(m.TypeId)}@{m.Timestamp}/{m.Payload.Length}"));
        Assert.True(got.Select(m => (m.TypeId, m.Timestamp, Convert.ToHexString(m.Payload.Span))).SequenceEqual(queued.Select(m => (m.TypeId, m.Timestamp, Convert.ToHexString(m.Payload.Span)))),
            $"The player must get every queued message once, in queue order, with its payload: expected {Describe(queued)}; got {Describe(got)}. See README §Performance.");
    }

    /// <summary>A video message by the FLV spec (§E.4.3.1): frame type 1 (key) or 2 (inter), codec 7 (AVC), AVCPacketType 1 (NALUs), then <paramref name="size"/> − 2 bytes.</summary>
    private static RtmpMessage Video(uint timestamp, bool key, int size = 8) =>
        new(9, timestamp, 1, Enumerable.Repeat((byte)0x55, size).ToArray().With(0, (byte)(key ? 0x17 : 0x27)).With(1, 1));

    /// <summary>What a player added to <paramref name="stream"/> now is sent before any live message: its session's bytes, read back as messages.</summary>
    private static async Task<List<RtmpMessage>> LatePlayerGetsAsync(LiveStream stream)
    {
        var socket = new MemoryStream();
        var player = new RtmpPlayer(new RtmpSession(socket), new CancellationTokenSource(), queueLength: 1 << 16);
        stream.AddPlayer(player);
        stream.RemovePlayer(player);
        player.Complete();
        await player.SendQueuedAsync(Token);

        var reader = new ChunkReader(maxMessageLength: 16 << 20);
        var bytes = socket.ToArray();
        var messages = new List<RtmpMessage>();
        for (int at = 0; at < bytes.Length;)
        {
            Assert.True(reader.TryReadChunk(bytes.AsSpan(at), out int consumed, out var message), "The player's bytes end inside a chunk. See README §Replay.");
            at += consumed;
            if (message is not null)
            {
                messages.Add(message);
            }
        }

        return messages;
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task The_GOP_cache_holds_at_most_MaxCachedMessages_and_a_longer_GOP_is_not_cached()
    {
        var stream = new LiveStream("live/test");
        Assert.True(stream.TryStartPublishing(new RtmpSession(new MemoryStream())), "TryStartPublishing on a stream nobody publishes must succeed.");
        stream.Publish(Video(0, key: true));
        for (int i = 1; i < LiveStream.MaxCachedMessages; i++)
        {
            stream.Publish(Video((uint)i, key: false));
        }

        var full = await LatePlayerGetsAsync(stream);
        Assert.True(full.Count == LiveStream.MaxCachedMessages && full[0].Payload.Span[0] == 0x17,
            $"A GOP of exactly MaxCachedMessages ({LiveStream.MaxCachedMessages}) messages — a keyframe and {LiveStream.MaxCachedMessages - 1} frames — is cached whole: a late player gets all of them, keyframe first; yours got {full.Count}{(full.Count > 0 ? $", the first {Describe(full[0])}" : "")}. See README §Replay.");

        stream.Publish(Video((uint)LiveStream.MaxCachedMessages, key: false));
        var over = await LatePlayerGetsAsync(stream);
        Assert.True(over.Count == 0,
            $"One message more and the GOP no longer fits: it is not cached, and a late player waits for the next keyframe (it cannot start in the middle of a GOP, nor keep a GOP with a hole); yours got {over.Count} cached messages{(over.Count > 0 ? $", the first {Describe(over[0])}" : "")}. See README §Replay.");

        stream.Publish(Video(5000, key: true));
        stream.Publish(Video(5040, key: false));
        var next = await LatePlayerGetsAsync(stream);
        Assert.True(next.Count == 2 && next[0].Timestamp == 5000,
            $"The next keyframe starts a new GOP cache: a late player gets it and the frame after it (5000, 5040 ms); yours got {string.Join(", ", next.Select(m => m.Timestamp))}. See README §Replay.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_late_player_gets_the_last_headers_then_the_GOP_from_the_last_keyframe_audio_included()
    {
        // README §Replay: the metadata and each sequence header "the last one"; the GOP cache is "every audio and video
        // message from the last keyframe on"; a player gets them in this order: metadata, video header, audio header, GOP.
        var stream = new LiveStream("live/test");
        Assert.True(stream.TryStartPublishing(new RtmpSession(new MemoryStream())), "TryStartPublishing on a stream nobody publishes must succeed.");
        var sent = new[]
        {
            new RtmpMessage(18, 0, 1, Amf0.Encode("onMetaData", new Amf0EcmaArray { { "width", 160.0 } })),
            new RtmpMessage(18, 0, 1, Amf0.Encode("onMetaData", new Amf0EcmaArray { { "width", 320.0 } })),
            new RtmpMessage(9, 0, 1, Hex("17 00 000000 01 aa")),      // AVC sequence header (§E.4.3.1: AVCPacketType 0)
            new RtmpMessage(9, 0, 1, Hex("17 00 000000 01 bb")),      // a newer one: the one kept
            new RtmpMessage(8, 0, 1, Hex("af 00 1210")),              // AAC sequence header (§E.4.2.1: AACPacketType 0)
            new RtmpMessage(9, 0, 1, Hex("27 01 000000 00000001 01")), // an inter frame before any keyframe: no GOP to start
            new RtmpMessage(8, 10, 1, Hex("af 01 0101")),              // audio before any keyframe
            new RtmpMessage(9, 40, 1, Hex("17 01 000000 00000001 02")), // the keyframe: the GOP starts here
            new RtmpMessage(8, 50, 1, Hex("af 01 0202")),              // audio in the GOP
            new RtmpMessage(9, 80, 1, Hex("27 01 000000 00000001 03")), // an inter frame in the GOP
        };
        foreach (var message in sent)
        {
            stream.Publish(message);
        }

        // Before the first keyframe there is no GOP to start from: a player that joins then gets the headers only.
        var early = new LiveStream("live/early");
        Assert.True(early.TryStartPublishing(new RtmpSession(new MemoryStream())), "TryStartPublishing on a stream nobody publishes must succeed.");
        foreach (var message in sent[..7])
        {
            early.Publish(message);
        }

        var headersOnly = await LatePlayerGetsAsync(early);
        Assert.True(headersOnly.Count == 3 && headersOnly.All(m => m.Timestamp == 0 && m.TypeId != 9 || m.Payload.Span[1] == 0),
            $"Before any keyframe a late player gets only the onMetaData and the two sequence headers (no inter frame, no audio: a decoder cannot start there); it got {headersOnly.Count}:\n  {string.Join("\n  ", headersOnly.Select(Describe))}\nSee README §Replay.");

        var got = await LatePlayerGetsAsync(stream);
        var want = new[] { sent[1], sent[3], sent[4], sent[7], sent[8], sent[9] };
        Assert.True(got.Count == want.Length && got.Zip(want).All(p => p.First.TypeId == p.Second.TypeId && p.First.Timestamp == p.Second.Timestamp && p.First.Payload.Span.SequenceEqual(p.Second.Payload.Span)),
            $"A late player must get the last onMetaData (width 320), the last AVC sequence header (… bb), the AAC sequence header, then the keyframe at 40 ms, the audio at 50 and the frame at 80 — nothing sent before that keyframe; it got {got.Count}:\n  {string.Join("\n  ", got.Select(Describe))}\nSee README §Replay.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task The_GOP_cache_holds_at_most_MaxCachedBytes()
    {
        const int size = 1 << 20;
        int fits = (int)(LiveStream.MaxCachedBytes / size); // 32 messages of 1 MiB: exactly MaxCachedBytes
        var stream = new LiveStream("live/test");
        Assert.True(stream.TryStartPublishing(new RtmpSession(new MemoryStream())), "TryStartPublishing on a stream nobody publishes must succeed.");
        for (int i = 0; i < fits; i++)
        {
            stream.Publish(Video((uint)(i * 40), key: i == 0, size));
        }

        var full = await LatePlayerGetsAsync(stream);
        Assert.True(full.Count == fits, $"A GOP of exactly MaxCachedBytes ({LiveStream.MaxCachedBytes} bytes: {fits} frames of 1 MiB) is cached whole; a late player got {full.Count} of its {fits} frames. See README §Replay.");

        stream.Publish(Video((uint)(fits * 40), key: false, 2));
        var over = await LatePlayerGetsAsync(stream);
        Assert.True(over.Count == 0, $"Two bytes more and the GOP is over MaxCachedBytes: it is not cached (a late player waits for the next keyframe); a late player got {over.Count} cached messages. See README §Replay.");
    }
}

internal static class ArrayWith
{
    /// <summary>The array with one byte set (for building message bodies inline).</summary>
    public static byte[] With(this byte[] bytes, int index, byte value)
    {
        bytes[index] = value;
        return bytes;
    }
}
