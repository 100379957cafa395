namespace Lab04.LiveServer;

/// <summary>
/// The one exception this lab throws for anything a client sends wrong: a malformed or oversized HTTP
/// request head, a request head that does not arrive in time, a stream key that is not "app/name".
/// The connection that caused it is closed (an HTTP client first gets a 4xx answer); the server goes
/// on serving everyone else. RTMP errors keep Lab 02's <c>RtmpException</c>.
/// </summary>
public sealed class LiveServerException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="part">What was being read: "request line", "request head", "stream key" ...</param>
    /// <param name="offset">Where: the offset in the bytes the client sent on this connection.</param>
    /// <param name="message">What went wrong, in words, with the numbers.</param>
    public LiveServerException(string part, long offset, string message)
        : base(message)
    {
        Part = part;
        Offset = offset;
    }

    /// <summary>What was being read when the problem was found.</summary>
    public string Part { get; }

    /// <summary>The offset of the problem in the bytes the client sent.</summary>
    public long Offset { get; }
}
