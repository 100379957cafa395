namespace Lab01.RtmpHandshake;

/// <summary>
/// The numbers of the RTMP handshake (Adobe RTMP specification 1.0, §5.2).
/// </summary>
public static class Handshake
{
    /// <summary>The version byte in C0 and S0: 3 is plain RTMP (§5.2.2). 6 would be RTMPE (encrypted), which this lab does not speak.</summary>
    public const byte RtmpVersion = 3;

    /// <summary>The size of C1, S1, C2 and S2 (§5.2.3, §5.2.4).</summary>
    public const int PacketSize = 1536;

    /// <summary>The size of the random field of C1/S1 and of the random echo of C2/S2: 1536 − 4 (time) − 4 (zero or time2) (§5.2.3).</summary>
    public const int RandomSize = 1528;

    /// <summary>Where the random field starts in C1/S1 and the random echo in C2/S2: after two 4-byte fields (§5.2.3, §5.2.4).</summary>
    public const int RandomOffset = 8;

    /// <summary>The size of an HMAC-SHA256 digest in the Flash-style ("complex") handshake.</summary>
    public const int DigestSize = 32;
}
