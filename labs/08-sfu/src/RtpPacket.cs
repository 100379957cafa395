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
        throw new NotImplementedException("Lab 08 · M1: parse the fixed header, the CSRCs, the extension (raw body, and elements for 0xBEDE / 0x100X) and padding; throw RtpException(field, offset, ...) for anything past the end — README §RTP packets");
    }

    /// <summary>The packet's size on the wire: header, CSRCs, extension, payload and padding.</summary>
    public int Size => FixedHeaderSize + (4 * Csrcs.Count) + ExtensionSize() + Payload.Length + PaddingSize;

    /// <summary>Writes the packet; returns the number of bytes written (<see cref="Size"/>).</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="Size"/>, more than 15 CSRCs,
    /// a payload type above 127, or an extension element that its form cannot carry.</exception>
    public int Write(Span<byte> destination)
    {
        throw new NotImplementedException("Lab 08 · M1: write V=2, P, X, CC, M, PT, sequence number, timestamp, SSRC, CSRCs, the extension (elements in the profile's form, zero-padded to 4 bytes) and padding (zeros, count in the last byte) — README §RTP packets");
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
}
