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
            await output.WriteLineAsync(ClosingNote).ConfigureAwait(false);
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

    /// <summary>What the tool says about ending each connection after the handshake.</summary>
    public const string ClosingNote =
        "Each connection is closed after the handshake and the first bytes that follow it (this lab ends there), so the client then " +
        "fails: ffmpeg ends with \"Input/output error\" — expected here. Lab 02's server (workbook try 02) answers connect and goes on.";

    /// <summary>
    /// The report's line on C1's digest, found with <paramref name="findDigest"/> (your <see cref="HandshakeDigest.FindDigest"/>
    /// under the Flash Player key when left out): "valid, scheme 0 …", "none", or "not checked (M5)" while M5 is a stub.
    /// </summary>
    public static string DescribeC1Digest(byte[] c1, Func<byte[], DigestScheme?>? findDigest = null)
    {
        ArgumentNullException.ThrowIfNull(c1);
        findDigest ??= packet => HandshakeDigest.FindDigest(packet, HandshakeDigest.FlashPlayerKey[..HandshakeDigest.PlayerKeyOpenLength]);
        try
        {
            return findDigest(c1) switch
            {
                DigestScheme.Scheme0 => "valid, scheme 0 (offset bytes at 8)",
                DigestScheme.Scheme1 => "valid, scheme 1 (offset bytes at 772)",
                _ => "none",
            };
        }
        catch (NotImplementedException)
        {
            return "not checked (M5: HandshakeDigest.FindDigest is not written yet)";
        }
    }

    /// <summary>Handshakes with one client and describes it.</summary>
    private static async Task<string> ReportAsync(TcpClient client, bool digest, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"--- client {client.Client.RemoteEndPoint}");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(10));
        var stream = new FirstBytesStream(client.GetStream(), 1 + Handshake.PacketSize);
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
        // The tool checks C1 itself (with your FindDigest) rather than trust PeerDigest: a plain M2 server leaves it null.
        text.AppendLine(CultureInfo.InvariantCulture, $"C1 digest       {(stream.First.Length == 1 + Handshake.PacketSize ? DescribeC1Digest(stream.First[1..]) : "not seen")}");
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
        text.AppendLine("closing the connection: the handshake is all this lab does (ffmpeg now reports \"Input/output error\").");
        return text.ToString().TrimEnd();
    }

    /// <summary>Passes a stream through and keeps a copy of the first bytes read from it (C0 and C1).</summary>
    private sealed class FirstBytesStream(Stream inner, int keep) : Stream
    {
        private readonly MemoryStream _first = new();

        public byte[] First => _first.ToArray();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Keep(buffer.Span[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, count);
            Keep(buffer.AsSpan(offset, n));
            return n;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            int room = keep - (int)_first.Length;
            if (room > 0)
            {
                _first.Write(bytes[..Math.Min(room, bytes.Length)]);
            }
        }
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
