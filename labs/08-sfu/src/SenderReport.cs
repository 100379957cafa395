using System.Buffers.Binary;

namespace Lab08.Sfu;

/// <summary>
/// SR, packet type 200 (RFC 3550 §6.4.1): the sender's SSRC, its wallclock (NTP) and RTP time at the same instant,
/// how many packets and payload octets it has sent, then up to 31 report blocks.
/// </summary>
public sealed class SenderReport : RtcpPacket
{
    /// <summary>Packet type 200.</summary>
    public const byte Type = 200;

    /// <summary>The sender's SSRC.</summary>
    public uint Ssrc { get; set; }

    /// <summary>The NTP timestamp (seconds since 1900 in the high 32 bits, the fraction in the low 32).</summary>
    public ulong NtpTimestamp { get; set; }

    /// <summary>The same instant in the RTP timestamp's clock.</summary>
    public uint RtpTimestamp { get; set; }

    /// <summary>RTP packets sent since the start.</summary>
    public uint PacketCount { get; set; }

    /// <summary>Payload octets sent since the start (headers and padding not counted).</summary>
    public uint OctetCount { get; set; }

    /// <summary>Report blocks about the sources this sender receives.</summary>
    public IList<ReceptionReport> Reports { get; } = new List<ReceptionReport>();

    /// <inheritdoc/>
    public override byte PacketType => Type;

    /// <inheritdoc/>
    public override int CountOrFormat => Reports.Count;

    /// <inheritdoc/>
    public override int Size => HeaderSize + 24 + (ReceptionReport.Size * Reports.Count);

    /// <summary>Reads the body of an SR (after the 4-byte header) with <paramref name="count"/> report blocks.</summary>
    /// <exception cref="RtpException">The body is shorter than 24 bytes plus the blocks.</exception>
    public static SenderReport ReadBody(ReadOnlySpan<byte> body, int count, int offset)
    {
        throw new NotImplementedException("Lab 08 · M2: sender info (SSRC, NTP 64 bits, RTP timestamp, packet count, octet count), then count × 24-byte blocks; too short → RtpException(\"report count\", offset) — README §RTCP");
    }

    /// <inheritdoc/>
    protected override void WriteBody(Span<byte> body)
    {
        throw new NotImplementedException("Lab 08 · M2: the sender info, then each report block — README §RTCP");
    }
}
