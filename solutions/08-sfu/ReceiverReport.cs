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
        #region lab M2: the reporter's SSRC, then count × 24-byte blocks; too short → RtpException("report count", offset) — README §RTCP
        if (body.Length < 4 + (count * ReceptionReport.Size))
        {
            throw new RtpException("report count", offset, $"An RR with {count} report blocks needs {4 + (count * ReceptionReport.Size)} bytes after its header; its length gives {body.Length}.");
        }

        var report = new ReceiverReport { Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body) };
        for (int i = 0; i < count; i++)
        {
            report.Reports.Add(ReceptionReport.Read(body[(4 + (i * ReceptionReport.Size))..]));
        }

        return report;
        #endregion
    }

    /// <inheritdoc/>
    protected override void WriteBody(Span<byte> body)
    {
        #region lab M2: the reporter's SSRC, then each report block — README §RTCP
        BinaryPrimitives.WriteUInt32BigEndian(body, Ssrc);
        for (int i = 0; i < Reports.Count; i++)
        {
            Reports[i].Write(body[(4 + (i * ReceptionReport.Size))..]);
        }
        #endregion
    }
}
