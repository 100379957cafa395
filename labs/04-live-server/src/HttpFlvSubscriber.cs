using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Lab03.Flv;

namespace Lab04.LiveServer;

/// <summary>
/// An HTTP-FLV player (mpegts.js, ffmpeg -i http://…/live/test.flv): after the response head, the body
/// is one FLV file that never ends while the stream is live, sent with chunked transfer coding (RFC 9112
/// §7.1): every FLV tag is one HTTP chunk, "SIZE-IN-HEX\r\n" + tag + "\r\n", and the last chunk
/// "0\r\n\r\n" is the clean end (README §HTTP-FLV).
/// </summary>
/// <remarks>
/// A tag goes out as three pieces in one gathered send (<see cref="Socket.SendAsync(IList{ArraySegment{byte}}, SocketFlags)"/>):
/// this subscriber's chunk-size line and tag header (its own timestamp), the tag's body shared by every
/// subscriber (<see cref="LiveTag.Body"/>), and "\r\n". The tag's data is never copied per subscriber.
/// </remarks>
public sealed class HttpFlvSubscriber : Subscriber
{
    private static readonly ArraySegment<byte> Crlf = "\r\n"u8.ToArray();
    private readonly Socket _socket;

    /// <summary>A player on <paramref name="socket"/> (after the request head).</summary>
    public HttpFlvSubscriber(Socket socket, LiveServerOptions options, string remote)
        : base(options, remote + " http-flv")
    {
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
    }

    /// <summary>
    /// The response head: 200, Content-Type video/x-flv, Transfer-Encoding chunked, no caching, and CORS
    /// (Access-Control-Allow-Origin: *) so that a page from another origin may play it (README §HTTP-FLV).
    /// </summary>
    public static byte[] ResponseHead()
    {
        throw new NotImplementedException("Lab 04 · M2: \"HTTP/1.1 200 OK\" and the header fields Content-Type: video/x-flv, Transfer-Encoding: chunked, Access-Control-Allow-Origin: *, Cache-Control: no-cache, Connection: close, each line ending CRLF, then an empty line — README §HTTP-FLV");
    }

    /// <inheritdoc />
    protected override async ValueTask WriteStartAsync(CancellationToken cancellationToken)
    {
        // The FLV header's flags say which tracks follow (mpegts.js waits for each track the header announces).
        var header = new byte[FlvHeader.Size + FlvTagHeader.PreviousTagSizeLength];
        bool audio = Channel?.AudioSequenceHeader is not null, video = Channel?.VideoSequenceHeader is not null;
        FlvHeader.Create(audio || !video, video || !audio).Write(header);
        var head = ResponseHead();
        await SendAsync([head, ChunkLine(header.Length), header, Crlf], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async ValueTask WriteTagsAsync(IReadOnlyList<(LiveTag Tag, uint Timestamp)> tags, CancellationToken cancellationToken)
    {
        throw new NotImplementedException("Lab 04 · M2: for each tag: one chunk — the size line (11 + Body.Length in hex), the tag header written with the rebased timestamp (LiveTag.WriteHeader), the shared Body, CRLF — all in one gathered SendAsync — README §HTTP-FLV");
    }

    /// <inheritdoc />
    protected override async ValueTask WriteEndAsync(bool started, CancellationToken cancellationToken)
    {
        if (!started)
        {
            var text = Encoding.UTF8.GetBytes($"The stream {Channel?.Key} is not live (waited {Options.PublisherWait.TotalSeconds:0.#} s for a publisher).\n");
            await using var stream = new NetworkStream(_socket, ownsSocket: false);
            await HttpConnection.AnswerAsync(stream, 404, "Not Found", "text/plain; charset=utf-8", text, cancellationToken).ConfigureAwait(false);
            return;
        }

        throw new NotImplementedException("Lab 04 · M4: the last chunk: \"0\" CRLF CRLF (RFC 9112 §7.1) — the player sees a clean end of the file — README §Clean ends");
    }

    private static byte[] ChunkLine(int size) => Encoding.ASCII.GetBytes(size.ToString("x", CultureInfo.InvariantCulture) + "\r\n");

    private async Task SendAsync(IList<ArraySegment<byte>> segments, CancellationToken cancellationToken)
    {
        // Socket.SendAsync with a list sends everything (or throws); it has no token, so closing the socket ends a stuck send.
        using var stop = cancellationToken.Register(() => _socket.Dispose());
        try
        {
            int total = segments.Sum(segment => segment.Count);
            int sent = await _socket.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
            if (sent != total)
            {
                throw new IOException($"The socket took {sent} of {total} bytes."); // a stream socket's SendAsync sends everything or fails
            }
        }
        catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (SocketException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
