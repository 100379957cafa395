using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Lab09.WebRtc;

/// <summary>
/// AES in counter mode as SRTP defines it (RFC 3711 §4.1.1): block j of the keystream is AES_k(IV + j), the 16-byte IV
/// read as a big-endian number; SRTP's IVs end in two zero bytes, so j counts in the last 16 bits.
/// </summary>
public static class AesCounterMode
{
    /// <summary>Fills <paramref name="keystream"/> with the AES-CM keystream of the 16-byte <paramref name="key"/> from the 16-byte <paramref name="iv"/>.</summary>
    public static void Keystream(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, Span<byte> keystream)
    {
        if (key.Length != 16 || iv.Length != 16)
        {
            throw new ArgumentException("AES-128 counter mode takes a 16-byte key and a 16-byte IV");
        }

        throw new NotImplementedException("Lab 09 · M3: encrypt the counter blocks IV, IV+1, IV+2 … with AES-128 in ECB mode (Aes.EncryptEcb) and copy them out; the counter adds to the IV as a 128-bit big-endian number — README §AES-CM");
    }

    /// <summary>XORs <paramref name="data"/> in place with the keystream: encryption and decryption are the same operation.</summary>
    public static void Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, Span<byte> data)
    {
        var keystream = new byte[data.Length];
        Keystream(key, iv, keystream);
        for (int i = 0; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }

    /// <summary>
    /// The IV of one SRTP (or SRTCP) packet (RFC 3711 §4.1.1): <c>(k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16)</c> — the
    /// 14-byte session salt, the SSRC under bytes 4–7, the 48-bit packet index under bytes 8–13, two zero bytes.
    /// </summary>
    public static void PacketIv(ReadOnlySpan<byte> sessionSalt, uint ssrc, ulong index, Span<byte> iv)
    {
        if (sessionSalt.Length != SrtpContext.MasterSaltLength || iv.Length != 16)
        {
            throw new ArgumentException("the session salt is 14 bytes and the IV 16");
        }

        throw new NotImplementedException("Lab 09 · M3: start from the salt followed by two zero bytes, xor the SSRC (big-endian) into bytes 4-7 and the 48-bit index into bytes 8-13 — README §AES-CM");
    }
}
