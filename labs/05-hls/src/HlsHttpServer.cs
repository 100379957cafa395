using System.Net;
using System.Text.RegularExpressions;

namespace Lab05.Hls;

/// <summary>
/// Serves the HLS output over HTTP: <c>GET /APP/STREAM/index.m3u8</c> and <c>/APP/STREAM/segN.ts</c> from the output
/// folder, with the content types of RFC 8216 §4 (<c>application/vnd.apple.mpegurl</c>) and of MPEG-TS
/// (<c>video/mp2t</c>), cache headers that let a CDN keep a segment (it never changes) but never a live playlist (it
/// changes with every segment), and <c>Access-Control-Allow-Origin: *</c> so that a page from another origin can play
/// it with hls.js. Anything else is 404; only GET and HEAD.
/// <para>For a low-latency stream (one whose state has a <see cref="LowLatencyPlaylist"/>) the playlist comes from what
/// the packager last published, and a request with <c>_HLS_msn</c>/<c>_HLS_part</c> is held until
/// <see cref="BlockingReload.Decide"/> says it can be answered (RFC 8216bis §6.2.5.2), for at most three target
/// durations (then 503), or refused with 400; a request for the part named by #EXT-X-PRELOAD-HINT is held until that
/// part is written (§6.2.6). Given code.</para>
/// </summary>
public sealed partial class HlsHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Func<string, HlsStreamState?>? _states;
    private Task? _serving;

    /// <summary>Creates the server for <paramref name="root"/> (the folder that holds APP/STREAM/...).</summary>
    /// <param name="root">The output folder.</param>
    /// <param name="address">The address to listen on.</param>
    /// <param name="port">The port.</param>
    /// <param name="states">The HLS state of a stream key ("live/test"), for low-latency streams; null for files only.</param>
    public HlsHttpServer(string root, IPAddress address, int port, Func<string, HlsStreamState?>? states = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        _root = Path.GetFullPath(root);
        _states = states;
        Port = port;
        _listener.Prefixes.Add($"http://{(address.Equals(IPAddress.Any) ? "+" : address.ToString())}:{port}/");
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>Cache-Control of a playlist: a live playlist changes with every segment.</summary>
    public const string PlaylistCacheControl = "no-cache";

    /// <summary>Cache-Control of a segment: its bytes never change once written.</summary>
    public const string SegmentCacheControl = "public, max-age=3600, immutable";

    [GeneratedRegex(@"^/(?<app>[A-Za-z0-9_\-]+)/(?<stream>[A-Za-z0-9_\-]+)/(?<file>index\.m3u8|seg[0-9]{1,9}(\.[0-9]{1,6})?\.ts)$")]
    private static partial Regex HlsPath();

    /// <summary>The Content-Type and Cache-Control of a file of the HLS output: a playlist (.m3u8) or a segment (.ts).</summary>
    public static (string ContentType, string CacheControl) HeadersFor(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        throw new NotImplementedException("Lab 05 · M5: \".m3u8\" → application/vnd.apple.mpegurl (RFC 8216 §4) and PlaylistCacheControl; \".ts\" → video/mp2t and SegmentCacheControl; anything else → ArgumentException — README §HLS out of the live server");
    }

    /// <summary>Starts listening.</summary>
    public void Start()
    {
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            response.AddHeader("Access-Control-Allow-Origin", "*");
            var match = HlsPath().Match(context.Request.Url?.AbsolutePath ?? "");
            bool head = context.Request.HttpMethod == "HEAD";
            if (!head && context.Request.HttpMethod != "GET")
            {
                response.StatusCode = 405;
                response.Close();
                return;
            }

            byte[]? body = null;
            int status = 404;
            if (match.Success)
            {
                var state = _states?.Invoke($"{match.Groups["app"].Value}/{match.Groups["stream"].Value}");
                string file = match.Groups["file"].Value;
                string path = Path.Combine(_root, match.Groups["app"].Value, match.Groups["stream"].Value, file);
                if (state?.LowLatency is { } lowLatency && file == HlsWriter.PlaylistName)
                {
                    (status, body) = await AnswerPlaylistAsync(state, lowLatency.TargetDuration, context.Request.QueryString["_HLS_msn"], context.Request.QueryString["_HLS_part"]).ConfigureAwait(false);
                }
                else
                {
                    if (state?.LowLatency is { } hinted && !File.Exists(path))
                    {
                        await WaitForHintedPartAsync(state, file, path, hinted.TargetDuration).ConfigureAwait(false);
                    }

                    try
                    {
                        body = await File.ReadAllBytesAsync(path).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                    {
                        body = null; // not written yet, or deleted after it expired
                    }
                }
            }

            if (body is null)
            {
                response.StatusCode = status;
                response.Close();
                return;
            }

            var (contentType, cacheControl) = HeadersFor(match.Groups["file"].Value);
            response.ContentType = contentType;
            response.AddHeader("Cache-Control", cacheControl);
            response.ContentLength64 = body.Length;
            if (!head)
            {
                await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
            }

            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            response.Abort(); // the client went away
        }
    }

    /// <summary>
    /// A low-latency playlist request: the published playlist once <see cref="BlockingReload.Decide"/> says Ready (held
    /// while it says Wait, at most three target durations, then 503 — RFC 8216bis §6.2.5.2), 400 when it says BadRequest,
    /// 404 before anything was published.
    /// </summary>
    private static async Task<(int Status, byte[]? Body)> AnswerPlaylistAsync(HlsStreamState state, int targetDuration, string? msn, string? part)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(3 * targetDuration));
        while (true)
        {
            var (current, next) = state.Watch();
            if (current is null)
            {
                return (404, null);
            }

            switch (BlockingReload.Decide(current.Position, msn, part))
            {
                case ReloadDecision.Ready:
                    return (200, System.Text.Encoding.UTF8.GetBytes(current.Text));
                case ReloadDecision.BadRequest:
                    return (400, null);
            }

            try
            {
                await next.WaitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return (503, null);
            }
        }
    }

    /// <summary>Holds a request for the part that #EXT-X-PRELOAD-HINT names until it is written (at most three target durations).</summary>
    private static async Task WaitForHintedPartAsync(HlsStreamState state, string file, string path, int targetDuration)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(3 * targetDuration));
        while (!File.Exists(path))
        {
            var (current, next) = state.Watch();
            if (current?.Hint != file)
            {
                return; // not the hinted part: 404 at once (§6.2.6), or it was just written
            }

            try
            {
                await next.WaitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_listener.IsListening)
        {
            _listener.Stop();
        }

        _listener.Close();
        if (_serving is not null)
        {
            await _serving.ConfigureAwait(false);
        }
    }
}
