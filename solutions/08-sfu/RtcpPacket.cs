using System.Buffers.Binary;

namespace Lab08.Sfu;

/// <summary>
/// One RTCP packet (RFC 3550 §6.1) of a compound packet. Every kind starts with the same 4-byte header:
/// <code>
/// byte 0     V(2) = 2 | P(1) | count or FMT (5 bits)
/// byte 1     packet type: 200 SR, 201 RR, 202 SDES, 203 BYE, 205 RTPFB (FMT 1 = NACK), 206 PSFB (FMT 1 = PLI)
/// bytes 2-3  length: the packet's size in 32-bit words minus one
/// </code>
/// </summary>
public abstract class RtcpPacket
{
    /// <summary>The header's size (RFC 3550 §6.4.1).</summary>
    public const int HeaderSize = 4;

    /// <summary>The packet type byte (RFC 3550 §12.1, RFC 4585 §6.1).</summary>
    public abstract byte PacketType { get; }

    /// <summary>The 5-bit field after P: a count of reports, sources or chunks, or the feedback message type (FMT).</summary>
    public abstract int CountOrFormat { get; }

    /// <summary>The packet's size on the wire, a multiple of 4, the header included.</summary>
    public abstract int Size { get; }

    /// <summary>Writes the packet (header included); returns <see cref="Size"/>.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="Size"/>, or a field does not fit.</exception>
    public int Write(Span<byte> destination)
    {
        int size = Size;
        if (destination.Length < size)
        {
            throw new ArgumentException($"The RTCP packet needs {size} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        WriteHeader(destination, CountOrFormat, PacketType, size);
        WriteBody(destination[HeaderSize..size]);
        return size;
    }

    /// <summary>Writes what follows the 4-byte header.</summary>
    protected abstract void WriteBody(Span<byte> body);

    /// <summary>Writes the common header for a packet of <paramref name="size"/> bytes (a multiple of 4).</summary>
    public static void WriteHeader(Span<byte> destination, int countOrFormat, byte packetType, int size)
    {
        #region lab M2: V=2, P=0, the 5-bit count/FMT, the packet type, and length = size / 4 − 1 — README §RTCP
        if (countOrFormat is < 0 or > 31 || size % 4 != 0 || size < HeaderSize)
        {
            throw new ArgumentException($"An RTCP count/FMT is 5 bits and a size a multiple of 4 (RFC 3550 §6.4.1); got {countOrFormat} and {size}.");
        }

        destination[0] = (byte)((RtpPacket.Version << 6) | countOrFormat);
        destination[1] = packetType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)((size / 4) - 1));
        #endregion
    }
}
