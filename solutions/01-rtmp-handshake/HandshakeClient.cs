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
        #region lab M3: send C0+C1, read S0+S1, send C2 (the echo of S1), read exactly 1536 bytes of S2 and check it echoes C1 — README §Ordering, §Errors
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new HandshakeOptions();

        // C0 (§5.2.2) + a plain C1 (§5.2.3): zero field 0, fresh random bytes.
        var c0c1 = new byte[1 + Handshake.PacketSize];
        c0c1[0] = Handshake.RtmpVersion;
        uint myTime = options.Time ?? HandshakeStream.Now();
        var random = new byte[Handshake.RandomSize];
        RandomNumberGenerator.Fill(random);
        new C1S1Packet(myTime, 0, random).Write(c0c1.AsSpan(1));
        await stream.WriteAsync(c0c1, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        // S0 (§5.2.2) and S1 (§5.2.3).
        var s0s1 = new byte[1 + Handshake.PacketSize];
        await HandshakeStream.ReadPacketAsync(stream, s0s1.AsMemory(0, 1), "S0", 0, cancellationToken).ConfigureAwait(false);
        HandshakeStream.CheckVersion(s0s1[0], "S0");
        await HandshakeStream.ReadPacketAsync(stream, s0s1.AsMemory(1), "S1", HandshakeStream.FirstPacketOffset, cancellationToken).ConfigureAwait(false);
        uint s1ReadAt = HandshakeStream.Now();
        var s1 = C1S1Packet.Parse(s0s1.AsSpan(1));

        // C2 (§5.2.4): the echo of S1. Sent before S2 arrives: S2 depends only on C1.
        var c2 = new byte[Handshake.PacketSize];
        C2S2Packet.EchoOf(s1, s1ReadAt).Write(c2);
        await stream.WriteAsync(c2, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        // S2 (§5.2.4): exactly 1536 bytes, the echo of C1.
        var s2 = new byte[Handshake.PacketSize];
        await HandshakeStream.ReadPacketAsync(stream, s2, "S2", HandshakeStream.SecondPacketOffset, cancellationToken).ConfigureAwait(false);
        HandshakeStream.CheckRandomEcho(s2, c0c1.AsSpan(1), "S2", "C1");

        return new HandshakeResult
        {
            PeerVersion = s0s1[0],
            PeerTime = s1.Time,
            PeerZero = s1.Zero,
            PeerDigest = null,
            UsedDigest = false,
            LocalTime = myTime,
        };
        #endregion
    }
}
