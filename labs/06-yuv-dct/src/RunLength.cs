namespace Lab06.YuvDct;

/// <summary>One nonzero AC level and the number of zeros before it in zigzag order (T.81 §F.1.2.2's RUNLENGTH/SIZE idea).</summary>
/// <param name="Run">Zeros skipped before this level (0–62).</param>
/// <param name="Level">The nonzero quantised coefficient.</param>
public readonly record struct RunLevel(int Run, short Level);

/// <summary>
/// Run-length coding (游程编码) of the 63 AC coefficients of a zigzag-scanned block: (run, level) pairs
/// for the nonzero ones; the zeros after the last one are implied (JPEG's "end of block", EOB).
/// </summary>
public static class RunLength
{
    /// <summary>The (run, level) pairs of <c>zigzag[1..64]</c> (the DC coefficient, index 0, is coded apart).</summary>
    public static List<RunLevel> Encode(ReadOnlySpan<short> zigzag)
    {
        throw new NotImplementedException("Lab 06 · M4: walk indices 1..63 counting zeros; at each nonzero level add (zeros so far, level) and reset — README §Run-length");
    }

    /// <summary>Rebuilds <c>zigzag[1..64]</c> from the pairs; everything after the last pair is zero. <c>zigzag[0]</c> is left alone.</summary>
    /// <exception cref="YuvException">The runs reach beyond coefficient 63.</exception>
    public static void Decode(IReadOnlyList<RunLevel> pairs, Span<short> zigzag)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        throw new NotImplementedException("Lab 06 · M4: clear 1..63, then for each pair skip Run zeros and put Level; a run past 63 is a YuvException — README §Run-length");
    }

    /// <summary>The share of a block's energy (Σ F²) in its first <paramref name="count"/> zigzag coefficients: how well the DCT compacts it.</summary>
    public static double EnergyInFirst(ReadOnlySpan<double> zigzag, int count)
    {
        throw new NotImplementedException("Lab 06 · M4: Σ of squares of the first count values / Σ of all 64 squares (1 for an all-zero block) — README §Energy compaction");
    }
}
