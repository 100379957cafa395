namespace Lab08.Sfu;

/// <summary>
/// What a receiver counts about one source to fill a report block (RFC 3550 §6.4.1): the extended highest sequence
/// number, packets expected and received (§A.3), and the interarrival jitter (§A.8).
/// </summary>
public sealed class ReceptionStatistics
{
    private readonly SequenceUnwrapper _unwrapper = new();
    private long _base = -1;
    private long _expectedPrior;
    private long _receivedPrior;
    private long _transit;
    private bool _haveTransit;
    private long _jitterTimes16;

    /// <summary>Packets received, duplicates included (RFC 3550 §A.3).</summary>
    public long Received { get; private set; }

    /// <summary>The extended highest sequence number received, or -1.</summary>
    public long ExtendedHighest => _unwrapper.Highest;

    /// <summary>Packets expected so far: extended highest − first + 1.</summary>
    public long Expected => _base < 0 ? 0 : _unwrapper.Highest - _base + 1;

    /// <summary>Expected − received: may be negative when packets came twice.</summary>
    public long CumulativeLost => Expected - Received;

    /// <summary>The interarrival jitter in timestamp units (§A.8: J is kept × 16 and reported as J >> 4).</summary>
    public uint Jitter => (uint)(_jitterTimes16 >> 4);

    /// <summary>
    /// Counts one packet: its sequence number, its RTP timestamp, and its arrival time in the same clock units as the
    /// RTP timestamp (90 kHz for video).
    /// </summary>
    public void OnPacket(ushort sequenceNumber, uint rtpTimestamp, uint arrival)
    {
        throw new NotImplementedException("Lab 08 · M2: unwrap the sequence number (the first one is the base); count it; jitter (§A.8): D = |transit − last transit|, J += D − (J + 8) >> 4 with J kept × 16 — README §Reports");
    }

    /// <summary>
    /// A report block for <paramref name="ssrc"/>: fraction lost since the previous call, cumulative loss, extended
    /// highest sequence number and jitter (LSR and DLSR left 0).
    /// </summary>
    public ReceptionReport CreateReport(uint ssrc)
    {
        throw new NotImplementedException("Lab 08 · M2: fraction = (lost in interval << 8) / expected in interval when both are positive, else 0 (§A.3); remember expected and received for the next call — README §Reports");
    }
}
