namespace Workbook.TestKit;

/// <summary>
/// The real ffmpeg as an RTMP client or server on 127.0.0.1 (RECIPES.md: ffmpeg as an RTMP client), shared by
/// the labs whose code talks RTMP. Every run goes through <see cref="ToolRun"/>, so it is killed with the test.
/// </summary>
public static class RtmpFfmpeg
{
    /// <summary>How long one ffmpeg run may take to start and finish its part on a busy machine (the clip lasts 2 s at -re).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>The stream every test uses: <c>rtmp://127.0.0.1:PORT/live/test</c>.</summary>
    public static string Url(int port) => $"rtmp://127.0.0.1:{port}/live/test";

    /// <summary>ffmpeg publishing the 2 s test clip: <c>ffmpeg -re -i testdata/clip-2s.flv -c copy -f flv rtmp://…</c>.</summary>
    public static ToolRun Publish(int port) => ToolRun.Start(RealTools.Ffmpeg(),
        ["-hide_banner", "-loglevel", "info", "-re", "-i", Repo.TestData("clip-2s.flv"), "-c", "copy", "-f", "flv", Url(port)]);

    /// <summary>ffmpeg playing one second and throwing it away: <c>ffmpeg -i rtmp://… -t 1 -f null -</c>.</summary>
    public static ToolRun PlayBriefly(int port) => ToolRun.Start(RealTools.Ffmpeg(),
        ["-hide_banner", "-loglevel", "info", "-i", Url(port), "-t", "1", "-f", "null", "-"]);

    /// <summary>ffmpeg recording what it plays: <c>ffmpeg -i rtmp://… -c copy -f flv OUT</c>.</summary>
    public static ToolRun PlayInto(int port, string output) => ToolRun.Start(RealTools.Ffmpeg(),
        ["-hide_banner", "-loglevel", "info", "-y", "-i", Url(port), "-c", "copy", "-f", "flv", output]);

    /// <summary>ffmpeg as a server waiting for one client: <c>ffmpeg -listen 1 -i rtmp://… -f null -</c>.</summary>
    public static ToolRun Listen(int port) => ToolRun.Start(RealTools.Ffmpeg(),
        ["-hide_banner", "-loglevel", "info", "-listen", "1", "-i", Url(port), "-f", "null", "-"]);

    /// <summary>Runs <paramref name="step"/>; when it fails, the failure also shows ffmpeg's command line and the last lines it printed.</summary>
    public static async Task<T> ExplainAsync<T>(ToolRun ffmpeg, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception e) when (e is not OperationCanceledException || !Xunit.TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            var log = await ffmpeg.StopAsync();
            throw new Xunit.Sdk.XunitException($"{e.GetType().Name}: {e.Message}\n\n{ffmpeg.CommandLine}\nffmpeg said:\n{log.ErrorTail()}", e);
        }
    }
}
