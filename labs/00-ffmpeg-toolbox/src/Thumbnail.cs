namespace Lab00.FfmpegToolbox;

/// <summary>One thumbnail: the picture shown at <paramref name="Time"/>, as a PNG.</summary>
/// <param name="Time">The source's presentation time the picture is from.</param>
/// <param name="Path">The PNG file.</param>
public sealed record Thumbnail(TimeSpan Time, string Path);
