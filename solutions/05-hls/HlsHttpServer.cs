using System.Net;
using System.Text.RegularExpressions;

namespace Lab05.Hls;

/// <summary>
/// Serves the HLS output over HTTP: <c>GET /APP/STREAM/index.m3u8</c> and <c>/APP/STREAM/segN.ts</c> from the output
/// folder, with the content types of RFC 8216 §4 (<c>application/vnd.apple.mpegurl</c>) and of MPEG-TS
/// (<c>video/mp2t</c>), cache headers that let a CDN keep a segment (it never changes) but never a live playlist (it
/// changes with every segment), and <c>Access-Control-Allow-Origin: *</c> so that a page from another origin can play
/// it with hls.js. Anything else is 404; only GET and HEAD. Given code.
/// </summary>
public sealed partial class HlsHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private Task? _serving;

    /// <summary>Creates the server for <paramref name="root"/> (the folder that holds APP/STREAM/...).</summary>
    public HlsHttpServer(string root, IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        _root = Path.GetFullPath(root);
        Port = port;
        _listener.Prefixes.Add($"http://{(address.Equals(IPAddress.Any) ? "+" : address.ToString())}:{port}/");
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>Cache-Control of a playlist: a live playlist changes with every segment.</summary>
    public const string PlaylistCacheControl = "no-cache";

    /// <summary>Cache-Control of a segment: its bytes never change once written.</summary>
    public const string SegmentCacheControl = "public, max-age=3600, immutable";

    [GeneratedRegex(@"^/(?<app>[A-Za-z0-9_\-]+)/(?<stream>[A-Za-z0-9_\-]+)/(?<file>index\.m3u8|seg[0-9]{1,9}\.ts)$")]
    private static partial Regex HlsPath();

    /// <summary>The Content-Type and Cache-Control of a file of the HLS output: a playlist (.m3u8) or a segment (.ts).</summary>
    public static (string ContentType, string CacheControl) HeadersFor(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        #region lab M5: ".m3u8" → application/vnd.apple.mpegurl (RFC 8216 §4) and PlaylistCacheControl; ".ts" → video/mp2t and SegmentCacheControl; anything else → ArgumentException — README §HLS out of the live server
        if (fileName.EndsWith(".m3u8", StringComparison.Ordinal))
        {
            return (MediaPlaylist.ContentType, PlaylistCacheControl);
        }

        if (fileName.EndsWith(".ts", StringComparison.Ordinal))
        {
            return ("video/mp2t", SegmentCacheControl);
        }

        throw new ArgumentException($"{fileName} is neither a playlist nor a segment.", nameof(fileName));
        #endregion
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
            if (match.Success)
            {
                string path = Path.Combine(_root, match.Groups["app"].Value, match.Groups["stream"].Value, match.Groups["file"].Value);
                try
                {
                    body = await File.ReadAllBytesAsync(path).ConfigureAwait(false);
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    body = null; // not written yet, or deleted after it expired
                }
            }

            if (body is null)
            {
                response.StatusCode = 404;
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
