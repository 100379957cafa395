using System.Buffers.Binary;
using System.Text;

namespace Lab08.Sfu;

/// <summary>
/// BYE, packet type 203 (RFC 3550 §6.6): the sources that leave, then optionally a reason (a length byte and
/// text), padded with zeros to a 32-bit boundary.
/// </summary>
public sealed class Goodbye : RtcpPacket
{
    /// <summary>Packet type 203.</summary>
    public const byte Type = 203;

    /// <summary>The sources that leave, at most 31.</summary>
    public IList<uint> Sources { get; } = new List<uint>();

    /// <summary>Why they leave, or null.</summary>
    public string? Reason { get; set; }

    /// <inheritdoc/>
    public override byte PacketType => Type;

    /// <inheritdoc/>
    public override int CountOrFormat => Sources.Count;

    /// <inheritdoc/>
    public override int Size => HeaderSize + (4 * Sources.Count) + (Reason is null ? 0 : (1 + Encoding.UTF8.GetByteCount(Reason) + 3) / 4 * 4);

    /// <summary>Reads the body of a BYE with <paramref name="count"/> sources.</summary>
    /// <exception cref="RtpException">The sources or the reason run past the end ("bye").</exception>
    public static Goodbye ReadBody(ReadOnlySpan<byte> body, int count, int offset)
    {
        #region lab M2: count × SSRC, then, when bytes remain, a reason: length byte and text — README §RTCP
        if (body.Length < 4 * count)
        {
            throw new RtpException("bye", offset, $"A BYE with {count} sources needs {4 * count} bytes; its length gives {body.Length}.");
        }

        var bye = new Goodbye();
        for (int i = 0; i < count; i++)
        {
            bye.Sources.Add(BinaryPrimitives.ReadUInt32BigEndian(body[(4 * i)..]));
        }

        int at = 4 * count;
        if (at < body.Length)
        {
            int length = body[at];
            if (at + 1 + length > body.Length)
            {
                throw new RtpException("bye", offset + at, $"The BYE reason says {length} bytes; {body.Length - at - 1} remain.");
            }

            bye.Reason = Encoding.UTF8.GetString(body.Slice(at + 1, length));
        }

        return bye;
        #endregion
    }

    /// <inheritdoc/>
    protected override void WriteBody(Span<byte> body)
    {
        #region lab M2: the sources, then the reason (length byte, UTF-8 text) and zeros to the word — README §RTCP
        body.Clear();
        for (int i = 0; i < Sources.Count; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(body[(4 * i)..], Sources[i]);
        }

        if (Reason is not null)
        {
            int at = 4 * Sources.Count;
            int length = Encoding.UTF8.GetByteCount(Reason);
            if (length > 255)
            {
                throw new ArgumentException($"A BYE reason is at most 255 bytes (RFC 3550 §6.6); got {length}.");
            }

            body[at] = (byte)length;
            Encoding.UTF8.GetBytes(Reason, body[(at + 1)..]);
        }
        #endregion
    }
}
