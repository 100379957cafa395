using System.Buffers.Binary;
using System.Text;

namespace Lab09.WebRtc;

/// <summary>
/// A parsed STUN message (RFC 8489 §5): the 20-byte header and the attributes that follow it.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie 0x2112A442               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Transaction ID (96 bits)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The message type's 14 bits interleave the method (M11–M0) and the class (C1, C0):
/// <c>M11..M7 C1 M6..M4 C0 M3..M0</c>. Message Length counts the bytes after the header.
/// </remarks>
public sealed class StunMessage
{
    /// <summary>The size of the header (RFC 8489 §5).</summary>
    public const int HeaderSize = 20;

    /// <summary>The magic cookie, bytes 4–7 of every RFC 5389/8489 message (RFC 8489 §5).</summary>
    public const uint MagicCookie = 0x2112A442;

    /// <summary>The Binding method (RFC 8489 §18.2).</summary>
    public const ushort BindingMethod = 0x001;

    private readonly byte[] _bytes;

    private StunMessage(byte[] bytes, StunClass stunClass, ushort method, IReadOnlyList<StunAttribute> attributes)
    {
        _bytes = bytes;
        Class = stunClass;
        Method = method;
        Attributes = attributes;
    }

    /// <summary>The class (request, indication, success or error response).</summary>
    public StunClass Class { get; }

    /// <summary>The 12-bit method; <see cref="BindingMethod"/> for ICE connectivity checks.</summary>
    public ushort Method { get; }

    /// <summary>The 12-byte transaction ID (bytes 8–19).</summary>
    public ReadOnlyMemory<byte> TransactionId => _bytes.AsMemory(8, 12);

    /// <summary>The whole message as received (a copy).</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>Every attribute, in the order of the message.</summary>
    public IReadOnlyList<StunAttribute> Attributes { get; }

