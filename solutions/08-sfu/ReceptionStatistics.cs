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
        #region lab M2: unwrap the sequence number (the first one is the base); count it; jitter (§A.8): D = |transit − last transit|, J += D − (J + 8) >> 4 with J kept × 16 — README §Reports
        long extended = _unwrapper.Unwrap(sequenceNumber);
        if (_base < 0 || extended < _base)
        {
            _base = extended;
        }

        Received++;
        long transit = unchecked((int)(arrival - rtpTimestamp));
        if (_haveTransit)
        {
            long d = Math.Abs(transit - _transit);
            _jitterTimes16 += d - ((_jitterTimes16 + 8) >> 4);
        }

        _transit = transit;
        _haveTransit = true;
        #endregion
    }

    /// <summary>
    /// A report block for <paramref name="ssrc"/>: fraction lost since the previous call, cumulative loss, extended
    /// highest sequence number and jitter (LSR and DLSR left 0).
    /// </summary>
    public ReceptionReport CreateReport(uint ssrc)
    {
        #region lab M2: fraction = (lost in interval << 8) / expected in interval when both are positive, else 0 (§A.3); remember expected and received for the next call — README §Reports
        long expected = Expected;
        long expectedInterval = expected - _expectedPrior;
        long receivedInterval = Received - _receivedPrior;
        long lostInterval = expectedInterval - receivedInterval;
        _expectedPrior = expected;
        _receivedPrior = Received;
        byte fraction = expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)((lostInterval << 8) / expectedInterval);
        int cumulative = (int)Math.Clamp(CumulativeLost, -0x800000, 0x7FFFFF);
        return new ReceptionReport(ssrc, fraction, cumulative, (uint)Math.Max(0, ExtendedHighest), Jitter, 0, 0);
        #endregion
    }
}
