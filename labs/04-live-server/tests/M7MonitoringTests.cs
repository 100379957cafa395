using System.Globalization;
using System.Text.Json;

namespace Lab04.LiveServer.Tests;

/// <summary>
/// M7: monitoring (监控面板). Oracles: ffprobe on the clip for codecs, resolution, frame rate, sample rate and
/// channels; the test's own publisher and players for addresses, byte counts, subscribers and drops; Chromium
/// showing the live stream's row on the page at /monitor.
/// </summary>
public class M7MonitoringTests
{
    private const string Milestone = "M7 monitoring";

    /// <summary>ffprobe's view of the clip's two streams: codec_name, width, height, r_frame_rate, sample_rate, channels.</summary>
    private static async Task<(Dictionary<string, string> Video, Dictionary<string, string> Audio)> ProbeClipAsync()
    {
        var probe = await ToolRun.RunAsync(RealTools.Ffprobe(), ["-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height,r_frame_rate,sample_rate,channels", "-of", "compact=p=0", Clip.Path], TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.True(probe.ExitCode == 0, $"ffprobe could not read the clip:\n{probe.ErrorTail()}");
        var streams = probe.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim().Split('|').Select(f => f.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1])).ToList();
        return (streams.Single(s => s["codec_type"] == "video"), streams.Single(s => s["codec_type"] == "audio"));
    }

    private static double Rate(string fraction)
    {
        var parts = fraction.Split('/');
        return double.Parse(parts[0], CultureInfo.InvariantCulture) / double.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    private static LiveTag ToLiveTag(ClipTag tag) => LiveTag.FromMessage(new Lab02.RtmpChunks.RtmpMessage(tag.Type, tag.Timestamp, 1, tag.Data));

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task Media_info_comes_from_the_sequence_headers_and_onMetaData_as_ffprobe_sees_the_clip()
    {
        var (video, audio) = await ProbeClipAsync();
        var tags = Clip.Tags();
        var info = MediaInfo.From(ToLiveTag(tags.First(t => t.Type == 18)), ToLiveTag(tags.First(t => t.Type == 9 && t.IsSequenceHeader)), ToLiveTag(tags.First(t => t.Type == 8 && t.IsSequenceHeader)));
        string want = $"{video["codec_name"]} {video["width"]}x{video["height"]} {Rate(video["r_frame_rate"]):0.###} fps, {audio["codec_name"]} {audio["sample_rate"]} Hz {audio["channels"]} ch";
        string got = $"{info.VideoCodec} {info.Width}x{info.Height} {info.FrameRate:0.###} fps, {info.AudioCodec} {info.SampleRate} Hz {info.Channels} ch";
        Assert.True(got == want, $"MediaInfo.From(the clip's onMetaData, AVC and AAC sequence headers) must say what ffprobe says about the clip: {want}; yours says {got}. See README §Monitoring.");

        var none = MediaInfo.From(null, null, null);
        Assert.True(none == new MediaInfo(null, null, null, null, null, null, null), $"With no headers at all every field is null; yours is {none}. See README §Monitoring.");
        var audioOnly = MediaInfo.From(null, null, ToLiveTag(tags.First(t => t.Type == 8 && t.IsSequenceHeader)));
        Assert.True(audioOnly.VideoCodec is null && audioOnly.Width is null && audioOnly.AudioCodec == audio["codec_name"],
            $"An audio-only stream without onMetaData has no video fields and its audio codec; yours is {audioOnly}. See README §Monitoring.");
        // AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1): 5 bits audioObjectType, 4 bits samplingFrequencyIndex, 4 bits channelConfiguration.
        foreach (var (data, codec, rate, channels, why) in new (byte[], string, int?, int?, string)[]
        {
            ([0xAF, 0x00, 0x12, 0x10], "aac", 44100, 2, "AF 00 then 12 10: AAC-LC (2), index 4 = 44 100 Hz, 2 channels — the shortest whole AAC sequence header"),
            ([0xAF, 0x00, 0x16, 0x90], "aac", null, 2, "index 13 is reserved (no sample rate in the table): null, and still 2 channels"),
            ([0x2F, 0x00, 0x12, 0x10], "mp3", null, null, "MP3 (SoundFormat 2) has no AudioSpecificConfig: sample rate and channels unknown"),
        })
        {
            var got2 = MediaInfo.From(null, null, ToLiveTag(new ClipTag(8, 0, data)));
            Assert.True(got2.AudioCodec == codec && got2.SampleRate == rate && got2.Channels == channels,
                $"Audio header {Convert.ToHexString(data)}, {why}: expected {codec} {rate?.ToString() ?? "null"} Hz {channels?.ToString() ?? "null"} ch; yours says {got2.AudioCodec} {got2.SampleRate?.ToString() ?? "null"} Hz {got2.Channels?.ToString() ?? "null"} ch. See README §Monitoring.");
        }

        var broken = MediaInfo.From(ToLiveTag(new ClipTag(18, 0, [0x02, 0x00, 0x0A, (byte)'o', (byte)'n'])), null, null);
        Assert.True(broken.Width is null, $"Unreadable onMetaData gives null fields, never an exception; yours is {broken}. See README §Monitoring.");
    }

    private static async Task<JsonElement?> StreamAsync(int port, string key)
    {
        var answer = await RawHttp.GetAsync(port, "/api/streams");
        Assert.True(answer.Status == 200, $"GET /api/streams must answer 200; yours answered {answer.Status}. See README §Monitoring.");
        using var json = JsonDocument.Parse(answer.Body);
        foreach (var stream in json.RootElement.GetProperty("streams").EnumerateArray())
        {
            if (stream.GetProperty("key").GetString() == key)
            {
                return stream.Clone();
            }
        }

        return null;
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task The_streams_api_reports_the_publisher_the_media_the_bytes_the_subscribers_and_the_drops()
    {
        var (video, audio) = await ProbeClipAsync();
        await using var server = new LiveServer(new LiveServerOptions { GopCache = false, SubscriberQueueTags = 8, SendBufferSize = 4096 });
        server.Start();
        var tags = Clip.Tags();
        await using var publisher = await Publishing.StartAsync(server.RtmpPort);
        await Publishing.SendAsync(publisher, tags.Take(10));
        await Publishing.TakenAsync(server, 10);

        await using var reader = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv");
        await reader.ReadHeadAsync(TimeSpan.FromSeconds(10));
        await Publishing.SubscribersAsync(server, 1);
        int key2 = Publishing.SecondKeyFrame(tags);
        // Up to the second keyframe and four tags more — the clip's tags there are VK A A V, ending on a video tag:
        // the server may hold a subscriber's audio until the next video tag (README §Fan-out and §Performance, HoldAudioForVideo),
        // so a window ending on audio could leave that audio unsent until the publisher sends more.
        int published = key2 + 4;
        Assert.True(tags[published - 1].Type == 9, "the test's window must end on a video tag");
        await Publishing.SendAsync(publisher, tags.Skip(10).Take(published - 10));
        await Publishing.TakenAsync(server, published);
        await reader.ReadFlvHeaderAsync(TimeSpan.FromSeconds(10));
        // onMetaData, two sequence headers, then every frame from the second keyframe on (no GOP cache: it joined mid-GOP).
        int expectedTags = 3 + tags.Skip(key2).Take(published - key2).Count(t => t.IsFrame);
        var received = await Publishing.ReadTagsAsync(reader, expectedTags, "the headers and the frames from the next keyframe");

        var s = await StreamAsync(server.HttpPort, "live/test");
        Assert.True(s is not null, "GET /api/streams must list the live stream live/test. See README §Monitoring.");
        var stream = s.Value;
        string Show(string name) => stream.TryGetProperty(name, out var v) ? v.ToString() : "(missing)";
        Assert.True(Show("publisher") == publisher.LocalAddress, $"\"publisher\" must be the publisher's address {publisher.LocalAddress}; yours is {Show("publisher")}. See README §Monitoring.");
        long sentBytes = tags.Take(published).Sum(t => (long)t.Data.Length);
        Assert.True(stream.GetProperty("bytesIn").GetInt64() == sentBytes && stream.GetProperty("tagsIn").GetInt64() == published,
            $"\"tagsIn\" and \"bytesIn\" must be the {published} tags and {sentBytes} bytes of tag data the test published; yours are {Show("tagsIn")} and {Show("bytesIn")}. See README §Monitoring.");
        long receivedBytes = received.Sum(t => 11L + t.Data.Length + 4);
        await Publishing.UntilAsync(() => server.Streams.Find("live/test")?.Subscribers.Sum(x => x.SentTags) >= expectedTags, "the subscriber's tags to be sent");
        s = await StreamAsync(server.HttpPort, "live/test");
        Assert.True(s!.Value.GetProperty("bytesOut").GetInt64() == receivedBytes,
            $"\"bytesOut\" must be the {receivedBytes} bytes of FLV tags (11-byte header, data, PreviousTagSize) the one subscriber received; yours is {s.Value.GetProperty("bytesOut")}. See README §Monitoring.");
        stream = s.Value;
        var v = stream.GetProperty("video");
        var a = stream.GetProperty("audio");
        string want = $"{video["codec_name"]} {video["width"]}x{video["height"]} {Rate(video["r_frame_rate"]):0.###}, {audio["codec_name"]} {audio["sample_rate"]} {audio["channels"]}";
        string got = $"{v.GetProperty("codec").GetString()} {v.GetProperty("width")}x{v.GetProperty("height")} {v.GetProperty("frameRate").GetDouble():0.###}, {a.GetProperty("codec").GetString()} {a.GetProperty("sampleRate")} {a.GetProperty("channels")}";
        Assert.True(got == want, $"\"video\" and \"audio\" must say what ffprobe says about the clip ({want}); yours say {got}. See README §Monitoring.");
        Assert.True(stream.GetProperty("subscribers").GetInt32() == 1 && stream.GetProperty("droppedTags").GetInt64() == 0,
            $"With one subscriber that reads everything: \"subscribers\" 1 and \"droppedTags\" 0; yours are {Show("subscribers")} and {Show("droppedTags")}. See README §Monitoring.");
        Assert.True(stream.GetProperty("uptimeSeconds").GetDouble() > 0 && stream.GetProperty("bitrateIn").GetDouble() > 0,
            $"\"uptimeSeconds\" and \"bitrateIn\" of a live stream are above 0; yours are {Show("uptimeSeconds")} and {Show("bitrateIn")}. See README §Monitoring.");

        // A second subscriber that never reads, with a queue of 8 tags: the rest of the clip, twice, overflows it.
        await using var stalled = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv", receiveBuffer: 1024);
        await Publishing.SubscribersAsync(server, 2);
        s = await StreamAsync(server.HttpPort, "live/test");
        Assert.True(s!.Value.GetProperty("subscribers").GetInt32() == 2, $"With a second player, \"subscribers\" is 2; yours is {s.Value.GetProperty("subscribers")}. See README §Monitoring.");
        var drain = Task.Run(async () =>
        {
            while (await reader.ReadTagAsync(TimeSpan.FromSeconds(10)) is not null)
            {
            }
        }, TestContext.Current.CancellationToken);
        await Publishing.SendAsync(publisher, tags.Skip(published));
        await Publishing.SendAsync(publisher, tags.Where(t => t.IsFrame), shift: 2000);
        await Publishing.SendAsync(publisher, tags.Where(t => t.IsFrame), shift: 4000);
        await Publishing.TakenAsync(server, tags.Count + 2 * tags.Count(t => t.IsFrame));
        await Publishing.UntilAsync(() => server.Streams.Find("live/test")?.Subscribers.Sum(x => x.DroppedTags) > 0, "the stalled subscriber to drop tags");
        s = await StreamAsync(server.HttpPort, "live/test");
        long dropped = s!.Value.GetProperty("droppedTags").GetInt64();
        Assert.True(dropped > 0, $"A player that never reads, with SubscriberQueueTags = 8, must have tags dropped, and \"droppedTags\" counts them; yours is {dropped}. See README §Monitoring, §Back-pressure.");

        await stalled.DisposeAsync();
        await Publishing.UntilAsync(() => server.Streams.Find("live/test")?.Subscribers.Count == 1, "the stalled player's leaving to be noticed");
        s = await StreamAsync(server.HttpPort, "live/test");
        Assert.True(s!.Value.GetProperty("subscribers").GetInt32() == 1 && s.Value.GetProperty("droppedTags").GetInt64() >= dropped,
            $"After the stalled player left: \"subscribers\" 1, and \"droppedTags\" still counts what was dropped for it ({dropped}); yours are {s.Value.GetProperty("subscribers")} and {s.Value.GetProperty("droppedTags")}. See README §Monitoring.");
        await publisher.DisposeAsync();
        await drain.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 90000)]
    [Trait("Milestone", Milestone)]
    public async Task Chromium_shows_the_live_stream_on_the_monitor_page()
    {
        await using var server = new LiveServer();
        server.Start();
        var tags = Clip.Tags();
        await using var publisher = await Publishing.StartAsync(server.RtmpPort);
        await Publishing.SendAsync(publisher, tags.Take(40));
        await Publishing.TakenAsync(server, 40);
        await using var player = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv");
        await Publishing.SubscribersAsync(server, 1);

        var page = await RawHttp.GetAsync(server.HttpPort, "/monitor");
        Assert.True(page.Status == 200 && page["Content-Type"]?.StartsWith("text/html", StringComparison.Ordinal) == true, $"GET /monitor must answer 200 with an HTML page; yours answered {page.Status} ({page["Content-Type"]}). See README §Monitoring.");
        Assert.DoesNotContain("://cdn", System.Text.Encoding.UTF8.GetString(page.Body), StringComparison.OrdinalIgnoreCase);
        string row = await Browser.WaitForTextAsync($"http://127.0.0.1:{server.HttpPort}/monitor", "tr[data-key='live/test']", "live/test", publisher.LocalAddress, "320×180");
        Assert.Contains("h264", row, StringComparison.Ordinal);
    }
}
