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
        #region lab M2: FFMpegArguments.FromFileInput(input).OutputToFile(output, true, o => o.WithVideoCodec(VideoCodec.LibX264).WithConstantRateFactor(...).WithSpeedPreset(...).WithPixelFormat("yuv420p").WithAudioCodec(AudioCodec.Aac).WithAudioBitrate(...).WithFastStart()) — README §Recipes
        return FFMpegArguments
            .FromFileInput(input)
            .OutputToFile(output, overwrite: true, options => options
                .WithVideoCodec(VideoCodec.LibX264)
                .WithConstantRateFactor(recipe.Crf)           // -crf: constant quality, the bit rate follows the picture
                .WithSpeedPreset(recipe.Preset)               // -preset: how hard x264 searches
                .WithPixelFormat("yuv420p")                  // 4:2:0, what every player decodes
                .WithAudioCodec(AudioCodec.Aac)
                .WithAudioBitrate(recipe.AudioKbps)
                .WithFastStart());                            // -movflags +faststart: moov before mdat, playback starts before the download ends
        #endregion
    }

    /// <summary>
    /// The low-latency live recipe: libx264 with tune zerolatency, no B-frames, a keyframe exactly every
    /// <see cref="LiveRecipe.GopFrames"/> frames, rate capped by maxrate and bufsize. No audio (a live audio path is Lab 02's).
    /// </summary>
    public static FFMpegArgumentProcessor Live(string input, string output, LiveRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        #region lab M2: libx264, WithSpeedPreset, WithTune(EncoderTune.ZeroLatency), "-bf 0", WithGopSize(N) plus "-keyint_min N -sc_threshold 0" (no extra keyframes), WithVideoBitrate + WithMaxBitrate + WithBufferSize, yuv420p, DisableAudio — README §Recipes
        return FFMpegArguments
            .FromFileInput(input)
            .OutputToFile(output, overwrite: true, options => options
                .WithVideoCodec(VideoCodec.LibX264)
                .WithSpeedPreset(recipe.Preset)
                .WithTune(EncoderTune.ZeroLatency)            // no lookahead, no frame threads: a frame leaves as soon as it is encoded
                .WithCustomArgument("-bf 0")                  // no B-frames: no picture waits for a later one
                .WithGopSize(recipe.GopFrames)                // -g: the longest GOP
                .WithCustomArgument($"-keyint_min {recipe.GopFrames} -sc_threshold 0") // and the shortest: no keyframes at scene cuts
                .WithVideoBitrate(recipe.BitrateKbps)         // -b:v
                .WithMaxBitrate(recipe.BitrateKbps)           // -maxrate: the cap...
                .WithBufferSize(recipe.BufferKbits)           // -bufsize: ...over this window (the VBV buffer)
                .WithPixelFormat("yuv420p")
                .DisableAudio());
        #endregion
    }

    /// <summary>One rendition of an ABR ladder: scaled to its size, at its capped bit rate, with the ladder's fixed GOP. No audio.</summary>
    public static FFMpegArgumentProcessor Rendition(string input, string output, Rendition rendition, AbrLadder ladder)
    {
        ArgumentNullException.ThrowIfNull(rendition);
        ArgumentNullException.ThrowIfNull(ladder);
        #region lab M2: like Live but without the tune: WithVideoFilters(f => f.Scale(w, h)), -b:v = -maxrate = bitrate, -bufsize = bitrate (1 s), the ladder's GOP with -keyint_min and -sc_threshold 0 so keyframes align — README §Recipes
        return FFMpegArguments
            .FromFileInput(input)
            .OutputToFile(output, overwrite: true, options => options
                .WithVideoCodec(VideoCodec.LibX264)
                .WithSpeedPreset(ladder.Preset)
                .WithVideoFilters(filters => filters.Scale(rendition.Width, rendition.Height))
                .WithGopSize(ladder.GopFrames)
                .WithCustomArgument($"-keyint_min {ladder.GopFrames} -sc_threshold 0") // the same keyframes in every rendition
                .WithVideoBitrate(rendition.BitrateKbps)
                .WithMaxBitrate(rendition.BitrateKbps)
                .WithBufferSize(rendition.BitrateKbps)        // one second of bit rate: the rate holds per segment
                .WithPixelFormat("yuv420p")
                .DisableAudio());
        #endregion
    }
}
