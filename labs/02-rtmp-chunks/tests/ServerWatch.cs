using System.Net;
using System.Net.Sockets;

namespace Lab02.RtmpChunks.Tests;

/// <summary>What a test sees of a running <see cref="RtmpServer"/>: the messages it received, who published or played, which connections ended and how.</summary>
internal sealed class ServerWatch
{
    private readonly object _lock = new();
    private readonly List<(RtmpSession Session, RtmpMessage Message)> _messages = [];
    private readonly List<RtmpConnectionEnded> _ended = [];
    private readonly List<(Func<RtmpConnectionEnded, bool> Match, TaskCompletionSource<RtmpConnectionEnded> Done)> _waiting = [];

    public ServerWatch(RtmpServer server)
    {
        server.MessageReceived = (session, message) =>
        {
            lock (_lock)
            {
                _messages.Add((session, message));
            }

            return ValueTask.CompletedTask;
        };
        server.PublishStarted = (_, key) => Published.TrySetResult(key);
        server.PlayStarted = (_, key) => Played.TrySetResult(key);
        server.ConnectionEnded = ended =>
        {
            lock (_lock)
            {
                _ended.Add(ended);
                foreach (var (match, done) in _waiting.Where(w => w.Match(ended)))
                {
                    done.TrySetResult(ended);
                }
            }
        };
    }

    /// <summary>Completes with the key of the first stream published.</summary>
    public TaskCompletionSource<string> Published { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the key of the first stream played.</summary>
    public TaskCompletionSource<string> Played { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every message received so far, from every session.</summary>
    public List<(RtmpSession Session, RtmpMessage Message)> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>The audio and video messages received so far.</summary>
    public List<RtmpMessage> Media => [.. Messages.Select(m => m.Message).Where(m => m.TypeId is 8 or 9)];

    /// <summary>The connections that ended so far, for failure messages.</summary>
    public string Ended
    {
        get
        {
            lock (_lock)
            {
                return _ended.Count == 0 ? "none" : string.Join("; ", _ended.Select(e => $"{e.RemoteEndPoint}: {e.Error?.GetType().Name ?? "closed"} {e.Error?.Message}"));
            }
        }
    }

    /// <summary>True once the connection from <paramref name="client"/> has ended.</summary>
    public bool HasEnded(TcpClient client)
    {
        var endPoint = client.Client.LocalEndPoint;
        lock (_lock)
        {
            return _ended.Any(e => Same(e.RemoteEndPoint, endPoint));
        }
    }

    /// <summary>Completes when the server reports the end of the connection from <paramref name="client"/>.</summary>
    public Task<RtmpConnectionEnded> EndOf(TcpClient client)
    {
        var endPoint = (IPEndPoint)client.Client.LocalEndPoint!;
        var done = new TaskCompletionSource<RtmpConnectionEnded>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_ended.FirstOrDefault(e => Same(e.RemoteEndPoint, endPoint)) is { } already)
            {
                done.TrySetResult(already);
            }
            else
            {
                _waiting.Add((e => Same(e.RemoteEndPoint, endPoint), done));
            }
        }

        return done.Task;
    }

    /// <summary>The same end point, whether written as IPv4 (127.0.0.1) or IPv4-mapped IPv6 (a dual-mode TcpClient's ::ffff:127.0.0.1).</summary>
    private static bool Same(EndPoint? a, EndPoint? b) =>
        a is IPEndPoint x && b is IPEndPoint y && x.Port == y.Port && x.Address.MapToIPv4().Equals(y.Address.MapToIPv4());
}

/// <summary>A scripted RTMP client: a plain handshake written here from the spec (§5.2), then chunks written and read with your ChunkWriter and ChunkStreamReader.</summary>
internal sealed class ScriptedClient : IDisposable
{
    private readonly ChunkWriter _writer = new();

    private ScriptedClient(TcpClient tcp)
    {
        Tcp = tcp;
        Reader = new ChunkStreamReader(tcp.GetStream());
    }

    public TcpClient Tcp { get; }

    public NetworkStream Stream => Tcp.GetStream();

    public ChunkStreamReader Reader { get; }

    public static async Task<ScriptedClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        return new ScriptedClient(tcp);
    }

    /// <summary>C0 (03) + C1 (time 0, zero 0, random), read S0 + S1 + S2, send C2 = S1 (RTMP 1.0 §5.2.5).</summary>
    public async Task HandshakeAsync()
    {
        var c0c1 = new byte[1 + 1536];
        c0c1[0] = 3;
        new Random(2).NextBytes(c0c1.AsSpan(9));
        await Stream.WriteAsync(c0c1, TestContext.Current.CancellationToken);
        var s0s1s2 = new byte[1 + 2 * 1536];
        await Deadline.Within(Stream.ReadExactlyAsync(s0s1s2, TestContext.Current.CancellationToken).AsTask(), Deadline.Step, "your server's S0 + S1 + S2 (the handshake, Lab 01)");
        await Stream.WriteAsync(s0s1s2.AsMemory(1, 1536), TestContext.Current.CancellationToken);
    }

    public async Task SendAsync(int chunkStreamId, RtmpMessage message) =>
        await Stream.WriteAsync(_writer.Write(chunkStreamId, message), TestContext.Current.CancellationToken);

    /// <summary>Reads messages until one matches, failing after <paramref name="limit"/>.</summary>
    public async Task<List<RtmpMessage>> ReadUntilAsync(Func<RtmpMessage, bool> last, TimeSpan limit, string waitingFor)
    {
        var messages = new List<RtmpMessage>();
        using var deadline = Deadline.After(limit);
        try
        {
            while (true)
            {
                var message = await Reader.ReadMessageAsync(deadline.Token)
                    ?? throw new Xunit.Sdk.XunitException($"Your server closed the connection while the test waited for {waitingFor}; it had sent: {string.Join("; ", messages.Select(Bytes.Describe))}.");
                messages.Add(message);
                if (last(message))
                {
                    return messages;
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {waitingFor}; your server had sent {messages.Count} messages: {string.Join("; ", messages.TakeLast(8).Select(Bytes.Describe))}.");
        }
    }

    public void Dispose() => Tcp.Dispose();
}
