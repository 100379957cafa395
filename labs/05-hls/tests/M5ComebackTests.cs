using System.Globalization;
using System.Net.Http;
using Lab04.LiveServer;

namespace Lab05.Hls.Tests;

/// <summary>
/// M5: a publisher that comes back after its stream ended (README §HLS out of the live server: the same playlist goes
/// on after an #EXT-X-DISCONTINUITY). Two real ffmpeg publishes of av.flv, the second after the first one's ENDLIST.
/// </summary>
public class M5ComebackTests
{
    private const string Milestone = "M5 HLS out of the live server";

    [Fact(Timeout = 150_000)]
    [Trait("Milestone", Milestone)]
    public async Task A_publisher_that_comes_back_after_the_end_continues_the_same_playlist_after_a_discontinuity()
    {
        var folder = Media.TempFolder();
        try
        {
            await using var server = new HlsLiveServer(new LiveServerOptions { ReconnectWait = TimeSpan.FromSeconds(1) }, folder, hlsTime: 1, windowSize: 20);
            server.Start();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            string url = server.PlaylistUrl("live/test");

            var first = await PublishUntilEndedAsync(server, http, url, "the first publish");
            Assert.True(first.Segments.Count > 0, $"The first publish of the 6 s clip ended with no segment listed:\n{first.Write()}\nSee README §HLS out of the live server.");

            var second = await PublishUntilEndedAsync(server, http, url, "the second publish (after the first one's #EXT-X-ENDLIST)", after: first);
            var firstUris = first.Segments.Select(s => s.Uri).ToHashSet(StringComparer.Ordinal);
            var added = second.Segments.Where(s => !firstUris.Contains(s.Uri)).ToList();
            Assert.True(second.MediaSequence >= first.MediaSequence && added.Count > 0,
                $"After the comeback the same playlist goes on: its media sequence never goes down ({first.MediaSequence} → {second.MediaSequence}) and new segments follow the old ones; it was\n{second.Write()}\nSee README §HLS out of the live server and §Live playlist.");
            Assert.True(added[0].Discontinuity || second.DiscontinuitySequence > first.DiscontinuitySequence,
                $"The comeback's first segment ({added[0].Uri}) comes after #EXT-X-DISCONTINUITY (a new encoder, new timestamps: RFC 8216 §4.3.2.3); the playlist was\n{second.Write()}\nSee README §Live playlist.");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    /// <summary>Publishes av.flv once and reads the playlist until it ends again with #EXT-X-ENDLIST (after a moment without it when <paramref name="after"/> is given).</summary>
    private static async Task<MediaPlaylist> PublishUntilEndedAsync(HlsLiveServer server, HttpClient http, string url, string what, MediaPlaylist? after = null)
    {
        await using var ffmpeg = ToolRun.Start(RealTools.Ffmpeg(),
            ["-hide_banner", "-loglevel", "error", "-re", "-i", Media.Path("av.flv"), "-c", "copy", "-f", "flv", $"rtmp://127.0.0.1:{server.Live.RtmpPort.ToString(CultureInfo.InvariantCulture)}/live/test"]);
        bool reopened = after is null;
        MediaPlaylist? last = null;
        using var deadline = Deadline.After(TimeSpan.FromSeconds(60));
        while (!deadline.IsCancellationRequested)
        {
            using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);
            if (response.IsSuccessStatusCode)
            {
                last = MediaPlaylist.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                reopened = reopened || !last.EndList || last.MediaSequence + last.Segments.Count > after!.MediaSequence + after.Segments.Count;
                if (reopened && last.EndList)
                {
                    return last;
                }
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        Assert.Fail(reopened
            ? $"Within 60 s of {what} of a 6 s clip the playlist must end again with #EXT-X-ENDLIST; the last one was:\n{last?.Write() ?? "(never served)"}\nSee README §HLS out of the live server."
            : $"During {what} the playlist never went on: it still ends with #EXT-X-ENDLIST and lists no new segment (ffmpeg {(ffmpeg.IsRunning ? "is publishing" : "ended")}):\n{last?.Write()}\nA publisher that comes back continues the same playlist; see README §HLS out of the live server.");
        return last!;
    }
}
