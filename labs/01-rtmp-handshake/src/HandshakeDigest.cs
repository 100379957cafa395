using System.Security.Cryptography;

namespace Lab01.RtmpHandshake;

/// <summary>
/// The Flash Player 9 ("complex") handshake: an HMAC-SHA256 digest hidden in C1/S1, and a signature in
/// the last 32 bytes of C2/S2 (README §Digest). Not in the published RTMP specification; these are the
/// constants every compatible implementation (Flash Media Server, librtmp, ffmpeg's rtmpproto.c) shares.
/// </summary>
public static class HandshakeDigest
{
    /// <summary>How much of <see cref="FlashPlayerKey"/> keys a client's C1 digest: "Genuine Adobe Flash Player 001" is 30 bytes.</summary>
    public const int PlayerKeyOpenLength = 30;

    /// <summary>How much of <see cref="FlashMediaServerKey"/> keys a server's S1 digest: "Genuine Adobe Flash Media Server 001" is 36 bytes.</summary>
    public const int ServerKeyOpenLength = 36;

    /// <summary>The 4 offset bytes and the 728 possible digest positions of a scheme (README §Digest).</summary>
    private const int OffsetModulus = 728;

    /// <summary>The 32 bytes that follow the text in both keys.</summary>
    private static readonly byte[] KeyTail =
    [
        0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57,
        0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE,
    ];

    private static readonly byte[] PlayerKey = [.. "Genuine Adobe Flash Player 001"u8, .. KeyTail];

    private static readonly byte[] ServerKey = [.. "Genuine Adobe Flash Media Server 001"u8, .. KeyTail];

    /// <summary>The client's key: "Genuine Adobe Flash Player 001" followed by 32 fixed bytes (62 bytes).</summary>
    public static ReadOnlySpan<byte> FlashPlayerKey => PlayerKey;

    /// <summary>The server's key: "Genuine Adobe Flash Media Server 001" followed by the same 32 fixed bytes (68 bytes).</summary>
    public static ReadOnlySpan<byte> FlashMediaServerKey => ServerKey;

    /// <summary>
    /// Where the digest of a 1536-byte C1/S1 starts under <paramref name="scheme"/>:
    /// scheme 0 sums bytes 8–11 and adds 12; scheme 1 sums bytes 772–775 and adds 776; both take the sum modulo 728 first.
    /// </summary>
    public static int DigestOffset(ReadOnlySpan<byte> packet, DigestScheme scheme)
    {
        throw new NotImplementedException("Lab 01 · M5: add the four offset bytes (at 8 or 772), take the sum mod 728, add 12 or 776 — README §Digest");
    }

    /// <summary>HMAC-SHA256, keyed with <paramref name="key"/>, of the 1536-byte <paramref name="packet"/> without the 32 bytes at <paramref name="digestOffset"/>.</summary>
    public static byte[] ComputeDigest(ReadOnlySpan<byte> packet, int digestOffset, ReadOnlySpan<byte> key)
    {
        throw new NotImplementedException("Lab 01 · M5: HMAC-SHA256 over the bytes before digestOffset followed by the bytes after the 32 digest bytes — README §Digest");
    }

    /// <summary>Puts a digest into <paramref name="packet"/> (a 1536-byte C1 or S1 whose other bytes are already written).</summary>
    public static void ImprintDigest(Span<byte> packet, DigestScheme scheme, ReadOnlySpan<byte> key)
    {
        throw new NotImplementedException("Lab 01 · M5: find the digest offset for the scheme, compute the digest over the rest and copy it in — README §Digest");
    }

    /// <summary>The scheme under which <paramref name="packet"/> (a C1 or S1) carries a valid digest for <paramref name="key"/>, or null.</summary>
    public static DigestScheme? FindDigest(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> key)
    {
        throw new NotImplementedException("Lab 01 · M5: try scheme 0 then scheme 1; a scheme matches when the 32 bytes at its offset equal the computed digest — README §Digest");
    }

    /// <summary>
    /// Signs a 1536-byte C2/S2 in place: its last 32 bytes become HMAC-SHA256(k, first 1504 bytes) with
    /// k = HMAC-SHA256(<paramref name="fullKey"/>, <paramref name="peerDigest"/>).
    /// </summary>
    /// <param name="response">The C2 or S2, random bytes already written.</param>
    /// <param name="peerDigest">The 32-byte digest from the peer's C1 (for S2) or S1 (for C2).</param>
    /// <param name="fullKey">The whole key of the side that signs: 68-byte <see cref="FlashMediaServerKey"/> for S2, 62-byte <see cref="FlashPlayerKey"/> for C2.</param>
    public static void Sign(Span<byte> response, ReadOnlySpan<byte> peerDigest, ReadOnlySpan<byte> fullKey)
    {
        throw new NotImplementedException("Lab 01 · M5: k = HMAC(fullKey, peerDigest); the last 32 bytes = HMAC(k, the first 1504 bytes) — README §Digest");
    }

    /// <summary>True when the last 32 bytes of <paramref name="response"/> are the signature <see cref="Sign"/> would write.</summary>
    public static bool VerifySignature(ReadOnlySpan<byte> response, ReadOnlySpan<byte> peerDigest, ReadOnlySpan<byte> fullKey)
    {
        throw new NotImplementedException("Lab 01 · M5: compute the signature as Sign does and compare it with the last 32 bytes — README §Digest");
    }
}
