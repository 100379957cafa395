using FFMpegCore;
using FFMpegCore.Enums;

namespace Lab00.FfmpegToolbox;

/// <summary>
/// Encoding recipes as FFMpegCore commands. Each method only builds the command (its <c>.Arguments</c> is the
/// ffmpeg command line, worth printing); <see cref="Encoder"/> runs it (README §Recipes).
/// </summary>
public static class Recipes
{
    /// <summary>The VOD recipe: libx264 at a CRF and preset, AAC audio, the MP4 index at the front (faststart).</summary>
    public static FFMpegArgumentProcessor Vod(string input, string output, VodRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        throw new NotImplementedException("Lab 00 · M2: FFMpegArguments.FromFileInput(input).OutputToFile(output, true, o => o.WithVideoCodec(VideoCodec.LibX264).WithConstantRateFactor(...).WithSpeedPreset(...).WithPixelFormat(\"yuv420p\").WithAudioCodec(AudioCodec.Aac).WithAudioBitrate(...).WithFastStart()) — README §Recipes");
    }

    /// <summary>
    /// The low-latency live recipe: libx264 with tune zerolatency, no B-frames, a keyframe exactly every
    /// <see cref="LiveRecipe.GopFrames"/> frames, rate capped by maxrate and bufsize. No audio (a live audio path is Lab 02's).
    /// </summary>
    public static FFMpegArgumentProcessor Live(string input, string output, LiveRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        throw new NotImplementedException("Lab 00 · M2: libx264, WithSpeedPreset, WithTune(EncoderTune.ZeroLatency), \"-bf 0\", WithGopSize(N) plus \"-keyint_min N -sc_threshold 0\" (no extra keyframes), WithVideoBitrate + WithMaxBitrate + WithBufferSize, yuv420p, DisableAudio — README §Recipes");
    }

    /// <summary>One rendition of an ABR ladder: scaled to its size, at its capped bit rate, with the ladder's fixed GOP. No audio.</summary>
    public static FFMpegArgumentProcessor Rendition(string input, string output, Rendition rendition, AbrLadder ladder)
    {
        ArgumentNullException.ThrowIfNull(rendition);
        ArgumentNullException.ThrowIfNull(ladder);
        throw new NotImplementedException("Lab 00 · M2: like Live but without the tune: WithVideoFilters(f => f.Scale(w, h)), -b:v = -maxrate = bitrate, -bufsize = bitrate (1 s), the ladder's GOP with -keyint_min and -sc_threshold 0 so keyframes align — README §Recipes");
    }
}
