using System.Buffers.Binary;

namespace Lab08.Sfu;

/// <summary>
/// An RTP packet's header read in place (RFC 3550 §5.1): the fields a router needs and the payload, as views of the
/// datagram — nothing is copied or allocated. The fast twin of <see cref="RtpPacket.Parse"/>, which builds an object
/// and copies the payload; the router's forwarding path uses this one (README §Performance). Valid only while the
/// datagram's buffer is.
/// </summary>
public readonly ref struct RtpHeader
{
    private RtpHeader(ReadOnlySpan<byte> datagram, int payloadOffset, int payloadEnd)
    {
        Marker = (datagram[1] & 0x80) != 0;
        PayloadType = (byte)(datagram[1] & 0x7F);
        SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        Timestamp = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        Ssrc = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        Payload = datagram[payloadOffset..payloadEnd];
    }

    /// <summary>The marker bit (M).</summary>
    public bool Marker { get; }

    /// <summary>The payload type (PT, 7 bits).</summary>
    public byte PayloadType { get; }

    /// <summary>The sequence number.</summary>
    public ushort SequenceNumber { get; }

    /// <summary>The RTP timestamp.</summary>
    public uint Timestamp { get; }

    /// <summary>The synchronization source.</summary>
    public uint Ssrc { get; }

    /// <summary>The payload, without padding: a slice of the datagram.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>
    /// Reads the header of <paramref name="datagram"/>. Accepts and rejects exactly what <see cref="RtpPacket.Parse"/> does.
    /// </summary>
    /// <exception cref="RtpException">Too short, version not 2, CSRCs / extension / padding past the end, or a
    /// one-/two-byte extension element past the end of the extension.</exception>
    public static RtpHeader Read(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < RtpPacket.FixedHeaderSize)
        {
            throw new RtpException("header", datagram.Length, $"An RTP packet is at least {RtpPacket.FixedHeaderSize} bytes (RFC 3550 §5.1); got {datagram.Length}.");
        }

        int version = datagram[0] >> 6;
        if (version != RtpPacket.Version)
        {
            throw new RtpException("version", 0, $"RTP version must be 2 (RFC 3550 §5.1); got {version}.");
        }

        int csrcCount = datagram[0] & 0x0F;
        int offset = RtpPacket.FixedHeaderSize;
        if (offset + (4 * csrcCount) > datagram.Length)
        {
            throw new RtpException("csrc", offset, $"CC = {csrcCount} needs {4 * csrcCount} bytes of CSRCs at offset {offset}; the packet has {datagram.Length - offset}.");
        }

        offset += 4 * csrcCount;
        if ((datagram[0] & 0x10) != 0)
        {
            if (offset + 4 > datagram.Length)
            {
                throw new RtpException("extension", offset, $"X = 1 but the 4-byte extension header at offset {offset} runs past the end ({datagram.Length} bytes).");
            }

            ushort profile = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int length = 4 * BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            if (offset + 4 + length > datagram.Length)
            {
                throw new RtpException("extension", offset + 2, $"The header extension's length says {length} bytes after offset {offset + 4}; the packet has {datagram.Length - offset - 4}.");
            }

            CheckElements(datagram.Slice(offset + 4, length), offset + 4, profile);
            offset += 4 + length;
        }

        int end = datagram.Length;
        if ((datagram[0] & 0x20) != 0)
        {
            int count = datagram[^1];
            if (count == 0 || end - count < offset)
            {
                throw new RtpException("padding", end - 1, $"P = 1 and the last byte says {count} bytes of padding; only {end - offset} bytes follow the header (RFC 3550 §5.1: the count includes itself and is at least 1).");
            }

            end -= count;
        }

        return new RtpHeader(datagram, offset, end);
    }

    /// <summary>Walks the RFC 8285 elements (one-byte §4.2, two-byte §4.3) only to check that each lies within the extension.</summary>
    private static void CheckElements(ReadOnlySpan<byte> body, int bodyOffset, ushort profile)
    {
        bool oneByte = profile == RtpPacket.OneByteProfile;
        if (!oneByte && (profile & 0xFFF0) != RtpPacket.TwoByteProfile)
        {
            return; // another profile: its body is opaque
        }

        int at = 0;
        while (at < body.Length)
        {
            int id = oneByte ? body[at] >> 4 : body[at];
            if (id == 0)
            {
                at++; // ID 0 is padding (§4.2, §4.3)
                continue;
            }

            if (oneByte)
            {
                if (id == 15)
                {
                    return; // §4.2: ID 15 is reserved; processing stops here
                }

                int length = (body[at] & 0x0F) + 1;
                if (at + 1 + length > body.Length)
                {
                    throw new RtpException("extension element", bodyOffset + at, $"One-byte extension element id {id} says {length} bytes; only {body.Length - at - 1} remain in the extension.");
                }

                at += 1 + length;
            }
            else
            {
                if (at + 2 > body.Length || at + 2 + body[at + 1] > body.Length)
                {
                    throw new RtpException("extension element", bodyOffset + at, $"Two-byte extension element id {id} runs past the end of the extension ({body.Length} bytes).");
                }

                at += 2 + body[at + 1];
            }
        }
    }
}
