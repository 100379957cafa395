namespace Lab07.H264Bitstream;

/// <summary>
/// <c>workbook try 07 &lt;file.h264&gt;</c>: the analyser report on the learner's own raw H.264 stream
/// (SPS/PPS summary, NAL types, SEI strings, frame types in decode and display order, GOPs). Given
/// code: it calls your <see cref="StreamAnalyzer.Analyze"/>.
/// </summary>
public static class H264TryTool
{
    /// <summary>Runs the tool; returns the exit code (0 ok, 1 errors in the stream, 2 usage).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Length != 1)
        {
            await output.WriteLineAsync("usage: workbook try 07 <file.h264>   (a raw Annex B stream; make one with: ffmpeg -i clip.mp4 -c:v copy -bsf:v h264_mp4toannexb -an clip.h264)").ConfigureAwait(false);
            return 2;
        }

        string path = args[0];
        if (!File.Exists(path))
        {
            await output.WriteLineAsync($"No such file: {path}").ConfigureAwait(false);
            return 2;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        if (path.EndsWith(".flv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase))
        {
            await output.WriteLineAsync($"{Path.GetFileName(path)} is a container: take the raw stream out first — ffmpeg -i {path} -c:v copy -bsf:v h264_mp4toannexb -an -f h264 out.h264 (Lab 03 does this for FLV)").ConfigureAwait(false);
            return 2;
        }

        var report = StreamAnalyzer.Analyze(bytes);
        await output.WriteAsync(report.ToText($"{Path.GetFileName(path)}: {bytes.Length} bytes")).ConfigureAwait(false);
        return report.Errors.Count == 0 ? 0 : 1;
    }
}
