using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Lab09.WebRtc;

/// <summary>
/// The two checks a STUN message carries: MESSAGE-INTEGRITY (RFC 8489 §14.5) and FINGERPRINT (§14.7),
/// and the keys MESSAGE-INTEGRITY is computed with (§9.1.1, §9.2.2).
/// </summary>
public static class StunIntegrity
{
    /// <summary>The size of MESSAGE-INTEGRITY's value: an HMAC-SHA1 (RFC 8489 §14.5).</summary>
    public const int MessageIntegritySize = 20;

    /// <summary>What FINGERPRINT's CRC-32 is xored with: "STUN" in ASCII (RFC 8489 §14.7).</summary>
    public const uint FingerprintXor = 0x5354554E;

    /// <summary>
    /// The short-term key (RFC 8489 §9.1.1): the password's bytes (after OpaqueString, a no-op for the ASCII
    /// passwords ICE uses). In ICE it is the password of the agent that receives the request (RFC 8445 §7.2.2).
    /// </summary>
    public static byte[] ShortTermKey(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Encoding.UTF8.GetBytes(password);
    }

    /// <summary>
    /// The long-term key (RFC 8489 §9.2.2, MD5 algorithm): MD5(username ":" realm ":" password), the three
    /// already prepared (OpaqueString/SASLprep) by the caller.
    /// </summary>
    public static byte[] LongTermKey(string username, string realm, string password)
    {
        throw new NotImplementedException("Lab 09 · M1: MD5 of the UTF-8 bytes of username:realm:password — README §Keys");
    }

    /// <summary>
    /// Writes into <paramref name="destination"/> (20 bytes) the MESSAGE-INTEGRITY of a message whose bytes before the
    /// MESSAGE-INTEGRITY attribute are <paramref name="messageBeforeIntegrity"/>: HMAC-SHA1 over them, keyed with
    /// <paramref name="key"/>, with the header's Message Length set as if the message ended right after
    /// MESSAGE-INTEGRITY (RFC 8489 §14.5).
    /// </summary>
    public static void ComputeMessageIntegrity(ReadOnlySpan<byte> messageBeforeIntegrity, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        throw new NotImplementedException("Lab 09 · M1: copy the bytes, set Message Length (bytes 2-3) to their length − 20 + 24, then HMACSHA1.HashData(key, copy, destination) — README §MESSAGE-INTEGRITY");
    }

    /// <summary>
    /// The FINGERPRINT value of a message whose bytes before the FINGERPRINT attribute are
    /// <paramref name="messageBeforeFingerprint"/>: CRC-32 of them, Message Length counting the 8 bytes of
    /// FINGERPRINT, xor 0x5354554E (RFC 8489 §14.7).
    /// </summary>
    public static uint ComputeFingerprint(ReadOnlySpan<byte> messageBeforeFingerprint)
    {
        throw new NotImplementedException("Lab 09 · M1: copy the bytes, set Message Length to their length − 20 + 8, Crc32.Compute, xor FingerprintXor — README §FINGERPRINT");
    }

    private static void CheckHeader(ReadOnlySpan<byte> message)
    {
        if (message.Length < StunMessage.HeaderSize)
        {
            throw new ArgumentException($"a STUN message starts with a {StunMessage.HeaderSize}-byte header; got {message.Length} bytes", nameof(message));
        }
    }
}
