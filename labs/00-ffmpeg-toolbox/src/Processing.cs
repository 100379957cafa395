using System.Globalization;
using FFMpegCore;
using FFMpegCore.Enums;

namespace Lab00.FfmpegToolbox;

/// <summary>Custom processing (自定义处理): watermarks (加水印), thumbnails, and cuts without re-encoding (README §Processing).</summary>
public static class Processing
{
    /// <summary>The CRF the processed outputs are re-encoded at: high quality, so the overlay is what changed.</summary>
    public const int OutputCrf = 18;

    /// <summary>
    /// Overlays <paramref name="image"/> with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>) on every frame:
    /// <c>-filter_complex "[0:v][1:v]overlay=x:y[v]" -map [v] -map 0:a? -c:a copy</c>, video re-encoded with libx264 at <see cref="OutputCrf"/>.
    /// </summary>
    public static async Task WatermarkImageAsync(string input, string image, string output, int x, int y, ToolboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        throw new NotImplementedException("Lab 00 · M4: Locate, RequireInput (both files); FromFileInput(input).AddFileInput(image).OutputToFile(output, true, o => o.WithComplexFilter(g => g.From(0, Video).From(1, Video).Overlay(x, y).As(\"v\")).WithMap(\"v\") + the audio if any (\"-map 0:a?\") + libx264 CRF 18 yuv420p + copy audio); RunAsync — README §Processing");
    }

    /// <summary>
    /// Draws <paramref name="text"/> in black on a white box at (<paramref name="x"/>, <paramref name="y"/>) on every frame (ffmpeg's drawtext filter,
    /// the system's default font through fontconfig).
    /// </summary>
    public static async Task DrawTextAsync(string input, string output, string text, int x, int y, int fontSize = 24, ToolboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        throw new NotImplementedException("Lab 00 · M4: Locate, RequireInput; WithVideoFilters(f => f.DrawText(text, t => t.WithParameter(\"x\", ...).WithParameter(\"y\", ...).WithParameter(\"fontsize\", ...).WithParameter(\"fontcolor\", \"black\").WithParameter(\"box\", \"1\").WithParameter(\"boxcolor\", \"white\").WithParameter(\"boxborderw\", \"4\"))), libx264 CRF 18, copy audio — README §Processing");
    }

    /// <summary>
    /// One PNG every <paramref name="interval"/> from the start (0, interval, 2 × interval, … before the end) into
    /// <paramref name="folder"/>, in one ffmpeg pass with the fps filter (<c>-vf fps=1/interval:round=up -start_number 0 thumb-%03d.png</c>).
    /// </summary>
    public static async Task<IReadOnlyList<Thumbnail>> ThumbnailsAsync(string input, string folder, TimeSpan interval, ToolboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        throw new NotImplementedException("Lab 00 · M4: Locate, RequireInput, interval > 0; OutputToFile(Path.Combine(folder, \"thumb-%03d.png\"), true, o => o.WithVideoFilters(f => f.Fps(1 / interval.TotalSeconds, FpsRounding.Up)).WithCustomArgument(\"-start_number 0\")) — round=up, not the default; then list thumb-NNN.png in order: picture n is at n × interval — README §Processing");
    }

    /// <summary>
    /// Cuts <paramref name="duration"/> from <paramref name="start"/> without re-encoding (<c>-ss keyframe -i input -t duration -c copy</c>).
    /// A stream copy can only start on a keyframe, so the cut starts at the last keyframe at or before
    /// <paramref name="start"/>, found from the packets (<see cref="Probe"/>).
    /// </summary>
    public static async Task<TrimResult> TrimOnKeyframesAsync(string input, string output, TimeSpan start, TimeSpan duration, ToolboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        throw new NotImplementedException("Lab 00 · M4: Probe.SummarizeAsync for the keyframe times; take the last one <= start; FromFileInput(input, o => o.WithStartTime(keyframe).WithCustomArgument(\"-seek_timestamp 1\")).OutputToFile(output, true, o => o.WithDuration(duration).CopyStreams().WithCustomArgument(\"-avoid_negative_ts make_zero\")) — README §Processing");
    }
}
