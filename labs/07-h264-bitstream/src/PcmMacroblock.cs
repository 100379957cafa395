namespace Lab07.H264Bitstream;

/// <summary>
/// One I_PCM macroblock (§7.3.5 macroblock_layer with mb_type I_PCM): the samples themselves, no
/// prediction, no transform, no quantisation — lossless, and the simplest macroblock a valid stream
/// can hold. In CAVLC (entropy_coding_mode_flag 0) it is:
/// <code>
/// mb_type                 ue(v)   25 in an I slice (Table 7-11): 0000 11010
/// pcm_alignment_zero_bit  f(1)    0 bits up to the byte boundary
/// pcm_sample_luma[256]    u(8)    the 16×16 luma samples, row by row
/// pcm_sample_chroma[128]  u(8)    the 8×8 Cb samples row by row, then the 8×8 Cr samples (4:2:0)
/// </code>
/// </summary>
public static class PcmMacroblock
{
    /// <summary>mb_type of I_PCM in an I slice (Table 7-11); in a P slice it would be 5 + 25 = 30 (Table 7-13).</summary>
    public const int MbTypeIPcm = 25;

    /// <summary>Luma samples per macroblock side (§6.3: a macroblock is 16×16 luma samples).</summary>
    public const int Size = 16;

    /// <summary>
    /// Writes the macroblock at column <paramref name="mbX"/>, row <paramref name="mbY"/> (in macroblocks)
    /// of <paramref name="frame"/>: luma from (16·mbX, 16·mbY), chroma from (8·mbX, 8·mbY) — §6.4.1, §8.3.5.
    /// </summary>
    public static void Write(RbspWriter writer, I420Frame frame, int mbX, int mbY)
    {
        ArgumentNullException.ThrowIfNull(writer);
        throw new NotImplementedException("Lab 07 · M6: mb_type ue(v) = 25; WriteAlignmentZeroBits (pcm_alignment_zero_bit); then 256 luma samples (16 rows of 16, frame.Luma(16·mbX + x, 16·mbY + y)), 64 Cb (8 rows of 8, frame.Cb(8·mbX + x, 8·mbY + y)), 64 Cr — README §I_PCM");
    }
}
