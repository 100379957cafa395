namespace Lab08.Sfu;

/// <summary>
/// A consumer's sequence numbers: the producer's numbers moved to the consumer's own start, with the packets the
/// router does not forward (padding-only ones) taken out, so the receiver sees no gap where nothing was lost.
/// </summary>
/// <remarks>
/// output = firstOutput + (input − firstInput) − (inputs dropped before it), all on extended (unwrapped) numbers,
/// then cut to 16 bits. A late (reordered) packet gets the number it would have had in order.
/// </remarks>
public sealed class SequenceRewriter
{
    /// <summary>How far back dropped inputs are remembered one by one; older ones are folded into the offset.</summary>
    public const int DropMemory = 2048;

    private SequenceUnwrapper _input = new();
    private readonly List<long> _dropped = [];
    private ushort _firstOutput;
    private long _firstInput = -1;
    private long _foldedDrops;

    /// <summary>Starts the output at <paramref name="firstOutput"/>.</summary>
    public SequenceRewriter(ushort firstOutput)
    {
        _firstOutput = firstOutput;
    }

    /// <summary>The output number for a forwarded input packet.</summary>
    public ushort Rewrite(ushort input)
    {
        throw new NotImplementedException("Lab 08 · M3: unwrap the input (the first one is the base), subtract the drops before it, add the first output — README §Rewriting");
    }

    /// <summary>Notes an input packet that is not forwarded: the outputs after it close the gap.</summary>
    public void Drop(ushort input)
    {
        throw new NotImplementedException("Lab 08 · M3: unwrap it and remember it (sorted); forget (fold into a count) drops more than DropMemory behind the highest input — README §Rewriting");
    }

    /// <summary>
    /// Starts over on another input stream (a simulcast switch): the next input rewritten becomes <paramref name="nextOutput"/>,
    /// whatever its number, and the drops of the old stream are forgotten.
    /// </summary>
    public void Rebase(ushort nextOutput)
    {
        throw new NotImplementedException("Lab 08 · M5: a fresh input unwrapper, no first input yet, no drops, and nextOutput as the first output — README §Simulcast");
    }

    private long Unwrap(ushort input)
    {
        long extended = _input.Unwrap(input);
        if (_firstInput < 0)
        {
            _firstInput = extended;
        }

        return extended;
    }
}
