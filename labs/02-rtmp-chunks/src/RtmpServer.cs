using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Lab01.RtmpHandshake;

namespace Lab02.RtmpChunks;

/// <summary>Choices for an <see cref="RtmpServer"/>.</summary>
public sealed class RtmpServerOptions
{
    /// <summary>The port on 127.0.0.1 (1935 is RTMP's; 0 lets the system pick a free one, see <see cref="RtmpServer.Port"/>).</summary>
    public int Port { get; init; }

    /// <summary>Options for every session (chunk size, window, idle timeout, message bound).</summary>
    public RtmpSessionOptions Session { get; init; } = new();

    /// <summary>How long a client may take to finish the handshake (a client that stalls in it is closed).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most connections served at once; more are closed at once.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>How many messages a player may have queued before it counts as too slow and is dropped.</summary>
    public int PlayerQueueLength { get; init; } = RtmpPlayer.DefaultQueueLength;

    /// <summary>True (the default): players get media the fast way, each message's chunks the same bytes for all of them, sent in batches (<see cref="RtmpPlayer.SharesChunks"/>).</summary>
    public bool ShareChunks { get; init; } = true;
}

/// <summary>How one connection ended: who it was, its session (null when the handshake failed) and the error (null: a clean close).</summary>
public sealed record RtmpConnectionEnded(EndPoint? RemoteEndPoint, RtmpSession? Session, Exception? Error);

/// <summary>
/// A small RTMP ingest server (推流服务器) on 127.0.0.1: publishers push streams ("live/test"), players
/// pull them (README §Server). Each connection runs in its own task: the handshake (your Lab 01
/// <see cref="HandshakeServer"/>), then an <see cref="RtmpSession"/>; whatever one client does wrong
/// ends that client's connection only.
/// <code>
/// await using var server = new RtmpServer(new() { Port = 1935 });
/// server.Start();
/// // ffmpeg -re -i clip.flv -c copy -f flv rtmp://127.0.0.1:1935/live/test
/// // ffmpeg -i rtmp://127.0.0.1:1935/live/test -c copy -f flv out.flv
/// </code>
/// </summary>
public sealed class RtmpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, LiveStream> _streams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    /// <summary>A server with <paramref name="options"/>; call <see cref="Start"/>.</summary>
    public RtmpServer(RtmpServerOptions? options = null)
    {
        Options = options ?? new RtmpServerOptions();
    }

    /// <summary>The options.</summary>
    public RtmpServerOptions Options { get; }

    /// <summary>The port the server listens on (after <see cref="Start"/>).</summary>
    public int Port { get; private set; }

    /// <summary>Called for every message every session receives, before the session handles it (the try tool logs them).</summary>
    public Func<RtmpSession, RtmpMessage, ValueTask>? MessageReceived { get; set; }

    /// <summary>Called when a session starts publishing a stream (with its key "app/name").</summary>
    public Action<RtmpSession, string>? PublishStarted { get; set; }

    /// <summary>Called when a session starts playing a stream (with its key "app/name"), after the player was added.</summary>
    public Action<RtmpSession, string>? PlayStarted { get; set; }

    /// <summary>Called when a connection ends, cleanly or not.</summary>
    public Action<RtmpConnectionEnded>? ConnectionEnded { get; set; }

    /// <summary>The streams known to the server, by key ("live/test").</summary>
    public IReadOnlyDictionary<string, LiveStream> Streams => _streams;

    /// <summary>Listens on 127.0.0.1:<see cref="RtmpServerOptions.Port"/> and starts accepting clients in the background.</summary>
    /// <exception cref="SocketException">The port is taken.</exception>
    public void Start()
    {
        throw new NotImplementedException("Lab 02 · M5: listen on IPAddress.Loopback (never on every interface), set Port from the listener's end point, start AcceptLoopAsync as a background task — README §Server");
    }

    /// <summary>Accepts clients until the server stops; each one is served by its own task.</summary>
    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        throw new NotImplementedException("Lab 02 · M5: loop: AcceptTcpClientAsync, then start ServeAsync(client) without awaiting it (keep the task in _connections; close at once beyond MaxConnections) — one slow client must never block the next accept — README §Server");
    }

    /// <summary>Serves one client: handshake, session, and whatever it publishes or plays. Never throws.</summary>
    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        await Task.Yield(); // the accept loop goes on at once
        throw new NotImplementedException("Lab 02 · M5: handshake with HandshakeServer.AcceptAsync within HandshakeTimeout, then run an RtmpSession whose PublishStarted/MediaReceived/PublishEnded/PlayStarted feed a LiveStream (StreamFor); catch every exception, close the client, report ConnectionEnded — README §Server, §Replay");
    }

    /// <summary>The stream a session publishes or plays: "app/name" from connect's app and the stream key.</summary>
    private LiveStream StreamFor(RtmpSession session)
    {
        string key = $"{session.App}/{session.StreamName}";
        return _streams.GetOrAdd(key, k => new LiveStream(k));
    }

    /// <summary>Stops listening, closes every connection and waits for their tasks.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _listener?.Stop();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (NotImplementedException)
        {
            // a learner's unfinished accept loop: nothing to wait for
        }

        await Task.WhenAll(_connections.Keys).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
