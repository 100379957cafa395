using System.Globalization;
using FFMpegCore;
using FFMpegCore.Exceptions;

namespace Lab00.FfmpegToolbox;

/// <summary>Probing (探测): what a media file is, from ffprobe through FFMpegCore (README §Probe).</summary>
public static class Probe
{
    /// <summary>
    /// Summarises <paramref name="path"/>: container, duration, streams, and the first video stream's GOP measured
    /// from its packets (<c>ffprobe -show_packets</c>).
    /// </summary>
    /// <exception cref="ToolboxException">A missing file, a file that is not media, or no ffmpeg.</exception>
    public static async Task<MediaSummary> SummarizeAsync(string path, ToolboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        #region lab M1: Locate the tools, RequireInput, FFProbe.AnalyseAsync (an FFMpegException or no audio/video stream → ToolboxException NotMedia with ffprobe's words), a StreamSummary per stream, then the first video stream's packets (FFProbe.GetPacketsAsync with "-select_streams v:0") through GopAnalysis.Measure — README §Probe
        var ffOptions = FfmpegTools.Locate(options);
        FfmpegTools.RequireInput(path);
        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(path, ffOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (FFMpegException e)
        {
            var said = (e as FFProbeProcessException)?.StandardError ?? [];
            throw new ToolboxException(ToolboxProblem.NotMedia, path,
                $"ffprobe cannot read '{path}' as media ({said.LastOrDefault() ?? e.Message}). Give it a video or audio file (mp4, flv, ts, mkv, ...).", said);
        }

        var streams = analysis.Raw.Streams.Select(Summarize).ToList();
        if (!streams.Any(s => s.Kind is "video" or "audio"))
        {
            throw new ToolboxException(ToolboxProblem.NotMedia, path,
                $"'{path}' opened as {analysis.Format.FormatName} but holds no audio or video stream. Give it a video or audio file.");
        }

        GopSummary? gop = null;
        if (streams.FirstOrDefault(s => s.Kind == "video") is { } video)
        {
            var packets = await FFProbe.GetPacketsAsync(path, ffOptions, "-select_streams v:0", cancellationToken).ConfigureAwait(false);
            var list = packets.Packets.Select(p => new VideoPacket(p.Pts, p.Dts, ParseTime(p.PtsTime), p.Flags?.Contains('K', StringComparison.Ordinal) == true, p.Size)).ToList();
            gop = GopAnalysis.Measure(list, video.FrameRate ?? 0);
        }

        return new MediaSummary(path, analysis.Format.FormatName, analysis.Format.Duration, ParseLong(analysis.Raw.Format.BitRate), streams, gop);
        #endregion
    }

    /// <summary>ffprobe's view of one stream as a <see cref="StreamSummary"/>.</summary>
    private static StreamSummary Summarize(FFProbeStream s) => new(
        s.Index,
        s.CodecType ?? "unknown",
        s.CodecName ?? "unknown",
        string.IsNullOrEmpty(s.Profile) ? null : s.Profile,
        s.Width,
        s.Height,
        s.CodecType == "video" ? ParseRational(s.AvgFrameRate) : null,
        ParseLong(s.BitRate),
        s.CodecType == "audio" && ParseLong(s.SampleRate) is { } rate ? (int)rate : null,
        s.CodecType == "audio" ? s.Channels : null);

    /// <summary>"25/1" → 25, "30000/1001" → 29.97; null for "0/0" or nothing.</summary>
    public static double? ParseRational(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var parts = text.Split('/');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double num)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double den)
            && den != 0 && num != 0)
        {
            return num / den;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double plain) && plain > 0 ? plain : null;
    }

    private static long? ParseLong(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : null;

    /// <summary>ffprobe's time as FFMpegCore asks for it ("0:00:01.040000", sexagesimal) or as seconds ("1.04").</summary>
    public static TimeSpan? ParseTime(string? text)
    {
        if (string.IsNullOrEmpty(text) || text == "N/A")
        {
            return null;
        }

        if (text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
        {
            return span;
        }

        bool negative = text.StartsWith('-');
        if (negative && TimeSpan.TryParse(text[1..], CultureInfo.InvariantCulture, out var negativeSpan))
        {
            return -negativeSpan;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) ? TimeSpan.FromSeconds(seconds) : null;
    }
}
