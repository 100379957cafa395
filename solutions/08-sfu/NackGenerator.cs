namespace Lab08.Sfu;

/// <summary>Settings of a <see cref="NackGenerator"/>.</summary>
public sealed record NackGeneratorOptions
{
    /// <summary>How long a number must be missing before it is NACKed: a packet that is only reordered arrives within it.</summary>
    public TimeSpan ReorderDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How long to wait before NACKing the same number again.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How many times one number is NACKed before it is given up.</summary>
    public int MaxRetries { get; init; } = 10;

    /// <summary>The most missing numbers tracked at once; more, and the list is cleared and a keyframe asked for instead (mediasoup: 1000).</summary>
    public int MaxPending { get; init; } = 1000;
}

/// <summary>
/// Decides which sequence numbers to NACK (RFC 4585 §6.2.1), as a receiver does. A gap puts the missing numbers on a list;
/// a number that arrives late (reordered, or retransmitted) leaves the list; a duplicate changes nothing. A number is
/// NACKed once it has been missing for <see cref="NackGeneratorOptions.ReorderDelay"/>, again every
/// <see cref="NackGeneratorOptions.RetryInterval"/>, at most <see cref="NackGeneratorOptions.MaxRetries"/> times. When
/// the list would grow past <see cref="NackGeneratorOptions.MaxPending"/>, NACKs cannot help any more: the list is
/// cleared and the caller asks for a keyframe.
/// </summary>
public sealed class NackGenerator
{
    private readonly TimeProvider _clock;
    private readonly SortedDictionary<long, Pending> _pending = [];
    private readonly SequenceUnwrapper _unwrapper = new();
    private long _highest = -1;

    private sealed class Pending
    {
        public DateTimeOffset Missing;
        public DateTimeOffset? LastSent;
        public int Sent;
    }

    /// <summary>Creates a generator that reads time from <paramref name="clock"/>.</summary>
    public NackGenerator(TimeProvider clock, NackGeneratorOptions? options = null)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        Options = options ?? new NackGeneratorOptions();
    }

    /// <summary>The settings.</summary>
    public NackGeneratorOptions Options { get; }

    /// <summary>How many numbers are missing now.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>
    /// Notes an arriving packet. Returns true when the missing list overflowed and was cleared: ask for a keyframe.
    /// </summary>
    public bool OnPacket(ushort sequenceNumber)
    {
        #region lab M4: unwrap; the first packet sets the highest; an older one leaves the list (late or retransmitted); a newer one adds every number between the highest and it to the list (missing since now) — past MaxPending clear the list and return true — README §NACK generation
        long extended = _unwrapper.Unwrap(sequenceNumber);
        if (_highest < 0)
        {
            _highest = extended;
            return false;
        }

        if (extended <= _highest)
        {
            _pending.Remove(extended); // reordered or retransmitted; a duplicate is simply not there
            return false;
        }

        var now = _clock.GetUtcNow();
        bool overflow = extended - _highest - 1 + _pending.Count > Options.MaxPending;
        if (overflow)
        {
            _pending.Clear();
        }
        else
        {
            for (long missing = _highest + 1; missing < extended; missing++)
            {
                _pending[missing] = new Pending { Missing = now };
            }
        }

        _highest = extended;
        return overflow;
        #endregion
    }

    /// <summary>
    /// The numbers to NACK now, oldest first, as a new list: the simple version of <see cref="Collect(Span{ushort})"/>.
    /// </summary>
    public IReadOnlyList<ushort> Collect()
    {
        var due = new ushort[_pending.Count];
        return due[..Collect(due)];
    }

    /// <summary>
    /// Writes the numbers to NACK now into <paramref name="due"/>, oldest first, and returns how many: missing for at least
    /// the reorder delay, and not NACKed within the retry interval. Numbers NACKed <see cref="NackGeneratorOptions.MaxRetries"/>
    /// times are given up. When more are due than <paramref name="due"/> holds, the rest stay due for the next call. With
    /// nothing missing (the steady state) it allocates nothing.
    /// </summary>
    public int Collect(Span<ushort> due)
    {
        #region lab M4: nothing pending → 0 at once (no allocation); else for each pending number (oldest first): give up after MaxRetries; skip it when missing for less than ReorderDelay or sent less than RetryInterval ago; stop when due is full; else note the send and write it (16 bits); return the count — README §NACK generation
        if (_pending.Count == 0)
        {
            return 0; // walking even an empty SortedDictionary allocates its enumerator's stack
        }

        var now = _clock.GetUtcNow();
        int count = 0;
        var givenUp = new List<long>();
        foreach (var (sequence, pending) in _pending)
        {
            if (pending.Sent >= Options.MaxRetries)
            {
                givenUp.Add(sequence);
                continue;
            }

            if (now - pending.Missing < Options.ReorderDelay || (pending.LastSent is { } last && now - last < Options.RetryInterval))
            {
                continue;
            }

            if (count == due.Length)
            {
                break; // the rest stay due
            }

            pending.LastSent = now;
            pending.Sent++;
            due[count++] = (ushort)sequence;
        }

        foreach (long sequence in givenUp)
        {
            _pending.Remove(sequence);
        }

        return count;
        #endregion
    }
}
