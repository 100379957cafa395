namespace Lab09.WebRtc;

/// <summary>
/// The replay list of RFC 3711 §3.3.2 as a sliding window: the highest index accepted so far, and a bit for each of
/// the <see cref="Size"/> indices at and below it that says whether it was seen.
/// </summary>
public sealed class ReplayWindow
{
    /// <summary>The window's size: RFC 3711 §3.3.2 asks for at least 64.</summary>
    public const int Size = 64;

    private ulong _bits;       // bit k set: index Highest - k was accepted
    private bool _any;

    /// <summary>The highest index accepted so far (0 before the first).</summary>
    public ulong Highest { get; private set; }

    /// <summary>
    /// Whether <paramref name="index"/> may be accepted: never seen, and not older than the window
    /// (README §Replay). It does not change the window: call <see cref="Accept"/> once the packet is authenticated.
    /// </summary>
    public bool IsFresh(ulong index)
    {
        throw new NotImplementedException("Lab 09 · M3: anything while empty; above Highest is fresh; Size or more below Highest is too old; else fresh when its bit (Highest - index) is clear — README §Replay");
    }

    /// <summary>Records <paramref name="index"/> as seen (after it passed <see cref="IsFresh"/> and authentication).</summary>
    public void Accept(ulong index)
    {
        throw new NotImplementedException("Lab 09 · M3: above Highest: shift the bits by the difference (all out when it is Size or more), set bit 0, move Highest; else set bit Highest - index — README §Replay");
    }
}
