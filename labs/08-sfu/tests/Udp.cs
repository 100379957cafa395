using System.Net;
using System.Net.Sockets;

namespace Lab08.Sfu.Tests;

/// <summary>UDP helpers for the tests: free port pairs, a receiving socket with a deadline, waiting for a condition.</summary>
internal static class Udp
{
    /// <summary>An even port P on 127.0.0.1 with P + 1 free too (RTP and RTCP for an ffmpeg receiver).</summary>
    public static int FreePortPair()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)probe.LocalEndPoint!).Port & ~1;
            if (port < 1024 || port > 65532)
            {
                continue;
            }

            probe.Dispose();
            if (IsFree(port) && IsFree(port + 1))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free pair of UDP ports on 127.0.0.1.");
    }

    /// <summary>True when nobody has bound UDP 127.0.0.1:port.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A UDP socket bound to 127.0.0.1 on a free port.</summary>
    public static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>The socket's port.</summary>
    public static int Port(this Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    /// <summary>The next datagram, or null after <paramref name="limit"/>.</summary>
    public static async Task<byte[]?> ReceiveAsync(this Socket socket, TimeSpan limit)
    {
        using var timeout = Deadline.After(limit);
        var buffer = new byte[65536];
        try
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return buffer[..n];
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling; false after <paramref name="limit"/>.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan limit)
    {
        using var timeout = Deadline.After(limit);
        while (!condition())
        {
            try
            {
                await Task.Delay(10, timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                return condition();
            }
        }

        return true;
    }
}
