namespace Lab06.YuvDct;

/// <summary>
/// Lengths of Exp-Golomb codes (指数哥伦布码), the variable-length codes H.264 uses for most header fields
/// (H.264 §9.1): codeNum k is written as M zeros, a 1, and M more bits, M = floor(log2(k + 1)).
/// Used here only to estimate how many bits a block would cost.
/// </summary>
public static class ExpGolomb
{
    /// <summary>Bits of ue(v) for <paramref name="codeNum"/> ≥ 0: 2·floor(log2(codeNum + 1)) + 1 (§9.1, Table 9-2).</summary>
    public static int UnsignedBits(int codeNum)
    {
        throw new NotImplementedException("Lab 06 · M5: 2·M + 1 with M = floor(log2(codeNum + 1)); negative → YuvException — README §Bits");
    }

    /// <summary>Bits of se(v): v &gt; 0 is codeNum 2v − 1, v ≤ 0 is codeNum −2v (§9.1.1, Table 9-3).</summary>
    public static int SignedBits(int value)
    {
        throw new NotImplementedException("Lab 06 · M5: map v to codeNum (2v − 1 or −2v) and take UnsignedBits — README §Bits");
    }
}
