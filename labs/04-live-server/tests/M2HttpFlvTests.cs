using System.Text;

namespace Lab04.LiveServer.Tests;

/// <summary>
/// M2: HTTP-FLV fan-out. Raw HTTP clients read the response as RFC 9112 and the FLV specification say;
/// ffprobe reads the live URL; Chromium plays it with mpegts.js. The GOP cache is off here (it is M3).
/// </summary>
public class M2HttpFlvTests
{
    private const string Milestone = "M2 HTTP-FLV fan-out";

    private static readonly LiveServerOptions NoGopCache = new() { GopCache = false };

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_live_tag_is_the_flv_tag_of_the_rtmp_message()
    {
        // FLV §E.4.1: TagType 9, DataSize 6, Timestamp 0x020304 + TimestampExtended 0x01, StreamID 0, the data, PreviousTagSize 17.
        byte[] payload = [0x17, 0x01, 0x00, 0x00, 0x00, 0xAA];
        var tag = LiveTag.FromMessage(new Lab02.RtmpChunks.RtmpMessage(9, 0x01020304, 1, payload));
        byte[] expected = [0x09, 0x00, 0x00, 0x06, 0x02, 0x03, 0x04, 0x01, 0x00, 0x00, 0x00, .. payload, 0x00, 0x00, 0x00, 0x11];
        HexDiff.AssertEqual(expected, tag.Bytes, "LiveTag.Bytes: tag header, data, PreviousTagSize (README §HTTP-FLV)");
        Assert.True(tag.IsKeyFrame && !tag.IsSequenceHeader, "0x17 0x01 is an AVC keyframe NALU, not a sequence header (FLV §E.4.3.1).");

        var audio = LiveTag.FromMessage(new Lab02.RtmpChunks.RtmpMessage(8, 5, 1, new byte[] { 0xAF, 0x00, 0x12, 0x10 }));
        HexDiff.AssertEqual(new byte[] { 0x08, 0x00, 0x00, 0x04, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0xAF, 0x00, 0x12, 0x10, 0x00, 0x00, 0x00, 0x0F }, audio.Bytes, "an AAC sequence header tag");
        Assert.True(audio.IsSequenceHeader && !audio.IsKeyFrame, "0xAF 0x00 is the AAC sequence header (FLV §E.4.2.1).");

        Assert.Throws<ArgumentException>(() => LiveTag.FromMessage(new Lab02.RtmpChunks.RtmpMessage(20, 0, 0, new byte[] { 2, 0, 1, 0x61 })));

        // DataSize is a UI24 (§E.4.1): 16 777 215 bytes of data fit, one more does not.
        var largest = LiveTag.FromMessage(new Lab02.RtmpChunks.RtmpMessage(9, 0, 1, new byte[0xFFFFFF]));
        Assert.True(largest.DataSize == 0xFFFFFF, $"A message of 16 777 215 bytes (the largest UI24) is a tag with DataSize 0xFFFFFF; yours says {largest.DataSize}. See README §HTTP-FLV.");
        Assert.Throws<ArgumentException>(() => LiveTag.FromMessage(new Lab02.RtmpChunks.RtmpMessage(9, 0, 1, new byte[0x1000000])));
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task Http_flv_is_chunked_flv_with_cors_then_the_headers_then_a_keyframe_at_timestamp_0()
    {
        await using var server = new LiveServer(NoGopCache);
        server.Start();
        var tags = Clip.Tags();
        int key2 = Publishing.SecondKeyFrame(tags);

        await using var publisher = await Publishing.StartAsync(server.RtmpPort);
        await Publishing.SendAsync(publisher, tags.Take(key2 - 3)); // into the first GOP
        await Publishing.TakenAsync(server, key2 - 3);

        await using var client = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv", origin: "http://example.org");
        await client.ReadHeadAsync(TimeSpan.FromSeconds(10));
        Assert.True(client.Status == 200, $"GET /live/test.flv of a live stream must answer 200; yours answered {client.Status}. See README §HTTP-FLV.");
        foreach (var (name, value) in new[] { ("Content-Type", "video/x-flv"), ("Transfer-Encoding", "chunked"), ("Access-Control-Allow-Origin", "*") })
        {
            Assert.True(string.Equals(client.Headers.GetValueOrDefault(name), value, StringComparison.OrdinalIgnoreCase),
                $"The response must have \"{name}: {value}\"; yours has {(client.Headers.TryGetValue(name, out var v) ? $"\"{name}: {v}\"" : "none")}. See README §HTTP-FLV.");
        }

        await Publishing.SubscribersAsync(server, 1);
        await Publishing.SendAsync(publisher, tags.Skip(key2 - 3));

        var header = await client.ReadFlvHeaderAsync(TimeSpan.FromSeconds(10));
        HexDiff.AssertEqual(new byte[] { (byte)'F', (byte)'L', (byte)'V', 1, 0x05, 0, 0, 0, 9, 0, 0, 0, 0 }, header,
            "the FLV header (signature, version 1, audio and video flags, DataOffset 9) and PreviousTagSize0 (FLV §E.2, README §HTTP-FLV)");

        var first = await Publishing.ReadTagsAsync(client, 3, "onMetaData and the two sequence headers");
        Assert.True(first[0].Type == 18 && first[0].Data.AsSpan().StartsWith("\x02\x00\x0AonMetaData"u8),
            $"The first tag must be the script tag onMetaData; it is {first[0]}. See README §HTTP-FLV.");
        Assert.True(first[1].Type == 9 && first[1].Data.AsSpan().SequenceEqual(tags.First(t => t.Type == 9 && t.IsSequenceHeader).Data),
            $"The second tag must be the publisher's AVC sequence header; it is {first[1]}. See README §HTTP-FLV.");
        Assert.True(first[2].Type == 8 && first[2].Data.AsSpan().SequenceEqual(tags.First(t => t.Type == 8 && t.IsSequenceHeader).Data),
            $"The third tag must be the publisher's AAC sequence header; it is {first[2]}. See README §HTTP-FLV.");
        Assert.True(first.All(t => t.Timestamp == 0), $"Metadata and sequence headers come at timestamp 0; yours: {string.Join(", ", first.Select(t => t.Timestamp))}. See README §Timestamps.");

        // Without the GOP cache, a subscriber that joins mid-GOP starts at the next keyframe, rebased to 0.
        var expected = tags.Skip(key2).Where(t => t.IsFrame).ToList();
        var media = await Publishing.ReadTagsAsync(client, expected.Count, "every frame from the next keyframe on");
        Assert.True(media[0].IsKeyFrame && media[0].Data.AsSpan().SequenceEqual(tags[key2].Data),
            $"A subscriber must start at a keyframe: the first frame it gets is the publisher's next keyframe (clip DTS 1000); yours is {media[0]}. See README §HTTP-FLV.");
        uint base0 = tags[key2].Timestamp;
        for (int i = 0; i < expected.Count; i++)
        {
            uint want = expected[i].Timestamp >= base0 ? expected[i].Timestamp - base0 : 0;
            Assert.True(media[i].Type == expected[i].Type && media[i].Data.AsSpan().SequenceEqual(expected[i].Data),
                $"Frame {i} after the start must be the publisher's next frame ({(expected[i].Type == 9 ? "video" : "audio")}, {expected[i].Data.Length} bytes); yours is {media[i]}. Every tag reaches every subscriber, in order. See README §Fan-out.");
            Assert.True(media[i].Timestamp == want,
                $"Timestamps are rebased so the subscriber starts at 0: the publisher's {expected[i].Timestamp} ms, with the first keyframe at {base0} ms, must be written {want}; yours is {media[i].Timestamp}. See README §Timestamps.");
        }
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task An_audio_only_stream_is_flv_with_the_audio_flag_and_starts_at_its_first_audio_frame()
    {
        await using var server = new LiveServer(NoGopCache);
        server.Start();
        var audio = Clip.Tags().Where(t => t.Type is 8 or 18).ToList(); // onMetaData, the AAC sequence header, 88 AAC frames
        var frames = audio.Where(t => t.IsFrame).ToList();
        await using var publisher = await Publishing.StartAsync(server.RtmpPort);
        await Publishing.SendAsync(publisher, audio.Take(12));
        await Publishing.TakenAsync(server, 12);

        await using var client = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv");
        await client.ReadHeadAsync(TimeSpan.FromSeconds(10));
        await Publishing.SubscribersAsync(server, 1);
        await Publishing.SendAsync(publisher, audio.Skip(12));
        var header = await client.ReadFlvHeaderAsync(TimeSpan.FromSeconds(10));
        Assert.True(header[4] == 0x04, $"An audio-only stream's FLV header has the flags byte 0x04 (audio, no video: FLV §E.2), or a player waits for video forever; yours is 0x{header[4]:X2}. See README §HTTP-FLV.");
        var tags = await Publishing.ReadTagsAsync(client, 2, "onMetaData and the AAC sequence header");
        Assert.True(tags[0].Type == 18 && tags[1].Type == 8 && tags[1].IsSequenceHeader, $"An audio-only stream starts with onMetaData and the AAC sequence header; yours with {string.Join("; ", tags)}. See README §HTTP-FLV.");
        var first = await client.ReadTagAsync(TimeSpan.FromSeconds(10));
        var expected = frames.First(f => f.Timestamp >= audio[11].Timestamp && audio.IndexOf(f) >= 12);
        Assert.True(first is { Type: 8 } && first.Data.AsSpan().SequenceEqual(expected.Data) && first.Timestamp == 0,
            $"With no video there is no keyframe to wait for: the subscriber starts at the next audio frame, at timestamp 0; it got {first}. See README §HTTP-FLV, §Timestamps.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_player_that_came_first_starts_when_the_publisher_sends_its_first_frame()
    {
        await using var server = new LiveServer(new LiveServerOptions { PublisherWait = TimeSpan.FromSeconds(20) });
        server.Start();

        await using var player = await RtmpTestClient.ConnectAsync(server.RtmpPort);
        var playing = player.PlayAsync("test", TimeSpan.FromSeconds(20));
        await Task.Delay(300, TestContext.Current.CancellationToken); // the play reaches the server before anybody publishes
        if (playing.IsCompleted)
        {
            string early = await playing;
            Assert.Fail($"Nobody publishes live/test yet: the player must wait (README §Registry), but it already got {early}.");
        }

        await using var publisher = await RtmpTestClient.ConnectAsync(server.RtmpPort);
        Assert.Equal("NetStream.Publish.Start", await publisher.PublishAsync("test"));
        foreach (var tag in Clip.Tags().Take(4)) // onMetaData, the two sequence headers, the first keyframe
        {
            await publisher.SendTagAsync(tag);
        }

        string code = await Deadline.Within(playing, TimeSpan.FromSeconds(10), "the waiting player's onStatus after the publisher's first frame");
        Assert.True(code == "NetStream.Play.Start", $"The player waited for live/test; once its publisher sent a frame it must get onStatus NetStream.Play.Start; it got {code}. See README §Registry.");

        // Then, as RTMP messages on its stream: onMetaData, the two sequence headers, the keyframe at timestamp 0.
        var media = new List<Lab02.RtmpChunks.RtmpMessage>();
        while (media.Count < 4 && await player.ReadAsync(TimeSpan.FromSeconds(10)) is { } message)
        {
            if (message.TypeId is 8 or 9 or 18)
            {
                media.Add(message);
            }
        }

        var sent = Clip.Tags().Take(4).ToList();
        Assert.True(media.Count == 4, $"After NetStream.Play.Start the player must get onMetaData, the two sequence headers and the first keyframe; it got {media.Count} media messages before the connection ended. See README §Fan-out.");
        for (int i = 0; i < 4; i++)
        {
            Assert.True(media[i].TypeId == sent[i].Type && media[i].Payload.Span.SequenceEqual(sent[i].Data),
                $"Media message {i} to the player must be the publisher's tag {i} (type {sent[i].Type}, {sent[i].Data.Length} bytes); it is {media[i]}. See README §Fan-out.");
        }

        Assert.True(media[3].Timestamp == 0, $"The player's first frame is written at timestamp 0; yours at {media[3].Timestamp}. See README §Timestamps.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task A_waiting_rtmp_player_outlives_the_idle_timeout_and_gets_the_stream()
    {
        await using var server = new LiveServer(new LiveServerOptions { IdleTimeout = TimeSpan.FromSeconds(1), PublisherWait = TimeSpan.FromSeconds(20) });
        server.Start();
        await using var player = await RtmpTestClient.ConnectAsync(server.RtmpPort);
        var playing = player.PlayAsync("test", TimeSpan.FromSeconds(20));
        await Task.Delay(2500, TestContext.Current.CancellationToken); // more than the idle timeout: a player that waits sends nothing
        await using var publisher = await Publishing.StartAsync(server.RtmpPort);
        await Publishing.SendAsync(publisher, Clip.Tags().Take(4));
        string code = await Deadline.Within(playing, TimeSpan.FromSeconds(10), "the waiting player's onStatus");
        Assert.True(code == "NetStream.Play.Start",
            $"A player that waits for its publisher sends nothing, and must not be cut by IdleTimeout (1 s here) — only PublisherWait ends its wait; it got {code}. See README §Registry.");
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task A_subscriber_survives_a_publisher_that_reconnects()
    {
        await using var server = new LiveServer(new LiveServerOptions { GopCache = false, PublisherWait = TimeSpan.FromSeconds(20), ReconnectWait = TimeSpan.FromSeconds(20) });
        server.Start();
        var tags = Clip.Tags();
        int frames = tags.Count(t => t.IsFrame);

        await using var client = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv");
        await Publishing.UntilAsync(() => server.Streams.Find("live/test") is not null, "the request to wait in your server for live/test (StreamRegistry.WaitUntilLiveAsync)");
        var reading = Task.Run(async () =>
        {
            await client.ReadHeadAsync(TimeSpan.FromSeconds(20));
            await client.ReadFlvHeaderAsync(TimeSpan.FromSeconds(10));
            return await Publishing.ReadTagsAsync(client, 2 * (3 + frames), "two whole publishes, each with its onMetaData and sequence headers");
        }, TestContext.Current.CancellationToken);

        await using (var first = await Publishing.StartAsync(server.RtmpPort))
        {
            await Publishing.SendAsync(first, tags);
            await Publishing.TakenAsync(server, tags.Count);
        }

        await using var second = await Publishing.StartAsync(server.RtmpPort);
        await Publishing.SendAsync(second, tags);

        var got = await Deadline.Within(reading, TimeSpan.FromSeconds(30), "the subscriber to receive both publishes");
        Assert.True(client.Status == 200, $"GET /live/test.flv must answer 200 once the stream is live; it got {client.Status}.");
        var videoTimes = got.Where(t => t.Type == 9 && t.IsFrame).Select(t => t.Timestamp).ToList();
        Assert.True(got.Skip(3 + frames).Take(3).Count(t => !t.IsFrame) == 3,
            $"After the publisher reconnects, the subscriber first gets the new publisher's onMetaData and sequence headers; it got {string.Join("; ", got.Skip(3 + frames).Take(3))}. See README §Registry.");
        for (int i = 1; i < videoTimes.Count; i++)
        {
            Assert.True(videoTimes[i] >= videoTimes[i - 1],
                $"A subscriber's video timestamps never go back, not even across a reconnect (the new publisher starts from 0 again): frame {i} is {videoTimes[i]} after {videoTimes[i - 1]}. See README §Timestamps.");
        }
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Ffprobe_reads_the_live_stream_over_http()
    {
        await using var server = new LiveServer(NoGopCache);
        server.Start();
        await using var publisher = ToolRun.Start(RealTools.Ffmpeg(),
            ["-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", Clip.Path, "-c", "copy", "-f", "flv", RtmpFfmpeg.Url(server.RtmpPort)]);
        var result = await RtmpFfmpeg.ExplainAsync(publisher, () => ToolRun.RunAsync(RealTools.Ffprobe(),
            ["-v", "error", "-rw_timeout", "15000000", "-show_entries", "stream=codec_name,width,height", "-of", "compact=p=0", $"http://127.0.0.1:{server.HttpPort}/live/test.flv"],
            TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.True(result.ExitCode == 0 && !result.TimedOut, $"ffprobe http://127.0.0.1:PORT/live/test.flv must read your stream (exit {result.ExitCode}{(result.TimedOut ? ", timed out" : "")}):\n{result.ErrorTail()}\nSee README §HTTP-FLV.");
        string output = result.StandardOutput;
        Assert.True(output.Contains("codec_name=h264|width=320|height=180", StringComparison.Ordinal) && output.Contains("codec_name=aac", StringComparison.Ordinal),
            $"ffprobe must find the clip's H.264 320×180 and AAC streams in your HTTP-FLV; it says:\n{output}\nSee README §HTTP-FLV.");
    }

    [Fact(Timeout = 90000)]
    [Trait("Milestone", Milestone)]
    public async Task Chromium_plays_the_stream_with_mpegts_js_from_a_page_of_another_origin()
    {
        await using var server = new LiveServer(NoGopCache);
        server.Start();
        await using var publisher = ToolRun.Start(RealTools.Ffmpeg(),
            ["-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", Clip.Path, "-c", "copy", "-f", "flv", RtmpFfmpeg.Url(server.RtmpPort)]);
        await RtmpFfmpeg.ExplainAsync(publisher, async () =>
        {
            await Publishing.UntilAsync(() => server.Streams.Find("live/test")?.IsLive == true, "ffmpeg's publish to go live", publisher);
            return true;
        });

        await using var browser = await Browser.StartAsync();
        var playback = await browser.PlayAsync($"http://127.0.0.1:{server.HttpPort}/live/test.flv");
        TestContext.Current.TestOutputHelper?.WriteLine($"mpegts.js without the GOP cache: first frame after {playback.FirstFrameMs:0} ms, {playback.DecodedFrames} frames decoded, currentTime {playback.CurrentTime:0.00} s");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task Bad_requests_are_refused_and_the_server_keeps_serving()
    {
        await using var server = new LiveServer(NoGopCache);
        server.Start();
        var tags = Clip.Tags();
        await using var publisher = await Publishing.StartAsync(server.RtmpPort);
        await Publishing.SendAsync(publisher, tags.Take(10));

        foreach (var (request, what) in new[]
        {
            ("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", "a TLS ClientHello"),
            ("GET /live/test.flv\r\n\r\n", "a request line without a version"),
            ("GET /live/test.flv HTTP/1.1\r\n" + new string('A', 9000) + "\r\n\r\n", "a request head over 8 KiB"),
            ("GET /live/../../etc/passwd.flv HTTP/1.1\r\n\r\n", "a path-traversal stream key"),
            ("GET /nothing HTTP/1.1\r\n\r\n", "a path that is no stream"),
        })
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            using var deadline = Deadline.After(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, server.HttpPort, deadline.Token);
            try
            {
                await socket.SendAsync(Encoding.Latin1.GetBytes(request), System.Net.Sockets.SocketFlags.None, deadline.Token);
            }
            catch (System.Net.Sockets.SocketException)
            {
                // the server may close before reading it all (the oversized head)
            }

            var answer = new MemoryStream();
            var buffer = new byte[4096];
            int read;
            try
            {
                while ((read = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, deadline.Token)) > 0)
                {
                    answer.Write(buffer, 0, read);
                }
            }
            catch (System.Net.Sockets.SocketException)
            {
                // reset after the answer: what came is what counts
            }

            string text = Encoding.Latin1.GetString(answer.ToArray());
            Assert.True(text.StartsWith("HTTP/1.1 4", StringComparison.Ordinal) || text.Length == 0,
                $"{what} must get a 4xx answer (or a closed connection), never a stream; your server answered \"{text.Split('\n')[0]}\". See README §HTTP-FLV.");
        }

        await using var client = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv");
        await client.ReadHeadAsync(TimeSpan.FromSeconds(10));
        Assert.True(client.Status == 200, $"After the bad requests, GET /live/test.flv must still be served (200); it got {client.Status}.");
        await client.ReadFlvHeaderAsync(TimeSpan.FromSeconds(10));
        await Publishing.ReadTagsAsync(client, 3, "onMetaData and the sequence headers after the bad requests");
    }
}
