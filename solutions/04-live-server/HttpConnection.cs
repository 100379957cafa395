using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Lab04.LiveServer;

/// <summary>
/// One HTTP connection: reads the request head (bounded in size and time), then answers one request
/// and closes (README §HTTP-FLV): <c>GET /app/stream.flv</c> plays a stream, <c>GET /</c> is the page that
/// lists and plays the live streams, <c>GET /api/streams</c> the list as JSON, <c>GET /players/…</c> the
/// npm players, <c>OPTIONS</c> a CORS preflight. Given code, except what a stream request does.
/// </summary>
public sealed class HttpConnection
{
    private readonly Socket _socket;
    private readonly StreamRegistry _registry;
    private readonly LiveServerOptions _options;

    /// <summary>A connection on <paramref name="socket"/>.</summary>
    public HttpConnection(Socket socket, StreamRegistry registry, LiveServerOptions options, string remote)
    {
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Remote = remote;
    }

    /// <summary>The peer's address.</summary>
    public string Remote { get; }

    /// <summary>Logs one line.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Serves the one request.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(_socket, ownsSocket: false);
        HttpRequestHead? request;
        using (var head = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            head.CancelAfter(_options.HandshakeTimeout); // a slowloris is closed
            try
            {
                request = await HttpRequestHead.ReadAsync(stream, head.Token).ConfigureAwait(false);
            }
            catch (LiveServerException e)
            {
                await AnswerAsync(stream, 400, "Bad Request", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(e.Message + "\n"), cancellationToken).ConfigureAwait(false);
                throw;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LiveServerException("request head", 0, $"No complete request head within {_options.HandshakeTimeout.TotalSeconds:0.#} s.");
            }
        }

        if (request is null)
        {
            return;
        }

        if (request.Method == "OPTIONS")
        {
            await AnswerAsync(stream, 204, "No Content", null, [], cancellationToken).ConfigureAwait(false);
            return;
        }

