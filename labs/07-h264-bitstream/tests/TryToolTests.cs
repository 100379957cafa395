using System.Text.RegularExpressions;

namespace Lab07.H264Bitstream.Tests;

/// <summary>
/// `workbook try 07` on what a learner brings (README §Try it): containers of other codecs, interlaced streams, streams
/// with an SEI per picture. Every stream is made here by ffmpeg; every expected value comes from ffmpeg's trace_headers
/// and ffprobe, or from running the command the tool suggests.
/// </summary>
public sealed class TryToolTests : IDisposable
{
    private const string Milestone = "M5 access units, display order, GOPs";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private readonly string _folder = Directory.CreateTempSubdirectory("lab07-try-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<string> FfmpegAsync(string name, params string[] arguments)
    {
        string path = Path.Combine(_folder, name);
        var run = await ToolRun.RunAsync(RealTools.Ffmpeg(), ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", .. arguments, path],
            TimeSpan.FromSeconds(30), Token);
        Assert.True(run.ExitCode == 0 && File.Exists(path), $"ffmpeg could not make {name}: {run.StandardError}");
        return path;
    }

    private static async Task<(int Exit, string Text)> TryAsync(params string[] args)
    {
        var output = new StringWriter();
        int exit = await H264TryTool.RunAsync(args, output, Token);
        return (exit, output.ToString());
    }

    /// <summary>Runs the ffmpeg command the tool printed (in the test's folder) and returns the stream it wrote.</summary>
    private async Task<byte[]> RunSuggestedAsync(string text)
    {
        var command = Regex.Match(text, @"ffmpeg (-i \S+ .*? -f h264 (\S+\.h264))");
        Assert.True(command.Success, $"The tool must suggest an ffmpeg command that writes a .h264 file:\n{text}");
        string output = Path.Combine(_folder, command.Groups[2].Value);
        var arguments = command.Groups[1].Value.Split(' ').ToList();
        arguments[^1] = output;
        var run = await ToolRun.RunAsync(RealTools.Ffmpeg(), ["-hide_banner", "-loglevel", "error", "-y", .. arguments], TimeSpan.FromSeconds(30), Token);
        Assert.True(run.ExitCode == 0 && File.Exists(output), $"The suggested command fails:\nffmpeg {string.Join(' ', arguments)}\n{run.StandardError}");
        return File.ReadAllBytes(output);
    }

    [Theory(Timeout = 60000)]
    [InlineData("flv", "Sorenson H.263")]
    [InlineData("libx264", "H.264")]
    [Trait("Milestone", Milestone)]
    public async Task A_container_gets_an_ffmpeg_command_that_works_for_its_codec(string encoder, string codec)
    {
        string flv = await FfmpegAsync($"{encoder}.flv", "-frames:v", "10", "-c:v", encoder, "-f", "flv");

        var (exit, text) = await TryAsync(flv);

        Assert.True(exit == 2 && text.Contains(codec, StringComparison.Ordinal), $"try 07 on an FLV of {codec} must name the codec and say what to do:\n{text}");
        var stream = await RunSuggestedAsync(text);
        var report = StreamAnalyzer.Analyze(stream);
        Assert.True(report.Pictures.Count == 10 && report.Errors.Count == 0,
            $"The suggested command must give an H.264 stream of the 10 pictures; the analyser found {report.Pictures.Count} pictures and {report.Errors.Count} errors.");
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task The_report_shows_how_the_stream_codes_interlace()
    {
        // high.h264: trace_headers says frame_mbs_only_flag 1.
        var (_, progressive) = await TryAsync(Oracle.PathOf("high"));
        Assert.True(progressive.Contains("progressive (frame_mbs_only 1)", StringComparison.Ordinal), $"high.h264 is progressive (frame_mbs_only_flag 1):\n{progressive}");

        // libx264 with interlacing codes MBAFF: trace_headers gives frame_mbs_only_flag 0, mb_adaptive_frame_field_flag 1 and
        // field_pic_flag 0 in every slice; ffprobe counts 10 frames.
        string mbaff = await FfmpegAsync("mbaff.h264", "-frames:v", "10", "-c:v", "libx264", "-preset", "veryfast", "-flags", "+ildct+ilme", "-x264-params", "tff=1", "-pix_fmt", "yuv420p");
        var (exit, text) = await TryAsync(mbaff);
        Assert.True(exit == 0 && text.Contains("frame_mbs_only 0, MBAFF on", StringComparison.Ordinal) && text.Contains("10 frame picture(s), 0 field picture(s)", StringComparison.Ordinal),
            $"An MBAFF stream (frame_mbs_only_flag 0, mb_adaptive_frame_field_flag 1, 10 frame pictures, no field_pic_flag 1) must be shown as such:\n{text}");
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task A_field_coded_stream_is_shown_as_field_pictures_counted_in_pairs()
    {
        // paff.h264 (testdata): trace_headers gives frame_mbs_only_flag 0, mb_adaptive_frame_field_flag 0 and field_pic_flag 1 in
        // every slice; ffprobe decodes its fields into 6 interlaced frames, 3 with top_field_first 1 and 3 with 0.
        var order = Oracle.FieldOrderOf("paff");
        var (exit, text) = await TryAsync(Oracle.PathOf("paff"));
        int slices = Oracle.TraceOf("paff").BlocksTitled("Slice Header").Count();
        string counts = $"{order.Count} frames, counting each field pair as one: {order.Count} field pair(s) ({order.Count(o => o.TopFieldFirst)} top field first, {order.Count(o => !o.TopFieldFirst)} bottom field first)";
        Assert.True(exit == 0 && text.Contains("Scan type: field pictures (PAFF)", StringComparison.Ordinal) && text.Contains($"0 frame picture(s), {slices} field picture(s)", StringComparison.Ordinal)
                    && text.Contains(counts, StringComparison.Ordinal) && text.Contains($"Frames: {order.Count} ", StringComparison.Ordinal),
            $"paff.h264 ({slices} field pictures, which ffprobe shows as {order.Count} interlaced frames) must be shown as field pictures (PAFF) with \"{counts}\" and \"Frames: {order.Count}\":\n{text}");
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Picture_timing_SEI_is_one_summary_line_not_one_per_picture()
    {
        // With nal-hrd, libx264 writes a picture timing SEI (payload type 1) in each of the 12 access units (trace_headers).
        string hrd = await FfmpegAsync("hrd.h264", "-frames:v", "12", "-c:v", "libx264", "-preset", "veryfast", "-x264-params", "nal-hrd=vbr", "-b:v", "400k", "-maxrate", "400k", "-bufsize", "800k", "-pix_fmt", "yuv420p");

        var (_, text) = await TryAsync(hrd);

        var lines = text.Split('\n').Where(l => l.Contains("picture timing", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1 && lines[0].Contains("×12", StringComparison.Ordinal),
            $"The 12 picture timing SEI messages must be one line that counts them (×12); got {lines.Count} line(s):\n{text}");
    }
}
