using System.Text.RegularExpressions;

namespace Lab01.RtmpHandshake.Tests;

/// <summary>M4: the real ffmpeg talks to your server, and your client talks to ffmpeg's server.</summary>
public class M4FfmpegTests
{
    private const string Milestone = "M4 ffmpeg interop";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Your server handshakes with ffmpeg, then the next bytes must be ffmpeg's connect chunk.</summary>
    private static async Task<(HandshakeResult Result, ToolResult Log)> ServeOneAsync(Func<int, ToolRun> startFfmpeg, HandshakeOptions? options)
    {
        using var listener = Loopback.Listen();
        await using var ffmpeg = startFfmpeg(Loopback.PortOf(listener));
        using var client = await Ffmpeg.AcceptAsync(listener, ffmpeg);
        var stream = client.GetStream();

        var result = await Ffmpeg.ExplainAsync(ffmpeg, () =>
            Deadline.Within(HandshakeServer.AcceptAsync(stream, options, Token), Ffmpeg.Limit, "your AcceptAsync to finish the handshake with ffmpeg"));
        var next = await Ffmpeg.ExplainAsync(ffmpeg, () =>
            Deadline.Within(Spec.ReadUpToAsync(stream, 22, Token), Ffmpeg.Limit, "ffmpeg's connect chunk after the handshake"));
        var log = await ffmpeg.StopAsync();
        string? why = Spec.WhyNotConnect(next);
        Assert.True(why is null,
            $"After the handshake ffmpeg sends its connect command; but {why}.\nThe bytes after C2: {Convert.ToHexString(next)}\nffmpeg said:\n{log.ErrorTail()}\nSee README §Ordering.");
        return (result, log);
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task Ffmpeg_publishing_completes_the_handshake_and_sends_connect()
    {
        var (result, _) = await ServeOneAsync(Ffmpeg.Publish, null);

        Assert.True(result.PeerVersion == 3, $"HandshakeResult.PeerVersion must be the version byte the peer sent, 3; got {result.PeerVersion}. See README §C0.");
        Assert.True(result.PeerZero == Spec.FfmpegClientVersion,
            $"ffmpeg's C1 carries its version 9.0.124.2 (0x09007c02) in the zero field; your HandshakeResult.PeerZero is 0x{result.PeerZero:x8}. See README §C1.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task Ffmpeg_playing_completes_the_handshake_and_sends_connect()
    {
        var (result, log) = await ServeOneAsync(Ffmpeg.Play, null);

        Assert.True(result.PeerVersion == 3, $"HandshakeResult.PeerVersion must be the version byte the peer sent, 3; got {result.PeerVersion}. See README §C0.");
        Assert.False(log.StandardError.Contains("validating failed", StringComparison.Ordinal),
            $"ffmpeg playing rejected your handshake (\"validating failed\"): a plain S1 must carry zero in bytes 4-7 so that ffmpeg does not look for a digest:\n{log.ErrorTail()}\nSee README §C1.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task Client_handshakes_with_ffmpeg_as_a_server()
    {
        int port = Loopback.FreePort();
        await using var ffmpeg = Ffmpeg.Listen(port);
        using var tcp = await Ffmpeg.ExplainAsync(ffmpeg, () => Loopback.ConnectWhenListeningAsync(port, Ffmpeg.Limit, Token));
        var stream = tcp.GetStream();

        var result = await Ffmpeg.ExplainAsync(ffmpeg, () =>
            Deadline.Within(HandshakeClient.ConnectAsync(stream, null, Token), Ffmpeg.Limit, "your ConnectAsync to finish the handshake with ffmpeg -listen 1"));
        Assert.True(result.PeerVersion == 3, $"HandshakeResult.PeerVersion must be the version byte the peer sent, 3; got {result.PeerVersion}. See README §C0.");

        // A connect command in one chunk; ffmpeg answers it with protocol control messages, first
        // Window Acknowledgement Size (message type 5, RTMP §5.4.4) on chunk stream 2.
        await stream.WriteAsync(Spec.ConnectChunk(), Token);
        var reply = await Ffmpeg.ExplainAsync(ffmpeg, () =>
            Deadline.Within(Spec.ReadUpToAsync(stream, 16, Token), Ffmpeg.Limit, "ffmpeg's answer to connect"));
        var log = await ffmpeg.StopAsync();

        Assert.True(reply.Length == 16 && reply[0] == 0x02 && reply[7] == 5,
            $"After the handshake and a connect, ffmpeg answers with Window Acknowledgement Size (a chunk starting 02, message type 5 at byte 7); it sent {Convert.ToHexString(reply)}.\nffmpeg said:\n{log.ErrorTail()}\nSee README §Ordering.");
        Assert.False(log.StandardError.Contains("Erroneous C2", StringComparison.Ordinal),
            $"ffmpeg complained about your C2 (it must echo S1's time and random field — README §C2):\n{log.ErrorTail()}");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task Try_tool_reports_ffmpeg()
    {
        int port = Loopback.FreePort();
        var output = new StringWriter();
        var tool = HandshakeTryTool.RunAsync(["--port", port.ToString(), "--once"], output, Token);
        await using var ffmpeg = Ffmpeg.Publish(port);

        int exit = await Ffmpeg.ExplainAsync(ffmpeg, () => Deadline.Within(tool, Ffmpeg.Limit, "`workbook try 01 --once` to report one ffmpeg client"));
        string text = output.ToString();
        Assert.True(exit == 0, $"`workbook try 01 --once` must exit 0 after reporting one client; it exited with {exit}:\n{text}\nSee README §Try it.");
        Assert.True(text.Contains("C0 version      3", StringComparison.Ordinal) && text.Contains("9.0.124.2", StringComparison.Ordinal),
            $"The report must show C0's version 3 and ffmpeg's version 9.0.124.2 (C1's zero field):\n{text}\nSee README §Try it.");
        Assert.True(Regex.IsMatch(text, "0000  03( [0-9a-f]{2}){6} 14"),
            $"The hexdump after the handshake must start with ffmpeg's connect chunk (03 ... type 14 hex):\n{text}\nSee README §Try it.");
    }
}
