namespace Lab00.FfmpegToolbox;

/// <summary>
/// The group-of-pictures (GOP, 图像组) structure of a video stream, measured from its packets rather than
/// read from metadata: where the keyframes are, how far apart, and whether frames are reordered (B-frames).
/// </summary>
/// <param name="FrameCount">How many video packets (frames) the stream has.</param>
/// <param name="KeyframeIndices">The decode-order index of every keyframe packet.</param>
/// <param name="KeyframeTimes">The presentation time of every keyframe (where a player can seek to, or a cut can start).</param>
/// <param name="GopLengths">Frames from each keyframe to the next: one entry per complete GOP (the last, open-ended GOP is not counted).</param>
/// <param name="FixedGopLength">The GOP length when every complete GOP has the same length; null when they differ or there is no complete GOP.</param>
/// <param name="BFrameCount">How many packets are shown before a packet decoded earlier than them: the B-frames.</param>
/// <param name="MeasuredBitRate">Bits per second of video: the packets' bytes × 8 over the stream's duration (frames ÷ frame rate).</param>
public sealed record GopSummary(
    int FrameCount,
    IReadOnlyList<int> KeyframeIndices,
    IReadOnlyList<TimeSpan> KeyframeTimes,
    IReadOnlyList<int> GopLengths,
    int? FixedGopLength,
    int BFrameCount,
    long MeasuredBitRate)
{
    /// <summary>True when frames are reordered, i.e. the stream has B-frames.</summary>
    public bool HasBFrames => BFrameCount > 0;

    /// <summary>The longest distance between keyframes (the whole stream when it has one keyframe): the worst seek or join delay, in frames.</summary>
    public int MaxGopLength => GopLengths.Count > 0 ? GopLengths.Max() : FrameCount;
}
