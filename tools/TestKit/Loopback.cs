using System.Net;
using System.Net.Sockets;

namespace Workbook.TestKit;

/// <summary>Sockets on 127.0.0.1 only: tests never listen on or talk to any other address.</summary>
public static class Loopback
{
    /// <summary>A TCP port on 127.0.0.1 that is free right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A listener on 127.0.0.1 with a port chosen by the OS.</summary>
    public static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    /// <summary>The port a listener got.</summary>
    public static int PortOf(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>
    /// Two connected TCP streams on 127.0.0.1: one for the code under test, one for the scripted peer
    /// the test plays. Disposing the pair closes both.
    /// </summary>
    public static async Task<StreamPair> ConnectedPairAsync(CancellationToken cancellationToken)
    {
        using var listener = Listen();
        var client = new TcpClient { NoDelay = true };
        var accept = listener.AcceptTcpClientAsync(cancellationToken).AsTask();
        await client.ConnectAsync(IPAddress.Loopback, PortOf(listener), cancellationToken);
        var server = await accept;
        server.NoDelay = true;
        return new StreamPair(client, server);
    }
}

/// <summary>Two ends of one loopback connection.</summary>
public sealed class StreamPair : IDisposable
{
    private readonly TcpClient _a;
    private readonly TcpClient _b;

    internal StreamPair(TcpClient a, TcpClient b)
    {
        _a = a;
        _b = b;
    }

    /// <summary>The end given to the code under test.</summary>
    public NetworkStream Mine => _a.GetStream();

    /// <summary>The end the test's scripted peer uses.</summary>
    public NetworkStream Peer => _b.GetStream();

    /// <summary>Closes both ends.</summary>
    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }
}
