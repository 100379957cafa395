namespace Lab01.RtmpHandshake;

/// <summary>What a finished handshake learned about the peer.</summary>
public sealed class HandshakeResult
{
    /// <summary>The version byte of the peer's C0/S0 (always 3 after a successful handshake, §5.2.2).</summary>
    public byte PeerVersion { get; init; }

    /// <summary>The time field of the peer's C1/S1 (§5.2.3).</summary>
    public uint PeerTime { get; init; }

    /// <summary>The 'zero' field of the peer's C1/S1: 0 from a plain peer, a version such as 9.0.124.2 (0x09007C02) from a Flash-style one.</summary>
    public uint PeerZero { get; init; }

    /// <summary>The scheme under which the peer's C1/S1 carries a valid digest, or null when it carries none (README §Digest).</summary>
    public DigestScheme? PeerDigest { get; init; }

    /// <summary>True when this side answered with a digest S1 and a signed S2 (README §Digest).</summary>
    public bool UsedDigest { get; init; }

    /// <summary>The time field this side sent in its C1/S1.</summary>
    public uint LocalTime { get; init; }

    /// <summary>The peer's version field as dotted bytes, e.g. "9.0.124.2".</summary>
    public string PeerZeroDotted => $"{PeerZero >> 24}.{(PeerZero >> 16) & 0xFF}.{(PeerZero >> 8) & 0xFF}.{PeerZero & 0xFF}";
}
