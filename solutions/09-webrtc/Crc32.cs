namespace Lab09.WebRtc;

/// <summary>
/// The CRC-32 of ISO 3309 / ITU-T V.42 (the one in zip and PNG), which STUN's FINGERPRINT uses
/// (RFC 8489 §14.7): reflected polynomial 0xEDB88320, initial value and final xor 0xFFFFFFFF.
/// </summary>
public static class Crc32
{
    /// <summary>The CRC-32 of <paramref name="data"/>; "123456789" gives 0xCBF43926.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        #region lab M1: the bitwise CRC-32 — start from 0xFFFFFFFF, for each byte xor it in and shift 8 times (xor 0xEDB88320 when the low bit was 1), end with xor 0xFFFFFFFF — README §FINGERPRINT
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFF;
        #endregion
    }
}
