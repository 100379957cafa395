using static Lab02.RtmpChunks.Tests.Bytes;

namespace Lab02.RtmpChunks.Tests;

/// <summary>M4: the server's command flow, against scripted clients that replay what a real ffmpeg sent (testdata/02-rtmp-chunks).</summary>
public class M4SessionTests
{
    private const string Milestone = "M4 command flow";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Sends <paramref name="bytes"/> to a session, closes, and returns every message the session sent back plus what it handed over.</summary>
    private static async Task<(List<RtmpMessage> Replies, List<RtmpMessage> Media, RtmpSession Session, Exception? Error)> ServeAsync(byte[] bytes, RtmpSessionOptions? options = null, bool close = true)
    {
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var session = new RtmpSession(pair.Mine, options);
        var media = new List<RtmpMessage>();
        session.MediaReceived = (_, m) => { media.Add(m); return ValueTask.CompletedTask; };
        var run = session.RunAsync(Token);
        var replies = new MemoryStream();
        var pump = pair.Peer.CopyToAsync(replies, Token);
        await pair.Peer.WriteAsync(bytes, Token);
        if (close)
        {
            pair.Peer.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        }

        Exception? error = null;
        try
        {
            await Deadline.Within(run, Limit, "your RtmpSession.RunAsync to finish after the client closed");
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            error = e;
        }

        pair.Mine.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        await Deadline.Within(pump, Limit, "the session's replies to end");
        return (ReadAll(new ChunkReader(), replies.ToArray()), media, session, error);
    }

    private static string Describe(RtmpMessage m) => m.TypeId is 20 ? RtmpCommand.Parse(m).ToString() : Bytes.Describe(m);

    [Fact(Timeout = 20000)]
    [Trait("Milestone", Milestone)]
    public async Task A_replayed_ffmpeg_publish_is_answered_and_its_media_handed_over()
    {
        var (replies, media, session, error) = await ServeAsync(Capture("ffmpeg-publish.c2s.bin"));
        Assert.True(error is null, $"ffmpeg's publish must be served without an error; RunAsync threw {error?.GetType().Name}: {error?.Message}. See README §Commands.");
        string all = string.Join("\n  ", replies.Select(Describe));
        Assert.True(replies.Count >= 4 && replies[0].TypeId == 5 && replies[1].TypeId == 6 && replies[2].TypeId == 1,
            $"connect is answered first with Window Acknowledgement Size (5), Set Peer Bandwidth (6) and Set Chunk Size (1); you sent:\n  {all}\nSee README §Commands.");
        var commands = replies.Where(m => m.TypeId == 20).Select(RtmpCommand.Parse).ToList();
        var connect = commands.FirstOrDefault(c => c.Name == "_result" && c.TransactionId == 1);
        Assert.True(connect?.Arguments.FirstOrDefault() is Amf0Object info && info.GetString("code") == "NetConnection.Connect.Success",
            $"connect (transaction 1) is answered with _result(1, {{...}}, {{code: \"NetConnection.Connect.Success\"}}); you sent:\n  {all}\nSee README §Commands.");
        var created = commands.FirstOrDefault(c => c.Name == "_result" && c.TransactionId == 4);
        Assert.True(created?.Arguments.FirstOrDefault() is double id && id >= 1,
            $"createStream (transaction 4 in ffmpeg's sequence) is answered with _result(4, null, <stream id ≥ 1>); you sent:\n  {all}\nSee README §Commands.");
        var status = commands.FirstOrDefault(c => c.Name == "onStatus");
        Assert.True(status?.Arguments.FirstOrDefault() is Amf0Object s && s.GetString("code") == "NetStream.Publish.Start",
            $"publish is answered with onStatus(0, null, {{code: \"NetStream.Publish.Start\"}}); you sent:\n  {all}\nSee README §Commands.");
        Assert.True(session.StreamName == "test" && session.App == "live", $"App must be \"live\" and StreamName \"test\" (publish named \"test?sign=...\": drop the query); got {session.App} and {session.StreamName}. See README §Commands.");

        int frames = media.Count(m => m.TypeId == 9 && m.Payload.Span[1] == 1), audio = media.Count(m => m.TypeId == 8);
        Assert.True(frames == 50 && audio == 89, $"MediaReceived must get the 50 video frames and 89 audio messages ffmpeg published; got {frames} and {audio}. See README §Session.");
        var metadata = media.FirstOrDefault(m => m.TypeId == 18);
        Assert.True(metadata is not null && Amf0.DecodeAll(metadata.Payload.Span) is [string name, Amf0EcmaArray meta, ..] && name == "onMetaData" && meta.GetNumber("width") == 320,
            $"The @setDataFrame data message is handed over as (\"onMetaData\", {{width: 320, ...}}), \"@setDataFrame\" removed; got {(metadata is null ? "none" : string.Join(", ", Amf0.DecodeAll(metadata.Payload.Span).Select(Amf0.Format)))}. See README §Commands.");
    }

