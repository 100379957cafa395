using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Lab08.Sfu;

/// <summary>
/// <c>workbook try 08 [--port N] [--consumers K] [--receiver-port R] [--sdp-dir DIR]</c>: your router with one
/// producer on 127.0.0.1:N and K consumers that send to 127.0.0.1:R, R+2, …; an SDP file per consumer for ffmpeg
/// (or VLC) to receive with, and the statistics every two seconds while they change. Given code: it calls your <see cref="Router"/>.
/// </summary>
public static class SfuTryTool
{
    /// <summary>The default producer port.</summary>
    public const int DefaultPort = 5000;

    /// <summary>The default first receiver port (RTP; RTCP is the next one up).</summary>
    public const int DefaultReceiverPort = 5004;

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (Ctrl+C). Returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        int port = DefaultPort, consumers = 2, receiverPort = DefaultReceiverPort;
        string sdpDirectory = ".";
        for (int i = 0; i < args.Length; i++)
        {
            bool hasValue = i + 1 < args.Length;
            switch (args[i])
            {
                case "--port" when hasValue && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out port):
                case "--consumers" when hasValue && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out consumers) && consumers is >= 1 and <= 100:
                case "--receiver-port" when hasValue && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out receiverPort):
                    i++;
                    break;
                case "--sdp-dir" when hasValue:
                    sdpDirectory = args[++i];
                    break;
                default:
                    await output.WriteLineAsync($"usage: workbook try 08 [--port N] [--consumers K] [--receiver-port R] [--sdp-dir DIR]   (unknown or bad argument '{args[i]}')").ConfigureAwait(false);
                    return 2;
            }
        }

        await using var router = new Router();
        Producer producer;
        try
        {
            producer = router.CreateProducer(new ProducerOptions { Port = port });
        }
        catch (SocketException e)
        {
            await output.WriteLineAsync($"Cannot bind UDP 127.0.0.1:{port}: {e.Message}. Pick another port with --port.").ConfigureAwait(false);
            return 1;
        }

        Directory.CreateDirectory(sdpDirectory);
        var list = new List<Consumer>();
        for (int k = 0; k < consumers; k++)
        {
            var consumer = router.CreateConsumer(producer, new ConsumerOptions(new IPEndPoint(IPAddress.Loopback, receiverPort + (2 * k))));
            string path = Path.Combine(sdpDirectory, $"consumer-{k + 1}.sdp");
            await File.WriteAllTextAsync(path, consumer.Sdp, cancellationToken).ConfigureAwait(false);
            list.Add(consumer);
            await output.WriteLineAsync($"consumer {k + 1}: SSRC {consumer.Ssrc:x8} → 127.0.0.1:{consumer.Options.Remote.Port}; receive with").ConfigureAwait(false);
            await output.WriteLineAsync($"  ffmpeg -protocol_whitelist file,udp,rtp -i {path} -c copy consumer-{k + 1}.mkv      (or ffplay -protocol_whitelist file,udp,rtp {path})").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"Producer on udp://127.0.0.1:{producer.LocalEndPoint.Port} (RTP and RTCP). Start the receivers first, then send with").ConfigureAwait(false);
        await output.WriteLineAsync($"  ffmpeg -re -i testdata/clip-2s.flv -an -c:v libx264 -preset veryfast -bf 0 -g 30 -f rtp -rtpflags send_bye 'rtp://127.0.0.1:{producer.LocalEndPoint.Port}?rtcpport={producer.LocalEndPoint.Port}'").ConfigureAwait(false);
        await output.WriteLineAsync("Stop with Ctrl+C.").ConfigureAwait(false);
        try
        {
            string last = "";
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
                string now = producer.Stats + string.Concat(list.Select(c => c.Stats.ToString()));
                if (now == last)
                {
                    continue; // nothing happened: print only what changes
                }

                last = now;
                await output.WriteLineAsync($"producer: {producer.Stats}").ConfigureAwait(false);
                for (int k = 0; k < list.Count; k++)
                {
                    await output.WriteLineAsync($"  consumer {k + 1}: {list[k].Stats}").ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C
        }

        return 0;
    }
}
