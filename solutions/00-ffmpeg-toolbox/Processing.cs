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
        #region lab M4: Locate, RequireInput (both files); FromFileInput(input).AddFileInput(image).OutputToFile(output, true, o => o.WithComplexFilter(g => g.From(0, Video).From(1, Video).Overlay(x, y).As("v")).WithMap("v") + the audio if any ("-map 0:a?") + libx264 CRF 18 yuv420p + copy audio); RunAsync — README §Processing
        var ffOptions = FfmpegTools.Locate(options);
        FfmpegTools.RequireInput(input);
        FfmpegTools.RequireInput(image);
        var command = FFMpegArguments
            .FromFileInput(input)
            .AddFileInput(image)
            .OutputToFile(output, overwrite: true, o => o
                .WithComplexFilter(graph => graph
                    .From(0, StreamType.Video)
                    .From(1, StreamType.Video)
                    .Overlay(x.ToString(CultureInfo.InvariantCulture), y.ToString(CultureInfo.InvariantCulture))   // the second input on top of the first
                    .As("v"))
                .WithMap("v")
                .WithCustomArgument("-map 0:a?")       // the source's audio, if it has any ('?': none is fine)
                .WithVideoCodec(VideoCodec.LibX264)
                .WithConstantRateFactor(OutputCrf)
                .WithPixelFormat("yuv420p")
                .CopyStreams(StreamType.Audio));       // the picture changed, the sound did not: copy it
        await FfmpegTools.RunAsync(command, ffOptions, output, cancellationToken).ConfigureAwait(false);
        #endregion
    }

    /// <summary>
    /// Draws <paramref name="text"/> in black on a white box at (<paramref name="x"/>, <paramref name="y"/>) on every frame (ffmpeg's drawtext filter,
    /// the system's default font through fontconfig).
    /// </summary>
    public static async Task DrawTextAsync(string input, string output, string text, int x, int y, int fontSize = 24, ToolboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        #region lab M4: Locate, RequireInput; WithVideoFilters(f => f.DrawText(text, t => t.WithParameter("x", ...).WithParameter("y", ...).WithParameter("fontsize", ...).WithParameter("fontcolor", "black").WithParameter("box", "1").WithParameter("boxcolor", "white").WithParameter("boxborderw", "4"))), libx264 CRF 18, copy audio — README §Processing
        var ffOptions = FfmpegTools.Locate(options);
        FfmpegTools.RequireInput(input);
        var c = CultureInfo.InvariantCulture;
        var command = FFMpegArguments
            .FromFileInput(input)
            .OutputToFile(output, overwrite: true, o => o
                .WithVideoFilters(filters => filters.DrawText(text, t => t
                    .WithParameter("x", x.ToString(c))
                    .WithParameter("y", y.ToString(c))
                    .WithParameter("fontsize", fontSize.ToString(c))
                    .WithParameter("fontcolor", "black")
                    .WithParameter("box", "1")              // a box behind the text keeps it readable on any picture
                    .WithParameter("boxcolor", "white")
                    .WithParameter("boxborderw", "4")))
                .WithVideoCodec(VideoCodec.LibX264)
                .WithConstantRateFactor(OutputCrf)
                .WithPixelFormat("yuv420p")
                .CopyStreams(StreamType.Audio));
        await FfmpegTools.RunAsync(command, ffOptions, output, cancellationToken).ConfigureAwait(false);
        #endregion
    }

    /// <summary>
    /// One PNG every <paramref name="interval"/> from the start (0, interval, 2 × interval, … before the end) into
    /// <paramref name="folder"/>, in one ffmpeg pass with the fps filter (<c>-vf fps=1/interval:round=up -start_number 0 thumb-%03d.png</c>).
    /// </summary>
    public static async Task<IReadOnlyList<Thumbnail>> ThumbnailsAsync(string input, string folder, TimeSpan interval, ToolboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        #region lab M4: Locate, RequireInput, interval > 0; OutputToFile(Path.Combine(folder, "thumb-%03d.png"), true, o => o.WithVideoFilters(f => f.Fps(1 / interval.TotalSeconds, FpsRounding.Up)).WithCustomArgument("-start_number 0")) — round=up, not the default; then list thumb-NNN.png in order: picture n is at n × interval — README §Processing
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var ffOptions = FfmpegTools.Locate(options);
        FfmpegTools.RequireInput(input);
        Directory.CreateDirectory(folder);
        string pattern = Path.Combine(folder, "thumb-%03d.png");
        var command = FFMpegArguments
            .FromFileInput(input)
            .OutputToFile(pattern, overwrite: true, o => o
                // One output frame per interval. The fps filter maps each input frame to an output tick and keeps the last
                // one per tick; round=up maps the frames after tick n to tick n + 1, so tick n keeps exactly the frame at
                // n × interval (the default, round=near, would keep the one half an interval later).
                .WithVideoFilters(filters => filters.Fps(1 / interval.TotalSeconds, FpsRounding.Up))
                .WithCustomArgument("-start_number 0"));                                 // the image2 muxer numbers from 0, so number n is at n × interval
        await FfmpegTools.RunAsync(command, ffOptions, pattern, cancellationToken).ConfigureAwait(false);
        return Directory.GetFiles(folder, "thumb-*.png")
            .Order(StringComparer.Ordinal)
            .Select((path, n) => new Thumbnail(interval * n, path))
            .ToList();
        #endregion
    }

    /// <summary>
    /// Cuts <paramref name="duration"/> from <paramref name="start"/> without re-encoding (<c>-ss keyframe -i input -t duration -c copy</c>).
    /// A stream copy can only start on a keyframe, so the cut starts at the last keyframe at or before
    /// <paramref name="start"/>, found from the packets (<see cref="Probe"/>).
    /// </summary>
    public static async Task<TrimResult> TrimOnKeyframesAsync(string input, string output, TimeSpan start, TimeSpan duration, ToolboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        #region lab M4: Probe.SummarizeAsync for the keyframe times; take the last one <= start; FromFileInput(input, o => o.WithStartTime(keyframe).WithCustomArgument("-seek_timestamp 1")).OutputToFile(output, true, o => o.WithDuration(duration).CopyStreams().WithCustomArgument("-avoid_negative_ts make_zero")) — README §Processing
        var summary = await Probe.SummarizeAsync(input, options, cancellationToken).ConfigureAwait(false);
        var ffOptions = FfmpegTools.Locate(options);
        var gop = summary.Gop ?? throw new ToolboxException(ToolboxProblem.NotMedia, input, $"'{input}' has no video stream to cut on keyframes.");
        int k = gop.KeyframeTimes.Count - 1;
        while (k > 0 && gop.KeyframeTimes[k] > start)
        {
            k--;
        }

        var keyframe = gop.KeyframeTimes[k];
        var command = FFMpegArguments
            .FromFileInput(input, o => o
                .WithStartTime(keyframe)                             // -ss before -i: the demuxer seeks to this keyframe
                .WithCustomArgument("-seek_timestamp 1"))            // -ss is that timestamp, not counted from the file's start time
            .OutputToFile(output, overwrite: true, o => o
                .WithDuration(duration)
                .CopyStreams()                                       // -c copy: packets untouched, no quality lost, no time spent
                .WithCustomArgument("-avoid_negative_ts make_zero"));
        await FfmpegTools.RunAsync(command, ffOptions, output, cancellationToken).ConfigureAwait(false);
        return new TrimResult(start, keyframe, gop.KeyframeIndices[k]);
        #endregion
    }
}