    [Fact(Timeout = 20000)]
    [Trait("Milestone", Milestone)]
    public async Task A_replayed_ffmpeg_play_gets_Stream_Begin_and_Play_Start()
    {
        var (replies, _, session, error) = await ServeAsync(Capture("ffmpeg-play.c2s.bin"));
        Assert.True(error is null, $"ffmpeg's play (with _checkbw and getStreamLength, which real servers ignore) must be served without an error; RunAsync threw {error?.GetType().Name}: {error?.Message}. See README §Commands.");
        string all = string.Join("\n  ", replies.Select(Describe));
        int begin = replies.FindIndex(m => m.TypeId == 4 && m.Payload.Span.SequenceEqual(Hex("0000 00000001")));
        int start = replies.FindIndex(m => m.TypeId == 20 && RtmpCommand.Parse(m) is { Name: "onStatus" } c && (c.Arguments.FirstOrDefault() as Amf0Object)?.GetString("code") == "NetStream.Play.Start" && m.MessageStreamId == 1);
        Assert.True(begin >= 0 && start > begin, $"play is answered with User Control Stream Begin 1 (00 00 00 00 00 01), then onStatus NetStream.Play.Start on message stream 1; you sent:\n  {all}\nSee README §Commands.");
        Assert.True(session.IsPlaying && session.StreamName == "test", $"After play, IsPlaying must be true and StreamName \"test\"; got {session.IsPlaying}, {session.StreamName}. See README §Commands.");
    }

    [Fact(Timeout = 20000)]
    [Trait("Milestone", Milestone)]
    public async Task Each_command_gets_the_answer_the_table_gives_and_stream_ids_count_up()
    {
        // README §Commands, row by row, with a second createStream: stream ids are 1, 2, ...; publish on stream 2.
        var writer = new ChunkWriter();
        var bytes = Write(writer,
            (3, new RtmpCommand("connect", 1, new Amf0Object { { "app", "live" } }).ToMessage(0)),
            (3, new RtmpCommand("releaseStream", 2, null, "test").ToMessage(0)),
            (3, new RtmpCommand("FCPublish", 3, null, "test").ToMessage(0)),
            (3, new RtmpCommand("createStream", 4, null).ToMessage(0)),
            (3, new RtmpCommand("createStream", 5, null).ToMessage(0)),
            (8, new RtmpCommand("publish", 6, null, "test", "live").ToMessage(2)),
            (3, new RtmpCommand("FCUnpublish", 7, null, "test").ToMessage(0)));
        int ended = 0;
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var session = new RtmpSession(pair.Mine) { PublishEnded = _ => { ended++; return ValueTask.CompletedTask; } };
        var run = session.RunAsync(Token);
        var replies = new MemoryStream();
        var pump = pair.Peer.CopyToAsync(replies, Token);
        await pair.Peer.WriteAsync(bytes, Token);
        pair.Peer.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        await Deadline.Within(run, Limit, "your RtmpSession.RunAsync to finish after the client closed");
        pair.Mine.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        await Deadline.Within(pump, Limit, "the session's replies to end");

        var sent = ReadAll(new ChunkReader(), replies.ToArray());
        string all = string.Join("\n  ", sent.Select(Describe));
        var results = sent.Where(m => m.TypeId == 20).Select(RtmpCommand.Parse).Where(c => c.Name == "_result").ToDictionary(c => c.TransactionId);
        foreach (double id in new[] { 2.0, 3.0, 7.0 })
        {
            Assert.True(results.TryGetValue(id, out var r) && r.CommandObject is null && r.Arguments is [Amf0Undefined],
                $"releaseStream, FCPublish and FCUnpublish are answered _result(id, null, undefined); for transaction {id} you sent:\n  {all}\nSee README §Commands.");
        }

        Assert.True(results.TryGetValue(4, out var first) && first.Arguments is [1.0] && results.TryGetValue(5, out var second) && second.Arguments is [2.0],
            $"Two createStream calls are answered with stream ids 1 and then 2 (_result(4, null, 1), _result(5, null, 2)); you sent:\n  {all}\nSee README §Commands.");
        int begin = sent.FindIndex(m => m.TypeId == 4 && m.Payload.Span.SequenceEqual(Hex("0000 00000002")));
        int start = sent.FindIndex(m => m.TypeId == 20 && RtmpCommand.Parse(m) is { Name: "onStatus" } c && (c.Arguments.FirstOrDefault() as Amf0Object)?.GetString("code") == "NetStream.Publish.Start" && m.MessageStreamId == 2);
        Assert.True(begin >= 0 && start > begin, $"publish on message stream 2 is answered with Stream Begin 2 (00 00 00 00 00 02), then onStatus NetStream.Publish.Start on message stream 2; you sent:\n  {all}\nSee README §Commands.");
        Assert.True(ended == 1 && !session.IsPublishing, $"FCUnpublish ends the publish: PublishEnded is called once and IsPublishing is false; PublishEnded was called {ended} time(s), IsPublishing is {session.IsPublishing}. See README §Commands.");
    }

