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
        throw new NotImplementedException("Lab 09 · M1: the bitwise CRC-32 — start from 0xFFFFFFFF, for each byte xor it in and shift 8 times (xor 0xEDB88320 when the low bit was 1), end with xor 0xFFFFFFFF — README §FINGERPRINT");
    }
}
