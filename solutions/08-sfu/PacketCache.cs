namespace Lab08.Sfu;

/// <summary>
/// The latest packets of one producer, by sequence number, to answer NACKs by retransmission (重传). A ring of a power
/// of two slots: packet <c>seq</c> lives in slot <c>seq &amp; (capacity − 1)</c> until a packet 'capacity' numbers
/// later takes its place. Safe to use from the producer's and the consumers' tasks at once.
/// </summary>
public sealed class PacketCache
{
    private readonly byte[][] _slots;
    private readonly int[] _lengths;
    private readonly int[] _sequence;
    private readonly Lock _gate = new();

    /// <summary>Creates a cache of <paramref name="capacity"/> packets (a power of two, at most 32768).</summary>
    public PacketCache(int capacity)
    {
        if (capacity < 1 || capacity > 32768 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A power of two from 1 to 32768 (half the sequence-number space).");
        }

        _slots = new byte[capacity][];
        _lengths = new int[capacity];
        _sequence = new int[capacity];
        Array.Fill(_sequence, -1);
    }

    /// <summary>How many packets it holds at most.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Keeps a copy of <paramref name="datagram"/> as packet <paramref name="sequenceNumber"/>.</summary>
    public void Store(ushort sequenceNumber, ReadOnlySpan<byte> datagram)
    {
        #region lab M4: the slot is seq & (capacity − 1); reuse its array when big enough, copy the datagram, remember its length and seq — under the lock — README §Retransmission
        int slot = sequenceNumber & (_slots.Length - 1);
        lock (_gate)
        {
            if (_slots[slot] is null || _slots[slot].Length < datagram.Length)
            {
                _slots[slot] = new byte[Math.Max(datagram.Length, 1500)];
            }

            datagram.CopyTo(_slots[slot]);
            _lengths[slot] = datagram.Length;
            _sequence[slot] = sequenceNumber;
        }
        #endregion
    }

    /// <summary>
    /// Copies packet <paramref name="sequenceNumber"/> into <paramref name="destination"/> and returns its length, or 0
    /// when it is not (or no longer) in the cache.
    /// </summary>
    public int TryCopy(ushort sequenceNumber, Span<byte> destination)
    {
        #region lab M4: under the lock, when the slot holds exactly this seq, copy it out and return its length; else 0 — README §Retransmission
        int slot = sequenceNumber & (_slots.Length - 1);
        lock (_gate)
        {
            if (_sequence[slot] != sequenceNumber)
            {
                return 0;
            }

            _slots[slot].AsSpan(0, _lengths[slot]).CopyTo(destination);
            return _lengths[slot];
        }
        #endregion
    }
}
