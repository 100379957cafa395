using System.Buffers.Binary;

namespace Lab08.Sfu;

/// <summary>
/// An RTP packet (RFC 3550 §5.1): the fixed header, CSRCs, an optional header extension (§5.3.1, with the
/// RFC 8285 one- and two-byte element forms), the payload and optional padding.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// |                           timestamp                           |
/// |           synchronization source (SSRC) identifier            |
/// |            contributing source (CSRC) identifiers  (CC × 4)   |
/// |  defined by profile (X=1)     |           length (words)      |
/// |                        header extension                       |
/// |                     payload ...   | padding | padding count   |
/// </code>
/// </remarks>
public sealed class RtpPacket
{
    /// <summary>The RTP version in the first two bits (RFC 3550 §5.1).</summary>
    public const int Version = 2;

    /// <summary>The fixed header's size: 12 bytes (RFC 3550 §5.1).</summary>
    public const int FixedHeaderSize = 12;

    /// <summary>The profile that marks the one-byte element form (RFC 8285 §4.2).</summary>
    public const ushort OneByteProfile = 0xBEDE;

    /// <summary>The profile that marks the two-byte element form, its low 4 bits "appbits" (RFC 8285 §4.3).</summary>
    public const ushort TwoByteProfile = 0x1000;

    /// <summary>The marker bit; for video the last packet of a frame (RFC 6184 §5.1).</summary>
    public bool Marker { get; set; }

    /// <summary>The payload type, 7 bits.</summary>
    public byte PayloadType { get; set; }

    /// <summary>The sequence number: +1 per packet, wrapping at 65536.</summary>
    public ushort SequenceNumber { get; set; }

    /// <summary>The RTP timestamp in the clock rate of the payload (90 kHz for video).</summary>
    public uint Timestamp { get; set; }

    /// <summary>The synchronisation source.</summary>
    public uint Ssrc { get; set; }

    /// <summary>The contributing sources, at most 15.</summary>
    public IList<uint> Csrcs { get; } = new List<uint>();

    /// <summary>The header extension's 16-bit profile, or null when the packet has none (X = 0).</summary>
    public ushort? ExtensionProfile { get; set; }

    /// <summary>
    /// The header extension's elements when the profile is 0xBEDE or 0x100X (RFC 8285). Parse fills it; Write
    /// writes it in the form the profile names.
    /// </summary>
    public IList<RtpHeaderExtension> Extensions { get; } = new List<RtpHeaderExtension>();

    /// <summary>
    /// The header extension's body as it is on the wire (a multiple of 4 bytes), for every profile. Write uses it
    /// only for a profile other than the two RFC 8285 ones.
    /// </summary>
    public ReadOnlyMemory<byte> ExtensionData { get; set; }

    /// <summary>The payload, without padding.</summary>
    public ReadOnlyMemory<byte> Payload { get; set; }

    /// <summary>How many padding bytes follow the payload, the count byte included; 0 = no padding (P = 0).</summary>
    public byte PaddingSize { get; set; }

