namespace Lab08.Sfu;

/// <summary>
/// Turns 16-bit sequence numbers into a count that keeps growing across wrap-around, the "extended sequence
/// number" of RFC 3550 §A.1 (cycles × 65536 + sequence number). A packet that arrives late (reordered) is
/// placed before the highest one, in the cycle it belongs to.
/// </summary>
public sealed class SequenceUnwrapper
{
    private long _highest = -1;

    /// <summary>The highest extended sequence number seen, or -1 before the first packet.</summary>
    public long Highest => _highest;

    /// <summary>Returns the extended sequence number of <paramref name="sequenceNumber"/>.</summary>
    public long Unwrap(ushort sequenceNumber)
    {
        #region lab M1: the first packet is its own value; later ones are highest + Distance(low 16 bits of highest, seq); remember the highest — README §Sequence numbers
        if (_highest < 0)
        {
            _highest = sequenceNumber;
            return _highest;
        }

        long extended = _highest + RtpSequence.Distance((ushort)_highest, sequenceNumber);
        if (extended > _highest)
        {
            _highest = extended;
        }

        return extended;
        #endregion
    }
}
