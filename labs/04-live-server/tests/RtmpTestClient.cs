using System.Net;
using System.Net.Sockets;
using Lab01.RtmpHandshake;
using Lab02.RtmpChunks;

namespace Lab04.LiveServer.Tests;

/// <summary>
/// A scripted RTMP client for the tests: the handshake (Lab 01), then commands and media as chunks
/// (Lab 02's writer and reader), so that a test controls exactly which tags a publisher sends and when,
/// and reads exactly what a player gets — the status codes of RTMP 1.0 §7.2.2 and the media messages.
/// </summary>
internal sealed class RtmpTestClient : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly ChunkWriter _writer = new();
    private readonly ChunkStreamReader _reader;
    private double _transaction = 1;

    private RtmpTestClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new ChunkStreamReader(_stream);
    }

    /// <summary>This client's address as the server sees it ("127.0.0.1:PORT").</summary>
    public string LocalAddress => _client.Client.LocalEndPoint is IPEndPoint local
        ? new IPEndPoint(local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address, local.Port).ToString()
        : "";

    /// <summary>The message stream createStream gave.</summary>
    public uint StreamId { get; private set; }

    /// <summary>Connects to rtmp://127.0.0.1:PORT/APP: handshake, connect, createStream.</summary>
    public static async Task<RtmpTestClient> ConnectAsync(int port, string app = "live")
    {
        var tcp = new TcpClient { NoDelay = true };
        using var deadline = Deadline.After(Deadline.Step);
        await tcp.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
        var client = new RtmpTestClient(tcp);
        try
        {
            await HandshakeClient.ConnectAsync(client._stream, null, deadline.Token);
            await client.SendAsync(ProtocolControl.ChunkStreamId, ProtocolControl.SetChunkSize(4096));
            client._writer.SetChunkSize(4096);
            await client.CallAsync("connect", new Amf0Object { { "app", app }, { "type", "nonprivate" }, { "tcUrl", $"rtmp://127.0.0.1:{port}/{app}" } }, 0);
            var created = await client.CallAsync("createStream", null, 0);
            client.StreamId = (uint)(double)created.Arguments[0]!;
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>The level ("status", "error") of the last onStatus read by <see cref="PublishAsync"/> or <see cref="PlayAsync"/>.</summary>
    public string? LastLevel { get; private set; }

    /// <summary>publish NAME, and the code of the onStatus that answers it.</summary>
    public async Task<string> PublishAsync(string name)
    {
        await SendAsync(3, new RtmpCommand("publish", 0, null, name, "live").ToMessage(StreamId));
        return await StatusAsync(Deadline.Step);
    }

    /// <summary>play NAME, and the code of the onStatus that answers it (which may take as long as the server lets a player wait).</summary>
    public async Task<string> PlayAsync(string name, TimeSpan limit)
    {
        await SendAsync(3, new RtmpCommand("play", 0, null, name, -2.0).ToMessage(StreamId));
        return await StatusAsync(limit);
    }

    /// <summary>Sends one clip tag as a publisher does: audio (8), video (9), or data (18, as "@setDataFrame" + the tag's data).</summary>
    public Task SendTagAsync(ClipTag tag, uint? timestamp = null)
    {
        var payload = tag.Type == 18 ? [.. Amf0.Encode("@setDataFrame"), .. tag.Data] : tag.Data;
        return SendAsync(tag.Type == 8 ? 4 : 6, new RtmpMessage(tag.Type, timestamp ?? tag.Timestamp, StreamId, payload));
    }

    /// <summary>Sends a message.</summary>
    public async Task SendAsync(int chunkStreamId, RtmpMessage message)
    {
        var bytes = _writer.Write(chunkStreamId, message);
        using var deadline = Deadline.After(Deadline.Step);
        await _stream.WriteAsync(bytes, deadline.Token);
    }

    /// <summary>The next message, or null when the server closed the connection; fails after <paramref name="limit"/>.</summary>
    public async Task<RtmpMessage?> ReadAsync(TimeSpan limit)
    {
        using var deadline = Deadline.After(limit);
        try
        {
            return await _reader.ReadMessageAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"Your server sent nothing more for {limit.TotalSeconds:0.#} s.");
        }
        catch (IOException)
        {
            return null; // reset by the server: the connection is over
        }
    }

    /// <summary>Reads until an onStatus and returns its code ("(closed)" when the server closed first).</summary>
    private async Task<string> StatusAsync(TimeSpan limit)
    {
        while (await ReadAsync(limit) is { } message)
        {
            if (message.TypeId == MessageType.CommandAmf0 && RtmpCommand.Parse(message) is { Name: "onStatus" } status)
            {
                LastLevel = (status.Arguments.FirstOrDefault() as Amf0Object)?.GetString("level");
                return (status.Arguments.FirstOrDefault() as Amf0Object)?.GetString("code") ?? "(no code)";
            }
        }

        return "(closed)";
    }

    private async Task<RtmpCommand> CallAsync(string name, object? commandObject, uint messageStreamId)
    {
        double id = _transaction++;
        await SendAsync(3, new RtmpCommand(name, id, commandObject).ToMessage(messageStreamId));
        while (await ReadAsync(Deadline.Step) is { } message)
        {
            if (message.TypeId == MessageType.CommandAmf0 && RtmpCommand.Parse(message) is { } reply && reply.TransactionId == id)
            {
                Assert.True(reply.Name == "_result", $"Your server answered {name} with {reply}; it must answer _result (Lab 02 README §Commands).");
                return reply;
            }
        }

        throw new Xunit.Sdk.XunitException($"Your server closed the connection instead of answering {name}.");
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
