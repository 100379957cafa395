namespace Lab08.Sfu;

/// <summary>
/// Splits H.264 NAL units into RTP payloads for packetization-mode 1 (RFC 6184 §6.3): a NAL unit that fits goes
/// alone in one packet (§5.6); a bigger one is cut into FU-A fragments (§5.8), every one full but the last.
/// </summary>
public static class H264Packetizer
{
    /// <summary>The RTP header this packetizer plans for: the 12-byte fixed header, no CSRCs, no extension.</summary>
    public const int RtpHeaderSize = RtpPacket.FixedHeaderSize;

    /// <summary>
    /// The payloads for one NAL unit (without start code), for packets of at most <paramref name="mtu"/> bytes
    /// including the 12-byte RTP header.
    /// </summary>
    /// <exception cref="ArgumentException">An empty NAL unit, or an MTU that leaves no room for an FU-A byte of data.</exception>
    public static IReadOnlyList<byte[]> Packetize(ReadOnlySpan<byte> nalUnit, int mtu)
    {
        throw new NotImplementedException("Lab 08 · M1: one payload when the NAL fits in mtu − 12 bytes; else FU-A: indicator = F|NRI|28, header = S|E|type, then as many NAL bytes (after its header byte) as fit — README §H.264 payload");
    }
}
