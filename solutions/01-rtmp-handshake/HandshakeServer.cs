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
        #region lab M2: read C0+C1, send S0+S1+S2 in one write before reading C2, read exactly 1536 bytes of C2 and check its echo — README §Ordering, §Errors (digest: §Digest, M5)
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new HandshakeOptions();

        // C0 (§5.2.2) and C1 (§5.2.3).
        var c0c1 = new byte[1 + Handshake.PacketSize];
        await HandshakeStream.ReadPacketAsync(stream, c0c1.AsMemory(0, 1), "C0", 0, cancellationToken).ConfigureAwait(false);
        HandshakeStream.CheckVersion(c0c1[0], "C0");
        await HandshakeStream.ReadPacketAsync(stream, c0c1.AsMemory(1), "C1", HandshakeStream.FirstPacketOffset, cancellationToken).ConfigureAwait(false);
        uint c1ReadAt = HandshakeStream.Now();
        var c1Bytes = c0c1.AsMemory(1, Handshake.PacketSize);
        var c1 = C1S1Packet.Parse(c1Bytes.Span);

        // A Flash-style client puts its version in C1's zero field and a digest in C1 (README §Digest).
        // A nonzero zero field is not an error: ffmpeg sends 9.0.124.2 there.
        DigestScheme? clientDigest = c1.Zero == 0 ? null : HandshakeDigest.FindDigest(c1Bytes.Span, HandshakeDigest.FlashPlayerKey[..HandshakeDigest.PlayerKeyOpenLength]);
        bool useDigest = options.UseDigest && clientDigest is not null;

        // S0 + S1 + S2 in one write: ffmpeg reads S2 before it sends C2 (README §Ordering).
        var reply = new byte[1 + 2 * Handshake.PacketSize];
        reply[0] = Handshake.RtmpVersion;
        var s1Bytes = reply.AsSpan(1, Handshake.PacketSize);
        var s2Bytes = reply.AsSpan(1 + Handshake.PacketSize, Handshake.PacketSize);
        uint myTime = options.Time ?? HandshakeStream.Now();

        var random = new byte[Handshake.RandomSize];
        RandomNumberGenerator.Fill(random);
        new C1S1Packet(myTime, useDigest ? DigestServerVersion : 0, random).Write(s1Bytes);
        if (useDigest)
        {
            var clientDigestBytes = DigestBytesOf(c1Bytes.Span, clientDigest!.Value);
            HandshakeDigest.ImprintDigest(s1Bytes, clientDigest.Value, HandshakeDigest.FlashMediaServerKey[..HandshakeDigest.ServerKeyOpenLength]);
            RandomNumberGenerator.Fill(s2Bytes);
            HandshakeDigest.Sign(s2Bytes, clientDigestBytes, HandshakeDigest.FlashMediaServerKey);
        }
        else
        {
            C2S2Packet.EchoOf(c1, c1ReadAt).Write(s2Bytes);
        }

        await stream.WriteAsync(reply, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        // C2 (§5.2.4): exactly 1536 bytes; the connect command may follow in the same TCP segment.
        var c2 = new byte[Handshake.PacketSize];
        await HandshakeStream.ReadPacketAsync(stream, c2, "C2", HandshakeStream.SecondPacketOffset, cancellationToken).ConfigureAwait(false);

        // A player that checked our digest S1 answers with a signed C2; everyone else echoes S1.
        bool signedC2 = useDigest && HandshakeDigest.VerifySignature(c2,
            DigestBytesOf(reply.AsSpan(1, Handshake.PacketSize), clientDigest!.Value), HandshakeDigest.FlashPlayerKey);
        if (!signedC2)
        {
            HandshakeStream.CheckRandomEcho(c2, reply.AsSpan(1, Handshake.PacketSize), "C2", "S1");
        }

        return new HandshakeResult
        {
            PeerVersion = c0c1[0],
            PeerTime = c1.Time,
            PeerZero = c1.Zero,
            PeerDigest = clientDigest,
            UsedDigest = useDigest,
            LocalTime = myTime,
        };
        #endregion
    }

    #region lab-remove
    private static byte[] DigestBytesOf(ReadOnlySpan<byte> packet, DigestScheme scheme) =>
        packet.Slice(HandshakeDigest.DigestOffset(packet, scheme), Handshake.DigestSize).ToArray();
    #endregion
}
