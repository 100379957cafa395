using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Lab09.WebRtc.Tests;

/// <summary>
/// The tests' own few lines of RFC 3711 (§4.1.1 AES-CM, §4.2 HMAC-SHA1, §4.3 key derivation, §3.3/§3.4 packet layout),
/// independent of the lab's code, to build SRTP and SRTCP packets the published vectors do not cover (a ROC above 0, an
/// unencrypted SRTCP packet). <see cref="M3SrtpSpecTests"/> first checks it against RFC 3711 B.3.
/// </summary>
internal sealed class SrtpSpec(byte[] masterKey, byte[] masterSalt)
{
    public byte[] Key(byte label, int length)
    {
        var iv = new byte[16];
        masterSalt.CopyTo(iv, 0);
        iv[7] ^= label; // key_id = label || r (r = 0) under the salt's last 7 bytes
        return Keystream(masterKey, iv, length);
    }

    /// <summary>SRTP of <paramref name="rtp"/> (12-byte header, no CSRC) with the given rollover counter.</summary>
    public byte[] ProtectRtp(byte[] rtp, uint roc)
    {
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(rtp.AsSpan(8));
        ulong index = ((ulong)roc << 16) | BinaryPrimitives.ReadUInt16BigEndian(rtp.AsSpan(2));
        var output = new byte[rtp.Length + 10];
        rtp.CopyTo(output, 0);
        Xor(output.AsSpan(12, rtp.Length - 12), Key(0, 16), Iv(Key(2, 14), ssrc, index));
        var authenticated = new byte[rtp.Length + 4];
        output.AsSpan(0, rtp.Length).CopyTo(authenticated);
        BinaryPrimitives.WriteUInt32BigEndian(authenticated.AsSpan(rtp.Length), roc);
        HMACSHA1.HashData(Key(1, 20), authenticated).AsSpan(0, 10).CopyTo(output.AsSpan(rtp.Length));
        return output;
    }

    /// <summary>SRTCP of <paramref name="rtcp"/> with SRTCP index <paramref name="index"/>, encrypted (E = 1) or not.</summary>
    public byte[] ProtectRtcp(byte[] rtcp, uint index, bool encrypt)
    {
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(rtcp.AsSpan(4));
        var output = new byte[rtcp.Length + 14];
        rtcp.CopyTo(output, 0);
        if (encrypt)
        {
            Xor(output.AsSpan(8, rtcp.Length - 8), Key(3, 16), Iv(Key(5, 14), ssrc, index));
        }

        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(rtcp.Length), (encrypt ? 0x80000000 : 0) | index);
        HMACSHA1.HashData(Key(4, 20), output.AsSpan(0, rtcp.Length + 4)).AsSpan(0, 10).CopyTo(output.AsSpan(rtcp.Length + 4));
        return output;
    }

    private static byte[] Iv(byte[] salt, uint ssrc, ulong index)
    {
        var iv = new byte[16];
        salt.CopyTo(iv, 0);
        for (int i = 0; i < 4; i++)
        {
            iv[4 + i] ^= (byte)(ssrc >> (24 - (8 * i)));
        }

        for (int i = 0; i < 6; i++)
        {
            iv[8 + i] ^= (byte)(index >> (40 - (8 * i)));
        }

        return iv;
    }

    private static void Xor(Span<byte> data, byte[] key, byte[] iv)
    {
        var stream = Keystream(key, iv, data.Length);
        for (int i = 0; i < data.Length; i++)
        {
            data[i] ^= stream[i];
        }
    }

    private static byte[] Keystream(byte[] key, byte[] iv, int length)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        var counter = (byte[])iv.Clone();
        var output = new byte[(length + 15) / 16 * 16];
        for (int block = 0; block * 16 < length; block++)
        {
            aes.EncryptEcb(counter, PaddingMode.None).CopyTo(output, block * 16);
            for (int i = 15; i >= 0 && ++counter[i] == 0; i--)
            {
            }
        }

        return output[..length];
    }
}
