using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lab01.RtmpHandshake;

/// <summary>
/// <c>workbook try 01 [--port N] [--digest] [--once]</c>: an RTMP port that performs the handshake with
/// whatever connects (ffmpeg, OBS) and tells what it saw. Given code: it calls your
/// <see cref="HandshakeServer.AcceptAsync"/>.
/// </summary>
public static class HandshakeTryTool
{
    /// <summary>The standard RTMP port.</summary>
    public const int DefaultPort = 1935;

    /// <summary>Runs the tool until <paramref name="cancellationToken"/> is cancelled (or after one client with --once). Returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        int port = DefaultPort;
        bool digest = false, once = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out port):
                    i++;
                    break;
                case "--digest":
                    digest = true;
                    break;
                case "--once":
                    once = true;
                    break;
                default:
                    await output.WriteLineAsync($"usage: workbook try 01 [--port N] [--digest] [--once]   (unknown argument '{args[i]}')").ConfigureAwait(false);
                    return 2;
            }
        }

        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            await output.WriteLineAsync($"Cannot listen on 127.0.0.1:{port}: {e.Message}. Pick another port with --port.").ConfigureAwait(false);
            return 1;
        }

        try
        {
            await output.WriteLineAsync($"Listening on rtmp://127.0.0.1:{port}/ (handshake: {(digest ? "Flash-style digest when the client offers one" : "plain")}). Try:").ConfigureAwait(false);
            await output.WriteLineAsync($"  ffmpeg -re -i testdata/clip-2s.flv -c copy -f flv rtmp://127.0.0.1:{port}/live/test").ConfigureAwait(false);
            await output.WriteLineAsync("Stop with Ctrl+C.").ConfigureAwait(false);
            do
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return 0;
                }

                using (client)
                {
                    await output.WriteLineAsync(await ReportAsync(client, digest, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                }
            }
            while (!once && !cancellationToken.IsCancellationRequested);

            return 0;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Handshakes with one client and describes it.</summary>
    private static async Task<string> ReportAsync(TcpClient client, bool digest, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"--- client {client.Client.RemoteEndPoint}");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(10));
        var stream = client.GetStream();
        HandshakeResult result;
        try
        {
            result = await HandshakeServer.AcceptAsync(stream, new HandshakeOptions { UseDigest = digest }, limit.Token).ConfigureAwait(false);
        }
        catch (HandshakeException e)
        {
            return text.AppendLine(CultureInfo.InvariantCulture, $"handshake failed in {e.Packet}{(e.Field is null ? "" : " (" + e.Field + ")")} at offset {e.Offset}: {e.Message}").ToString();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return text.AppendLine("handshake timed out after 10 s (the client stopped sending)").ToString();
        }
        catch (NotImplementedException e)
        {
            return text.AppendLine(CultureInfo.InvariantCulture, $"not written yet: {e.Message}").ToString();
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"C0 version      {result.PeerVersion}");
        text.AppendLine(CultureInfo.InvariantCulture, $"C1 time         {result.PeerTime} ms");
        text.AppendLine(CultureInfo.InvariantCulture, $"C1 zero field   0x{result.PeerZero:x8} = {result.PeerZeroDotted} → {(result.PeerZero == 0 ? "a plain C1 (RTMP §5.2.3)" : "a Flash-style C1 carrying the client's version")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"C1 digest       {(result.PeerDigest is { } scheme ? $"valid, {(scheme == DigestScheme.Scheme0 ? "scheme 0 (offset bytes at 8)" : "scheme 1 (offset bytes at 772)")}" : "none")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"S1/S2 sent      {(result.UsedDigest ? "digest S1 and signed S2" : "plain S1 and S2 = echo of C1")}");

        // The first bytes after C2: the client's first chunk, normally the AMF0 'connect' command (Lab 02).
        var next = new byte[64];
        int got = 0;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            while (got < next.Length)
            {
                int n = await stream.ReadAsync(next.AsMemory(got), wait.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                got += n;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // fewer than 64 bytes came within 2 s: show what did
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"next {got} bytes (the first chunk, usually 'connect' — Lab 02 decodes it):");
        text.Append(HexDump(next.AsSpan(0, got)));
        return text.ToString().TrimEnd();
    }

    /// <summary>A classic hexdump: offset, 16 bytes in hex, the printable ones as text.</summary>
    public static string HexDump(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        for (int row = 0; row < bytes.Length; row += 16)
        {
            var line = bytes.Slice(row, Math.Min(16, bytes.Length - row));
            text.Append(CultureInfo.InvariantCulture, $"  {row:x4}  ");
            for (int i = 0; i < 16; i++)
            {
                text.Append(i < line.Length ? line[i].ToString("x2", CultureInfo.InvariantCulture) + " " : "   ");
            }

            text.Append(' ');
            foreach (byte b in line)
            {
                text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
