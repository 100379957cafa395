using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Lab09.WebRtc;

/// <summary>
/// XOR-MAPPED-ADDRESS (RFC 8489 §14.2): the address a request came from, xored so that NATs that rewrite
/// addresses they see in payloads leave it alone.
/// </summary>
/// <remarks>
/// <code>
/// 0x00 | Family (0x01 IPv4, 0x02 IPv6) | X-Port (port xor the cookie's top 16 bits)
/// X-Address: IPv4 xor the magic cookie; IPv6 xor the cookie followed by the 12-byte transaction ID
/// </code>
/// </remarks>
public static class StunXorAddress
{
    /// <summary>Family 0x01 (RFC 8489 §14.1).</summary>
    public const byte FamilyIPv4 = 0x01;

    /// <summary>Family 0x02 (RFC 8489 §14.1).</summary>
    public const byte FamilyIPv6 = 0x02;

    /// <summary>The value's size for <paramref name="family"/>: 8 bytes for IPv4, 20 for IPv6.</summary>
    public static int SizeOf(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? 20 : 8;

    /// <summary>
    /// Writes the XOR-MAPPED-ADDRESS value of <paramref name="endPoint"/> (8 or 20 bytes) into <paramref name="destination"/>
    /// and returns how many bytes it wrote. <paramref name="transactionId"/> is the message's 12-byte transaction ID.
    /// </summary>
    public static int Encode(IPEndPoint endPoint, ReadOnlySpan<byte> transactionId, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        throw new NotImplementedException("Lab 09 · M1: 0, family, port xor 0x2112, then the address bytes xor the cookie (and the transaction ID for IPv6) — README §XOR-MAPPED-ADDRESS");
    }

    /// <summary>
    /// Decodes an XOR-MAPPED-ADDRESS value. <paramref name="attributeOffset"/> is where the attribute starts in the
    /// message, for the exception: a wrong family or size throws <see cref="WebRtcException"/>.
    /// </summary>
    public static IPEndPoint Decode(ReadOnlySpan<byte> value, ReadOnlySpan<byte> transactionId, int attributeOffset)
    {
        throw new NotImplementedException("Lab 09 · M1: the mirror of Encode; family 1 needs 8 bytes, family 2 needs 20, anything else is a WebRtcException at the attribute's offset — README §XOR-MAPPED-ADDRESS");
    }
}
