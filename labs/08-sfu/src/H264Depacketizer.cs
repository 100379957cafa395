namespace Lab08.Sfu;

/// <summary>
/// Turns the payloads of consecutive RTP packets back into H.264 NAL units (RFC 6184 §5.6 single NAL unit,
/// §5.7.1 STAP-A, §5.8 FU-A). An FU-A is put together from its fragments; a gap in the sequence numbers in the
/// middle of one throws away that NAL unit (the next S fragment starts a fresh one).
/// </summary>
public sealed class H264Depacketizer
{
    private readonly List<byte> _fragments = [];
    private bool _inFragment;
    private ushort _lastSequence;
    private bool _any;

    /// <summary>How many fragmented NAL units were dropped because a fragment was lost.</summary>
    public int DroppedFragmentedUnits { get; private set; }

    /// <summary>
    /// Takes the next packet (in sequence order) and returns the NAL units it completes, each without a start code.
    /// </summary>
    /// <exception cref="RtpException">A STAP-A or FU-A that runs past its payload, or a NAL type this lab does not
    /// handle (STAP-B, MTAP, FU-B: types 25–27, 29).</exception>
    public IReadOnlyList<byte[]> Push(RtpPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        throw new NotImplementedException("Lab 08 · M1: single NAL (1-23) → itself; STAP-A → each (size, NAL) pair; FU-A → collect from S to E, rebuilding the NAL header from the indicator's F|NRI and the FU header's type; drop a unit after a sequence gap — README §H.264 payload");
    }
}
