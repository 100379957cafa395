using System.Text;
using static Lab02.RtmpChunks.Tests.Bytes;

namespace Lab02.RtmpChunks.Tests;

/// <summary>
/// M5: your RtmpServer with real clients: ffmpeg publishes testdata/clip-2s.flv into it and another ffmpeg
/// plays it back; ffprobe on the clip and on what the player recorded is the oracle.
/// </summary>
public class M5ServerTests
{
    private const string Milestone = "M5 ingest server";

    /// <summary>How many frames (per stream) the player's recording may miss compared with the clip.</summary>
    private const int FrameTolerance = 1;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static bool IsStatus(RtmpMessage m, string code) =>
        m.TypeId == 20 && RtmpCommand.Parse(m) is { Name: "onStatus" } c && (c.Arguments.FirstOrDefault() as Amf0Object)?.GetString("code") == code;

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Ffmpeg_publishes_into_your_server_and_a_real_ffmpeg_plays_it_back()
    {
        await using var server = new RtmpServer();
        var watch = new ServerWatch(server);
        server.Start();
        var folder = Directory.CreateTempSubdirectory("lab02-play-");
        try
        {
            string recorded = Path.Combine(folder.FullName, "out.flv");
            await using var player = Ffmpeg.Play(server.Port, recorded);
            await Ffmpeg.ExplainAsync(player, () => Deadline.Within(watch.Played.Task, Ffmpeg.Limit, "ffmpeg's play to reach your server (RtmpServer.PlayStarted)"));
            await using var publisher = Ffmpeg.Publish(server.Port);
            var published = await publisher.WaitAsync(Ffmpeg.Limit, Token);
            Assert.True(published.ExitCode == 0 && !published.TimedOut,
                $"ffmpeg must publish the whole clip into your server and exit 0; it exited {published.ExitCode}{(published.TimedOut ? " (killed after the time limit)" : "")}:\n{published.ErrorTail()}\nSee README §Server.");
            var played = await player.WaitAsync(TimeSpan.FromSeconds(10), Token);
            Assert.True(played.ExitCode == 0 && !played.TimedOut,
                $"When the publisher ends, your server tells each player (User Control Stream EOF, onStatus NetStream.Play.UnpublishNotify) and ffmpeg the player then ends by itself; it {(played.TimedOut ? "was still waiting 10 s later" : $"exited {played.ExitCode}")}:\n{played.ErrorTail()}\nSee README §Replay.");

            var clip = await Ffmpeg.ProbeAsync(Repo.TestData("clip-2s.flv"));
            var got = await Ffmpeg.ProbeAsync(recorded);
            foreach (var expected in clip)
            {
                string codec = expected["codec_name"];
                var stream = got.FirstOrDefault(s => s.GetValueOrDefault("codec_name") == codec);
                Assert.True(stream is not null, $"ffprobe finds a {codec} stream in the clip but not in what the player recorded (streams: {string.Join(", ", got.Select(s => s.GetValueOrDefault("codec_name")))}). Did the player get the sequence headers? See README §Replay.");
                if (expected.TryGetValue("width", out var width))
                {
                    Assert.True(stream["width"] == width && stream["height"] == expected["height"], $"The recorded {codec} stream must be {width}×{expected["height"]} as the clip; ffprobe says {stream["width"]}×{stream["height"]}. See README §Replay.");
                }

                int want = int.Parse(expected["nb_read_packets"], System.Globalization.CultureInfo.InvariantCulture), have = int.Parse(stream["nb_read_packets"], System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(have >= want - FrameTolerance && have <= want,
                    $"The clip has {want} {codec} frames (ffprobe); the player recorded {have}. Every frame published must reach the player (tolerance {FrameTolerance}). See README §Replay.");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Ffmpeg_adopts_your_Set_Chunk_Size_and_every_frame_arrives_intact()
    {
        const int chunkSize = 1000; // not ffmpeg's own 128 or 4096: if ffmpeg sends chunks of 1000, it took ours
        await using var server = new RtmpServer(new RtmpServerOptions { Session = new RtmpSessionOptions { ChunkSize = chunkSize } });
        var watch = new ServerWatch(server);
        server.Start();
        await using var publisher = Ffmpeg.Publish(server.Port);
        var published = await publisher.WaitAsync(Ffmpeg.Limit, Token);
        Assert.True(published.ExitCode == 0 && !published.TimedOut, $"ffmpeg must publish the clip into your server and exit 0; it exited {published.ExitCode}:\n{published.ErrorTail()}\nSee README §Server.");

        var messages = watch.Messages.Select(m => m.Message).ToList();
        var echo = messages.FirstOrDefault(m => m.TypeId == 1);
        Assert.True(echo is not null && ProtocolControl.ReadSetChunkSize(echo) == chunkSize,
            $"After your Set Chunk Size {chunkSize}, ffmpeg echoes it and publishes in chunks of {chunkSize}; it sent {(echo is null ? "no Set Chunk Size" : "Set Chunk Size " + ProtocolControl.ReadSetChunkSize(echo))}. Does your session send Set Chunk Size with RtmpSessionOptions.ChunkSize? See README §Set Chunk Size.");

        // Every audio and video frame against ffprobe's list of the clip's packets: order, timestamp, bytes.
        var clip = ClipPacket.All();
        var media = messages.Where(m => m.TypeId is 8 or 9 && !FlvTagIsHeader(m)).ToList();
        foreach (string type in new[] { "video", "audio" })
        {
            var want = clip.Where(p => p.CodecType == type).ToList();
            var have = media.Where(m => m.TypeId == (type == "video" ? 9 : 8)).ToList();
            if (type == "video")
            {
                have = [.. have.Where(m => m.Payload.Span[1] == 1)]; // AVCPacketType 1: a frame (ffmpeg ends with an end-of-sequence, type 2)
            }

            Assert.True(have.Count == want.Count, $"ffmpeg published {want.Count} {type} frames (ffprobe's count of the clip); your server received {have.Count}. See README §Server.");
            for (int i = 0; i < want.Count; i++)
            {
                Assert.True(have[i].Timestamp == want[i].Dts && ClipPacket.Md5Of(ClipPacket.CodecData(have[i])) == want[i].Md5,
                    $"{type} frame {i}: ffprobe says dts {want[i].Dts} ms, {want[i].Size} bytes, MD5 {want[i].Md5}; your server received timestamp {have[i].Timestamp}, {ClipPacket.CodecData(have[i]).Length} bytes, MD5 {ClipPacket.Md5Of(ClipPacket.CodecData(have[i]))}. See README §Reassembly.");
            }
        }

        var extradata = ClipPacket.ExtradataMd5();
        var videoHeader = messages.FirstOrDefault(m => m.TypeId == 9 && FlvTagIsHeader(m));
        var audioHeader = messages.FirstOrDefault(m => m.TypeId == 8 && FlvTagIsHeader(m));
        Assert.True(videoHeader is not null && ClipPacket.Md5Of(ClipPacket.CodecData(videoHeader)) == extradata["video"]
            && audioHeader is not null && ClipPacket.Md5Of(ClipPacket.CodecData(audioHeader)) == extradata["audio"],
            "The AVC and AAC sequence headers ffmpeg publishes carry the clip's extradata (MD5s in testdata/02-rtmp-chunks/clip-2s.streams.txt); yours are missing or differ. See README §Replay.");
    }

    /// <summary>An FLV sequence header by the FLV spec's bytes (§E.4.2.1, §E.4.3.1): AVC (codec 7) or AAC (format 10) with packet type 0.</summary>
    private static bool FlvTagIsHeader(RtmpMessage m) =>
        m.Payload.Length >= 2 && m.Payload.Span[1] == 0 && (m.TypeId == 9 ? (m.Payload.Span[0] & 0x0F) == 7 : m.Payload.Span[0] >> 4 == 10);

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_late_player_gets_metadata_and_sequence_headers_then_media_from_a_keyframe()
    {
        await using var server = new RtmpServer();
        var watch = new ServerWatch(server);
        server.Start();

        // A publisher replays what ffmpeg sent (testdata/02-rtmp-chunks), three quarters of it for now:
        // the second GOP (keyframe at 1000 ms) has begun.
        var capture = Capture("ffmpeg-publish.c2s.bin");
        int cut = capture.Length * 3 / 4;
        using var publisher = await ScriptedClient.ConnectAsync(server.Port);
        await publisher.HandshakeAsync();
        await publisher.Stream.WriteAsync(capture.AsMemory(0, cut), Token);
        using (var seen = Deadline.After(TimeSpan.FromSeconds(10)))
        {
            while (!watch.Media.Any(m => m.TypeId == 9 && m.Timestamp >= 1200))
            {
                Assert.False(seen.IsCancellationRequested, $"Your server did not receive the publisher's video up to 1200 ms within 10 s (it received {watch.Media.Count} audio/video messages). See README §Server.");
                await Task.Delay(20, Token); // the server reads on its own task
            }
        }

        using var player = await ScriptedClient.ConnectAsync(server.Port);
        await player.HandshakeAsync();
        await player.SendAsync(3, new RtmpCommand("connect", 1, new Amf0Object { { "app", "live" }, { "tcUrl", Ffmpeg.Url(server.Port)[..^5] } }).ToMessage(0));
        await player.SendAsync(3, new RtmpCommand("createStream", 2, null).ToMessage(0));
        var created = await player.ReadUntilAsync(m => m.TypeId == 20 && RtmpCommand.Parse(m) is { Name: "_result", TransactionId: 2 }, Deadline.Step, "_result to createStream");
        uint streamId = (uint)(double)RtmpCommand.Parse(created[^1]).Arguments[0]!;
        await player.SendAsync(8, new RtmpCommand("play", 3, null, "test", -2000.0).ToMessage(streamId));
        await player.ReadUntilAsync(m => IsStatus(m, "NetStream.Play.Start"), Deadline.Step, "onStatus NetStream.Play.Start");
        var first = (await player.ReadUntilAsync(m => m.TypeId is 8 or 9 && !FlvTagIsHeader(m), Deadline.Step, "the first audio or video frame"))
            .Where(m => m.TypeId is 8 or 9 or 18).ToList();

        string got = string.Join("\n  ", first.Select(Describe));
        var extradata = ClipPacket.ExtradataMd5();
        Assert.True(first.Count == 4, $"A player that joins a running stream first gets 3 messages — the onMetaData data message and the AVC and AAC sequence headers — then the frames; before the first frame you sent {first.Count - 1}:\n  {got}\nSee README §Replay.");
        Assert.True(first[0].TypeId == 18 && Amf0.DecodeAll(first[0].Payload.Span) is [string name, Amf0EcmaArray meta] && name == "onMetaData" && meta.GetNumber("width") == 320,
            $"The first is the metadata as data message 18 (\"onMetaData\", {{width: 320, ...}}), \"@setDataFrame\" removed; you sent:\n  {got}\nSee README §Replay.");
        Assert.True(first[1].TypeId == 9 && ClipPacket.Md5Of(ClipPacket.CodecData(first[1])) == extradata["video"] && first[2].TypeId == 8 && ClipPacket.Md5Of(ClipPacket.CodecData(first[2])) == extradata["audio"],
            $"Then the AVC sequence header (its body is the clip's extradata, MD5 {extradata["video"]}) and the AAC one ({extradata["audio"]}); you sent:\n  {got}\nSee README §Replay.");
        var keyframe = ClipPacket.All().Single(p => p.CodecType == "video" && p.Key && p.Dts == 1000);
        Assert.True(first[3].TypeId == 9 && first[3].Timestamp == 1000 && ClipPacket.Md5Of(ClipPacket.CodecData(first[3])) == keyframe.Md5,
            $"The first frame is the keyframe that began the current GOP (1000 ms, MD5 {keyframe.Md5}): a decoder cannot start anywhere else; you sent {Describe(first[3])}. See README §Replay (GOP cache).");
        Assert.True(first.All(m => m.MessageStreamId == streamId), $"Media goes to the player on its message stream {streamId} (createStream's answer); you sent:\n  {got}\nSee README §Replay.");

        // The rest of the publish, to its end: every later video frame reaches the player, then Stream EOF and UnpublishNotify.
        await publisher.Stream.WriteAsync(capture.AsMemory(cut), Token);
        var rest = await player.ReadUntilAsync(m => IsStatus(m, "NetStream.Play.UnpublishNotify"), TimeSpan.FromSeconds(10), "onStatus NetStream.Play.UnpublishNotify after the publisher's FCUnpublish and deleteStream");
        var frames = first.Skip(3).Concat(rest).Where(m => m.TypeId == 9 && m.Payload.Span[1] == 1).ToList();
        var want = ClipPacket.All().Where(p => p.CodecType == "video" && p.Dts >= 1000).ToList();
        Assert.True(frames.Select(m => (m.Timestamp, ClipPacket.Md5Of(ClipPacket.CodecData(m)))).SequenceEqual(want.Select(p => (p.Dts, p.Md5))),
            $"From the keyframe on, the player must get every video frame the publisher sent, in order: {want.Count} frames, 1000 to {want[^1].Dts} ms; it got {frames.Count}: {string.Join(",", frames.Select(m => m.Timestamp))}. See README §Replay.");
        Assert.True(rest.Any(m => m.TypeId == 4 && m.Payload.Span[..2].SequenceEqual(Hex("0001"))),
            $"Before NetStream.Play.UnpublishNotify the player gets User Control Stream EOF (event 1) for its stream. See README §Replay.");
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Garbage_from_one_client_ends_only_that_client_while_ffmpeg_publishes()
    {
        await using var server = new RtmpServer();
        var watch = new ServerWatch(server);
        server.Start();
        using var bad = await ScriptedClient.ConnectAsync(server.Port);
        await bad.HandshakeAsync();
        var badEnded = watch.EndOf(bad.Tcp);
        await bad.Stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), Token);

        await using var publisher = Ffmpeg.Publish(server.Port);
        var ended = await Ffmpeg.ExplainAsync(publisher, () => Deadline.Within(badEnded, Deadline.Step, $"your server to end the connection that sent \"GET / HTTP/1.1\" after the handshake (ConnectionEnded); the connections that ended: {watch.Ended}"));
        Assert.True(ended.Error is RtmpException, $"Garbage after the handshake ends that connection with an RtmpException; ConnectionEnded reported {ended.Error?.GetType().Name ?? "no error"}: {ended.Error?.Message}. See README §Errors.");
        int read = await Deadline.Within(bad.Stream.ReadAsync(new byte[256], Token).AsTask(), Deadline.Step, "your server to close the bad client's socket");
        Assert.True(read == 0, $"After the error your server must close the bad client's socket; it sent {read} more bytes instead. See README §Server.");

        var published = await publisher.WaitAsync(Ffmpeg.Limit, Token);
        int frames = watch.Media.Count(m => m.TypeId == 9 && m.Payload.Span[1] == 1);
        Assert.True(published.ExitCode == 0 && frames == 50,
            $"Meanwhile ffmpeg publishes the whole clip (50 video frames) and exits 0; it exited {published.ExitCode} and your server received {frames} frames:\n{published.ErrorTail()}\nSee README §Server.");
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task A_client_that_stalls_in_the_handshake_does_not_block_ffmpeg()
    {
        var handshakeTimeout = TimeSpan.FromSeconds(6);
        await using var server = new RtmpServer(new RtmpServerOptions { HandshakeTimeout = handshakeTimeout });
        var watch = new ServerWatch(server);
        server.Start();
        using var stalled = await ScriptedClient.ConnectAsync(server.Port);
        var stalledEnded = watch.EndOf(stalled.Tcp);
        await stalled.Stream.WriteAsync((byte[])[3, .. new byte[100]], Token); // C0 and 100 of C1's 1536 bytes, then nothing

        await using var publisher = Ffmpeg.Publish(server.Port);
        await Ffmpeg.ExplainAsync(publisher, () => Deadline.Within(watch.Published.Task, Ffmpeg.Limit, "ffmpeg's publish to start (RtmpServer.PublishStarted)"));
        Assert.False(watch.HasEnded(stalled.Tcp),
            $"ffmpeg could publish only after the stalled client was dropped: your server serves one client at a time. Serve each accepted client in its own task (README §Server).");
        var published = await publisher.WaitAsync(Ffmpeg.Limit, Token);
        Assert.True(published.ExitCode == 0, $"ffmpeg must publish the clip and exit 0 while another client stalls; it exited {published.ExitCode}:\n{published.ErrorTail()}\nSee README §Server.");

        var ended = await Deadline.Within(stalledEnded, handshakeTimeout + Deadline.Step, $"your server to drop the client that stalled in the handshake (HandshakeTimeout {handshakeTimeout.TotalSeconds} s); the connections that ended: {watch.Ended}");
        Assert.True(ended.Error is not null && ended.Session is null, $"The stalled client ends with an error and no session (it never finished the handshake); ConnectionEnded reported {ended.Error?.GetType().Name ?? "no error"} and {(ended.Session is null ? "no session" : "a session")}. See README §Server.");
        int read = await Deadline.Within(stalled.Stream.ReadAsync(new byte[4096], Token).AsTask(), Deadline.Step, "your server to close the stalled client's socket");
        Assert.True(read == 0, $"Your server must close the stalled client's socket; it sent {read} bytes instead. See README §Server.");
    }

    /// <summary>
    /// Checks what a player recorded against the clip played <paramref name="plays"/> times: every h264 and aac
    /// frame (ffprobe's counts, within <see cref="FrameTolerance"/>).
    /// </summary>
    private static async Task AssertRecordedAsync(string recorded, int plays, string context)
    {
        var clip = await Ffmpeg.ProbeAsync(Repo.TestData("clip-2s.flv"));
        var got = await Ffmpeg.ProbeAsync(recorded);
        foreach (var expected in clip)
        {
            string codec = expected["codec_name"];
            var stream = got.FirstOrDefault(s => s.GetValueOrDefault("codec_name") == codec);
            Assert.True(stream is not null, $"{context}: ffprobe finds no {codec} stream in what the player recorded (streams: {string.Join(", ", got.Select(s => s.GetValueOrDefault("codec_name")))}). See README §Session, §Replay.");
            int want = plays * int.Parse(expected["nb_read_packets"], System.Globalization.CultureInfo.InvariantCulture);
            int have = int.Parse(stream["nb_read_packets"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(have >= want - FrameTolerance && have <= want,
                $"{context}: the publisher sent {want} {codec} frames ({plays} × the clip's {want / plays}, ffprobe); the player recorded {have} (tolerance {FrameTolerance}). A player that was cut records fewer. See README §Session (the idle timeout).");
        }
    }

    [Fact(Timeout = 90000)]
    [Trait("Milestone", Milestone)]
    public async Task A_quiet_ffmpeg_player_of_a_low_bitrate_stream_plays_past_the_idle_timeout()
    {
        // 1.5 s instead of 30 s, so that the stream (3 × the 2 s clip at about 310 kbit/s) lasts four idle
        // timeouts. ffmpeg as a player sends nothing after play: its first Acknowledgement would come after
        // 1.25 MB, and the stream is 230 kB.
        var idleTimeout = TimeSpan.FromSeconds(1.5);
        const int plays = 3;
        await using var server = new RtmpServer(new RtmpServerOptions { Session = new RtmpSessionOptions { IdleTimeout = idleTimeout } });
        var watch = new ServerWatch(server);
        server.Start();
        var folder = Directory.CreateTempSubdirectory("lab02-quiet-");
        try
        {
            string recorded = Path.Combine(folder.FullName, "out.flv");
            await using var player = Ffmpeg.Play(server.Port, recorded);
            await Ffmpeg.ExplainAsync(player, () => Deadline.Within(watch.Played.Task, Ffmpeg.Limit, "ffmpeg's play to reach your server (RtmpServer.PlayStarted)"));
            await using var publisher = Ffmpeg.PublishLooped(server.Port, plays);
            var published = await publisher.WaitAsync(Ffmpeg.Limit + TimeSpan.FromSeconds(2 * plays), Token);
            Assert.True(published.ExitCode == 0 && !published.TimedOut,
                $"ffmpeg must publish the clip {plays} times into your server (IdleTimeout {idleTimeout.TotalSeconds} s) and exit 0; it exited {published.ExitCode}{(published.TimedOut ? " (killed after the time limit)" : "")}:\n{published.ErrorTail()}\nThe connections that ended: {watch.Ended}. See README §Session.");
            var played = await player.WaitAsync(TimeSpan.FromSeconds(10), Token);
            Assert.True(played.ExitCode == 0 && !played.TimedOut,
                $"The quiet player must play the whole {2 * plays} s stream and end by itself on UnpublishNotify; it {(played.TimedOut ? "was still waiting 10 s after the publisher ended" : $"exited {played.ExitCode}")}:\n{played.ErrorTail()}\nThe connections that ended: {watch.Ended}. A player is never cut for being quiet (IdleTimeout {idleTimeout.TotalSeconds} s): see README §Session.");
            await AssertRecordedAsync(recorded, plays, $"A quiet player of a {2 * plays} s stream, IdleTimeout {idleTimeout.TotalSeconds} s");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact(Timeout = 90000)]
    [Trait("Milestone", Milestone)]
    public async Task A_player_that_waits_longer_than_the_idle_timeout_for_the_publisher_gets_the_stream()
    {
        var idleTimeout = TimeSpan.FromSeconds(1);
        await using var server = new RtmpServer(new RtmpServerOptions { Session = new RtmpSessionOptions { IdleTimeout = idleTimeout } });
        var watch = new ServerWatch(server);
        server.Start();
        var folder = Directory.CreateTempSubdirectory("lab02-wait-");
        try
        {
            string recorded = Path.Combine(folder.FullName, "out.flv");
            await using var player = Ffmpeg.Play(server.Port, recorded);
            await Ffmpeg.ExplainAsync(player, () => Deadline.Within(watch.Played.Task, Ffmpeg.Limit, "ffmpeg's play to reach your server (RtmpServer.PlayStarted)"));

            // Nobody publishes for three idle timeouts: the player waits, sending nothing (README §Replay).
            var wait = TimeSpan.FromTicks(idleTimeout.Ticks * 3);
            await Task.Delay(wait, Token);
            Assert.True(watch.Ended == "none",
                $"A player waited {wait.TotalSeconds:0.#} s for a publisher (IdleTimeout {idleTimeout.TotalSeconds} s) and your server ended its connection: {watch.Ended}. A player that waits for a publisher is never cut for being quiet: see README §Session, §Replay.");

            await using var publisher = Ffmpeg.Publish(server.Port);
            var published = await publisher.WaitAsync(Ffmpeg.Limit, Token);
            Assert.True(published.ExitCode == 0 && !published.TimedOut,
                $"ffmpeg must publish the clip into your server and exit 0; it exited {published.ExitCode}{(published.TimedOut ? " (killed after the time limit)" : "")}:\n{published.ErrorTail()}\nSee README §Server.");
            var played = await player.WaitAsync(TimeSpan.FromSeconds(10), Token);
            Assert.True(played.ExitCode == 0 && !played.TimedOut,
                $"The player that waited must get the stream and end by itself on UnpublishNotify; it {(played.TimedOut ? "was still waiting 10 s after the publisher ended" : $"exited {played.ExitCode}")}:\n{played.ErrorTail()}\nThe connections that ended: {watch.Ended}. See README §Session, §Replay.");
            await AssertRecordedAsync(recorded, 1, $"A player that waited {wait.TotalSeconds:0.#} s for the publisher (IdleTimeout {idleTimeout.TotalSeconds} s)");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Silent_clients_that_never_play_are_closed_after_the_idle_timeout()
    {
        var idleTimeout = TimeSpan.FromSeconds(1);
        await using var server = new RtmpServer(new RtmpServerOptions { Session = new RtmpSessionOptions { IdleTimeout = idleTimeout } });
        var watch = new ServerWatch(server);
        server.Start();

        // One client connects and creates a stream, another also publishes; then both fall silent.
        using var idle = await ScriptedClient.ConnectAsync(server.Port);
        using var stalled = await ScriptedClient.ConnectAsync(server.Port);
        var idleEnded = watch.EndOf(idle.Tcp);
        var stalledEnded = watch.EndOf(stalled.Tcp);
        foreach (var client in new[] { idle, stalled })
        {
            await client.HandshakeAsync();
            await client.SendAsync(3, new RtmpCommand("connect", 1, new Amf0Object { { "app", "live" }, { "tcUrl", Ffmpeg.Url(server.Port)[..^5] } }).ToMessage(0));
            await client.SendAsync(3, new RtmpCommand("createStream", 2, null).ToMessage(0));
            await client.ReadUntilAsync(m => m.TypeId == 20 && RtmpCommand.Parse(m) is { Name: "_result", TransactionId: 2 }, Deadline.Step, "_result to createStream");
        }

        await stalled.SendAsync(8, new RtmpCommand("publish", 3, null, "test", "live").ToMessage(1));
        await stalled.ReadUntilAsync(m => IsStatus(m, "NetStream.Publish.Start"), Deadline.Step, "onStatus NetStream.Publish.Start");

        foreach (var (client, ended, who) in new[] { (idle, idleEnded, "a client that connected and created a stream but never published or played"), (stalled, stalledEnded, "a publisher that stopped sending") })
        {
            var end = await Deadline.Within(ended, idleTimeout + Deadline.Step, $"your server to close {who} after IdleTimeout ({idleTimeout.TotalSeconds} s); the connections that ended: {watch.Ended}. See README §Session (the idle timeout)");
            Assert.True(end.Error is RtmpException && end.Session is not null,
                $"{who} ends with an RtmpException from its session after IdleTimeout; ConnectionEnded reported {end.Error?.GetType().Name ?? "no error"}: {end.Error?.Message}. See README §Session.");
            var next = await Deadline.Within(client.Reader.ReadMessageAsync(Token).AsTask(), Deadline.Step, $"your server to close the socket of {who}");
            Assert.True(next is null, $"After the idle timeout your server must close the socket of {who}; it sent {(next is null ? "nothing" : Describe(next))} instead. See README §Server.");
        }
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Try_tool_logs_every_message_of_an_ffmpeg_publish()
    {
        int port = Loopback.FreePort();
        var output = new StringWriter();
        var tool = RtmpTryTool.RunAsync(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--once"], output, Token);
        // No sleep: RunAsync reaches its first real wait only after RtmpServer.Start(), which listens before it
        // returns (it sets Port from the bound listener, README §Server), so ffmpeg can connect at once.
        if (tool.IsCompleted)
        {
            int early = await tool;
            Assert.Fail($"`workbook try 02 --port {port} --once` ended (exit {early}) before any client connected:\n{output}\nSee README §Try it.");
        }

        await using var publisher = Ffmpeg.Publish(port);
        int exit = await Ffmpeg.ExplainAsync(publisher, () => Deadline.Within(tool, Ffmpeg.Limit, "`workbook try 02 --once` to report one ffmpeg publish and end"));
        string text = output.ToString();
        var lines = text.Split('\n');
        Assert.True(exit == 0, $"The try tool must exit 0 after one ffmpeg publish (--once); it exited with {exit}:\n{text}\nSee README §Try it.");
        Assert.True(lines.Any(l => l.Contains("connect(1", StringComparison.Ordinal) && l.Contains("app: \"live\"", StringComparison.Ordinal) && l.Contains("csid=3", StringComparison.Ordinal)),
            $"The log must show ffmpeg's connect decoded from AMF0 (connect(1, {{app: \"live\", ...}})) with its chunk stream (csid=3); it was:\n{text}\nSee README §Try it.");
        Assert.True(lines.Any(l => l.Contains("publish(", StringComparison.Ordinal) && l.Contains("\"test\"", StringComparison.Ordinal)),
            $"The log must show the publish command (publish(5, null, \"test\", \"live\")); it was:\n{text}\nSee README §Try it.");
        int video = lines.Count(l => l.Contains("Video", StringComparison.Ordinal) && l.Contains("ts=", StringComparison.Ordinal) && l.Contains("len=", StringComparison.Ordinal));
        Assert.True(video >= 51, $"The log must have a line per video message (chunk stream, type, timestamp, size): 51 or more (a sequence header and 50 frames); it has {video}:\n{text}\nSee README §Try it.");
    }
}
