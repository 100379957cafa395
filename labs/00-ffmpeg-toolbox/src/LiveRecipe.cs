namespace Lab00.FfmpegToolbox;

/// <summary>
/// Live, low latency (低延迟): no B-frames (nothing waits for a later picture), a short fixed GOP (a viewer can
/// join at every keyframe), x264's zerolatency tune (no frame lookahead), and a bit rate capped by a small
/// VBV buffer so the stream never bursts above what the uplink carries (README §Recipes).
/// </summary>
/// <param name="GopFrames">Frames from one keyframe to the next, exactly (-g, -keyint_min, no scene-cut keyframes).</param>
/// <param name="BitrateKbps">Target and maximum video bit rate (-b:v, -maxrate).</param>
/// <param name="BufferKbits">The VBV buffer (-bufsize): how far the rate may swing around the target; ≈ 1 s of bit rate or less for live.</param>
/// <param name="Preset">libx264's preset; live encoding must keep up with real time, so a fast one.</param>
public sealed record LiveRecipe(int GopFrames = 50, int BitrateKbps = 1500, int BufferKbits = 1500, string Preset = "veryfast");