    /// <summary>
    /// Parses one STUN message that fills <paramref name="datagram"/> (one UDP datagram holds one message).
    /// Throws <see cref="WebRtcException"/> with the offset for anything that is not a well-formed message (README §Parsing).
    /// </summary>
    public static StunMessage Parse(ReadOnlySpan<byte> datagram)
    {
        #region lab M1: check the header (length ≥ 20, top two bits 0, cookie, Message Length = the rest and a multiple of 4), then walk the attributes (type, length, value, padding to 4) — README §Parsing
        if (datagram.Length < HeaderSize)
        {
            throw new WebRtcException("STUN", "header", datagram.Length, $"a STUN message has a 20-byte header; the datagram has {datagram.Length} bytes");
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        if ((type & 0xC000) != 0)
        {
            throw new WebRtcException("STUN", "message type", 0, $"the two most significant bits of a STUN message are 0 (RFC 8489 §5); got 0x{type:x4}");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (length % 4 != 0 || length != datagram.Length - HeaderSize)
        {
            throw new WebRtcException("STUN", "message length", 2,
                $"Message Length must be a multiple of 4 and count the {datagram.Length - HeaderSize} bytes after the header (RFC 8489 §5); got {length}");
        }

        uint cookie = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        if (cookie != MagicCookie)
        {
            throw new WebRtcException("STUN", "magic cookie", 4, $"bytes 4-7 must be the magic cookie 0x2112a442 (RFC 8489 §5); got 0x{cookie:x8}");
        }

        // Class: C1 is bit 8, C0 is bit 4; method: bits 13-9, 7-5 and 3-0 (RFC 8489 §5, Figure 3).
        var stunClass = (StunClass)(((type >> 7) & 0b10) | ((type >> 4) & 0b01));
        ushort method = (ushort)(((type >> 2) & 0xF80) | ((type >> 1) & 0x070) | (type & 0x00F));

        var attributes = new List<StunAttribute>();
        var bytes = datagram.ToArray();
        int offset = HeaderSize;
        while (offset < datagram.Length)
        {
            if (datagram.Length - offset < 4)
            {
                throw new WebRtcException("STUN", "attribute header", offset, $"an attribute header is 4 bytes; only {datagram.Length - offset} are left");
            }

            ushort attributeType = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            int padded = (valueLength + 3) & ~3; // values are padded to a multiple of 4 bytes (RFC 8489 §14)
            if (padded > datagram.Length - offset - 4)
            {
                throw new WebRtcException("STUN", $"attribute 0x{attributeType:x4}", offset,
                    $"attribute 0x{attributeType:x4} says {valueLength} bytes (padded {padded}) but only {datagram.Length - offset - 4} are left");
            }

            attributes.Add(new StunAttribute(attributeType, offset, bytes.AsMemory(offset + 4, valueLength)));
            offset += 4 + padded;
        }

        return new StunMessage(bytes, stunClass, method, attributes);
        #endregion
    }

    /// <summary>The first attribute of <paramref name="type"/>, or null.</summary>
    public StunAttribute? Find(ushort type)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Type == type)
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>USERNAME as UTF-8 text, or null when absent.</summary>
    public string? Username => Find(StunAttributeType.Username) is { } a ? Encoding.UTF8.GetString(a.Value.Span) : null;

    /// <summary>SOFTWARE as UTF-8 text, or null when absent.</summary>
    public string? Software => Find(StunAttributeType.Software) is { } a ? Encoding.UTF8.GetString(a.Value.Span) : null;

    /// <summary>PRIORITY (RFC 8445 §7.1.1), or null when absent.</summary>
    public uint? Priority => Find(StunAttributeType.Priority) is { } a ? ReadFixed(a, 4, static v => BinaryPrimitives.ReadUInt32BigEndian(v)) : null;

    /// <summary>ICE-CONTROLLING's tiebreaker (RFC 8445 §7.1.3), or null when absent.</summary>
    public ulong? IceControlling => Find(StunAttributeType.IceControlling) is { } a ? ReadFixed(a, 8, static v => BinaryPrimitives.ReadUInt64BigEndian(v)) : null;

    /// <summary>ICE-CONTROLLED's tiebreaker (RFC 8445 §7.1.3), or null when absent.</summary>
    public ulong? IceControlled => Find(StunAttributeType.IceControlled) is { } a ? ReadFixed(a, 8, static v => BinaryPrimitives.ReadUInt64BigEndian(v)) : null;

    /// <summary>Whether USE-CANDIDATE is present (RFC 8445 §7.1.2).</summary>
    public bool UseCandidate => Find(StunAttributeType.UseCandidate) is not null;

    /// <summary>XOR-MAPPED-ADDRESS decoded (RFC 8489 §14.2), or null when absent.</summary>
    public System.Net.IPEndPoint? XorMappedAddress =>
        Find(StunAttributeType.XorMappedAddress) is { } a ? StunXorAddress.Decode(a.Value.Span, _bytes.AsSpan(8, 12), a.Offset) : null;

    /// <summary>
    /// Whether MESSAGE-INTEGRITY is present and is the HMAC-SHA1, keyed with <paramref name="key"/>, of the message
    /// up to it with the length field counting up to its end (RFC 8489 §14.5). Attributes after it other than
    /// FINGERPRINT are ignored, as the RFC says.
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        #region lab M1: find MESSAGE-INTEGRITY, recompute it with StunIntegrity.ComputeMessageIntegrity over the bytes before it, compare in constant time — README §MESSAGE-INTEGRITY
        if (Find(StunAttributeType.MessageIntegrity) is not { } integrity || integrity.Value.Length != StunIntegrity.MessageIntegritySize)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[StunIntegrity.MessageIntegritySize];
        StunIntegrity.ComputeMessageIntegrity(_bytes.AsSpan(0, integrity.Offset), key, expected);
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, integrity.Value.Span);
        #endregion
    }

    /// <summary>
    /// Whether FINGERPRINT is present, is the last attribute, and equals the CRC-32 of the message before it
    /// xor 0x5354554E (RFC 8489 §14.7).
    /// </summary>
    public bool VerifyFingerprint()
    {
        #region lab M1: FINGERPRINT must be the last attribute, 4 bytes, equal to StunIntegrity.ComputeFingerprint of the bytes before it — README §FINGERPRINT
        if (Attributes.Count == 0)
        {
            return false;
        }

        var last = Attributes[^1];
        if (last.Type != StunAttributeType.Fingerprint || last.Value.Length != 4)
        {
            return false;
        }

        return StunIntegrity.ComputeFingerprint(_bytes.AsSpan(0, last.Offset)) == BinaryPrimitives.ReadUInt32BigEndian(last.Value.Span);
        #endregion
    }

    private static T ReadFixed<T>(StunAttribute attribute, int size, Func<ReadOnlySpan<byte>, T> read)
    {
        if (attribute.Value.Length != size)
        {
            throw new WebRtcException("STUN", $"attribute 0x{attribute.Type:x4}", attribute.Offset,
                $"attribute 0x{attribute.Type:x4} has {size} bytes (RFC 8445 §16.1, RFC 8489 §14); got {attribute.Value.Length}");
        }

        return read(attribute.Value.Span);
    }
}
