using System.Buffers.Binary;
using System.Text;

namespace Lab08.Sfu;

/// <summary>One SDES item (RFC 3550 §6.5): a type (1 CNAME, 2 NAME, …, 8 PRIV) and up to 255 bytes of UTF-8 text.</summary>
/// <param name="Type">The item type; 1 is CNAME (§6.5.1).</param>
/// <param name="Text">The item's text.</param>
public sealed record SdesItem(byte Type, string Text)
{
    /// <summary>CNAME, the canonical end-point identifier (RFC 3550 §6.5.1).</summary>
    public const byte Cname = 1;
}

/// <summary>One SDES chunk: a source and its items.</summary>
/// <param name="Ssrc">The source described.</param>
/// <param name="Items">Its items.</param>
public sealed record SdesChunk(uint Ssrc, IReadOnlyList<SdesItem> Items);

/// <summary>
/// SDES, packet type 202 (RFC 3550 §6.5): chunks of (SSRC, items). Each chunk's item list ends with a zero byte
/// (the END item) and zeros up to the next 32-bit boundary.
/// </summary>
public sealed class SourceDescription : RtcpPacket
{
    /// <summary>Packet type 202.</summary>
    public const byte Type = 202;

    /// <summary>The chunks, at most 31.</summary>
    public IList<SdesChunk> Chunks { get; } = new List<SdesChunk>();

    /// <inheritdoc/>
    public override byte PacketType => Type;

    /// <inheritdoc/>
    public override int CountOrFormat => Chunks.Count;

    /// <inheritdoc/>
    public override int Size => HeaderSize + Chunks.Sum(ChunkSize);

    private static int ChunkSize(SdesChunk chunk)
    {
        int items = chunk.Items.Sum(i => 2 + Encoding.UTF8.GetByteCount(i.Text));
        return 4 + ((items + 1 + 3) / 4 * 4); // the END byte, then zeros to the word (§6.5)
    }

    /// <summary>Reads the body of an SDES with <paramref name="count"/> chunks.</summary>
    /// <exception cref="RtpException">A chunk or item that runs past the end ("sdes").</exception>
    public static SourceDescription ReadBody(ReadOnlySpan<byte> body, int count, int offset)
    {
        #region lab M2: per chunk: SSRC, then items (type, length, text) until a zero type byte, then skip to the next multiple of 4; anything past the end → RtpException("sdes", offset of it) — README §RTCP
        var sdes = new SourceDescription();
        int at = 0;
        for (int c = 0; c < count; c++)
        {
            if (at + 4 > body.Length)
            {
                throw new RtpException("sdes", offset + at, $"SDES chunk {c} of {count} starts past the end of the packet.");
            }

            uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(body[at..]);
            at += 4;
            var items = new List<SdesItem>();
            while (true)
            {
                if (at >= body.Length)
                {
                    throw new RtpException("sdes", offset + at, $"SDES chunk {c}'s items run past the end of the packet without an END byte.");
                }

                byte type = body[at];
                if (type == 0)
                {
                    at = (at + 4) / 4 * 4; // END, then zeros up to the next word
                    break;
                }

                if (at + 2 > body.Length || at + 2 + body[at + 1] > body.Length)
                {
                    throw new RtpException("sdes", offset + at, $"SDES item of type {type} runs past the end of the packet.");
                }

                items.Add(new SdesItem(type, Encoding.UTF8.GetString(body.Slice(at + 2, body[at + 1]))));
                at += 2 + body[at + 1];
            }

            sdes.Chunks.Add(new SdesChunk(ssrc, items));
        }

        return sdes;
        #endregion
    }

    /// <inheritdoc/>
    protected override void WriteBody(Span<byte> body)
    {
        #region lab M2: per chunk: SSRC, items (type, length, UTF-8 text), then zeros (at least one) up to the next multiple of 4 — README §RTCP
        body.Clear();
        int at = 0;
        foreach (var chunk in Chunks)
        {
            BinaryPrimitives.WriteUInt32BigEndian(body[at..], chunk.Ssrc);
            int itemsStart = at + 4;
            int i = itemsStart;
            foreach (var item in chunk.Items)
            {
                int length = Encoding.UTF8.GetByteCount(item.Text);
                if (item.Type == 0 || length > 255)
                {
                    throw new ArgumentException($"An SDES item has a non-zero type and at most 255 bytes (RFC 3550 §6.5); got type {item.Type}, {length} bytes.");
                }

                body[i] = item.Type;
                body[i + 1] = (byte)length;
                Encoding.UTF8.GetBytes(item.Text, body[(i + 2)..]);
                i += 2 + length;
            }

            at += ChunkSize(chunk);
        }
        #endregion
    }
}
