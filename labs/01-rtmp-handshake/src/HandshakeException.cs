namespace Lab01.RtmpHandshake;

/// <summary>
/// The one exception the handshake throws for anything a peer does wrong: a wrong version byte,
/// a peer that closed before a whole packet arrived, or an echo that does not match.
/// </summary>
/// <remarks>
/// Cancellation (a deadline, or a peer that never sends) is not a handshake error: it surfaces as
/// <see cref="OperationCanceledException"/>, as everywhere in .NET.
/// </remarks>
public sealed class HandshakeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="packet">The packet that was wrong or incomplete: "C0", "C1", "C2", "S0", "S1" or "S2".</param>
    /// <param name="field">The field that was wrong ("version", "random echo", ...), or null when the packet was cut short.</param>
    /// <param name="offset">The offset in the bytes received from the peer where the problem is (C0/S0 is at 0, C1/S1 at 1, C2/S2 at 1537).</param>
    /// <param name="message">What went wrong, in words.</param>
    public HandshakeException(string packet, string? field, long offset, string message)
        : base(message)
    {
        Packet = packet;
        Field = field;
        Offset = offset;
    }

    /// <summary>The packet that was wrong or incomplete: "C0", "C1", "C2", "S0", "S1" or "S2".</summary>
    public string Packet { get; }

    /// <summary>The field that was wrong, or null when the packet was cut short.</summary>
    public string? Field { get; }

    /// <summary>The offset in the bytes received from the peer (C0/S0 at 0, C1/S1 at 1, C2/S2 at 1537).</summary>
    public long Offset { get; }
}
