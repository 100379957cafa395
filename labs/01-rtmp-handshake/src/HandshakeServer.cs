using System.Security.Cryptography;

namespace Lab01.RtmpHandshake;

/// <summary>
/// The server side of the RTMP handshake (Adobe RTMP specification 1.0, §5.2.5):
/// <code>
/// client                    server
///   | C0 (1) + C1 (1536)  --> |
///   | &lt;-- S0 (1) + S1 (1536) + S2 (1536)   sent as soon as C1 is in: do not wait for C2
///   | C2 (1536)           --> |
///   | connect ...         --> |   left in the stream for the caller
/// </code>
/// </summary>
public static class HandshakeServer
{
    /// <summary>The 'zero' field of a digest S1: a server version whose first byte is at least 3 (ffmpeg only checks an S1 digest then). 3.5.1.1 is Flash Media Server 3.5.</summary>
    public const uint DigestServerVersion = 0x03_05_01_01;

    /// <summary>
    /// Performs the server's half of the handshake on <paramref name="stream"/>: reads C0 and C1, sends S0, S1 and S2
    /// at once, then reads exactly 1536 bytes of C2. Whatever the client sends after C2 stays in the stream.
    /// </summary>
    /// <exception cref="HandshakeException">Wrong version byte, the client closed early, or C2 does not echo S1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (for example the client sent nothing in time).</exception>
    public static async Task<HandshakeResult> AcceptAsync(Stream stream, HandshakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        throw new NotImplementedException("Lab 01 · M2: read C0+C1, send S0+S1+S2 in one write before reading C2, read exactly 1536 bytes of C2 and check its echo — README §Ordering, §Errors (digest: §Digest, M5)");
    }
}
