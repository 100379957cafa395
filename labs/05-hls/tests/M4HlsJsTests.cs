namespace Lab05.Hls.Tests;

/// <summary>M4 in a real player: hls.js in headless Chromium plays the VOD playlist the try tool wrote with the learner's code.</summary>
public class M4HlsJsTests
{
    [Fact(Timeout = 150_000)]
    [Trait("Milestone", "M4 playlists")]
    public async Task HlsJs_in_Chromium_plays_the_VOD_playlist_across_segments()
    {
        var dir = Media.TempFolder();
        try
        {
            using var output = new StringWriter();
            int exit = await HlsTryTool.RunAsync([Media.Path("av.flv"), "--out", dir, "--hls-time", "2"], output, TestContext.Current.CancellationToken);
            Assert.True(exit == 0, $"workbook try 05 av.flv --out DIR --hls-time 2 exited {exit}:\n{output}");
            await using var browser = await HlsBrowser.StartAsync(dir);
            // av.flv is 6 s in three 2 s segments: past 2.5 s the player has decoded the first segment and moved into the second.
            var playback = await browser.PlayAsync("index.m3u8", 2.5, 30, TimeSpan.FromSeconds(60), "README §Playlists and §H.264 in TS");
            Assert.True(playback.FragmentsLoaded >= 2, $"hls.js reached {playback.CurrentTime:0.0} s having loaded {playback.FragmentsLoaded} segments; it needs at least 2 to get there.");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
