namespace Lab07.H264Bitstream;

/// <summary>
/// Emulation prevention (§7.3.1, §7.4.1): inside a NAL unit the encoder writes <c>00 00 03</c> wherever
/// the payload (the RBSP) has <c>00 00</c> followed by 00, 01, 02 or 03, so that no start code can
/// appear inside a NAL unit. A reader removes each emulation_prevention_three_byte again.
/// </summary>
public static class EmulationPrevention
{
    /// <summary>
    /// NAL unit bytes → RBSP: every 0x03 that follows two zero bytes is dropped (and the zero count restarts).
    /// </summary>
    public static byte[] ToRbsp(ReadOnlySpan<byte> nal)
    {
        #region lab M2: copy the bytes, counting zeros; a 0x03 after two zeros is an emulation_prevention_three_byte: drop it and restart the count — README §Emulation prevention
        var rbsp = new byte[nal.Length];
        int length = 0, zeros = 0;
        foreach (byte b in nal)
        {
            if (zeros >= 2 && b == 0x03)
            {
                zeros = 0; // emulation_prevention_three_byte, §7.4.1
                continue;
            }

            zeros = b == 0 ? zeros + 1 : 0;
            rbsp[length++] = b;
        }

        return rbsp.AsSpan(0, length).ToArray();
        #endregion
    }

    /// <summary>
    /// RBSP → NAL unit bytes: a 0x03 goes in after every two zero bytes that a 00, 01, 02 or 03 would
    /// follow, and after a final <c>00 00</c> (a NAL unit must not end in a zero byte, §7.4.1).
    /// <c>ToRbsp(ToNal(x)) == x</c> for every x.
    /// </summary>
    public static byte[] ToNal(ReadOnlySpan<byte> rbsp)
    {
        #region lab M2: copy the bytes, counting zeros; before a byte ≤ 0x03 that follows two zeros write 0x03 and restart the count; if the data ends in 00, append 0x03 — README §Emulation prevention
        var nal = new List<byte>(rbsp.Length + rbsp.Length / 64 + 1);
        int zeros = 0;
        foreach (byte b in rbsp)
        {
            if (zeros >= 2 && b <= 0x03)
            {
                nal.Add(0x03); // emulation_prevention_three_byte, §7.4.1
                zeros = 0;
            }

            nal.Add(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }

        if (rbsp.Length > 0 && rbsp[^1] == 0)
        {
            nal.Add(0x03); // cabac_zero_word-style ending: the last byte of a NAL unit is never 0x00
        }

        return [.. nal];
        #endregion
    }
}