    [Fact(Timeout = 20000)]
    [Trait("Milestone", Milestone)]
    public async Task Connect_and_play_are_answered_with_the_fields_the_table_gives_on_the_stream_they_came_on()
    {
        // README §Commands: _result(1, {fmsVer, capabilities}, {level: "status", code, description, objectEncoding: 0});
        // play on message stream 1 (two streams were created: 1 and 2) is answered on stream 1, with level "status".
        var writer = new ChunkWriter();
        var bytes = Write(writer,
            (3, new RtmpCommand("connect", 1, new Amf0Object { { "app", "live" } }).ToMessage(0)),
            (3, new RtmpCommand("createStream", 2, null).ToMessage(0)),
            (3, new RtmpCommand("createStream", 3, null).ToMessage(0)),
            (8, new RtmpCommand("play", 4, null, "test", -2000.0).ToMessage(1)));
        var (replies, _, session, error) = await ServeAsync(bytes);
        Assert.True(error is null, $"connect, two createStream and play are valid input; RunAsync threw {error?.GetType().Name}: {error?.Message}. See README §Commands.");
        string all = string.Join("\n  ", replies.Select(Describe));
        var result = replies.Where(m => m.TypeId == 20).Select(RtmpCommand.Parse).FirstOrDefault(c => c is { Name: "_result", TransactionId: 1 });
        Assert.True(result?.CommandObject is Amf0Object properties && properties.TryGetValue("fmsVer", out _) && properties.TryGetValue("capabilities", out _),
            $"connect's _result carries a command object {{fmsVer, capabilities}}; you sent:\n  {all}\nSee README §Commands.");
        Assert.True(result?.Arguments is [Amf0Object info] && info.GetString("level") == "status" && info.GetString("code") == "NetConnection.Connect.Success"
            && info.TryGetValue("description", out var description) && description is string && info.GetNumber("objectEncoding") == 0,
            $"connect's _result carries {{level: \"status\", code: \"NetConnection.Connect.Success\", description: (some text), objectEncoding: 0}}; you sent {result}. See README §Commands.");

        int begin = replies.FindIndex(m => m.TypeId == 4 && m.Payload.Span.SequenceEqual(Hex("0000 00000001")));
        int start = replies.FindIndex(m => m.TypeId == 20 && m.MessageStreamId == 1 && RtmpCommand.Parse(m) is { Name: "onStatus" } c
            && c.Arguments is [Amf0Object status] && status.GetString("level") == "status" && status.GetString("code") == "NetStream.Play.Start");
        Assert.True(begin >= 0 && start > begin,
            $"play sent on message stream 1 (after createStream gave out 1 and 2) is answered on stream 1: Stream Begin 1 (00 00 00 00 00 01), then onStatus {{level: \"status\", code: \"NetStream.Play.Start\"}} on message stream 1; you sent:\n  {all}\nSee README §Commands.");
        Assert.True(session.IsPlaying && !session.IsPublishing, $"After play, IsPlaying is true and IsPublishing false; got {session.IsPlaying}, {session.IsPublishing}. See README §Commands.");
    }

