using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lab04.LiveServer.Tests;

/// <summary>One FLV tag as a subscriber received it: type, timestamp (as written) and data.</summary>
internal sealed record ReceivedTag(byte Type, uint Timestamp, byte[] Data)
{
    public bool IsKeyFrame => Type == 9 && Data.Length > 1 && Data[0] >> 4 == 1 && Data[1] != 0;

    public bool IsSequenceHeader => Type is 8 or 9 && Data.Length > 1 && Data[1] == 0;

    public bool IsFrame => Type is 8 or 9 && !IsSequenceHeader;

    public override string ToString() => $"{(Type switch { 8 => "audio", 9 => "video", 18 => "script", _ => $"type {Type}" })} ts={Timestamp} size={Data.Length}{(IsKeyFrame ? " key" : "")}{(IsSequenceHeader ? " sequence header" : "")}";
}

/// <summary>
/// A raw HTTP/1.1 client that reads an HTTP-FLV response as the specs say, independently of the server's
/// code: the status line and header fields (RFC 9112 §4, §5), the chunked body (§7.1), and in it the
/// FLV header and tags (FLV specification §E.2–§E.4).
/// </summary>
internal sealed class HttpFlvClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private long _chunkLeft;
    private bool _ended;

    private HttpFlvClient(Socket socket) => _socket = socket;

    public int Status { get; private set; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Connects and sends <c>GET PATH HTTP/1.1</c>; a small <paramref name="receiveBuffer"/> makes a slow reader.</summary>
    public static async Task<HttpFlvClient> GetAsync(int port, string path, int? receiveBuffer = null, string? origin = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        using var deadline = Deadline.After(Deadline.Step);
        await socket.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
        string request = $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: lab04-tests\r\n{(origin is null ? "" : $"Origin: {origin}\r\n")}Accept: */*\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, deadline.Token);
        return new HttpFlvClient(socket);
    }

    /// <summary>Reads the status line and header fields.</summary>
    public async Task ReadHeadAsync(TimeSpan limit)
    {
        using var deadline = Deadline.After(limit);
        string statusLine = await ReadLineAsync(deadline.Token);
        var parts = statusLine.Split(' ', 3);
        Assert.True(parts.Length >= 2 && parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) && int.TryParse(parts[1], out _),
            $"An HTTP response starts with a status line like \"HTTP/1.1 200 OK\"; yours starts \"{statusLine}\". See README §HTTP-FLV.");
        Status = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        while (await ReadLineAsync(deadline.Token) is { Length: > 0 } line)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            Assert.True(colon > 0, $"A header field is \"Name: value\"; your server sent \"{line}\". See README §HTTP-FLV.");
            Headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
    }

    /// <summary>The rest of a response with a Content-Length (a 404's text).</summary>
    public async Task<string> ReadTextBodyAsync(TimeSpan limit)
    {
        using var deadline = Deadline.After(limit);
        int length = int.Parse(Headers.GetValueOrDefault("Content-Length", "0"), System.Globalization.CultureInfo.InvariantCulture);
        var body = new byte[length];
        await ReadRawAsync(body, deadline.Token);
        return Encoding.UTF8.GetString(body);
    }

    /// <summary>The FLV header and PreviousTagSize0 (13 bytes) from the chunked body.</summary>
    public async Task<byte[]> ReadFlvHeaderAsync(TimeSpan limit)
    {
        using var deadline = Deadline.After(limit);
        var header = new byte[13];
        Assert.True(await ReadBodyAsync(header, deadline.Token), "The body ended before the 9-byte FLV header and PreviousTagSize0. See README §HTTP-FLV.");
        return header;
    }

    /// <summary>The next tag; null at the clean end of the body (the last chunk).</summary>
    public async Task<ReceivedTag?> ReadTagAsync(TimeSpan limit)
    {
        using var deadline = Deadline.After(limit);
        try
        {
            var head = new byte[11];
            if (!await ReadBodyAsync(head, deadline.Token))
            {
                return null;
            }

            int size = head[1] << 16 | head[2] << 8 | head[3];
            uint timestamp = (uint)(head[4] << 16 | head[5] << 8 | head[6] | head[7] << 24);
            var data = new byte[size + 4];
            Assert.True(await ReadBodyAsync(data, deadline.Token), $"The body ended inside a tag of {size} bytes. See README §HTTP-FLV.");
            uint previous = Clip.UInt32(data, size);
            Assert.True(previous == 11 + size, $"Each FLV tag is followed by PreviousTagSize = 11 + DataSize = {11 + size}; yours says {previous} (FLV §E.3). See README §HTTP-FLV.");
            return new ReceivedTag((byte)(head[0] & 0x1F), timestamp, data[..size]);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"Your server sent no tag for {limit.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>Fills <paramref name="destination"/> from the chunked body; false at the last chunk (nothing read).</summary>
    private async Task<bool> ReadBodyAsync(byte[] destination, CancellationToken cancellationToken)
    {
        int filled = 0;
        while (filled < destination.Length)
        {
            if (_ended)
            {
                Assert.True(filled == 0, $"The body ended (last chunk) in the middle of an FLV structure ({filled} of {destination.Length} bytes). See README §HTTP-FLV.");
                return false;
            }

            if (_chunkLeft == 0)
            {
                string sizeLine = await ReadLineAsync(cancellationToken);
                Assert.True(long.TryParse(sizeLine.Split(';')[0].Trim(), System.Globalization.NumberStyles.HexNumber, null, out _chunkLeft),
                    $"With Transfer-Encoding: chunked each chunk starts with its size in hex and CRLF (RFC 9112 §7.1); your server sent \"{sizeLine}\". See README §HTTP-FLV.");
                if (_chunkLeft == 0)
                {
                    string after = await ReadLineAsync(cancellationToken);
                    Assert.True(after.Length == 0, $"The last chunk \"0\\r\\n\" is followed by an empty line; yours by \"{after}\".");
                    _ended = true;
                    continue;
                }
            }

            int take = (int)Math.Min(_chunkLeft, destination.Length - filled);
            await ReadRawAsync(destination.AsMemory(filled, take), cancellationToken);
            filled += take;
            _chunkLeft -= take;
            if (_chunkLeft == 0)
            {
                string crlf = await ReadLineAsync(cancellationToken);
                Assert.True(crlf.Length == 0, "Each chunk's data is followed by CRLF (RFC 9112 §7.1). See README §HTTP-FLV.");
            }
        }

        return true;
    }

    /// <summary>True when the server closed the connection (after what was read).</summary>
    public async Task<bool> ClosedAsync(TimeSpan limit)
    {
        using var deadline = Deadline.After(limit);
        try
        {
            return _start == _end && await _socket.ReceiveAsync(_buffer.AsMemory(0, 1), SocketFlags.None, deadline.Token) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private async Task ReadRawAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        int filled = 0;
        while (filled < destination.Length)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken);
            }

            int take = Math.Min(_end - _start, destination.Length - filled);
            _buffer.AsMemory(_start, take).CopyTo(destination[filled..]);
            _start += take;
            filled += take;
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken);
            }

            char c = (char)_buffer[_start++];
            if (c == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            Assert.True(line.Length < 8192, "A line of the response is longer than 8 KiB.");
            line.Append(c);
        }
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancellationToken);
        if (_end == 0)
        {
            throw new Xunit.Sdk.XunitException("Your server closed the connection in the middle of the response (a clean end is the last chunk \"0\\r\\n\\r\\n\"). See README §HTTP-FLV, §Clean ends.");
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
