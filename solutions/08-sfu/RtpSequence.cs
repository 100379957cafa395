namespace Lab08.Sfu;

/// <summary>
/// Arithmetic on 16-bit sequence numbers and 32-bit timestamps that wrap around (RFC 3550 §A.1, and the
/// serial-number arithmetic of RFC 1982): "newer" means less than half the number space ahead.
/// </summary>
public static class RtpSequence
{
    /// <summary>
    /// How far <paramref name="to"/> is ahead of <paramref name="from"/>, in -32768..32767: 65535 → 2 is +3,
    /// 2 → 65535 is -3.
    /// </summary>
    public static int Distance(ushort from, ushort to)
    {
        #region lab M1: the signed 16-bit difference to − from (wrap-around) — README §Sequence numbers
        return unchecked((short)(ushort)(to - from));
        #endregion
    }

    /// <summary>True when <paramref name="a"/> comes after <paramref name="b"/> (less than half the space ahead).</summary>
    public static bool IsNewer(ushort a, ushort b)
    {
        #region lab M1: a is newer than b when the distance from b to a is positive — README §Sequence numbers
        return Distance(b, a) > 0;
        #endregion
    }

    /// <summary>
    /// How far timestamp <paramref name="to"/> is ahead of <paramref name="from"/>, as a signed 32-bit difference
    /// (0xFFFFFF00 → 0x00000100 is +512).
    /// </summary>
    public static long TimestampDistance(uint from, uint to)
    {
        #region lab M1: the signed 32-bit difference to − from (wrap-around) — README §Sequence numbers
        return unchecked((int)(to - from));
        #endregion
    }
}
