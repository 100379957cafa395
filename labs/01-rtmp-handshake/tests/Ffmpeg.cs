using System.Net.Sockets;

namespace Lab01.RtmpHandshake.Tests;

/// <summary>The real ffmpeg as an RTMP client or server on 127.0.0.1 (RECIPES: ffmpeg as an RTMP client).</summary>
internal static class Ffmpeg
{
    /// <summary>How long ffmpeg may take to start and reach the handshake on a busy machine.</summary>
    public static readonly TimeSpan Limit = RtmpFfmpeg.Limit;

    /// <summary>ffmpeg publishing the 2 s test clip (the test kit's <see cref="RtmpFfmpeg.Publish"/>).</summary>
    public static ToolRun Publish(int port) => RtmpFfmpeg.Publish(port);

    /// <summary>ffmpeg playing one second: <c>ffmpeg -i rtmp://... -t 1 -f null -</c>.</summary>
    public static ToolRun Play(int port) => RtmpFfmpeg.PlayBriefly(port);

    /// <summary>ffmpeg as a server waiting for one client: <c>ffmpeg -listen 1 -i rtmp://... -f null -</c>.</summary>
    public static ToolRun Listen(int port) => RtmpFfmpeg.Listen(port);

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

    /// <summary>Runs <paramref name="step"/>; a failure also shows ffmpeg's command line and its last lines.</summary>
    public static Task<T> ExplainAsync<T>(ToolRun ffmpeg, Func<Task<T>> step) => RtmpFfmpeg.ExplainAsync(ffmpeg, step);
}
