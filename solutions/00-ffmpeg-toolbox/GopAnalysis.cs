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
        #region lab M1: keyframe indices and times from IsKeyframe; GOP lengths = differences of consecutive keyframe indices; FixedGopLength when all equal; B-frames = packets whose Pts is below the largest Pts decoded before them; bit rate = sum(Size) × 8 × fps ÷ count — README §GOP
        var keyIndices = new List<int>();
        var keyTimes = new List<TimeSpan>();
        long bytes = 0;
        int reordered = 0;
        long? latestShown = null;
        for (int i = 0; i < packets.Count; i++)
        {
            var packet = packets[i];
            bytes += packet.Size;
            if (packet.IsKeyframe)
            {
                keyIndices.Add(i);
                keyTimes.Add(packet.Time ?? TimeSpan.Zero);
            }

            // Decode order vs presentation order: a frame shown before one already decoded was held back so
            // that it could predict from both sides. That is what a B-frame is (H.264 §3.8, "bi-predictive").
            if (latestShown is { } latest && packet.Pts < latest)
            {
                reordered++;
            }

            latestShown = latestShown is { } l ? Math.Max(l, packet.Pts) : packet.Pts;
        }

        var lengths = new List<int>();
        for (int k = 1; k < keyIndices.Count; k++)
        {
            lengths.Add(keyIndices[k] - keyIndices[k - 1]);
        }

        int? fixedLength = lengths.Count > 0 && lengths.All(n => n == lengths[0]) ? lengths[0] : null;
        long bitRate = packets.Count > 0 && framesPerSecond > 0
            ? (long)Math.Round(bytes * 8 * framesPerSecond / packets.Count)
            : 0;
        return new GopSummary(packets.Count, keyIndices, keyTimes, lengths, fixedLength, reordered, bitRate);
        #endregion
    }
}
