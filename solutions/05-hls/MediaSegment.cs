namespace Lab05.Hls;

/// <summary>One finished segment (切片): a whole transport stream of its own.</summary>
/// <param name="Index">0 for the first segment of the stream, then 1, 2, …</param>
/// <param name="StartTime">The DTS (90 kHz, not wrapped) of its first video sample, or of its first sample without video.</param>
/// <param name="Duration">Seconds, from timestamps: the next segment's StartTime minus this one's; for the last, its last frame's end.</param>
/// <param name="StartsWithKeyFrame">Its first video sample is an IDR (true for every segment of an audio-only stream).</param>
/// <param name="ForcedCut">It was cut at the maximum duration because no keyframe came in time, not at a keyframe.</param>
/// <param name="Samples">How many samples (access units and audio frames) it holds.</param>
/// <param name="Data">The segment's bytes: PAT, PMT, then its PES packets.</param>
public sealed record MediaSegment(int Index, long StartTime, double Duration, bool StartsWithKeyFrame, bool ForcedCut, int Samples, ReadOnlyMemory<byte> Data);
