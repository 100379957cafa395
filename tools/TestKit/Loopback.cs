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
    /// Connects to 127.0.0.1:<paramref name="port"/>, retrying while nothing listens there yet: for a real tool
    /// started as a server (ffmpeg -listen 1), whose listening socket appears some time after the process starts.
    /// </summary>
    public static async Task<TcpClient> ConnectWhenListeningAsync(int port, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        while (true)
        {
            var client = new TcpClient { NoDelay = true };
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                return client;
            }
            catch (SocketException) when (!timeout.IsCancellationRequested)
            {
                client.Dispose();
                await Task.Delay(50, timeout.Token); // polling a port the tool has not opened yet
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                client.Dispose();
                throw new Xunit.Sdk.XunitException($"Nothing listened on 127.0.0.1:{port} within {limit.TotalSeconds:0.#} s.");
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
    }

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
