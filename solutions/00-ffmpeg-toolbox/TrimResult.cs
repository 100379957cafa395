namespace Lab00.FfmpegToolbox;

/// <summary>What a keyframe-aligned cut really did.</summary>
/// <param name="RequestedStart">Where the caller asked the cut to start.</param>
/// <param name="KeyframeStart">Where it starts: the last keyframe at or before the requested start (a stream copy can start nowhere else).</param>
/// <param name="KeyframeIndex">That keyframe's packet index in the source (decode order).</param>
public sealed record TrimResult(TimeSpan RequestedStart, TimeSpan KeyframeStart, int KeyframeIndex);
