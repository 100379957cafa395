namespace Lab09.WebRtc;

/// <summary>
/// The rollover counter (ROC) of one SSRC and the estimate of a packet's 48-bit index from its 16-bit sequence number
/// (RFC 3711 §3.3.1 and Appendix A): index = 65536 × ROC + SEQ, with the ROC guessed as ROC−1, ROC or ROC+1 from how
/// far SEQ is from the highest sequence number seen, s_l.
/// </summary>
public sealed class SrtpIndexEstimator
{
    private bool _started;

    /// <summary>The rollover counter: how many times the sequence number has wrapped.</summary>
    public uint RolloverCounter { get; private set; }

    /// <summary>s_l: the highest sequence number accepted with the current ROC.</summary>
    public ushort HighestSequence { get; private set; }

    /// <summary>
    /// The estimated index of a packet with sequence number <paramref name="sequence"/> (Appendix A), or −1 when it
    /// would belong before ROC 0. The first sequence number ever seen is taken with ROC 0.
    /// </summary>
    public long Estimate(ushort sequence)
    {
        throw new NotImplementedException("Lab 09 · M3: before the first packet, ROC 0; else Appendix A — with s_l < 32768, SEQ − s_l > 32768 means ROC−1; with s_l ≥ 32768, s_l − 32768 > SEQ means ROC+1; else ROC — README §Rollover");
    }

    /// <summary>Moves ROC and s_l forward when an authenticated packet's <paramref name="index"/> is the highest so far (§3.3.1).</summary>
    public void Update(long index)
    {
        throw new NotImplementedException("Lab 09 · M3: the first packet sets ROC and s_l; later, an index above 65536 × ROC + s_l replaces both — README §Rollover");
    }
}
