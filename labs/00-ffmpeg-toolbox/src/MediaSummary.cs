using System.Globalization;
using System.Text;

namespace Lab00.FfmpegToolbox;

/// <summary>What a media file is: its container (容器), duration, streams, and the GOP of its first video stream.</summary>
/// <param name="Path">The file.</param>
/// <param name="Container">ffprobe's <c>format_name</c>: "mov,mp4,m4a,3gp,3g2,mj2", "mpegts", "flv", ...</param>
/// <param name="Duration">The container's duration.</param>
/// <param name="BitRate">The whole file's bits per second (ffprobe's format <c>bit_rate</c>), null when unknown.</param>
/// <param name="Streams">Every stream, in container order.</param>
/// <param name="Gop">The first video stream's GOP, measured from its packets; null when there is no video.</param>
public sealed record MediaSummary(
    string Path,
    string Container,
    TimeSpan Duration,
    long? BitRate,
    IReadOnlyList<StreamSummary> Streams,
    GopSummary? Gop)
{
    /// <summary>The first video stream, or null.</summary>
    public StreamSummary? Video => Streams.FirstOrDefault(s => s.Kind == "video");

    /// <summary>The first audio stream, or null.</summary>
    public StreamSummary? Audio => Streams.FirstOrDefault(s => s.Kind == "audio");

    /// <summary>A few lines for a terminal, as <c>workbook try 00</c> prints them.</summary>
    public string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"{Path}");
        text.AppendLine(c, $"  container  {Container}, {Duration.TotalSeconds:0.###} s{(BitRate is { } b ? $", {b / 1000.0:0.#} kb/s" : "")}");
        foreach (var s in Streams)
        {
            text.Append(c, $"  stream #{s.Index}  {s.Kind,-5} {s.Codec}{(s.Profile is { } p ? $" ({p})" : "")}");
            if (s.Width is { } w && s.Height is { } h)
            {
                text.Append(c, $", {w}×{h}");
            }

            if (s.FrameRate is { } fps)
            {
                text.Append(c, $" @ {fps:0.###} fps");
            }

            if (s.SampleRate is { } rate)
            {
                text.Append(c, $", {rate} Hz");
            }

            if (s.Channels is { } ch)
            {
                text.Append(c, $", {ch} ch");
            }

            text.AppendLine(s.BitRate is { } br ? string.Create(c, $", {br / 1000.0:0.#} kb/s") : ", bit rate not declared");
        }

        if (Gop is { } g)
        {
            double fps = Video?.FrameRate ?? 0;
            text.AppendLine(c, $"  video packets  {g.FrameCount}, measured {g.MeasuredBitRate / 1000.0:0.#} kb/s");
            text.AppendLine(c, $"  GOP        {(g.FixedGopLength is { } n ? $"fixed, {n} frames" : $"varies ({string.Join(", ", g.GopLengths.Distinct())} frames), longest {g.MaxGopLength}")}{(fps > 0 ? $" = {g.MaxGopLength / fps:0.###} s at most between keyframes" : "")}");
            text.AppendLine(c, $"  keyframes  at {string.Join(", ", g.KeyframeTimes.Take(12).Select(t => t.TotalSeconds.ToString("0.###", c)))}{(g.KeyframeTimes.Count > 12 ? ", …" : "")} s");
            text.AppendLine(c, $"  B-frames   {(g.HasBFrames ? $"yes: {g.BFrameCount} of {g.FrameCount} frames are shown before a frame decoded earlier" : "none: presentation order = decode order")}");
        }

        return text.ToString().TrimEnd();
    }
}
