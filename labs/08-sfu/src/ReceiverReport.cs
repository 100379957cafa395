using System.Buffers.Binary;

namespace Lab08.Sfu;

/// <summary>RR, packet type 201 (RFC 3550 §6.4.2): the reporter's SSRC and up to 31 report blocks.</summary>
public sealed class ReceiverReport : RtcpPacket
{
    /// <summary>Packet type 201.</summary>
    public const byte Type = 201;

    /// <summary>The SSRC of the receiver that reports.</summary>
    public uint Ssrc { get; set; }

    /// <summary>One block per source it receives.</summary>
    public IList<ReceptionReport> Reports { get; } = new List<ReceptionReport>();

    /// <inheritdoc/>
    public override byte PacketType => Type;

    /// <inheritdoc/>
    public override int CountOrFormat => Reports.Count;

    /// <inheritdoc/>
    public override int Size => HeaderSize + 4 + (ReceptionReport.Size * Reports.Count);

    /// <summary>Reads the body of an RR (after the header) with <paramref name="count"/> report blocks.</summary>
    /// <exception cref="RtpException">The body is shorter than 4 bytes plus the blocks.</exception>
    public static ReceiverReport ReadBody(ReadOnlySpan<byte> body, int count, int offset)
    {
        throw new NotImplementedException("Lab 08 · M2: the reporter's SSRC, then count × 24-byte blocks; too short → RtpException(\"report count\", offset) — README §RTCP");
    }

    /// <inheritdoc/>
    protected override void WriteBody(Span<byte> body)
    {
        throw new NotImplementedException("Lab 08 · M2: the reporter's SSRC, then each report block — README §RTCP");
    }
}