    [Theory(Timeout = 20000)]
    [InlineData("deleteStream")]
    [InlineData("closeStream")]
    [InlineData("FCUnpublish")]
    [InlineData("a disconnect")]
    [Trait("Milestone", Milestone)]
    public async Task A_publish_ends_on_deleteStream_closeStream_or_a_disconnect(string how)
    {
        // README §Commands: deleteStream and closeStream end a publish; §Session/§Replay: so does a publisher that disconnects.
        var writer = new ChunkWriter();
        var messages = new List<(int, RtmpMessage)>
        {
            (3, new RtmpCommand("connect", 1, new Amf0Object { { "app", "live" } }).ToMessage(0)),
            (3, new RtmpCommand("createStream", 2, null).ToMessage(0)),
            (8, new RtmpCommand("publish", 3, null, "test", "live").ToMessage(1)),
            (6, new RtmpMessage(9, 0, 1, Hex("17 01 000000 aabbcc"))),
        };
        if (how != "a disconnect")
        {
            messages.Add((3, new RtmpCommand(how, 4, null, 1.0).ToMessage(0)));
        }

        int ended = 0;
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var session = new RtmpSession(pair.Mine);
        session.PublishEnded = _ => { Interlocked.Increment(ref ended); return ValueTask.CompletedTask; };
        var run = session.RunAsync(Token);
        var pump = pair.Peer.CopyToAsync(Stream.Null, Token);
        await pair.Peer.WriteAsync(Write(writer, [.. messages]), Token);
        if (how != "a disconnect")
        {
            // The command itself ends the publish, while the connection is still open.
            using var limit = Deadline.After(Limit);
            while (Volatile.Read(ref ended) == 0 && !limit.IsCancellationRequested)
            {
                await Task.Delay(20, Token);
            }

            Assert.True(Volatile.Read(ref ended) == 1, $"{how} ends the publish at once (README §Commands): PublishEnded must be called while the connection is still open; it was not within {Limit.TotalSeconds} s.");
        }

        pair.Peer.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var error = await Record.ExceptionAsync(() => Deadline.Within(run, Limit, "your RtmpSession.RunAsync to finish after the client closed"));
        pair.Mine.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        await Deadline.Within(pump, Limit, "the session's replies to end");

        Assert.True(error is null, $"A publish ended by {how} is valid input; RunAsync threw {error?.GetType().Name}: {error?.Message}. See README §Commands.");
        Assert.True(ended == 1 && !session.IsPublishing,
            $"A publish ended by {how} calls PublishEnded exactly once (not again when the connection then closes) and leaves IsPublishing false; PublishEnded was called {ended} time(s), IsPublishing is {session.IsPublishing}. See README §Commands, §Session.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Commands_that_do_not_start_with_a_name_and_a_transaction_id_are_an_RtmpException()
    {
        // README §Commands: a command is a name (string) and a transaction id (number) first; §Errors: bad input is an RtmpException.
        foreach (var (message, what) in new[]
        {
            (new RtmpMessage(20, 0, 0, Array.Empty<byte>()), "an empty type-20 command"),
            (new RtmpMessage(17, 0, 0, Array.Empty<byte>()), "an empty type-17 command"),
            (new RtmpMessage(17, 0, 0, Hex("00")), "a type-17 command of only its format byte"),
            (new RtmpMessage(20, 0, 0, Amf0.Encode(1.0, "connect")), "a command starting with a number"),
            (new RtmpMessage(20, 0, 0, Amf0.Encode("connect")), "a command with a name and no transaction id"),
        })
        {
            var error = Record.Exception(() => RtmpCommand.Parse(message));
            Assert.True(error is RtmpException, $"{what} must be an RtmpException; got {error?.GetType().Name ?? "no exception"}: {error?.Message}. See README §Commands, §Errors.");
        }

        var none = Record.Exception(() => RtmpCommand.Parse(null!));
        Assert.True(none is ArgumentException, $"RtmpCommand.Parse(null) is a caller's bug: ArgumentException (ArgumentNullException); got {none?.GetType().Name ?? "no exception"}. See README §Errors.");
    }

    [Fact(Timeout = 20000)]
    [Trait("Milestone", Milestone)]
    public async Task Unknown_commands_AMF3_commands_and_pings_do_not_end_the_session()
    {
        var writer = new ChunkWriter();
        var bytes = Write(writer,
            (3, new RtmpMessage(20, 0, 0, Amf0.Encode("whatIsThis", 7.0, null, "x"))),
            (3, new RtmpMessage(17, 0, 0, (byte[])[0x00, .. Amf0.Encode("connect", 1.0, new Amf0Object { { "app", "live" } })])),
            (2, ProtocolControl.UserControl(new(UserControlEventType.PingRequest, 1234))));
        var (replies, _, session, error) = await ServeAsync(bytes);
        Assert.True(error is null, $"An unknown command is ignored, not fatal; RunAsync threw {error?.GetType().Name}: {error?.Message}. See README §Commands.");
        Assert.True(session.App == "live" && replies.Any(m => m.TypeId == 20 && RtmpCommand.Parse(m).Name == "_result"),
            $"A connect sent as an AMF3 command (type 17, a leading 0x00, then AMF0) must be answered like type 20; you sent: {string.Join("; ", replies.Select(Describe))}. See README §Commands.");
        Assert.True(replies.Any(m => m.TypeId == 4 && m.Payload.Span.SequenceEqual(Hex("0007 000004d2"))),
            $"A Ping Request (1234) is answered with a Ping Response 00 07 00 00 04 d2; you sent: {string.Join("; ", replies.Select(Describe))}. See README §User Control.");
    }

    [Fact(Timeout = 20000)]
    [Trait("Milestone", Milestone)]
    public async Task The_server_acknowledges_on_its_window()
    {
        var writer = new ChunkWriter();
        var messages = new List<(int, RtmpMessage)> { (2, ProtocolControl.WindowAcknowledgementSize(1000)) };
        for (int i = 0; i < 10; i++)
        {
            messages.Add((4, new RtmpMessage(8, (uint)(i * 23), 1, Pattern(100, i))));
        }

        var bytes = Write(writer, [.. messages]);
        var (replies, _, _, error) = await ServeAsync(bytes);
        Assert.True(error is null, $"A Window Acknowledgement Size and ten audio messages are valid input; RunAsync threw {error?.GetType().Name}: {error?.Message}. See README §Acknowledgement.");
        var acks = replies.Where(m => m.TypeId == 3).Select(m => ProtocolControl.ReadUInt32(m, "Acknowledgement")).ToList();
        Assert.True(acks.Count == 1 && acks[0] >= 1000 && acks[0] <= bytes.Length,
            $"The client set a window of 1000 and sent {bytes.Length} bytes: one Acknowledgement with the bytes received so far (1000..{bytes.Length}); you sent {acks.Count}: {string.Join(", ", acks)}. See README §Acknowledgement.");
    }

    [Theory(Timeout = 20000)]
    [InlineData("garbage", "garbage after the handshake")]
    [InlineData("bomb", "a connect whose command object nests 10 000 deep")]
    [InlineData("truncated", "a command with a truncated AMF0 value")]
    [InlineData("oversized", "a message longer than the bound")]
    [Trait("Milestone", Milestone)]
    public async Task Bad_input_ends_the_session_with_an_RtmpException(string kind, string what)
    {
        byte[] bytes = kind switch
        {
            "garbage" => Hex("47 4554202f20485454502f312e310d0a"), // "GET / HTTP/1.1" after the handshake: csid 7 type 1, never opened
            "bomb" => new ChunkWriter().Write(3, new RtmpMessage(20, 0, 0, (byte[])[.. Amf0.Encode("connect", 1.0), .. Enumerable.Repeat(Hex("03 0001 61"), 10000).SelectMany(b => b)])),
            "truncated" => new ChunkWriter().Write(3, new RtmpMessage(20, 0, 0, Hex("02 0007 636f6e6e656374 00 3ff000"))),
            _ => Hex("03 000000 7fffff 09 01000000"),
        };
        var options = new RtmpSessionOptions { MaxMessageLength = 1 << 20 };
        var (_, _, _, error) = await ServeAsync(bytes, options);
        Assert.True(error is RtmpException, $"{what}: RunAsync must end with an RtmpException; got {error?.GetType().Name ?? "no exception"}: {error?.Message}. See README §Errors.");
    }

    [Fact(Timeout = 20000)]
    [Trait("Milestone", Milestone)]
    public async Task A_client_that_stalls_is_an_RtmpException_after_the_idle_timeout()
    {
        var (_, _, _, error) = await ServeAsync(Hex("03 000000 000100 14 00000000 0200"), new RtmpSessionOptions { IdleTimeout = TimeSpan.FromMilliseconds(500) }, close: false);
        Assert.True(error is RtmpException, $"A client that sends half a chunk and then nothing must end the session with an RtmpException after IdleTimeout; got {error?.GetType().Name ?? "no exception"}: {error?.Message}. See README §Session.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_quiet_player_is_not_cut_by_the_idle_timeout()
    {
        // A player sends connect, createStream and play, then nothing: it waits for the media (README §Session).
        var idleTimeout = TimeSpan.FromMilliseconds(400);
        using var pair = await Loopback.ConnectedPairAsync(Token);
        var session = new RtmpSession(pair.Mine, new RtmpSessionOptions { IdleTimeout = idleTimeout });
        var run = session.RunAsync(Token);
        var writer = new ChunkWriter();
        var replies = new ChunkStreamReader(pair.Peer);
        await pair.Peer.WriteAsync(Write(writer,
            (3, new RtmpCommand("connect", 1, new Amf0Object { { "app", "live" } }).ToMessage(0)),
            (3, new RtmpCommand("createStream", 2, null).ToMessage(0)),
            (8, new RtmpCommand("play", 3, null, "test", -2000.0).ToMessage(1))), Token);
        var seen = new List<RtmpMessage>();
        using (var deadline = Deadline.After(Limit))
        {
            while (!seen.Any(m => m.TypeId == 20 && RtmpCommand.Parse(m) is { Name: "onStatus" } c && (c.Arguments.FirstOrDefault() as Amf0Object)?.GetString("code") == "NetStream.Play.Start"))
            {
                var message = await replies.ReadMessageAsync(deadline.Token)
                    ?? throw new Xunit.Sdk.XunitException($"The session closed before it answered play with onStatus NetStream.Play.Start; it sent: {string.Join("; ", seen.Select(Describe))}. RunAsync: {(run.IsFaulted ? run.Exception!.InnerException!.Message : "still running")}. See README §Commands.");
                seen.Add(message);
            }
        }

        // Silence for five idle timeouts: a player that waits for a publisher (or plays a quiet stream) sends nothing.
        var quiet = TimeSpan.FromTicks(idleTimeout.Ticks * 5);
        await Task.WhenAny(run, Task.Delay(quiet, Token));
        Assert.False(run.IsCompleted,
            $"After play, the client sent nothing for {quiet.TotalSeconds:0.#} s (IdleTimeout {idleTimeout.TotalSeconds:0.#} s) and your session ended: {(run.IsFaulted ? $"{run.Exception!.InnerException!.GetType().Name}: {run.Exception.InnerException.Message}" : "RunAsync returned")}. A player only receives: it must never be cut for being quiet. See README §Session (the idle timeout).");

        // Still served: a Ping Request is answered.
        await pair.Peer.WriteAsync(writer.Write(2, ProtocolControl.UserControl(new(UserControlEventType.PingRequest, 4242))), Token);
        using (var deadline = Deadline.After(Limit))
        {
            while (true)
            {
                var message = await replies.ReadMessageAsync(deadline.Token)
                    ?? throw new Xunit.Sdk.XunitException("The session closed instead of answering the quiet player's Ping Request. See README §Session.");
                if (message.TypeId == 4 && message.Payload.Span.SequenceEqual(Hex("0007 00001092")))
                {
                    break;
                }
            }
        }

        pair.Peer.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var error = await Record.ExceptionAsync(() => Deadline.Within(run, Limit, "your RtmpSession.RunAsync to return after the player closed"));
        Assert.True(error is null, $"When the player closes the connection between messages, RunAsync returns; it threw {error?.GetType().Name}: {error?.Message}. See README §Session.");
    }
}
