using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Lab01.RtmpHandshake;

namespace Lab04.LiveServer;

/// <summary>
/// The live server (直播服务器, the learner's own node-media-server): RTMP in (推流), RTMP and HTTP-FLV out
/// (拉流), one <see cref="StreamRegistry"/> between them (README §Architecture).
/// <code>
/// await using var server = new LiveServer(new() { RtmpPort = 1935, HttpPort = 8080 });
/// server.Start();
/// // ffmpeg -re -i clip.flv -c copy -f flv rtmp://127.0.0.1:1935/live/test
/// // ffplay http://127.0.0.1:8080/live/test.flv
/// </code>
/// Each connection runs in its own task; whatever one client does wrong ends that connection only.
/// Disposing stops gracefully: the listeners close, every subscriber gets a clean end, every task is awaited.
/// </summary>
public sealed class LiveServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _accepting = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private bool _disposed;

    /// <summary>A server with <paramref name="options"/>; call <see cref="Start"/>.</summary>
    public LiveServer(LiveServerOptions? options = null)
    {
        Options = options ?? new LiveServerOptions();
        Streams = new StreamRegistry(Options);
    }

    /// <summary>The options.</summary>
    public LiveServerOptions Options { get; }

    /// <summary>The streams.</summary>
    public StreamRegistry Streams { get; }

    /// <summary>The RTMP port (after <see cref="Start"/>).</summary>
    public int RtmpPort { get; private set; }

    /// <summary>The HTTP port (after <see cref="Start"/>).</summary>
    public int HttpPort { get; private set; }

    /// <summary>Connections being served now (RTMP and HTTP).</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>One line per event worth a log: publish, refusal, play, end, a client's error.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Listens for RTMP and HTTP on <see cref="LiveServerOptions.Address"/> and starts accepting in the background.</summary>
    /// <exception cref="SocketException">A port is taken.</exception>
    public void Start()
    {
        if (_listeners.Count > 0)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        var rtmp = Listen(Options.RtmpPort);
        var http = Listen(Options.HttpPort);
        RtmpPort = ((IPEndPoint)rtmp.LocalEndPoint!).Port;
        HttpPort = ((IPEndPoint)http.LocalEndPoint!).Port;
        _acceptLoops.Add(AcceptLoopAsync(rtmp, ServeRtmpAsync));
        _acceptLoops.Add(AcceptLoopAsync(http, ServeHttpAsync));
    }

    private Socket Listen(int port)
    {
        var socket = new Socket(Options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(Options.Address, port));
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _listeners.Add(socket);
        return socket;
    }

    private async Task AcceptLoopAsync(Socket listener, Func<Socket, string, CancellationToken, Task> serve)
    {
        var token = _accepting.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException && token.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // a client that vanished while being accepted
            }

            if (_connections.Count >= Options.MaxConnections)
            {
                client.Dispose();
                continue;
            }

            var connection = ServeAsync(client, serve, _stopping.Token);
            _connections.TryAdd(connection, true);
            _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client, Func<Socket, string, CancellationToken, Task> serve, CancellationToken cancellationToken)
    {
        await Task.Yield(); // the accept loop goes on at once
        string remote = client.RemoteEndPoint?.ToString() ?? "?";
        try
        {
            client.NoDelay = true;
            if (Options.SendBufferSize is { } size)
            {
                client.SendBufferSize = size;
            }
            await serve(client, remote, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log?.Invoke($"{remote}: {e.GetType().Name}: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            // the server stops
        }
        finally
        {
            try
            {
                client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // already closed
            }

            client.Dispose();
        }
    }

    private async Task ServeRtmpAsync(Socket client, string remote, CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(client, ownsSocket: false);
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            handshake.CancelAfter(Options.HandshakeTimeout);
            try
            {
                await HandshakeServer.AcceptAsync(stream, null, handshake.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No RTMP handshake within {Options.HandshakeTimeout.TotalSeconds:0.#} s.");
            }
        }

        await new RtmpConnection(stream, Streams, Options, remote) { Log = Log }.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task ServeHttpAsync(Socket client, string remote, CancellationToken cancellationToken) =>
        new HttpConnection(client, Streams, Options, remote) { Log = Log }.RunAsync(cancellationToken);

    /// <summary>
    /// Stops gracefully: stops listening, gives every subscriber a clean end (HTTP: the last chunk; RTMP:
    /// Stream EOF), then cancels what is left and waits for every connection's task, so that no socket and
    /// no task outlive the server (README §Clean ends).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _accepting.CancelAsync().ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);

        // Subscribers end cleanly first; publishers and the rest are cancelled after.
        Streams.EndAll();
        await WaitForConnectionsAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await WaitForConnectionsAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (Options.RecordFolder is { } folder)
        {
            await Recorder.WhenAllCompleteAsync(folder).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false); // every recording is closed
        }

        _stopping.Dispose();
        _accepting.Dispose();
    }

    private async Task WaitForConnectionsAsync(TimeSpan limit)
    {
        try
        {
            await Task.WhenAll(_connections.Keys).WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // the caller cancels what is left
        }
    }
}
