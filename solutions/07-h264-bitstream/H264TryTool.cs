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
        if (ContainerAdvice(path, bytes) is { } advice)
        {
            await output.WriteLineAsync(advice).ConfigureAwait(false);
            return 2;
        }

        var report = StreamAnalyzer.Analyze(bytes);
        await output.WriteAsync(report.ToText($"{Path.GetFileName(path)}: {bytes.Length} bytes")).ConfigureAwait(false);
        await output.WriteLineAsync(FieldCoding(report)).ConfigureAwait(false);
        return report.Errors.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// For an FLV or MP4 file (the analyser reads a raw Annex B stream), the ffmpeg command that makes one from it: a copy
    /// through h264_mp4toannexb when its video is H.264, a re-encode with libx264 when it is another codec (Sorenson H.263,
    /// VP6, HEVC …, which no bitstream filter turns into H.264); null for anything else.
    /// </summary>
    public static string? ContainerAdvice(string path, ReadOnlySpan<byte> file)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool flv = file.StartsWith("FLV"u8);
        bool mp4 = file.Length >= 8 && file[4..8].SequenceEqual("ftyp"u8);
        if (!flv && !mp4)
        {
            return null;
        }

        string name = Path.GetFileName(path);
        string output = Path.ChangeExtension(name, ".h264");
        string? codec = flv ? FlvVideoCodec(file) : Mp4VideoCodec(file);
        string copy = $"ffmpeg -i {path} -map 0:v:0 -c:v copy -bsf:v h264_mp4toannexb -f h264 {output}";
        string encode = $"ffmpeg -i {path} -map 0:v:0 -c:v libx264 -f h264 {output}";
        return codec switch
        {
            "H.264" => $"{name} is a container: take the raw H.264 stream out first — {copy}" + (flv ? " (Lab 03 does this for FLV)" : ""),
            null => $"{name} is a container and no video stream was found in it; if ffprobe shows one, re-encode it to H.264: {encode}",
            "none" => $"{name} has no video stream: there is no H.264 to analyse.",
            _ => $"{name}'s video is {codec}, not H.264: this analyser reads H.264 only, and no bitstream filter turns {codec} into it. Re-encode it: {encode}",
        };
    }

    /// <summary>The codec of an FLV's first video tag (FLV spec E.4.3.1; Enhanced RTMP FourCC), "none" when it has none, null when unreadable.</summary>
    private static string? FlvVideoCodec(ReadOnlySpan<byte> file)
    {
        if (file.Length < 9)
        {
            return null;
        }

        long at = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(file[5..9]) + 4L; // DataOffset, then PreviousTagSize0
        while (at + 12 <= file.Length)
        {
            int type = file[(int)at] & 0x1F;
            int size = (file[(int)at + 1] << 16) | (file[(int)at + 2] << 8) | file[(int)at + 3];
            if (type == 9 && size > 0)
            {
                byte first = file[(int)at + 11];
                if ((first & 0x80) != 0)
                {
                    return at + 16 <= file.Length ? FourCcName(file.Slice((int)at + 12, 4)) : null;
                }

                return (first & 0x0F) switch
                {
                    7 => "H.264",
                    2 => "Sorenson H.263 (codec id 2)",
                    3 or 6 => "Screen video (codec id " + (first & 0x0F) + ")",
                    4 or 5 => "On2 VP6 (codec id " + (first & 0x0F) + ")",
                    12 => "HEVC (codec id 12)",
                    var id => "codec id " + id,
                };
            }

            at += 11 + size + 4;
        }

        return "none";
    }

    /// <summary>The first video sample entry of an MP4 (ISO/IEC 14496-12 §8.5.2 'stsd'), found by its FourCC; null when none is known.</summary>
    private static string? Mp4VideoCodec(ReadOnlySpan<byte> file)
    {
        string[] known = ["avc1", "avc3", "hvc1", "hev1", "av01", "vp09", "mp4v", "s263"];
        int best = -1;
        string? found = null;
        foreach (string fourCc in known)
        {
            int at = file.IndexOf(System.Text.Encoding.ASCII.GetBytes(fourCc));
            if (at >= 0 && (best < 0 || at < best))
            {
                (best, found) = (at, fourCc);
            }
        }

        return found is null ? null : FourCcName(System.Text.Encoding.ASCII.GetBytes(found));
    }

    private static string FourCcName(ReadOnlySpan<byte> fourCc) => System.Text.Encoding.ASCII.GetString(fourCc) switch
    {
        "avc1" or "avc3" => "H.264",
        "hvc1" or "hev1" => "HEVC (" + System.Text.Encoding.ASCII.GetString(fourCc) + ")",
        "av01" => "AV1 (av01)",
        "vp09" => "VP9 (vp09)",
        "mp4v" => "MPEG-4 Part 2 (mp4v)",
        "s263" => "H.263 (s263)",
        var other => other,
    };

    /// <summary>
    /// How the stream codes interlaced video (§7.4.2.1.1 frame_mbs_only_flag, mb_adaptive_frame_field_flag; §7.4.3
    /// field_pic_flag, bottom_field_flag), from your analyser's report: progressive, MBAFF (field or frame per macroblock
    /// pair inside frame pictures) or field pictures (PAFF), with how many pictures are fields and how they pair into frames.
    /// </summary>
    public static string FieldCoding(StreamReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sps = report.SequenceParameterSets.Values.ToList();
        if (sps.Count == 0)
        {
            return "Scan: unknown (no SPS)";
        }

        if (sps.All(s => s.FrameMbsOnly))
        {
            return "Scan: progressive — frame_mbs_only_flag 1: every picture is a frame of frame macroblocks";
        }

        int frames = report.Pictures.Count(p => p.Structure == PictureStructure.Frame);
        int top = report.Pictures.Count(p => p.Structure == PictureStructure.TopField);
        int bottom = report.Pictures.Count(p => p.Structure == PictureStructure.BottomField);
        var pairs = report.Frames.Where(f => f.Structure == PictureStructure.FieldPair).ToList();
        int unpaired = report.Frames.Count(f => f.Structure is PictureStructure.TopField or PictureStructure.BottomField);
        bool mbaff = sps.Any(s => !s.FrameMbsOnly && s.MbAdaptiveFrameField);
        string scanType = top + bottom == 0 ? (mbaff ? "MBAFF frame pictures" : "frame pictures") : frames == 0 ? "field pictures (PAFF)" : "frame and field pictures mixed";
        string text = $"Scan: interlaced coding — frame_mbs_only_flag 0, MBAFF {(mbaff ? "on (mb_adaptive_frame_field_flag 1: frame pictures choose field or frame per macroblock pair)" : "off")}; " +
                      $"{frames} frame picture(s), {top + bottom} field picture(s) (PAFF: {top} top, {bottom} bottom)\n" +
                      $"Scan type: {scanType}";
        if (top + bottom > 0)
        {
            text += $"; {report.Frames.Count} frames, counting each field pair as one: {pairs.Count} field pair(s) " +
                    $"({pairs.Count(f => f.TopFieldFirst)} top field first, {pairs.Count(f => f.BottomFieldOrderCnt < f.TopFieldOrderCnt)} bottom field first), {unpaired} unpaired field(s)";
        }

        return text;
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
