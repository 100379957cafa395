namespace Lab00.FfmpegToolbox;

/// <summary>Where the toolbox finds ffmpeg and ffprobe.</summary>
public sealed record ToolboxOptions
{
    /// <summary>
    /// The folder holding <c>ffmpeg</c> and <c>ffprobe</c>; null (the default) looks them up on PATH.
    /// FFMpegCore calls this <c>FFOptions.BinaryFolder</c>.
    /// </summary>
    public string? BinaryFolder { get; init; }

    /// <summary>The defaults: ffmpeg and ffprobe from PATH.</summary>
    public static ToolboxOptions Default { get; } = new();
}
