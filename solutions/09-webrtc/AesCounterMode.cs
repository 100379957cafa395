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

        #region lab M3: encrypt the counter blocks IV, IV+1, IV+2 … with AES-128 in ECB mode (Aes.EncryptEcb) and copy them out; the counter adds to the IV as a 128-bit big-endian number — README §AES-CM
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        int blocks = (keystream.Length + 15) / 16;
        var counters = new byte[blocks * 16];
        var next = new UInt128(BinaryPrimitives.ReadUInt64BigEndian(iv), BinaryPrimitives.ReadUInt64BigEndian(iv[8..]));
        for (int j = 0; j < blocks; j++)
        {
            var block = counters.AsSpan(j * 16, 16);
            BinaryPrimitives.WriteUInt64BigEndian(block, (ulong)(next >> 64));
            BinaryPrimitives.WriteUInt64BigEndian(block[8..], (ulong)next);
            next++;
        }

        var output = aes.EncryptEcb(counters, PaddingMode.None);
        output.AsSpan(0, keystream.Length).CopyTo(keystream);
        #endregion
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

        #region lab M3: start from the salt followed by two zero bytes, xor the SSRC (big-endian) into bytes 4-7 and the 48-bit index into bytes 8-13 — README §AES-CM
        iv.Clear();
        sessionSalt.CopyTo(iv);
        Span<byte> ssrcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(ssrcBytes, ssrc);
        for (int i = 0; i < 4; i++)
        {
            iv[4 + i] ^= ssrcBytes[i];
        }

        Span<byte> indexBytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(indexBytes, index << 16); // i * 2^16: the 48-bit index lands on bytes 8-13
        for (int i = 0; i < 8; i++)
        {
            iv[8 + i] ^= indexBytes[i];
        }
        #endregion
    }
}
