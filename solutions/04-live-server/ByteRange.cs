using System.Globalization;

namespace Lab04.LiveServer;

/// <summary>What a <c>Range</c> header field asks of a file of a given length (RFC 9110 §14.1.2, §14.2).</summary>
public enum ByteRangeKind
{
    /// <summary>No Range, one the server ignores (another unit, bad syntax, several ranges): answer 200 and the whole file.</summary>
    Whole,

    /// <summary>One satisfiable range: answer 206 Partial Content with <see cref="ByteRange.ContentRange"/>.</summary>
    Partial,

    /// <summary>A range that selects nothing of the file: answer 416 Range Not Satisfiable with <c>Content-Range: bytes */LENGTH</c>.</summary>
    Unsatisfiable,
}

/// <summary>
/// The answer to <c>Range: bytes=…</c> on a file of <see cref="Length"/> bytes: which kind of answer, and for
/// <see cref="ByteRangeKind.Partial"/> the bytes <see cref="First"/>…<see cref="Last"/> (both included, as
/// RFC 9110 counts them). README §Recording.
/// </summary>
public readonly record struct ByteRange(ByteRangeKind Kind, long First, long Last, long Length)
{
    /// <summary>How many bytes the answer's body has.</summary>
    public long Count => Kind switch
    {
        ByteRangeKind.Partial => Last - First + 1,
        ByteRangeKind.Whole => Length,
        _ => 0,
    };

    /// <summary>The Content-Range field value: <c>bytes FIRST-LAST/LENGTH</c> (206) or <c>bytes */LENGTH</c> (416); null for a whole answer.</summary>
    public string? ContentRange => Kind switch
    {
        ByteRangeKind.Partial => string.Create(CultureInfo.InvariantCulture, $"bytes {First}-{Last}/{Length}"),
        ByteRangeKind.Unsatisfiable => string.Create(CultureInfo.InvariantCulture, $"bytes */{Length}"),
        _ => null,
    };

    /// <summary>
    /// Reads a Range field value for a file of <paramref name="length"/> bytes. One range of the unit
    /// "bytes" (case-insensitive, §14.1) is served: <c>bytes=F-L</c> (L past the end means the end),
    /// <c>bytes=F-</c> (from F to the end), <c>bytes=-N</c> (the last N bytes, the whole file when it is
    /// shorter). A first position at or past the end, a suffix of 0, or an empty file is unsatisfiable.
    /// Anything else — no field, another unit, bad syntax, F &gt; L, several ranges — is ignored (§14.2:
    /// a server MAY ignore Range) and the whole file is the answer.
    /// </summary>
    public static ByteRange Parse(string? header, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var whole = new ByteRange(ByteRangeKind.Whole, 0, length - 1, length);
        #region lab M6: "bytes=" (unit case-insensitive, optional spaces), exactly one range: F-L, F- or -N with decimal digits only; bad or several → whole; F ≥ length, -0 or an empty file → Unsatisfiable; L clamps to length − 1; -N longer than the file → from 0 — README §Recording
        if (header is null)
        {
            return whole;
        }

        int equals = header.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0 || !header[..equals].Trim().Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            return whole;
        }

        string spec = header[(equals + 1)..].Trim();
        int dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (spec.Contains(',', StringComparison.Ordinal) || dash < 0)
        {
            return whole;
        }

        string firstText = spec[..dash].Trim(), lastText = spec[(dash + 1)..].Trim();
        var unsatisfiable = new ByteRange(ByteRangeKind.Unsatisfiable, 0, 0, length);
        if (firstText.Length == 0)
        {
            if (!IsNumber(lastText, out long suffix))
            {
                return whole;
            }

            return suffix == 0 || length == 0
                ? unsatisfiable
                : new ByteRange(ByteRangeKind.Partial, Math.Max(0, length - suffix), length - 1, length);
        }

        if (!IsNumber(firstText, out long first))
        {
            return whole;
        }

        long last = long.MaxValue;
        if (lastText.Length > 0 && (!IsNumber(lastText, out last) || last < first))
        {
            return whole;
        }

        return first >= length
            ? unsatisfiable
            : new ByteRange(ByteRangeKind.Partial, first, Math.Min(last, length - 1), length);
        #endregion
    }

    #region lab-remove
    // Decimal digits only (RFC 9110 §14.1.1: 1*DIGIT): NumberStyles.None takes no sign, space or separator,
    // and a position too large for a long fails like any other bad syntax.
    private static bool IsNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    #endregion
}
