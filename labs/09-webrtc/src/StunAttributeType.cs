namespace Lab09.WebRtc;

/// <summary>
/// STUN attribute types this lab reads or writes (RFC 8489 §18.3, RFC 8445 §16.1).
/// Types 0x0000–0x7FFF are comprehension-required, 0x8000–0xFFFF comprehension-optional (RFC 8489 §14).
/// </summary>
public static class StunAttributeType
{
    /// <summary>MAPPED-ADDRESS (RFC 8489 §14.1), the old form without the xor.</summary>
    public const ushort MappedAddress = 0x0001;

    /// <summary>USERNAME (RFC 8489 §14.3): for ICE, "receiver-ufrag:sender-ufrag" (RFC 8445 §7.2.2).</summary>
    public const ushort Username = 0x0006;

    /// <summary>MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1, 20 bytes.</summary>
    public const ushort MessageIntegrity = 0x0008;

    /// <summary>ERROR-CODE (RFC 8489 §14.8).</summary>
    public const ushort ErrorCode = 0x0009;

    /// <summary>UNKNOWN-ATTRIBUTES (RFC 8489 §14.13).</summary>
    public const ushort UnknownAttributes = 0x000A;

    /// <summary>REALM (RFC 8489 §14.9), long-term credentials only.</summary>
    public const ushort Realm = 0x0014;

    /// <summary>NONCE (RFC 8489 §14.10), long-term credentials only.</summary>
    public const ushort Nonce = 0x0015;

    /// <summary>XOR-MAPPED-ADDRESS (RFC 8489 §14.2).</summary>
    public const ushort XorMappedAddress = 0x0020;

    /// <summary>PRIORITY (RFC 8445 §16.1), 4 bytes.</summary>
    public const ushort Priority = 0x0024;

    /// <summary>USE-CANDIDATE (RFC 8445 §16.1), no value: the controlling agent nominates this pair.</summary>
    public const ushort UseCandidate = 0x0025;

    /// <summary>SOFTWARE (RFC 8489 §14.14).</summary>
    public const ushort Software = 0x8022;

    /// <summary>FINGERPRINT (RFC 8489 §14.7): CRC-32 xor 0x5354554E, 4 bytes, always last.</summary>
    public const ushort Fingerprint = 0x8028;

    /// <summary>ICE-CONTROLLED (RFC 8445 §16.1), an 8-byte tiebreaker.</summary>
    public const ushort IceControlled = 0x8029;

    /// <summary>ICE-CONTROLLING (RFC 8445 §16.1), an 8-byte tiebreaker.</summary>
    public const ushort IceControlling = 0x802A;
}
