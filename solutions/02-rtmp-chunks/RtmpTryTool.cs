using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Lab02.RtmpChunks;

/// <summary>
/// <c>workbook try 02 [--port N] [--once]</c>: your <see cref="RtmpServer"/> on 127.0.0.1, printing every
/// message each client sends, like a protocol analyser: the chunk stream, the type, the timestamp, the
/// size, and for commands and data their AMF0 values. Given code.
/// </summary>
public static class RtmpTryTool
{
    /// <summary>The standard RTMP port.</summary>
    public const int DefaultPort = 1935;

    private static readonly ConditionalWeakTable<RtmpSession, object> Numbers = [];
    private static int _lastNumber;

    /// <summary>Runs the server until <paramref name="cancellationToken"/> is cancelled (or after one connection with --once). Returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        int port = DefaultPort;
        bool once = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" or "--listen" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out port):
                    i++;
                    break;
                case "--once":
                    once = true;
                    break;
                default:
                    await output.WriteLineAsync($"usage: workbook try 02 [--port N] [--once]   (unknown argument '{args[i]}')").ConfigureAwait(false);
                    return 2;
            }
        }

        var log = TextWriter.Synchronized(output);
        var firstEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new RtmpServer(new RtmpServerOptions { Port = port });
        server.MessageReceived = (session, message) =>
        {
            log.WriteLine(Describe(NumberOf(session), message));
            return ValueTask.CompletedTask;
        };
        server.PublishStarted = (session, key) => log.WriteLine($"#{NumberOf(session)} publishes {key}");
        server.PlayStarted = (session, key) => log.WriteLine($"#{NumberOf(session)} plays {key}");
        server.ConnectionEnded = ended =>
        {
            string who = ended.Session is null ? ended.RemoteEndPoint?.ToString() ?? "a client" : "#" + NumberOf(ended.Session);
            log.WriteLine(ended.Error switch
            {
                null => $"{who} closed the connection",
                RtmpException e => $"{who} ended: {e.Part} error at offset {e.Offset}: {e.Message}",
                NotImplementedException e => $"{who} ended: not written yet: {e.Message}",
                var e => $"{who} ended: {e.GetType().Name}: {e.Message}",
            });
            firstEnded.TrySetResult();
        };

        try
        {
            server.Start();
        }
        catch (SocketException e)
        {
            await output.WriteLineAsync($"Cannot listen on 127.0.0.1:{port}: {e.Message}. Pick another port with --port.").ConfigureAwait(false);
            return 1;
        }

        log.WriteLine($"Listening on rtmp://127.0.0.1:{server.Port}/ — publish and play with:");
        log.WriteLine($"  ffmpeg -re -i testdata/clip-2s.flv -c copy -f flv rtmp://127.0.0.1:{server.Port}/live/test");
        log.WriteLine($"  ffmpeg -i rtmp://127.0.0.1:{server.Port}/live/test -c copy -f flv out.flv");
        log.WriteLine("Stop with Ctrl+C. Each line: client, chunk stream, message type, timestamp (ms), size (bytes), then what it says.");
        try
        {
            await (once ? firstEnded.Task.WaitAsync(cancellationToken) : Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C
        }

        return 0;
    }

    /// <summary>One line for a message: "#1 csid=3 CommandAmf0 ts=0 len=146 connect(1, {app: "live", ...})".</summary>
    public static string Describe(int client, RtmpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string head = string.Create(CultureInfo.InvariantCulture,
            $"#{client} csid={message.ChunkStreamId,-2} {MessageType.NameOf(message.TypeId),-14} ts={message.Timestamp,-6} len={message.Payload.Length,-6}");
        string what;
        try
        {
            what = message.TypeId switch
            {
                MessageType.CommandAmf0 or MessageType.CommandAmf3 => RtmpCommand.Parse(message).ToString(),
                MessageType.DataAmf0 => string.Join(", ", Amf0.DecodeAll(message.Payload.Span).Select(Amf0.Format)),
                MessageType.SetChunkSize => $"chunk size {ProtocolControl.ReadSetChunkSize(message)}",
                MessageType.WindowAcknowledgementSize => $"window {ProtocolControl.ReadUInt32(message, "Window Acknowledgement Size")}",
                MessageType.Acknowledgement => $"received {ProtocolControl.ReadUInt32(message, "Acknowledgement")}",
                MessageType.UserControl => ProtocolControl.ReadUserControl(message).ToString(),
                MessageType.Video => FlvTag.IsSequenceHeader(message) ? "AVC sequence header" : FlvTag.IsKeyFrame(message) ? "keyframe" : "",
                MessageType.Audio => FlvTag.IsSequenceHeader(message) ? "AAC sequence header" : "",
                _ => "",
            };
        }
        catch (RtmpException e)
        {
            what = "(cannot decode: " + e.Message + ")";
        }

        return (head + " " + what).TrimEnd();
    }

    private static int NumberOf(RtmpSession session) =>
        (int)Numbers.GetValue(session, _ => Interlocked.Increment(ref _lastNumber));
}
