namespace Lab04.LiveServer.Tests;

/// <summary>
/// M4 (clean ends, the robustness list): a player of a low-bitrate, audio-only stream sends nothing
/// for more than a minute — twice Lab 02's old 30 s silence limit — and must keep playing (README §Clean ends:
/// <see cref="LiveServerOptions.IdleTimeout"/> is for publishers and for clients before publish or play, never
/// for a player that plays). In its own class, so that its minute runs beside the other tests.
/// </summary>
public class M4LongPlayTests
{
    private const string Milestone = "M4 back-pressure and clean ends";

    [Fact(Timeout = 120000)]
    [Trait("Milestone", Milestone)]
    public async Task Players_of_an_audio_only_stream_keep_playing_for_more_than_60_seconds()
    {
        await using var server = new LiveServer(new LiveServerOptions { IdleTimeout = TimeSpan.FromSeconds(30) });
        server.Start();
        var audio = Clip.Tags().Where(t => t.Type is 8 or 18).ToList(); // onMetaData, the AAC sequence header, 88 AAC frames (2 s, ~60 kbit/s)
        var frames = audio.Where(t => t.IsFrame).ToList();
        await using var publisher = await Publishing.StartAsync(server.RtmpPort);
        await Publishing.SendAsync(publisher, audio.Where(t => !t.IsFrame));
        await Publishing.SendAsync(publisher, frames.Take(2));

        await using var http = await HttpFlvClient.GetAsync(server.HttpPort, "/live/test.flv");
        await http.ReadHeadAsync(TimeSpan.FromSeconds(10));
        await using var rtmp = await RtmpTestClient.ConnectAsync(server.RtmpPort);
        string code = await rtmp.PlayAsync("test", TimeSpan.FromSeconds(10));
        Assert.True(code == "NetStream.Play.Start", $"An RTMP play of the live audio-only stream must get NetStream.Play.Start; it got {code}. See README §Registry.");
        await Publishing.SubscribersAsync(server, 2);
        await http.ReadFlvHeaderAsync(TimeSpan.FromSeconds(10));

        // Both players read everything, in real time, and send nothing at all; the publisher sends the clip's audio for 62 s.
        long httpFrames = 0, rtmpFrames = 0;
        var httpReader = Task.Run(async () =>
        {
            while (await http.ReadTagAsync(TimeSpan.FromSeconds(10)) is { } tag)
            {
                if (tag.IsFrame)
                {
                    Interlocked.Increment(ref httpFrames);
                }
            }
        }, TestContext.Current.CancellationToken);
        var rtmpReader = Task.Run(async () =>
        {
            while (await rtmp.ReadAsync(TimeSpan.FromSeconds(10)) is { } message)
            {
                if (message.TypeId == 8 && message.Payload.Length > 1 && message.Payload.Span[1] == 1)
                {
                    Interlocked.Increment(ref rtmpFrames);
                }
            }
        }, TestContext.Current.CancellationToken);

        const int Loops = 31; // 31 × 2 s = 62 s
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int loop = 0; loop < Loops; loop++)
        {
            foreach (var frame in frames)
            {
                uint at = (uint)(loop * 2000) + frame.Timestamp;
                var wait = TimeSpan.FromMilliseconds(at) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, TestContext.Current.CancellationToken);
                }

                await publisher.SendTagAsync(frame, at + 2000);
            }

            Assert.True(!httpReader.IsCompleted && !rtmpReader.IsCompleted,
                $"After {clock.Elapsed.TotalSeconds:0} s a player that sends nothing lost its stream (HTTP-FLV ended: {httpReader.IsCompleted}, RTMP ended: {rtmpReader.IsCompleted}): a player that plays is never cut for its silence. See README §Clean ends.");
        }

        long sent = 2 + (long)Loops * frames.Count;
        await Publishing.UntilAsync(() => Interlocked.Read(ref httpFrames) >= sent - 2 && Interlocked.Read(ref rtmpFrames) >= sent - 2, $"both players to receive the {sent} audio frames published over {clock.Elapsed.TotalSeconds:0} s");
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(60), "The publish lasted more than 60 s.");
    }
}
