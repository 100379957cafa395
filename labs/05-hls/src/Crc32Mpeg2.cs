namespace Lab05.Hls;

/// <summary>
/// The CRC32 that ends every PSI section (ISO/IEC 13818-1 Annex A, "CRC decoder model"): polynomial 0x04C11DB7,
/// register preset to 0xFFFFFFFF, bits fed most significant first, no reflection and no final XOR
/// (the catalogue name is CRC-32/MPEG-2). A decoder that runs it over a whole section, CRC included, gets 0.
/// </summary>
public static class Crc32Mpeg2
{
    /// <summary>The generator polynomial x^32 + x^26 + x^23 + x^22 + x^16 + x^12 + x^11 + x^10 + x^8 + x^7 + x^5 + x^4 + x^2 + x + 1 (Annex A).</summary>
    public const uint Polynomial = 0x04C11DB7;

    /// <summary>The CRC of <paramref name="data"/>, one bit at a time as Annex A draws the shift register.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        throw new NotImplementedException("Lab 05 · M1: start the register at 0xFFFFFFFF; for every byte XOR it into the top 8 bits, then 8 times shift left by one and XOR the polynomial when the bit shifted out was 1 — README §CRC32");
    }
}
