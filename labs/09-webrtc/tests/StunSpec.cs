using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Lab09.WebRtc.Tests;

/// <summary>
/// The tests' own STUN builder and reader, written from RFC 8489 §5, §14.5, §14.7 and independent of the lab's code,
/// to make requests the RFC 5769 vectors do not cover and to read the agent's answers.
/// </summary>
internal sealed class StunSpec
{
    private readonly List<byte> _bytes = [];

    public StunSpec(ushort type, byte[] transactionId)
    {
        _bytes.AddRange([(byte)(type >> 8), (byte)type, 0, 0, 0x21, 0x12, 0xA4, 0x42]);
        _bytes.AddRange(transactionId);
    }

    public static StunSpec BindingRequest(int seed)
    {
        var id = new byte[12];
        new Random(seed).NextBytes(id);
        return new StunSpec(0x0001, id);
    }

    public StunSpec Attribute(ushort type, byte[] value)
    {
        _bytes.AddRange([(byte)(type >> 8), (byte)type, (byte)(value.Length >> 8), (byte)value.Length]);
        _bytes.AddRange(value);
        while (_bytes.Count % 4 != 0)
        {
            _bytes.Add(0);
        }

        SetLength(_bytes.Count - 20);
        return this;
    }

    public StunSpec Attribute(ushort type, string value) => Attribute(type, Encoding.UTF8.GetBytes(value));

    public StunSpec Integrity(string password)
    {
        SetLength(_bytes.Count - 20 + 24);
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(password), _bytes.ToArray());
        return Attribute(0x0008, mac);
    }

    public StunSpec Fingerprint()
    {
        SetLength(_bytes.Count - 20 + 8);
        uint crc = Crc(_bytes.ToArray()) ^ 0x5354554E;
        var value = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, crc);
        return Attribute(0x8028, value);
    }

    public byte[] ToArray() => [.. _bytes];

    /// <summary>An ICE connectivity check as a browser sends it (RFC 8445 §7.2.2).</summary>
    public static byte[] Check(string username, string password, bool useCandidate, int seed, bool integrity = true, bool fingerprint = true, ushort? extra = null)
    {
        var b = BindingRequest(seed).Attribute(0x0006, username).Attribute(0x0024, [0x6e, 0x00, 0x01, 0xff])
            .Attribute(0x802A, [1, 2, 3, 4, 5, 6, 7, 8]);
        if (useCandidate)
        {
            b.Attribute(0x0025, []);
        }

        if (extra is { } type)
        {
            b.Attribute(type, [0, 0, 0, 0]);
        }

        if (integrity)
        {
            b.Integrity(password);
        }

        if (fingerprint)
        {
            b.Fingerprint();
        }

        return b.ToArray();
    }

    /// <summary>The attributes of a message as (type, offset, value), for reading the agent's answers.</summary>
    public static List<(ushort Type, int Offset, byte[] Value)> Attributes(byte[] message)
    {
        var list = new List<(ushort, int, byte[])>();
        int offset = 20;
        while (offset + 4 <= message.Length)
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset));
            int length = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset + 2));
            list.Add((type, offset, message.AsSpan(offset + 4, Math.Min(length, message.Length - offset - 4)).ToArray()));
            offset += 4 + ((length + 3) & ~3);
        }

        return list;
    }

    /// <summary>Whether the message ends with a FINGERPRINT that is right (RFC 8489 §14.7).</summary>
    public static bool FingerprintIsValid(byte[] message)
    {
        var attributes = Attributes(message);
        if (attributes.Count == 0 || attributes[^1].Type != 0x8028)
        {
            return false;
        }

        var before = message.AsSpan(0, attributes[^1].Offset).ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(before.AsSpan(2), (ushort)(before.Length - 20 + 8));
        return (Crc(before) ^ 0x5354554E) == BinaryPrimitives.ReadUInt32BigEndian(attributes[^1].Value);
    }

    /// <summary>Whether MESSAGE-INTEGRITY is present and right for <paramref name="password"/> (RFC 8489 §14.5).</summary>
    public static bool IntegrityIsValid(byte[] message, string password)
    {
        var mi = Attributes(message).FirstOrDefault(a => a.Type == 0x0008);
        if (mi.Value is null)
        {
            return false;
        }

        var before = message.AsSpan(0, mi.Offset).ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(before.AsSpan(2), (ushort)(before.Length - 20 + 24));
        return HMACSHA1.HashData(Encoding.UTF8.GetBytes(password), before).AsSpan().SequenceEqual(mi.Value);
    }

    /// <summary>CRC-32 (ISO 3309), table-free.</summary>
    public static uint Crc(byte[] data)
    {
        uint c = ~0u;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++)
            {
                c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
            }
        }

        return ~c;
    }

    private void SetLength(int length)
    {
        _bytes[2] = (byte)(length >> 8);
        _bytes[3] = (byte)length;
    }
}
