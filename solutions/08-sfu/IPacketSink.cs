namespace Lab08.Sfu;

/// <summary>
/// Where a producer's or consumer's outgoing datagrams go when it has no UDP socket of its own: the seam through which
/// another transport — Lab 09's WebRTC transport, which encrypts with SRTP and sends on its one ICE port — carries the
/// router's packets. RTP and RTCP share it (rtcp-mux, RFC 5761); the sink tells them apart by the second byte
/// (<see cref="RtcpCompound.IsRtcp"/>). Given code.
/// </summary>
/// <remarks>
/// <code>
///  transport ──decrypted RTP/RTCP──▶ Producer.Receive ─▶ … ─▶ Consumer ──IPacketSink.Send──▶ transport (encrypts, sends)
///  transport ◀──IPacketSink.Send── Producer (RR, NACK, PLI)       Consumer.Receive ◀──decrypted RTCP── transport
/// </code>
/// </remarks>
public interface IPacketSink
{
    /// <summary>
    /// Sends one plain RTP packet or RTCP compound packet. The span is valid only during the call (copy it to keep it).
    /// Called from the router's threads; must not throw for a peer that is gone.
    /// </summary>
    void Send(ReadOnlySpan<byte> datagram);
}
