using System.Buffers.Binary;

namespace Lab08.Sfu;

/// <summary>
/// A compound RTCP packet (RFC 3550 §6.1): several RTCP packets back to back in one datagram, each one's length
/// field saying where the next begins. Packet types this lab does not know (APP 204, other feedback formats) are
/// skipped by their length.
/// </summary>
public static class RtcpCompound
{
    /// <summary>Parses every RTCP packet of a datagram.</summary>
    /// <exception cref="RtpException">A header cut short ("rtcp header"), version not 2 ("version"), a length past the
    /// end ("rtcp length"), bad padding ("padding"), or a packet whose body is wrong for its count.</exception>
    public static List<RtcpPacket> Parse(ReadOnlySpan<byte> datagram)
    {
        throw new NotImplementedException("Lab 08 · M2: walk the packets: 4-byte header, version 2, length (words − 1) within the datagram, strip padding when P = 1; dispatch on packet type (and FMT for 205/206) to each ReadBody with the body's offset — README §RTCP");
    }

    /// <summary>Writes the packets one after the other into a new array (a compound packet).</summary>
    public static byte[] Write(params IEnumerable<RtcpPacket> packets)
    {
        ArgumentNullException.ThrowIfNull(packets);
        var list = packets.ToList();
        var bytes = new byte[list.Sum(p => p.Size)];
        int at = 0;
        foreach (var packet in list)
        {
            at += packet.Write(bytes.AsSpan(at));
        }

        return bytes;
    }

    /// <summary>
    /// True when a datagram on a port that carries both RTP and RTCP is RTCP (RFC 5761 §4): its second byte, which
    /// would be M|PT for RTP, is a packet type 192–223.
    /// </summary>
    public static bool IsRtcp(ReadOnlySpan<byte> datagram)
    {
        throw new NotImplementedException("Lab 08 · M2: at least 2 bytes and the second byte in 192..223 — README §RTCP");
    }
}
