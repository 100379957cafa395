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
        throw new NotImplementedException("Lab 08 · M2: count × SSRC, then, when bytes remain, a reason: length byte and text — README §RTCP");
    }

    /// <inheritdoc/>
    protected override void WriteBody(Span<byte> body)
    {
        throw new NotImplementedException("Lab 08 · M2: the sources, then the reason (length byte, UTF-8 text) and zeros to the word — README §RTCP");
    }
}
