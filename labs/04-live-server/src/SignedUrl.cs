using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Lab04.LiveServer;

/// <summary>What a signature check found (README §Authentication).</summary>
public enum SignCheck
{
    /// <summary>A signature for this path, not expired.</summary>
    Valid,

    /// <summary>No <c>sign=</c> in the query.</summary>
    Missing,

    /// <summary><c>sign=</c> is not <c>EXPIRY-HASH</c> with a decimal expiry and a 32-digit hex MD5.</summary>
    Malformed,

    /// <summary>The expiry (Unix seconds) is in the past.</summary>
    Expired,

    /// <summary>The hash is not the MD5 of <c>/app/stream-EXPIRY-SECRET</c>: another path, another secret, or a changed expiry.</summary>
    BadHash,
}

/// <summary>
/// Signed URLs (推流鉴权), node-media-server's scheme: <c>?sign=EXPIRY-HASH</c>, where EXPIRY is a Unix time in
/// seconds and HASH the lowercase hex MD5 of <c>"/app/stream-EXPIRY-SECRET"</c>. Whoever knows the secret
/// (your web application) hands out URLs that work for one stream until EXPIRY; the server needs no database.
/// </summary>
public static class SignedUrl
{

    /// <summary>The <c>sign</c> value for <paramref name="path"/> ("/live/test") valid until <paramref name="expiry"/> (Unix seconds).</summary>
    public static string Sign(string path, long expiry, string secret)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(secret);
        throw new NotImplementedException("Lab 04 · M5: $\"{expiry}-{hash}\" with hash = lowercase hex of MD5.HashData(UTF-8 of $\"{path}-{expiry}-{secret}\") — README §Authentication");
    }

    /// <summary>
    /// Checks the <c>sign</c> parameter of <paramref name="query"/> ("sign=…&amp;x=y", without "?") for
    /// <paramref name="path"/> at time <paramref name="now"/>.
    /// </summary>
    public static SignCheck Verify(string path, string? query, string secret, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(secret);
        throw new NotImplementedException("Lab 04 · M5: find sign= among the &-separated parameters (Missing); split EXPIRY-HASH at the first '-', EXPIRY a long and HASH 32 hex digits (Malformed); EXPIRY < now's Unix seconds → Expired; compare the hash with Sign's in fixed time (CryptographicOperations.FixedTimeEquals) → BadHash or Valid — README §Authentication");
    }
}
