using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Lab03.Flv;

namespace Lab04.LiveServer;

/// <summary>
/// An HTTP-FLV player (mpegts.js, ffmpeg -i http://…/live/test.flv): after the response head, the body
/// is one FLV file that never ends while the stream is live, sent with chunked transfer coding (RFC 9112
/// §7.1): each batch of FLV tags the subscriber's task takes from its queue is one HTTP chunk,
/// "SIZE-IN-HEX\r\n" + tags + "\r\n", and the last chunk "0\r\n\r\n" is the clean end (README §HTTP-FLV).
/// </summary>
/// <remarks>
/// A batch goes out in one send of one buffer (rented from <see cref="ArrayPool{T}.Shared"/> for the
/// send and returned after it): the chunk-size line, then per tag this subscriber's tag header (its own
/// timestamp) and the tag's body (<see cref="LiveTag.Body"/>, the same bytes for every subscriber), then
/// "\r\n". Copying a few kB per send costs far less than the send itself; what costs is the number of
/// sends (README §Performance).
/// </remarks>
public sealed class HttpFlvSubscriber : Subscriber
{
    /// <summary>The longest chunk-size line: 8 hex digits (a chunk of at most 2³² − 1 bytes) and CRLF.</summary>
    private const int MaxChunkLine = 10;

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
        byte[] start = [.. ResponseHead(), .. ChunkLine(header.Length), .. header, .. "\r\n"u8];
        await SendAsync(start, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async ValueTask WriteTagsAsync(IReadOnlyList<(LiveTag Tag, uint Timestamp)> tags, CancellationToken cancellationToken)
    {
        throw new NotImplementedException("Lab 04 · M2: the batch is one chunk, in one buffer and one SendAsync: the size line (the sum of 11 + Body.Length over the tags, in hex, CRLF), then for each tag its header with the rebased timestamp (LiveTag.WriteHeader) and its shared Body, then CRLF — README §HTTP-FLV");
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

    /// <summary>Sends all of <paramref name="bytes"/>; a cancelled send ends with <see cref="OperationCanceledException"/>.</summary>
    private async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        int sent = await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        if (sent != bytes.Length)
        {
            throw new IOException($"The socket took {sent} of {bytes.Length} bytes."); // a stream socket's SendAsync sends everything or fails
        }
    }
}
