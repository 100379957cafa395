namespace Lab00.FfmpegToolbox;

/// <summary>One stream of a media file, as ffprobe describes it.</summary>
/// <param name="Index">The stream's index in the container (ffprobe's <c>index</c>).</param>
/// <param name="Kind">"video", "audio", "subtitle" or "data" (ffprobe's <c>codec_type</c>).</param>
/// <param name="Codec">The codec's short name: "h264", "aac", ...</param>
/// <param name="Profile">The codec profile: "High", "Constrained Baseline", "LC", ...; null when there is none.</param>
/// <param name="Width">Picture width in pixels (video).</param>
/// <param name="Height">Picture height in pixels (video).</param>
/// <param name="FrameRate">Average frames per second (video: ffprobe's <c>avg_frame_rate</c>).</param>
/// <param name="BitRate">Bits per second as the container declares it; null when it does not (MPEG-TS, FLV often).</param>
/// <param name="SampleRate">Samples per second (audio).</param>
/// <param name="Channels">Channel count (audio).</param>
public sealed record StreamSummary(
    int Index,
    string Kind,
    string Codec,
    string? Profile,
    int? Width,
    int? Height,
    double? FrameRate,
    long? BitRate,
    int? SampleRate,
    int? Channels);
