namespace Lab05.Hls;

/// <summary>Where a low-latency playlist stands, as far as a blocking playlist reload cares (RFC 8216bis §6.2.5.2).</summary>
/// <param name="LastSegment">The media sequence number of the last complete segment (−1 before the first).</param>
/// <param name="LastSegmentParts">How many parts that segment had.</param>
/// <param name="OpenParts">How many parts of the segment being made (number LastSegment + 1) are listed.</param>
/// <param name="PartTarget">PART-TARGET, seconds.</param>
/// <param name="Ended">The playlist has #EXT-X-ENDLIST.</param>
public readonly record struct ReloadPosition(long LastSegment, int LastSegmentParts, int OpenParts, double PartTarget, bool Ended);

/// <summary>What the server does with a playlist request.</summary>
public enum ReloadDecision
{
    /// <summary>Answer now with the playlist.</summary>
    Ready,

    /// <summary>Hold the request until the playlist changes (at most three target durations; then 503).</summary>
    Wait,

    /// <summary>400 Bad Request: a malformed directive, _HLS_part without _HLS_msn, or a request too far ahead.</summary>
    BadRequest,
}

/// <summary>
/// Blocking playlist reload (RFC 8216bis §6.2.5.2): a client that knows the next part it wants asks for the playlist with
/// <c>?_HLS_msn=M&amp;_HLS_part=N</c>, and the server holds the answer until the playlist lists part N of segment M (or
/// anything later) — so the client hears of a new part the moment it exists, without polling.
/// </summary>
public static class BlockingReload
{
    /// <summary>
    /// The Advance Part Limit of §6.2.5.2: how many parts past the last one a client may ask for — three divided by the part
    /// target when it is under a second (three seconds' worth of parts), else three.
    /// </summary>
    public static double AdvancePartLimit(double partTarget) => partTarget < 1 ? 3 / partTarget : 3;

    /// <summary>
    /// Decides a request with the query values <paramref name="msn"/> (<c>_HLS_msn</c>) and <paramref name="part"/>
    /// (<c>_HLS_part</c>), null when absent, against the playlist at <paramref name="at"/>.
    /// </summary>
    public static ReloadDecision Decide(ReloadPosition at, string? msn, string? part)
    {
        #region lab M7: no directives, or an ended playlist → Ready; a value that is not a decimal-integer, or _HLS_part without _HLS_msn → BadRequest; M > last segment + 2 → BadRequest; without _HLS_part: Ready when segment M is complete, else Wait; with N: a part index past the last part of complete segment M means part 0 of M + 1; Ready when that part is listed; BadRequest when it is in the open segment more than AdvancePartLimit parts past its last listed part; else Wait — README §LL-HLS
        if ((msn is null && part is null) || at.Ended)
        {
            return ReloadDecision.Ready; // §6.2.5.2: directives are ignored once the playlist has EXT-X-ENDLIST
        }

        if (msn is null || !TryParse(msn, out long m) || (part is not null && !TryParse(part, out _)))
        {
            return ReloadDecision.BadRequest;
        }

        if (m > at.LastSegment + 2)
        {
            return ReloadDecision.BadRequest;
        }

        if (part is null)
        {
            return m <= at.LastSegment ? ReloadDecision.Ready : ReloadDecision.Wait;
        }

        long n = long.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
        if (m < at.LastSegment || (m == at.LastSegment && n < at.LastSegmentParts))
        {
            return ReloadDecision.Ready; // a part of a complete segment, or the next segment's part 0 of an earlier one
        }

        if (m == at.LastSegment)
        {
            (m, n) = (m + 1, 0); // past the last part of segment M: part 0 of the next one
        }

        if (m == at.LastSegment + 1)
        {
            if (n < at.OpenParts)
            {
                return ReloadDecision.Ready;
            }

            return n - (at.OpenParts - 1) > AdvancePartLimit(at.PartTarget) ? ReloadDecision.BadRequest : ReloadDecision.Wait;
        }

        return ReloadDecision.Wait; // the segment after the open one: two segments ahead at most
        #endregion
    }

    #region lab-remove
    /// <summary>A decimal-integer (RFC 8216 §4.2): digits only.</summary>
    private static bool TryParse(string value, out long result)
    {
        result = 0;
        return value.Length is > 0 and <= 18 && value.All(char.IsAsciiDigit) && long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out result);
    }
    #endregion
}
