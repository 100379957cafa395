namespace Lab07.H264Bitstream;

/// <summary>
/// Levels (Annex A, Table A-1): limits a decoder of that level promises to handle. The encoder of M6
/// picks the lowest level whose limits its stream stays within. Given code.
/// </summary>
public static class H264Level
{
    // level_idc, MaxMBPS (macroblocks/s), MaxFS (macroblocks per frame), MaxBR (1000 bit/s, Baseline/Main/Extended), Table A-1.
    private static readonly (int LevelIdc, long MaxMbps, long MaxFs, long MaxBr)[] Limits =
    [
        (10, 1485, 99, 64), (11, 3000, 396, 192), (12, 6000, 396, 384), (13, 11880, 396, 768),
        (20, 11880, 396, 2000), (21, 19800, 792, 4000), (22, 20250, 1620, 4000),
        (30, 40500, 1620, 10000), (31, 108000, 3600, 14000), (32, 216000, 5120, 20000),
        (40, 245760, 8192, 20000), (41, 245760, 8192, 50000), (42, 522240, 8704, 50000),
        (50, 589824, 22080, 135000), (51, 983040, 36864, 240000), (52, 2073600, 36864, 240000),
    ];

    /// <summary>
    /// The lowest level_idc whose frame size, macroblock rate and bit rate limits hold, or 52 (level 5.2)
    /// when none does — raw samples are a lot of bits: 1080p25 in I_PCM is over 600 Mbit/s, more than any
    /// level allows. Decoders such as ffmpeg decode such a stream anyway; a hardware decoder may not.
    /// </summary>
    /// <param name="macroblocksPerFrame">PicSizeInMbs.</param>
    /// <param name="framesPerSecond">The frame rate.</param>
    /// <param name="bitsPerSecond">The stream's bit rate; compared with 1200 × MaxBR (cpbBrNalFactor, Table A-1 and §A.3.1).</param>
    public static int Choose(long macroblocksPerFrame, double framesPerSecond, double bitsPerSecond)
    {
        foreach (var (levelIdc, maxMbps, maxFs, maxBr) in Limits)
        {
            if (macroblocksPerFrame <= maxFs && macroblocksPerFrame * framesPerSecond <= maxMbps && bitsPerSecond <= 1200.0 * maxBr)
            {
                return levelIdc;
            }
        }

        return 52;
    }
}
