namespace Lab01.RtmpHandshake.Tests;

/// <summary>M4: what `workbook try 01` tells a learner about ffmpeg's C1 and about the connection it closes (README §Try it).</summary>
public class M4TryToolTests
{
    private const string Milestone = "M4 ffmpeg interop";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public async Task Try_tool_checks_ffmpegs_digest_and_says_why_ffmpeg_then_fails()
    {
        int port = Loopback.FreePort();
        var output = new StringWriter();
        var tool = HandshakeTryTool.RunAsync(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--once"], output, Token);
        await using var ffmpeg = Ffmpeg.Publish(port);

        await Ffmpeg.ExplainAsync(ffmpeg, () => Deadline.Within(tool, Ffmpeg.Limit, "`workbook try 01 --once` to report one ffmpeg client"));
        string text = output.ToString();

        // ffmpeg imprints its C1 digest under scheme 0 (libavformat/rtmpproto.c: ff_rtmp_calc_digest_pos(buf, 8, 728, 12)).
        Assert.True(text.Contains("C1 digest       valid, scheme 0", StringComparison.Ordinal),
            $"ffmpeg's C1 carries a digest under scheme 0; the report must say so (your HandshakeDigest.FindDigest, M5):\n{text}\nSee README §Try it.");
        Assert.True(text.Contains("Input/output error", StringComparison.Ordinal) && text.Contains("closing the connection", StringComparison.Ordinal),
            $"The report must say that the tool closes the connection after the handshake, so ffmpeg ends with \"Input/output error\":\n{text}\nSee README §Try it.");

        // Before M5 the digest cannot be checked: the report says so instead of "none".
        string before = HandshakeTryTool.DescribeC1Digest(new byte[1536], _ => throw new NotImplementedException("Lab 01 · M5: try scheme 0 then scheme 1"));
        Assert.True(before.StartsWith("not checked (M5", StringComparison.Ordinal), $"Before M5 the digest line must read \"not checked (M5…)\"; got \"{before}\".");
    }
}
