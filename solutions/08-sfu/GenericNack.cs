using System.Buffers.Binary;

namespace Lab08.Sfu;

/// <summary>
/// One FCI entry of a generic NACK (RFC 4585 §6.2.1): PID, a lost packet's sequence number, and BLP, a bit mask of
/// the 16 packets after it: bit i (least significant first) set means PID + i + 1 is lost too.
/// </summary>
/// <param name="PacketId">PID: the first lost sequence number.</param>
/// <param name="LostBitmask">BLP: which of the next 16 are lost too.</param>
public readonly record struct NackItem(ushort PacketId, ushort LostBitmask);

/// <summary>
/// Generic NACK: RTPFB (packet type 205) with FMT 1 (RFC 4585 §6.2.1): the sender of the NACK, the media source,
/// and one or more (PID, BLP) items.
/// </summary>
public sealed class GenericNack : RtcpPacket
{
    /// <summary>Transport-layer feedback, packet type 205 (RFC 4585 §6.1).</summary>
    public const byte Type = 205;

    /// <summary>FMT 1: generic NACK (RFC 4585 §6.2.1).</summary>
    public const int Format = 1;

    /// <summary>The SSRC of the receiver that asks.</summary>
    public uint SenderSsrc { get; set; }

    /// <summary>The SSRC of the stream whose packets are missing.</summary>
    public uint MediaSsrc { get; set; }

    /// <summary>The (PID, BLP) items.</summary>
    public IList<NackItem> Items { get; } = new List<NackItem>();

    /// <inheritdoc/>
    public override byte PacketType => Type;

    /// <inheritdoc/>
    public override int CountOrFormat => Format;

    /// <inheritdoc/>
    public override int Size => HeaderSize + 8 + (4 * Items.Count);

    /// <summary>
    /// Packs lost sequence numbers (in the order they were lost, oldest first) into as few items as RFC 4585 allows:
    /// an item covers its PID and the 16 numbers after it, so 17 consecutive losses fit in one, 18 need two.
    /// </summary>
    public static List<NackItem> Pack(IEnumerable<ushort> lost)
    {
        ArgumentNullException.ThrowIfNull(lost);
        #region lab M2: start an item at the first number; a number 1..16 after the current PID sets bit (distance − 1); anything else starts a new item — README §NACK
        var items = new List<NackItem>();
        ushort pid = 0;
        ushort mask = 0;
        bool open = false;
        foreach (ushort sequence in lost)
        {
            int distance = open ? RtpSequence.Distance(pid, sequence) : -1;
            if (open && distance is >= 1 and <= 16)
            {
                mask |= (ushort)(1 << (distance - 1));
                continue;
            }

            if (open && distance == 0)
            {
                continue;
            }

            if (open)
            {
                items.Add(new NackItem(pid, mask));
            }

            pid = sequence;
            mask = 0;
            open = true;
        }

        if (open)
        {
            items.Add(new NackItem(pid, mask));
        }

        return items;
        #endregion
    }

    /// <summary>Every sequence number the items ask for, in order: each PID, then the bits of its BLP.</summary>
    public IEnumerable<ushort> LostSequenceNumbers()
    {
        #region lab M2: for each item, PID and then PID + i + 1 for every set bit i — README §NACK
        foreach (var item in Items)
        {
            yield return item.PacketId;
            for (int i = 0; i < 16; i++)
            {
                if ((item.LostBitmask & (1 << i)) != 0)
                {
                    yield return unchecked((ushort)(item.PacketId + i + 1));
                }
            }
        }
        #endregion
    }

    /// <summary>Reads the body of a generic NACK.</summary>
    /// <exception cref="RtpException">Shorter than the two SSRCs ("feedback").</exception>
    public static GenericNack ReadBody(ReadOnlySpan<byte> body, int offset)
    {
        #region lab M2: sender SSRC, media SSRC, then (PID, BLP) pairs to the end — README §NACK
        if (body.Length < 8)
        {
            throw new RtpException("feedback", offset, $"A feedback message has the sender and media SSRCs (8 bytes) after its header (RFC 4585 §6.1); its length gives {body.Length}.");
        }

        var nack = new GenericNack
        {
            SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body),
            MediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[4..]),
        };
        for (int at = 8; at + 4 <= body.Length; at += 4)
        {
            nack.Items.Add(new NackItem(BinaryPrimitives.ReadUInt16BigEndian(body[at..]), BinaryPrimitives.ReadUInt16BigEndian(body[(at + 2)..])));
        }

        return nack;
        #endregion
    }

    /// <inheritdoc/>
    protected override void WriteBody(Span<byte> body)
    {
        #region lab M2: the two SSRCs, then each item's PID and BLP — README §NACK
        BinaryPrimitives.WriteUInt32BigEndian(body, SenderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(body[4..], MediaSsrc);
        for (int i = 0; i < Items.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(body[(8 + (4 * i))..], Items[i].PacketId);
            BinaryPrimitives.WriteUInt16BigEndian(body[(10 + (4 * i))..], Items[i].LostBitmask);
        }
        #endregion
    }
}
