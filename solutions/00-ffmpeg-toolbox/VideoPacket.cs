namespace Lab00.FfmpegToolbox;

/// <summary>
/// One compressed video frame as the demuxer hands it out, in decode order (ffprobe <c>-show_packets</c>).
/// </summary>
/// <param name="Pts">Presentation timestamp, in the stream's time base: when the frame is shown.</param>
/// <param name="Dts">Decode timestamp, in the stream's time base: when it must be decoded.</param>
/// <param name="Time">The presentation time in seconds (ffprobe's <c>pts_time</c>), null when the packet has none.</param>
/// <param name="IsKeyframe">ffprobe's flag <c>K</c>: a decoder can start here (an IDR picture in H.264).</param>
/// <param name="Size">The packet's size in bytes.</param>
public sealed record VideoPacket(long Pts, long Dts, TimeSpan? Time, bool IsKeyframe, int Size);
