using System.Text;

namespace Lab04.LiveServer;

/// <summary>
/// The head of an HTTP/1.1 request (RFC 9112 §3, §5): the request line "GET /live/test.flv HTTP/1.1" and
/// the header fields up to the empty line: enough HTTP for a live server, bounded so that a client cannot
/// make the server read (or keep) more than <see cref="MaxLength"/> bytes. <see cref="ReadAsync"/> is given;
/// <see cref="Parse"/> is yours (README §HTTP-FLV, bad requests).
/// </summary>
public sealed record HttpRequestHead(string Method, string Target, string Version, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The longest request head accepted (8 KiB, as many servers).</summary>
    public const int MaxLength = 8 * 1024;

    /// <summary>The path of the target, without its query: "/live/test.flv".</summary>
    public string Path => Target.Split('?', 2)[0];

    /// <summary>The query of the target without "?", or "".</summary>
    public string Query => Target.Contains('?', StringComparison.Ordinal) ? Target.Split('?', 2)[1] : "";

    /// <summary>Reads a request head from <paramref name="stream"/>; null when the client closed before sending anything.</summary>
    /// <exception cref="LiveServerException">Longer than <see cref="MaxLength"/>, cut off, or not an HTTP/1.x request line.</exception>
    public static async Task<HttpRequestHead?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[MaxLength];
        int length = 0;
        while (true)
        {
            int end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return Parse(buffer.AsSpan(0, end));
            }

            if (length == buffer.Length)
            {
                throw new LiveServerException("request head", length, $"The request head is longer than {MaxLength} bytes (no empty line within them).");
            }

            int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return length == 0 ? null : throw new LiveServerException("request head", length, $"The client closed the connection after {length} bytes of the request head.");
            }

            length += read;
        }
    }

    /// <summary>Parses a request head (without its final empty line).</summary>
    /// <exception cref="LiveServerException">Not "METHOD TARGET HTTP/1.x", or a header line without a colon.</exception>
    public static HttpRequestHead Parse(ReadOnlySpan<byte> head)
    {
        throw new NotImplementedException("Lab 04 · M2: Latin-1 text split at CRLF; line 0 must be three space-separated parts: a method, a target starting with '/', a version starting with \"HTTP/1.\" (else LiveServerException \"request line\" at offset 0); every other line \"Name: value\" with the colon after at least one character (else \"header field\" at the offset where that line starts); names case-insensitive, values trimmed — README §Bad requests");
    }
}
