namespace Lab01.RtmpHandshake;

/// <summary>Choices for one handshake.</summary>
public sealed class HandshakeOptions
{
    /// <summary>
    /// Server only: answer with a Flash-style ("complex") S1 and S2, signed with HMAC-SHA256 (README §Digest).
    /// The server falls back to the plain echo when the client's C1 carries no valid digest.
    /// </summary>
    public bool UseDigest { get; init; }

    /// <summary>The time to put in this side's C1/S1 (§5.2.3); null takes the local millisecond clock.</summary>
    public uint? Time { get; init; }
}