        if (request.Method != "GET")
        {
            await AnswerAsync(stream, 405, "Method Not Allowed", "text/plain; charset=utf-8", "Only GET (and OPTIONS).\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            return;
        }

        string path = request.Path;
        if (path == "/")
        {
            await AnswerAsync(stream, 200, "OK", "text/html; charset=utf-8", Encoding.UTF8.GetBytes(PlayerPage.Html), cancellationToken).ConfigureAwait(false);
        }
        else if (path == "/monitor")
        {
            await AnswerAsync(stream, 200, "OK", "text/html; charset=utf-8", Encoding.UTF8.GetBytes(MonitorPage.Html), cancellationToken).ConfigureAwait(false);
        }
        else if (path == "/api/streams")
        {
            await AnswerAsync(stream, 200, "OK", "application/json", StreamsJson(), cancellationToken).ConfigureAwait(false);
        }
        else if (path == "/api/recordings")
        {
            var recordings = _options.RecordFolder is { } folder ? Recorder.List(folder) : [];
            await AnswerAsync(stream, 200, "OK", "application/json", JsonSerializer.SerializeToUtf8Bytes(new { recordings }, JsonOptions), cancellationToken).ConfigureAwait(false);
        }
        else if (path.StartsWith("/recordings/", StringComparison.Ordinal))
        {
            await ServeRecordingAsync(stream, request, cancellationToken).ConfigureAwait(false);
        }
        else if (path.StartsWith("/players/", StringComparison.Ordinal))
        {
            await ServePlayerFileAsync(stream, path["/players/".Length..], cancellationToken).ConfigureAwait(false);
        }
        else if (path.EndsWith(".flv", StringComparison.Ordinal) && StreamKey.TryParse(path[1..^".flv".Length], out string? key))
        {
            if (_options.AuthSecret is { } secret && _options.AuthPlay
                && SignedUrl.Verify("/" + key, request.Query, secret, _options.Clock.GetUtcNow()) is var check and not SignCheck.Valid)
            {
                Log?.Invoke($"{Remote}: GET /{key}.flv refused: signature {check} (403)");
                await AnswerAsync(stream, 403, "Forbidden", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes($"Playing {key} needs a valid ?sign=EXPIRY-HASH; this one is {check.ToString().ToLowerInvariant()}.\n"), cancellationToken).ConfigureAwait(false);
                return;
            }

            await PlayAsync(key, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await AnswerAsync(stream, 404, "Not Found", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes($"Nothing at {path}: streams are at /app/stream.flv.\n"), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// GET /app/stream.flv: subscribes; the subscriber answers 200 and the FLV when the stream is (or goes)
    /// live, or 404 when it does not within <see cref="LiveServerOptions.PublisherWait"/> (README §Registry).
    /// </summary>
    private async Task PlayAsync(string key, CancellationToken cancellationToken)
    {
        var subscriber = new HttpFlvSubscriber(_socket, _options, Remote);
        _registry.Subscribe(key, subscriber);
        Log?.Invoke($"{Remote}: GET /{key}.flv");
        // The client sends nothing more; when it closes, stop at once instead of at the next failed write.
        _ = WatchForCloseAsync(subscriber);
        try
        {
            await subscriber.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException && !cancellationToken.IsCancellationRequested)
        {
            // the player went away, or was closed for reading too slowly: not an error of the server
            if (subscriber.WasTooSlow)
            {
                Log?.Invoke($"{Remote}: closed: too slow for {key} (its queue was full)");
            }
        }
        finally
        {
            _registry.Unsubscribe(subscriber);
            Log?.Invoke($"{Remote}: {(subscriber.Started ? $"left {key} (sent {subscriber.SentTags} tags, dropped {subscriber.DroppedTags})" : $"{key} did not go live within {_options.PublisherWait.TotalSeconds:0.#} s (404)")}");
        }
    }

    private async Task WatchForCloseAsync(Subscriber subscriber)
    {
        var buffer = new byte[256];
        try
        {
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None, subscriber.Closed).ConfigureAwait(false) > 0)
            {
                // a client may send more (nothing it says matters now)
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            return;
        }

        subscriber.Close();
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// GET /recordings/app/name/FILE.flv: a recording, whole (200) or the one byte range the Range field asks
    /// for (206 Partial Content with Content-Range; 416 when it selects nothing), so a player can seek (README §Recording).
    /// </summary>
    private async Task ServeRecordingAsync(NetworkStream stream, HttpRequestHead request, CancellationToken cancellationToken)
    {
        string? file = _options.RecordFolder is { } folder ? Recorder.Resolve(folder, request.Path) : null;
        if (file is null)
        {
            Log?.Invoke($"{Remote}: GET {request.Path}: no such recording (404)");
            await AnswerAsync(stream, 404, "Not Found", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes("No such recording: recordings are at /recordings/app/name/FILE.flv, listed at /api/recordings.\n"), cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var content = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, useAsync: true);
        var range = ByteRange.Parse(request.Headers.GetValueOrDefault("Range"), content.Length);
        Log?.Invoke($"{Remote}: GET {request.Path} Range: {request.Headers.GetValueOrDefault("Range") ?? "(none)"} → {range.Kind} {range.ContentRange}");
        var (status, reason) = range.Kind switch
        {
            ByteRangeKind.Partial => (206, "Partial Content"),
            ByteRangeKind.Unsatisfiable => (416, "Range Not Satisfiable"),
            _ => (200, "OK"),
        };
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(status).Append(' ').Append(reason).Append("\r\n")
            .Append("Access-Control-Allow-Origin: *\r\n")
            .Append("Access-Control-Expose-Headers: Content-Range, Content-Length, Accept-Ranges\r\n")
            .Append("Accept-Ranges: bytes\r\n")
            .Append("Connection: close\r\n")
            .Append("Content-Type: ").Append(range.Kind == ByteRangeKind.Unsatisfiable ? "text/plain; charset=utf-8" : "video/x-flv").Append("\r\n");
        if (range.ContentRange is { } contentRange)
        {
            head.Append("Content-Range: ").Append(contentRange).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(range.Count).Append("\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);
        if (range.Count == 0)
        {
            return;
        }

        content.Position = range.Kind == ByteRangeKind.Partial ? range.First : 0;
        var buffer = new byte[64 * 1024];
        for (long left = range.Count; left > 0;)
        {
            int read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"{file} became shorter while it was served.");
            }

            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            left -= read;
        }
    }

    /// <summary>
    /// GET /api/streams: every live stream with what the monitoring page shows (README §Monitoring): who publishes,
    /// what it carries, bytes and average bit rates in and out since the publish started, subscribers, drops.
    /// </summary>
    private byte[] StreamsJson()
    {
        var now = DateTime.UtcNow;
        var streams = _registry.Channels.Where(c => c.IsLive).Select(c =>
        {
            var subscribers = c.Subscribers;
            var media = c.Media;
            double uptime = c.PublishedSince is { } since ? Math.Max(0, (now - since).TotalSeconds) : 0;
            long bytesIn = c.BytesIn, bytesOut = c.BytesOut;
            return new
            {
                key = c.Key,
                flv = "/" + c.Key + ".flv",
                publisher = c.PublisherAddress,
                publishedSince = c.PublishedSince,
                uptimeSeconds = Math.Round(uptime, 3),
                tagsIn = c.TagsIn,
                bytesIn,
                bytesOut,
                bitrateIn = uptime > 0 ? Math.Round(bytesIn * 8 / uptime) : 0,
                bitrateOut = uptime > 0 ? Math.Round(bytesOut * 8 / uptime) : 0,
                subscribers = subscribers.Count,
                droppedTags = c.DroppedTags,
                video = media.VideoCodec is null ? null : new { codec = media.VideoCodec, width = media.Width, height = media.Height, frameRate = media.FrameRate },
                audio = media.AudioCodec is null ? null : new { codec = media.AudioCodec, sampleRate = media.SampleRate, channels = media.Channels },
            };
        });
        return JsonSerializer.SerializeToUtf8Bytes(new { streams });
    }

    private async Task ServePlayerFileAsync(NetworkStream stream, string name, CancellationToken cancellationToken)
    {
        // Only the players' built files, by a fixed name: nothing else on disk is reachable.
        string? relative = name switch
        {
            "mpegts.js" => "node_modules/mpegts.js/dist/mpegts.js",
            "hls.js" => "node_modules/hls.js/dist/hls.min.js",
            _ => null,
        };
        string? file = relative is null || _options.PlayersFolder is null ? null : Path.Combine(_options.PlayersFolder, relative);
        if (file is null || !File.Exists(file))
        {
            await AnswerAsync(stream, 404, "Not Found", "text/plain; charset=utf-8",
                Encoding.UTF8.GetBytes($"No player {name}: install the players with `cd tools/players && npm ci` and start the server with PlayersFolder set (workbook try 04 does).\n"), cancellationToken).ConfigureAwait(false);
            return;
        }

        await AnswerAsync(stream, 200, "OK", "text/javascript; charset=utf-8", await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A whole answer with a Content-Length, CORS allowed, then the connection closes.</summary>
    public static async Task AnswerAsync(Stream stream, int status, string reason, string? contentType, byte[] body, CancellationToken cancellationToken)
    {
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(status).Append(' ').Append(reason).Append("\r\n")
            .Append("Access-Control-Allow-Origin: *\r\n")
            .Append("Access-Control-Allow-Methods: GET, OPTIONS\r\n")
            .Append("Access-Control-Allow-Headers: *\r\n")
            .Append("Cache-Control: no-cache\r\n")
            .Append("Connection: close\r\n");
        if (contentType is not null)
        {
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }
}