    /// <summary>
    /// Parses a datagram. The payload and extension data are copies, so the caller may reuse its buffer.
    /// </summary>
    /// <exception cref="RtpException">Too short, version not 2, CSRCs / extension / padding past the end, or a
    /// one-/two-byte extension element past the end of the extension.</exception>
    public static RtpPacket Parse(ReadOnlySpan<byte> datagram)
    {
        #region lab M1: parse the fixed header, the CSRCs, the extension (raw body, and elements for 0xBEDE / 0x100X) and padding; throw RtpException(field, offset, ...) for anything past the end — README §RTP packets
        if (datagram.Length < FixedHeaderSize)
        {
            throw new RtpException("header", datagram.Length, $"An RTP packet is at least {FixedHeaderSize} bytes (RFC 3550 §5.1); got {datagram.Length}.");
        }

        int version = datagram[0] >> 6;
        if (version != Version)
        {
            throw new RtpException("version", 0, $"RTP version must be 2 (RFC 3550 §5.1); got {version}.");
        }

        bool padding = (datagram[0] & 0x20) != 0;
        bool extension = (datagram[0] & 0x10) != 0;
        int csrcCount = datagram[0] & 0x0F;
        var packet = new RtpPacket
        {
            Marker = (datagram[1] & 0x80) != 0,
            PayloadType = (byte)(datagram[1] & 0x7F),
            SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]),
            Timestamp = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]),
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]),
        };

        int offset = FixedHeaderSize;
        if (offset + (4 * csrcCount) > datagram.Length)
        {
            throw new RtpException("csrc", offset, $"CC = {csrcCount} needs {4 * csrcCount} bytes of CSRCs at offset {offset}; the packet has {datagram.Length - offset}.");
        }

        for (int i = 0; i < csrcCount; i++)
        {
            packet.Csrcs.Add(BinaryPrimitives.ReadUInt32BigEndian(datagram[offset..]));
            offset += 4;
        }

        if (extension)
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

            var body = datagram.Slice(offset + 4, length);
            packet.ExtensionProfile = profile;
            packet.ExtensionData = body.ToArray();
            if (profile == OneByteProfile)
            {
                ReadOneByteElements(body, offset + 4, packet.Extensions);
            }
            else if ((profile & 0xFFF0) == TwoByteProfile)
            {
                ReadTwoByteElements(body, offset + 4, packet.Extensions);
            }

            offset += 4 + length;
        }

        int end = datagram.Length;
        if (padding)
        {
            int count = datagram[^1];
            if (count == 0 || end - count < offset)
            {
                throw new RtpException("padding", end - 1, $"P = 1 and the last byte says {count} bytes of padding; only {end - offset} bytes follow the header (RFC 3550 §5.1: the count includes itself and is at least 1).");
            }

            packet.PaddingSize = (byte)count;
            end -= count;
        }

        packet.Payload = datagram[offset..end].ToArray();
        return packet;
        #endregion
    }

    /// <summary>The packet's size on the wire: header, CSRCs, extension, payload and padding.</summary>
    public int Size => FixedHeaderSize + (4 * Csrcs.Count) + ExtensionSize() + Payload.Length + PaddingSize;

    /// <summary>Writes the packet; returns the number of bytes written (<see cref="Size"/>).</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="Size"/>, more than 15 CSRCs,
    /// a payload type above 127, or an extension element that its form cannot carry.</exception>
    public int Write(Span<byte> destination)
    {
        #region lab M1: write V=2, P, X, CC, M, PT, sequence number, timestamp, SSRC, CSRCs, the extension (elements in the profile's form, zero-padded to 4 bytes) and padding (zeros, count in the last byte) — README §RTP packets
        if (Csrcs.Count > 15 || PayloadType > 127)
        {
            throw new ArgumentException($"RTP carries at most 15 CSRCs and a 7-bit payload type (RFC 3550 §5.1); got {Csrcs.Count} and {PayloadType}.");
        }

        int size = Size;
        if (destination.Length < size)
        {
            throw new ArgumentException($"The packet needs {size} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        destination[0] = (byte)((Version << 6) | (PaddingSize > 0 ? 0x20 : 0) | (ExtensionProfile is null ? 0 : 0x10) | Csrcs.Count);
        destination[1] = (byte)((Marker ? 0x80 : 0) | PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Ssrc);
        int offset = FixedHeaderSize;
        foreach (uint csrc in Csrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], csrc);
            offset += 4;
        }

        if (ExtensionProfile is ushort profile)
        {
            int bodyLength = ExtensionSize() - 4;
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], profile);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)(bodyLength / 4));
            var body = destination.Slice(offset + 4, bodyLength);
            body.Clear();
            if (IsElementProfile(profile))
            {
                bool oneByte = profile == OneByteProfile;
                int at = 0;
                foreach (var element in Extensions)
                {
                    if (oneByte)
                    {
                        // RFC 8285 §4.2: 4-bit ID (1-14), 4-bit length - 1.
                        body[at++] = (byte)((element.Id << 4) | (element.Data.Length - 1));
                    }
                    else
                    {
                        // RFC 8285 §4.3: 8-bit ID, 8-bit length.
                        body[at++] = element.Id;
                        body[at++] = (byte)element.Data.Length;
                    }

                    element.Data.Span.CopyTo(body[at..]);
                    at += element.Data.Length;
                }
            }
            else
            {
                ExtensionData.Span.CopyTo(body);
            }

            offset += 4 + bodyLength;
        }

        Payload.Span.CopyTo(destination[offset..]);
        offset += Payload.Length;
        if (PaddingSize > 0)
        {
            destination.Slice(offset, PaddingSize - 1).Clear();
            offset += PaddingSize;
            destination[offset - 1] = PaddingSize;
        }

        return offset;
        #endregion
    }

    /// <summary>The packet as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        Write(bytes);
        return bytes;
    }

    private static bool IsElementProfile(ushort profile) => profile == OneByteProfile || (profile & 0xFFF0) == TwoByteProfile;

    private int ExtensionSize()
    {
        if (ExtensionProfile is not ushort profile)
        {
            return 0;
        }

        if (!IsElementProfile(profile))
        {
            if (ExtensionData.Length % 4 != 0)
            {
                throw new ArgumentException($"A header extension's body is a whole number of 32-bit words (RFC 3550 §5.3.1); ExtensionData has {ExtensionData.Length} bytes.");
            }

            return 4 + ExtensionData.Length;
        }

        bool oneByte = profile == OneByteProfile;
        int length = 0;
        foreach (var element in Extensions)
        {
            bool fits = oneByte
                ? element.Id is >= 1 and <= 14 && element.Data.Length is >= 1 and <= 16
                : element.Id >= 1 && element.Data.Length <= 255;
            if (!fits)
            {
                throw new ArgumentException($"Extension element id {element.Id} with {element.Data.Length} bytes does not fit the {(oneByte ? "one" : "two")}-byte form (RFC 8285 §4.{(oneByte ? 2 : 3)}).");
            }

            length += (oneByte ? 1 : 2) + element.Data.Length;
        }

        return 4 + ((length + 3) / 4 * 4);
    }

    #region lab-remove
    private static void ReadOneByteElements(ReadOnlySpan<byte> body, int bodyOffset, IList<RtpHeaderExtension> elements)
    {
        int at = 0;
        while (at < body.Length)
        {
            int id = body[at] >> 4;
            if (id == 0)
            {
                at++; // RFC 8285 §4.2: a zero byte is padding
                continue;
            }

            if (id == 15)
            {
                return; // §4.2: ID 15 is reserved; processing stops here
            }

            int length = (body[at] & 0x0F) + 1;
            if (at + 1 + length > body.Length)
            {
                throw new RtpException("extension element", bodyOffset + at, $"One-byte extension element id {id} says {length} bytes; only {body.Length - at - 1} remain in the extension.");
            }

            elements.Add(new RtpHeaderExtension((byte)id, body.Slice(at + 1, length).ToArray()));
            at += 1 + length;
        }
    }
    #endregion

    #region lab-remove
    private static void ReadTwoByteElements(ReadOnlySpan<byte> body, int bodyOffset, IList<RtpHeaderExtension> elements)
    {
        int at = 0;
        while (at < body.Length)
        {
            byte id = body[at];
            if (id == 0)
            {
                at++; // RFC 8285 §4.3: a zero byte is padding
                continue;
            }

            if (at + 2 > body.Length || at + 2 + body[at + 1] > body.Length)
            {
                throw new RtpException("extension element", bodyOffset + at, $"Two-byte extension element id {id} runs past the end of the extension ({body.Length} bytes).");
            }

            int length = body[at + 1];
            elements.Add(new RtpHeaderExtension(id, body.Slice(at + 2, length).ToArray()));
            at += 2 + length;
        }
    }
    #endregion
}
