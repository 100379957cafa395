using System.Net;
using System.Net.Sockets;

namespace Lab09.WebRtc.Tests;

/// <summary>
/// ffmpeg as an RTP (and SRTP) sender on loopback: the same 4 s of a 440 Hz tone as G.711 μ-law, SSRC 0x12345678,
/// first sequence number 65500 (so the sequence wraps after 36 packets), RTP and RTCP to one port.
/// </summary>
internal static class FfmpegRtp
{
    public const uint Ssrc = 0x12345678;

    /// <summary>The master key and salt given to ffmpeg: bytes 0..29 (key 0..15, salt 16..29).</summary>
    public static readonly byte[] MasterKeyAndSalt = [.. Enumerable.Range(0, 30).Select(i => (byte)i)];

    /// <summary>Runs ffmpeg and returns every datagram it sent, in order. <paramref name="srtp"/>: with AES_CM_128_HMAC_SHA1_80.</summary>
    public static async Task<List<byte[]>> CaptureAsync(bool srtp, CancellationToken cancellationToken)
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Client.ReceiveBufferSize = 1 << 20;
        int port = ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
        var datagrams = new List<byte[]>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var r = await socket.ReceiveAsync(stop.Token);
                    lock (datagrams)
                    {
                        datagrams.Add(r.Buffer);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);

        List<string> args =
        [
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000", "-t", "4",
            "-c:a", "pcm_mulaw", "-f", "rtp", "-ssrc", Ssrc.ToString(System.Globalization.CultureInfo.InvariantCulture), "-seq", "65500",
        ];
        if (srtp)
        {
            args.AddRange(["-srtp_out_suite", "AES_CM_128_HMAC_SHA1_80", "-srtp_out_params", Convert.ToBase64String(MasterKeyAndSalt)]);
        }

        // ffmpeg's srtp protocol keeps 14 bytes of its packet size for the tag and the SRTCP index: 200 with SRTP and
        // 186 without give the same RTP payloads.
        args.Add(srtp ? $"srtp://127.0.0.1:{port}?rtcpport={port}&pkt_size=200" : $"rtp://127.0.0.1:{port}?rtcpport={port}&pkt_size=186");
        var result = await ToolRun.RunAsync(RealTools.Ffmpeg(), args, TimeSpan.FromSeconds(60), cancellationToken);
        Assert.True(result.ExitCode == 0 && !result.TimedOut, $"ffmpeg {string.Join(' ', args)} failed (exit {result.ExitCode}, timed out {result.TimedOut}):\n{result.ErrorTail()}");
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // the last datagrams in flight on loopback
        await stop.CancelAsync();
        await receiving;
        lock (datagrams)
        {
            return [.. datagrams];
        }
    }

    /// <summary>RTCP by its packet type (RFC 5761 §4), written here apart from the lab's demultiplexer.</summary>
    public static bool IsRtcp(byte[] datagram) => datagram.Length > 1 && datagram[1] is >= 192 and <= 223;
}
