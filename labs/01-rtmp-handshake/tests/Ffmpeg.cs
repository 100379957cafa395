using System.Net.Sockets;

namespace Lab01.RtmpHandshake.Tests;

/// <summary>The real ffmpeg as an RTMP client or server on 127.0.0.1 (RECIPES: ffmpeg as an RTMP client).</summary>
internal static class Ffmpeg
{
    /// <summary>How long ffmpeg may take to start and reach the handshake on a busy machine.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private static string Url(int port) => $"rtmp://127.0.0.1:{port}/live/test";

    /// <summary>ffmpeg publishing the 2 s test clip: <c>ffmpeg -re -i testdata/clip-2s.flv -c copy -f flv rtmp://...</c>.</summary>
    public static ToolRun Publish(int port) => ToolRun.Start(RealTools.Ffmpeg(),
        ["-hide_banner", "-loglevel", "info", "-re", "-i", Repo.TestData("clip-2s.flv"), "-c", "copy", "-f", "flv", Url(port)]);

    /// <summary>ffmpeg playing: <c>ffmpeg -i rtmp://... -t 1 -f null -</c>.</summary>
    public static ToolRun Play(int port) => ToolRun.Start(RealTools.Ffmpeg(),
        ["-hide_banner", "-loglevel", "info", "-i", Url(port), "-t", "1", "-f", "null", "-"]);

    /// <summary>ffmpeg as a server waiting for one publisher: <c>ffmpeg -listen 1 -i rtmp://... -f null -</c>.</summary>
    public static ToolRun Listen(int port) => ToolRun.Start(RealTools.Ffmpeg(),
        ["-hide_banner", "-loglevel", "info", "-listen", "1", "-i", Url(port), "-f", "null", "-"]);

    /// <summary>Accepts ffmpeg's connection on <paramref name="listener"/>.</summary>
    public static async Task<TcpClient> AcceptAsync(TcpListener listener, ToolRun ffmpeg)
    {
        try
        {
            var client = await Deadline.Within(listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken).AsTask(), Limit, "ffmpeg to connect");
            client.NoDelay = true;
            return client;
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n{ffmpeg.CommandLine}\nffmpeg said:\n{(await ffmpeg.StopAsync()).ErrorTail()}");
        }
    }

    /// <summary>Runs <paramref name="step"/>; when it fails, the failure also shows the command line and the last lines ffmpeg printed.</summary>
    public static async Task<T> ExplainAsync<T>(ToolRun ffmpeg, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception e) when (e is not OperationCanceledException || !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            var log = await ffmpeg.StopAsync();
            throw new Xunit.Sdk.XunitException($"{e.GetType().Name}: {e.Message}\n\n{ffmpeg.CommandLine}\nffmpeg said:\n{log.ErrorTail()}", e);
        }
    }
}
