using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lab09.WebRtc;

/// <summary>
/// The signalling (信令) endpoint: a small HTTP/1.1 server on 127.0.0.1 (README §Signalling). <c>GET /</c> is the page;
/// <c>POST /publish/{stream}</c> and <c>POST /watch/{stream}</c> take an SDP offer as the body and return the answer
/// (<c>application/sdp</c>): one request, one response, then the connection closes. Pages of other origins may call it
/// (<c>Access-Control-Allow-Origin: *</c>, as WHIP endpoints allow; notebook 09's latency page does). Given code.
/// </summary>
internal sealed class HttpSignalling : IAsyncDisposable
{
    private const int MaxHeader = 16 * 1024;
    private const int MaxBody = 64 * 1024;
    private readonly WebRtcServer _server;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    public HttpSignalling(WebRtcServer server, IPEndPoint endPoint)
    {
        _server = server;
        _listener = new TcpListener(endPoint);
        _listener.Start();
        var local = (IPEndPoint)_listener.LocalEndpoint;
        PageUri = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{local.Address}:{local.Port}/"));
        _accepting = AcceptAsync(_stopping.Token);
    }

    public Uri PageUri { get; }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client, cancellationToken);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(30)); // a client that stops sending cannot hold the connection
            var stream = client.GetStream();
            try
            {
                var (method, path, body) = await ReadRequestAsync(stream, limit.Token).ConfigureAwait(false);
                var (status, type, content) = Respond(method, path, body);
                byte[] bytes = Encoding.UTF8.GetBytes(content);
                string head = string.Create(CultureInfo.InvariantCulture,
                    $"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {bytes.Length}\r\nCache-Control: no-store\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), limit.Token).ConfigureAwait(false);
                await stream.WriteAsync(bytes, limit.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or FormatException)
            {
                // a client that went away or sent no HTTP: the server goes on with the others
            }
        }
    }

    private (string Status, string Type, string Content) Respond(string method, string path, string body)
    {
        try
        {
            if (method == "GET" && path == "/")
            {
                return ("200 OK", "text/html; charset=utf-8", WebRtcPage.Html);
            }

            string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (method != "POST" || parts.Length != 2 || parts[0] is not ("publish" or "watch"))
            {
                return ("404 Not Found", "text/plain", $"no {method} {path}: GET /, POST /publish/{{stream}} or POST /watch/{{stream}} with an SDP offer");
            }

            string stream = Uri.UnescapeDataString(parts[1]);
            if (parts[0] == "publish")
            {
                return ("200 OK", "application/sdp", _server.Publish(stream, body));
            }

            return _server.Watch(stream, body) is { } answer
                ? ("200 OK", "application/sdp", answer)
                : ("404 Not Found", "text/plain", $"nobody publishes stream '{stream}'");
        }
        catch (WebRtcException e)
        {
            return ("400 Bad Request", "text/plain", $"{e.Protocol} {e.Field}: {e.Message}");
        }
        catch (NotImplementedException e)
        {
            return ("501 Not Implemented", "text/plain", e.Message);
        }
    }

    private static async Task<(string Method, string Path, string Body)> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeader + MaxBody];
        int filled = 0, headerEnd;
        while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (filled >= MaxHeader)
            {
                throw new FormatException("the request's header is longer than 16 KB");
            }

            int read = await stream.ReadAsync(buffer.AsMemory(filled, MaxHeader - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the client closed before the end of the header");
            }

            filled += read;
        }

        string[] lines = Encoding.ASCII.GetString(buffer, 0, headerEnd).Split("\r\n");
        string[] request = lines[0].Split(' ');
        if (request.Length != 3)
        {
            throw new FormatException("not an HTTP request line");
        }

        int length = 0;
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }

        if (length > MaxBody)
        {
            throw new FormatException("an offer is at most 64 KB");
        }

        int bodyStart = headerEnd + 4;
        while (filled < bodyStart + length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(filled, bodyStart + length - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the client closed before the end of the body");
            }

            filled += read;
        }

        string path = request[1].Split('?')[0];
        return (request[0], path, Encoding.UTF8.GetString(buffer, bodyStart, length));
    }
}
