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
        #region lab M2: walk the packets: 4-byte header, version 2, length (words − 1) within the datagram, strip padding when P = 1; dispatch on packet type (and FMT for 205/206) to each ReadBody with the body's offset — README §RTCP
        var packets = new List<RtcpPacket>();
        int offset = 0;
        while (offset < datagram.Length)
        {
            if (offset + RtcpPacket.HeaderSize > datagram.Length)
            {
                throw new RtpException("rtcp header", offset, $"An RTCP header is 4 bytes; only {datagram.Length - offset} remain at offset {offset}.");
            }

            int version = datagram[offset] >> 6;
            if (version != RtpPacket.Version)
            {
                throw new RtpException("version", offset, $"RTCP version must be 2 (RFC 3550 §6.4.1); got {version} at offset {offset}.");
            }

            bool padding = (datagram[offset] & 0x20) != 0;
            int count = datagram[offset] & 0x1F;
            byte type = datagram[offset + 1];
            int size = 4 * (BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]) + 1);
            if (offset + size > datagram.Length)
            {
                throw new RtpException("rtcp length", offset + 2, $"The RTCP packet at offset {offset} says {size} bytes; {datagram.Length - offset} remain.");
            }

            var body = datagram.Slice(offset + RtcpPacket.HeaderSize, size - RtcpPacket.HeaderSize);
            if (padding)
            {
                int pad = body.IsEmpty ? 0 : body[^1];
                if (pad == 0 || pad > body.Length)
                {
                    throw new RtpException("padding", offset + size - 1, $"The RTCP packet at offset {offset} has P = 1 and a padding count of {pad}, but its body is {body.Length} bytes.");
                }

                body = body[..^pad];
            }

            int bodyOffset = offset + RtcpPacket.HeaderSize;
            RtcpPacket? packet = type switch
            {
                SenderReport.Type => SenderReport.ReadBody(body, count, bodyOffset),
                ReceiverReport.Type => ReceiverReport.ReadBody(body, count, bodyOffset),
                SourceDescription.Type => SourceDescription.ReadBody(body, count, bodyOffset),
                Goodbye.Type => Goodbye.ReadBody(body, count, bodyOffset),
                GenericNack.Type when count == GenericNack.Format => GenericNack.ReadBody(body, bodyOffset),
                PictureLossIndication.Type when count == PictureLossIndication.Format => PictureLossIndication.ReadBody(body, bodyOffset),
                _ => null,
            };
            if (packet is not null)
            {
                packets.Add(packet);
            }

            offset += size;
        }

        return packets;
        #endregion
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
        #region lab M2: at least 2 bytes and the second byte in 192..223 — README §RTCP
        return datagram.Length >= 2 && datagram[1] is >= 192 and <= 223;
        #endregion
    }
}
