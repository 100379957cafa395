using System.Security.Cryptography;

namespace Lab09.WebRtc;

/// <summary>
/// SRTP's key derivation (RFC 3711 §4.3): six session keys out of one master key and master salt, each the
/// AES-CM keystream of the master key under an IV made from the salt and a label.
/// </summary>
/// <remarks>
/// <code>
/// key_id = label (1 byte) || r (6 bytes)          r = index DIV key_derivation_rate; 0 when the rate is 0 (§4.3.1)
/// x      = key_id XOR master_salt                 both 112 bits, key_id right-aligned
/// IV     = x * 2^16                               x followed by two zero bytes: the 16-byte first counter block
/// session key = the first n bytes of AES-CM(master key, IV)
/// </code>
/// WebRTC's DTLS-SRTP uses a key derivation rate of 0 (RFC 5764 §4.1.2 leaves it at the default), so r is 0 and every
/// session key is derived once.
/// </remarks>
public static class SrtpKeyDerivation
{
    /// <summary>Label 0x00: the SRTP encryption key (RFC 3711 §4.3.1).</summary>
    public const byte RtpEncryption = 0x00;

    /// <summary>Label 0x01: the SRTP authentication key.</summary>
    public const byte RtpAuthentication = 0x01;

    /// <summary>Label 0x02: the SRTP salting key.</summary>
    public const byte RtpSalt = 0x02;

    /// <summary>Label 0x03: the SRTCP encryption key (RFC 3711 §4.3.2).</summary>
    public const byte RtcpEncryption = 0x03;

    /// <summary>Label 0x04: the SRTCP authentication key.</summary>
    public const byte RtcpAuthentication = 0x04;

    /// <summary>Label 0x05: the SRTCP salting key.</summary>
    public const byte RtcpSalt = 0x05;

    /// <summary>
    /// The session key of <paramref name="label"/>, <paramref name="length"/> bytes, from a 16-byte master key and a 14-byte
    /// master salt, with a key derivation rate of 0 (README §Key derivation).
    /// </summary>
    public static byte[] Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        if (masterKey.Length != SrtpContext.MasterKeyLength || masterSalt.Length != SrtpContext.MasterSaltLength)
        {
            throw new ArgumentException($"AES_CM_128 uses a {SrtpContext.MasterKeyLength}-byte master key and a {SrtpContext.MasterSaltLength}-byte master salt");
        }

        throw new NotImplementedException("Lab 09 · M3: IV = master salt with the label xored into byte 7 (key_id = label || six zero bytes, right-aligned in 14 bytes), then two zero bytes; the key is the first length bytes of AesCounterMode.Keystream — README §Key derivation");
    }
}
