using System.Security.Cryptography;

namespace Lab01.RtmpHandshake;

/// <summary>
/// The client side of the RTMP handshake (Adobe RTMP specification 1.0, §5.2.5), plain version:
/// <code>
/// client                    server
///   | C0 (1) + C1 (1536)  --> |
///   | &lt;-- S0 (1) + S1 (1536) |
///   | C2 (1536)           --> |   C2 echoes S1
///   | &lt;-- S2 (1536)         |   S2 echoes C1
/// </code>
/// </summary>
public static class HandshakeClient
{
    /// <summary>
    /// Performs the client's half of the handshake on <paramref name="stream"/>: sends C0 and a plain C1 (zero field 0),
    /// reads S0 and S1, sends C2 (the echo of S1), then reads exactly 1536 bytes of S2 and checks that it echoes C1.
    /// </summary>
    /// <exception cref="HandshakeException">Wrong version byte, the server closed early, or S2 does not echo C1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<HandshakeResult> ConnectAsync(Stream stream, HandshakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        throw new NotImplementedException("Lab 01 · M3: send C0+C1, read S0+S1, send C2 (the echo of S1), read exactly 1536 bytes of S2 and check it echoes C1 — README §Ordering, §Errors");
    }
}
