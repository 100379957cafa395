using System.Buffers.Binary;

namespace Lab08.Sfu;

/// <summary>
/// A report block of an SR or RR (RFC 3550 §6.4.1): how a receiver is doing with one source.
/// <code>
/// SSRC_n (4) | fraction lost (1) | cumulative number of packets lost (3, signed)
/// extended highest sequence number received (4) | interarrival jitter (4) | last SR (4) | delay since last SR (4)
/// </code>
/// </summary>
/// <param name="Ssrc">The source this block is about.</param>
/// <param name="FractionLost">Packets lost since the previous report, as a fraction of 256.</param>
/// <param name="CumulativeLost">Packets lost since the start (expected − received), 24-bit signed: −8388608..8388607.</param>
/// <param name="ExtendedHighestSequence">Cycles × 65536 + the highest sequence number received.</param>
/// <param name="Jitter">The interarrival jitter in timestamp units (RFC 3550 §6.4.1, §A.8).</param>
/// <param name="LastSenderReport">The middle 32 bits of the NTP timestamp of the last SR from this source, or 0.</param>
/// <param name="DelaySinceLastSenderReport">Time since that SR, in units of 1/65536 s, or 0.</param>
public sealed record ReceptionReport(uint Ssrc, byte FractionLost, int CumulativeLost, uint ExtendedHighestSequence, uint Jitter, uint LastSenderReport, uint DelaySinceLastSenderReport)
{
    /// <summary>A report block is 24 bytes.</summary>
    public const int Size = 24;

    /// <summary>Reads one block.</summary>
    public static ReceptionReport Read(ReadOnlySpan<byte> source)
    {
        #region lab M2: read the seven fields; the cumulative loss is a 24-bit two's-complement number — README §RTCP
        int lost = (source[5] << 16) | (source[6] << 8) | source[7];
        if ((lost & 0x800000) != 0)
        {
            lost -= 1 << 24; // sign-extend the 24-bit field
        }

        return new ReceptionReport(
            BinaryPrimitives.ReadUInt32BigEndian(source),
            source[4],
            lost,
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[20..]));
        #endregion
    }

    /// <summary>Writes the block (24 bytes); the cumulative loss is clamped to 24 bits signed (RFC 3550 §A.3).</summary>
    public void Write(Span<byte> destination)
    {
        #region lab M2: write the seven fields; clamp the cumulative loss to −8388608..8388607 and write its low 24 bits — README §RTCP
        int lost = Math.Clamp(CumulativeLost, -0x800000, 0x7FFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        destination[4] = FractionLost;
        destination[5] = (byte)(lost >> 16);
        destination[6] = (byte)(lost >> 8);
        destination[7] = (byte)lost;
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ExtendedHighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], DelaySinceLastSenderReport);
        #endregion
    }
}
