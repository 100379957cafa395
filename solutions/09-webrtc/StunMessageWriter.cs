using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Lab09.WebRtc;

/// <summary>
/// Builds one STUN message attribute by attribute (RFC 8489 §5, §14): the header first, each attribute
/// padded to 4 bytes, Message Length kept up to date, MESSAGE-INTEGRITY and FINGERPRINT last.
/// </summary>
public sealed class StunMessageWriter
{
    private readonly List<byte> _bytes = new(128);
    private readonly byte _paddingByte;

    /// <summary>
    /// Starts a message of <paramref name="stunClass"/> and <paramref name="method"/> with the 12-byte
    /// <paramref name="transactionId"/>. Padding bytes are <paramref name="paddingByte"/>: RFC 8489 §14 lets them
    /// be anything (receivers ignore them); RFC 5769's test vectors use 0x20.
    /// </summary>
    public StunMessageWriter(StunClass stunClass, ushort method, ReadOnlySpan<byte> transactionId, byte paddingByte = 0)
    {
        if (transactionId.Length != 12)
        {
            throw new ArgumentException("a transaction ID is 12 bytes (RFC 8489 §5)", nameof(transactionId));
        }

        if (method > 0xFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(method), "a STUN method has 12 bits");
        }

        _paddingByte = paddingByte;
        Span<byte> header = stackalloc byte[StunMessage.HeaderSize];
        WriteHeader(header, stunClass, method, transactionId);
        _bytes.AddRange(header);
    }

    /// <summary>The message so far.</summary>
    public byte[] ToArray() => [.. _bytes];

    /// <summary>Appends an attribute with <paramref name="value"/>, padded to a multiple of 4 bytes, and updates Message Length.</summary>
    public StunMessageWriter Add(ushort type, ReadOnlySpan<byte> value)
    {
        #region lab M1: type and length (big-endian), the value, padding bytes up to a multiple of 4, then Message Length = bytes after the header — README §Writing
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException("an attribute value has at most 65535 bytes", nameof(value));
        }

        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(header, type);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)value.Length);
        _bytes.AddRange(header);
        _bytes.AddRange(value);
        for (int i = value.Length; i % 4 != 0; i++)
        {
            _bytes.Add(_paddingByte);
        }

        SetLength(_bytes.Count - StunMessage.HeaderSize);
        return this;
        #endregion
    }

    /// <summary>Appends a text attribute (USERNAME, SOFTWARE, REALM, ...) as UTF-8.</summary>
    public StunMessageWriter Add(ushort type, string value) => Add(type, Encoding.UTF8.GetBytes(value));

    /// <summary>Appends XOR-MAPPED-ADDRESS for <paramref name="endPoint"/> (RFC 8489 §14.2).</summary>
    public StunMessageWriter AddXorMappedAddress(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        Span<byte> value = stackalloc byte[20];
        Span<byte> transactionId = stackalloc byte[12];
        for (int i = 0; i < 12; i++)
        {
            transactionId[i] = _bytes[8 + i];
        }

        int length = StunXorAddress.Encode(endPoint, transactionId, value);
        return Add(StunAttributeType.XorMappedAddress, value[..length]);
    }

    /// <summary>Appends ERROR-CODE (RFC 8489 §14.8): class (hundreds) and number (the rest), then the reason phrase.</summary>
    public StunMessageWriter AddErrorCode(int code, string reason)
    {
        #region lab M1: two zero bytes, the class (code / 100) in the low 3 bits, the number (code % 100), then the UTF-8 reason — README §Errors
        if (code is < 300 or > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(code), "STUN error codes are 300-699 (RFC 8489 §14.8)");
        }

        var reasonBytes = Encoding.UTF8.GetBytes(reason);
        var value = new byte[4 + reasonBytes.Length];
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        reasonBytes.CopyTo(value, 4);
        return Add(StunAttributeType.ErrorCode, value);
        #endregion
    }

    /// <summary>Appends MESSAGE-INTEGRITY computed with <paramref name="key"/> (RFC 8489 §14.5).</summary>
    public StunMessageWriter AddMessageIntegrity(ReadOnlySpan<byte> key)
    {
        Span<byte> mac = stackalloc byte[StunIntegrity.MessageIntegritySize];
        StunIntegrity.ComputeMessageIntegrity(ToArray(), key, mac);
        return Add(StunAttributeType.MessageIntegrity, mac);
    }

    /// <summary>Appends FINGERPRINT (RFC 8489 §14.7); nothing may follow it.</summary>
    public StunMessageWriter AddFingerprint()
    {
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, StunIntegrity.ComputeFingerprint(ToArray()));
        return Add(StunAttributeType.Fingerprint, value);
    }

    /// <summary>Writes the 20-byte header: type (method and class interleaved), length 0, cookie, transaction ID (RFC 8489 §5).</summary>
    public static void WriteHeader(Span<byte> destination, StunClass stunClass, ushort method, ReadOnlySpan<byte> transactionId)
    {
        #region lab M1: type = M11..M7 C1 M6..M4 C0 M3..M0 (RFC 8489 §5 Figure 3), then length 0, the magic cookie, the transaction ID — README §Header
        int c = (int)stunClass;
        int type = ((method & 0xF80) << 2) | ((method & 0x070) << 1) | (method & 0x00F) | ((c & 0b10) << 7) | ((c & 0b01) << 4);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StunMessage.MagicCookie);
        transactionId.CopyTo(destination[8..]);
        #endregion
    }

    private void SetLength(int length)
    {
        _bytes[2] = (byte)(length >> 8);
        _bytes[3] = (byte)length;
    }
}
