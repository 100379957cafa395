namespace Lab00.FfmpegToolbox;

/// <summary>Measures the GOP structure from a stream's packets (README §GOP).</summary>
public static class GopAnalysis
{
    /// <summary>
    /// The GOP summary of <paramref name="packets"/> (one video stream, in decode order, as ffprobe lists them).
    /// </summary>
    /// <param name="packets">The stream's packets in decode order.</param>
    /// <param name="framesPerSecond">The stream's frame rate, for the measured bit rate (0 or less: bit rate 0).</param>
    public static GopSummary Measure(IReadOnlyList<VideoPacket> packets, double framesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(packets);
        throw new NotImplementedException("Lab 00 · M1: keyframe indices and times from IsKeyframe; GOP lengths = differences of consecutive keyframe indices; FixedGopLength when all equal; B-frames = packets whose Pts is below the largest Pts decoded before them; bit rate = sum(Size) × 8 × fps ÷ count — README §GOP");
    }
}
