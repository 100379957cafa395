using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Lab09.WebRtc;

/// <summary>
/// <c>workbook try 09 [--port N] [--media-port M]</c>: your SFU with its page on http://127.0.0.1:N/ — publish a camera in one
/// tab, watch it in another — and a line of statistics per session every few seconds (M6).
/// <c>workbook try 09 --ice [--port N] [--ufrag U] [--pwd P] [--once]</c>: one UDP port on 127.0.0.1 that answers ICE
/// connectivity checks like an ICE-lite SFU and says what every datagram was (M1, M2). Given code: it calls your
/// <see cref="WebRtcServer"/> and <see cref="IceLiteAgent"/>.
/// </summary>
public static class WebRtcTryTool
{
    /// <summary>The UDP port when none is given.</summary>
    public const int DefaultPort = 50000;

    /// <summary>The HTTP port of the page when none is given.</summary>
    public const int DefaultHttpPort = 8090;

    /// <summary>Runs the tool until <paramref name="cancellationToken"/> is cancelled (or after one datagram with --once). Returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (!args.Contains("--ice"))
        {
            return await ServeAsync(args, output, cancellationToken).ConfigureAwait(false);
        }

        int port = DefaultPort;
        string ufrag = "sfu9", password = "workbook-lab09-ice-password";
        bool once = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out port):
                    i++;
                    break;
                case "--ufrag" when i + 1 < args.Length:
                    ufrag = args[++i];
                    break;
                case "--pwd" when i + 1 < args.Length:
                    password = args[++i];
                    break;
                case "--once":
                    once = true;
                    break;
                case "--ice":
                    break;
                default:
                    await output.WriteLineAsync($"usage: workbook try 09 --ice [--port N] [--ufrag U] [--pwd P] [--once]   (unknown argument '{args[i]}')").ConfigureAwait(false);
                    return 2;
            }
        }

        UdpClient socket;
        try
        {
            socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        }
        catch (SocketException e)
        {
            await output.WriteLineAsync($"Cannot bind udp 127.0.0.1:{port}: {e.Message}. Pick another port with --port.").ConfigureAwait(false);
            return 1;
        }

        using (socket)
        {
            var agent = new IceLiteAgent(ufrag, password, software: "workbook lab 09");
            await output.WriteLineAsync($"ICE-lite on udp 127.0.0.1:{port}, ice-ufrag {ufrag}, ice-pwd {password}. In an SDP answer:").ConfigureAwait(false);
            await output.WriteLineAsync($"  a=ice-lite\n  a=ice-ufrag:{ufrag}\n  a=ice-pwd:{password}\n  a=candidate:1 1 udp 2130706431 127.0.0.1 {port} typ host").ConfigureAwait(false);
            await output.WriteLineAsync("Stop with Ctrl+C.").ConfigureAwait(false);
            do
            {
                UdpReceiveResult received;
                try
                {
                    received = await socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return 0;
                }

                await output.WriteLineAsync(await DescribeAsync(socket, agent, received).ConfigureAwait(false)).ConfigureAwait(false);
            }
            while (!once && !cancellationToken.IsCancellationRequested);

            return 0;
        }
    }

    private static async Task<int> ServeAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        int httpPort = DefaultHttpPort, mediaPort = DefaultPort;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out httpPort):
                case "--media-port" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out mediaPort):
                    i++;
                    break;
                default:
                    await output.WriteLineAsync($"usage: workbook try 09 [--port N] [--media-port M]   or   workbook try 09 --ice [--port N] [--ufrag U] [--pwd P] [--once]   (unknown argument '{args[i]}')").ConfigureAwait(false);
                    return 2;
            }
        }

        WebRtcServer server;
        try
        {
            server = WebRtcServer.Start(new WebRtcServerOptions { HttpPort = httpPort, MediaPort = mediaPort });
        }
        catch (SocketException e)
        {
            await output.WriteLineAsync($"Cannot bind tcp 127.0.0.1:{httpPort} or udp 127.0.0.1:{mediaPort}: {e.Message}. Pick others with --port and --media-port.").ConfigureAwait(false);
            return 1;
        }

        await using (server.ConfigureAwait(false))
        {
            await output.WriteLineAsync($"Your SFU: open {server.PageUri} in two tabs, press \"Publish my camera\" in one and \"Watch stream\" in the other.").ConfigureAwait(false);
            await output.WriteLineAsync($"ICE-lite, DTLS-SRTP and SRTP for every browser on udp {server.MediaEndPoint}; certificate {server.Fingerprint}.").ConfigureAwait(false);
            await output.WriteLineAsync("Stop with Ctrl+C.").ConfigureAwait(false);
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                    foreach (var peer in server.Peers)
                    {
                        string what = peer.Producer is { } producer ? $"producer {producer.Stats}" : peer.Consumer is { } consumer ? $"consumer {consumer.Stats}" : "";
                        await output.WriteLineAsync($"{(peer.IsPublisher ? "publisher" : "watcher")} of '{peer.Stream}' at {peer.Remote?.ToString() ?? "(no ICE yet)"}: " +
                            $"{(peer.Inbound is null ? "no keys yet" : "SRTP")}, in {peer.MediaIn}, out {peer.MediaOut}, dropped {peer.Dropped}; {what}").ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
        }
    }

    private static async Task<string> DescribeAsync(UdpClient socket, IceLiteAgent agent, UdpReceiveResult received)
    {
        var datagram = received.Buffer;
        string head = $"{received.RemoteEndPoint} {datagram.Length,5} bytes, first byte {(datagram.Length > 0 ? datagram[0].ToString(CultureInfo.InvariantCulture) : "-"),3}:";
        try
        {
            var kind = PacketDemultiplexer.Classify(datagram);
            if (kind != PacketKind.Stun)
            {
                return $"{head} {kind}{(kind == PacketKind.Unknown ? " (dropped)" : "")}";
            }

            var handling = agent.Handle(datagram, received.RemoteEndPoint);
            if (handling.Response is { } response)
            {
                await socket.SendAsync(response, received.RemoteEndPoint).ConfigureAwait(false);
            }

            return handling.Outcome switch
            {
                StunOutcome.Answered => $"{head} STUN Binding request from ufrag {handling.RemoteUfrag}{(handling.UseCandidate ? " with USE-CANDIDATE (nominated)" : "")}: answered",
                StunOutcome.ErrorResponse => $"{head} STUN, answered with error {handling.ErrorCode}: {handling.Reason}",
                _ => $"{head} dropped: {handling.Reason}",
            };
        }
        catch (NotImplementedException e)
        {
            return $"{head} not handled yet: {e.Message}";
        }
    }
}
