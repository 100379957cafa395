namespace Lab07.H264Bitstream;

/// <summary>
/// <c>workbook try 07 &lt;file.h264&gt;</c>: the analyser report on the learner's own raw H.264 stream
/// (SPS/PPS summary, NAL types, SEI strings, frame types in decode and display order, GOPs). Given
/// code: it calls your <see cref="StreamAnalyzer.Analyze"/>.
/// <c>workbook try 07 --encode in.yuv --size WxH [--rate N] [--output out.h264]</c> runs your
/// <see cref="PcmEncoder"/> (M6) on raw yuv420p frames instead, then analyses what it wrote.
/// </summary>
public static class H264TryTool
{
    /// <summary>Runs the tool; returns the exit code (0 ok, 1 errors in the stream, 2 usage).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Any(a => a == "--encode" || a.StartsWith("--encode=", StringComparison.Ordinal)))
        {
            return await EncodeAsync(args, output, cancellationToken).ConfigureAwait(false);
        }

        if (args.Length != 1)
        {
            await output.WriteLineAsync("usage: workbook try 07 <file.h264>   (a raw Annex B stream; make one with: ffmpeg -i clip.mp4 -c:v copy -bsf:v h264_mp4toannexb -an clip.h264)").ConfigureAwait(false);
            await output.WriteLineAsync("       workbook try 07 --encode in.yuv --size WxH [--rate 25] [--output out.h264]   (M6: raw yuv420p frames → an I_PCM H.264 stream)").ConfigureAwait(false);
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

    private const string EncodeUsage = "usage: workbook try 07 --encode in.yuv --size WxH [--rate 25] [--output out.h264]\n" +
        "  in.yuv: raw yuv420p frames, e.g. ffmpeg -i clip.mp4 -frames:v 10 -pix_fmt yuv420p -f rawvideo in.yuv\n" +
        "  (the option=value form, --size=640x360, passes through the workbook's own option parser unchanged)";

    /// <summary>--encode: raw I420 frames → your I_PCM encoder → a .h264 file, then the analyser report of what was written.</summary>
    private static async Task<int> EncodeAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        // The workbook passes unknown options through, but may move them after the plain values:
        // take "--name=value" or "--name value", else recognise the values by their shape.
        string? input = Option(args, "--encode") ?? args.FirstOrDefault(a => a.EndsWith(".yuv", StringComparison.OrdinalIgnoreCase));
        string? size = Option(args, "--size") ?? args.FirstOrDefault(a => System.Text.RegularExpressions.Regex.IsMatch(a, @"^\d+x\d+$"));
        string? rate = Option(args, "--rate");
        if (input is null || size is null || size.Split('x') is not [var w, var h]
            || !int.TryParse(w, System.Globalization.CultureInfo.InvariantCulture, out int width) || !int.TryParse(h, System.Globalization.CultureInfo.InvariantCulture, out int height))
        {
            await output.WriteLineAsync(EncodeUsage).ConfigureAwait(false);
            return 2;
        }

        int frameRate = 25;
        if (rate is not null && !int.TryParse(rate, System.Globalization.CultureInfo.InvariantCulture, out frameRate))
        {
            await output.WriteLineAsync(EncodeUsage).ConfigureAwait(false);
            return 2;
        }

        if (!File.Exists(input))
        {
            await output.WriteLineAsync($"No such file: {input}").ConfigureAwait(false);
            return 2;
        }

        string path = Option(args, "--output") ?? Path.ChangeExtension(input, ".h264");
        byte[] stream;
        try
        {
            var encoder = new PcmEncoder(width, height, frameRate);
            var frames = await File.ReadAllBytesAsync(input, cancellationToken).ConfigureAwait(false);
            stream = encoder.Encode(frames);
            await File.WriteAllBytesAsync(path, stream, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"{Path.GetFileName(input)}: {frames.Length / encoder.FrameSize} frames of {width}×{height} ({frames.Length} bytes) → {path}: {stream.Length} bytes, level {encoder.LevelIdc / 10.0:0.0}").ConfigureAwait(false);
            await output.WriteLineAsync($"check it: ffmpeg -v error -i {path} -f rawvideo -pix_fmt yuv420p - | cmp - {input} && echo identical").ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            await output.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        var report = StreamAnalyzer.Analyze(stream);
        await output.WriteAsync(report.ToText($"{Path.GetFileName(path)}: {stream.Length} bytes")).ConfigureAwait(false);
        return report.Errors.Count == 0 ? 0 : 1;
    }

    /// <summary>The value of "--name=value" or "--name value", or null.</summary>
    private static string? Option(string[] args, string name)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                return args[i][(name.Length + 1)..];
            }

            if (args[i] == name && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                return args[i + 1];
            }
        }

        return null;
    }
}
