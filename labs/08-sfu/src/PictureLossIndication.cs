using System.Buffers.Binary;

namespace Lab08.Sfu;

/// <summary>
/// PLI: PSFB (packet type 206) with FMT 1 (RFC 4585 §6.3.1): "I lost part of a picture, send a keyframe". The
/// sender and media SSRCs and nothing else, so it is always 12 bytes.
/// </summary>
public sealed class PictureLossIndication : RtcpPacket
{
    /// <summary>Payload-specific feedback, packet type 206 (RFC 4585 §6.1).</summary>
    public const byte Type = 206;

    /// <summary>FMT 1: picture loss indication (RFC 4585 §6.3.1).</summary>
    public const int Format = 1;

    /// <summary>The SSRC of the one who asks.</summary>
    public uint SenderSsrc { get; set; }

    /// <summary>The SSRC of the stream that should send a keyframe.</summary>
    public uint MediaSsrc { get; set; }

    /// <inheritdoc/>
    public override byte PacketType => Type;

    /// <inheritdoc/>
    public override int CountOrFormat => Format;

    /// <inheritdoc/>
    public override int Size => HeaderSize + 8;

    /// <summary>Reads the body of a PLI.</summary>
    /// <exception cref="RtpException">Shorter than the two SSRCs ("feedback").</exception>
    public static PictureLossIndication ReadBody(ReadOnlySpan<byte> body, int offset)
    {
        throw new NotImplementedException("Lab 08 · M2: the sender and media SSRCs — README §PLI");
    }

    /// <inheritdoc/>
    protected override void WriteBody(Span<byte> body)
    {
        throw new NotImplementedException("Lab 08 · M2: the sender and media SSRCs — README §PLI");
    }
}
