namespace Lab04.LiveServer;

/// <summary>Stream keys "app/name" as the server accepts them (README §Registry).</summary>
public static class StreamKey
{
    /// <summary>
    /// True when <paramref name="text"/> is "app/name" with each part 1–64 characters of A–Z, a–z, 0–9,
    /// '-', '_' and '.', and neither part "." or "..": a key is safe to use in a URL and, later, in a file name.
    /// </summary>
    public static bool TryParse(string? text, out string key)
    {
        throw new NotImplementedException("Lab 04 · M1: split on '/', exactly two parts, each 1–64 of A–Z a–z 0–9 - _ . and not \".\" or \"..\"; key = text — README §Registry");
    }
}
