using System.Globalization;
using System.Text;

namespace Lab03.Flv;

/// <summary>
/// <c>workbook try 03 &lt;file.flv&gt; [--hexdump N] [--tags] [--extract DIR] [--remux out.flv] [--rebuild out.flv] [--analyse] [--lenient]</c>:
/// the roadmap's FLV conversion tool, on your own recordings (OBS writes FLV). Given code: it calls your
/// reader, demuxer and writer.
/// </summary>
public static class FlvTryTool
{
    private const string Usage = "usage: workbook try 03 <file.flv> [--hexdump N] [--tags] [--extract DIR] [--remux out.flv] [--rebuild out.flv] [--analyse] [--lenient]";

    /// <summary>Runs the tool; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        string? path = null, extract = null, remux = null, rebuild = null;
        int hexdump = 0;
        bool tags = false, lenient = false, analyse = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--hexdump" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out hexdump):
                    i++;
                    break;
                case "--tags":
                    tags = true;
                    break;
                case "--analyse" or "--analyze":
                    analyse = true;
                    break;
                case "--lenient":
                    lenient = true;
                    break;
                case "--extract" when i + 1 < args.Length:
                    extract = args[++i];
                    break;
                case "--remux" when i + 1 < args.Length:
                    remux = args[++i];
                    break;
                case "--rebuild" when i + 1 < args.Length:
                    rebuild = args[++i];
                    break;
                default:
                    if (path is null && !args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        path = args[i];
                        break;
                    }

                    await output.WriteLineAsync($"{Usage}   (unknown argument '{args[i]}')").ConfigureAwait(false);
                    return 2;
            }
        }

        if (path is null || !File.Exists(path))
        {
            await output.WriteLineAsync(path is null ? Usage : $"No such file: {path}").ConfigureAwait(false);
            return 2;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var text = new StringBuilder();
        try
        {
            if (hexdump > 0)
            {
                text.Append(HexDump.Format(bytes.AsSpan(0, Math.Min(hexdump, bytes.Length))));
            }

            var skipped = new List<FlvFormatException>();
            var file = FlvFile.Read(bytes, new FlvReadOptions { Lenient = lenient, OnSkipped = skipped.Add });
            Describe(file, bytes.Length, tags, text);
            foreach (var e in skipped)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"skipped damage: {e.Message}");
            }

            if (analyse)
            {
                Analyse(FlvAnalysis.Analyse(file), text);
            }

            if (extract is not null)
            {
                var demuxer = FlvDemuxer.Demux(file);
                Directory.CreateDirectory(extract);
                string name = Path.GetFileNameWithoutExtension(path);
                if (demuxer.VideoFrames.Count > 0)
                {
                    var target = Path.Combine(extract, name + ".h264");
                    await File.WriteAllBytesAsync(target, demuxer.AnnexB.ToArray(), cancellationToken).ConfigureAwait(false);
                    text.AppendLine(CultureInfo.InvariantCulture, $"wrote {target}: {demuxer.VideoFrames.Count} access units, {demuxer.AnnexB.Length} bytes (check: ffprobe {target})");
                }

                if (demuxer.AudioFrames.Count > 0)
                {
                    var target = Path.Combine(extract, name + ".aac");
                    await File.WriteAllBytesAsync(target, demuxer.Adts.ToArray(), cancellationToken).ConfigureAwait(false);
                    text.AppendLine(CultureInfo.InvariantCulture, $"wrote {target}: {demuxer.AudioFrames.Count} ADTS frames, {demuxer.Adts.Length} bytes");
                }

                if (demuxer.OtherCodecTags > 0)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"{demuxer.OtherCodecTags} tags of other codecs were not extracted");
                }
            }

            if (remux is not null)
            {
                var written = FlvWriter.Write(file.Header, file.Tags);
                await File.WriteAllBytesAsync(remux, written, cancellationToken).ConfigureAwait(false);
                text.AppendLine(CultureInfo.InvariantCulture, $"wrote {remux}: {file.Tags.Count} tags, {written.Length} bytes{(written.AsSpan().SequenceEqual(bytes) ? " (identical to the input)" : "")}");
            }

            if (rebuild is not null)
            {
                // FLV → .h264 + .aac → FLV: the elementary streams carry no timestamps, so the demuxer's frame times are the timing list.
                var demuxer = FlvDemuxer.Demux(file);
                var options = new FlvConversionOptions
                {
                    VideoTiming = demuxer.VideoFrames.Select(f => new PacketTiming(f.Dts, f.Pts)).ToList(),
                    AudioTiming = demuxer.AudioFrames.Select(f => new PacketTiming(f.Dts, f.Pts)).ToList(),
                };
                var written = FlvConverter.Convert(demuxer.AnnexB.Span, demuxer.Adts.Span, options);
                await File.WriteAllBytesAsync(rebuild, written, cancellationToken).ConfigureAwait(false);
                text.AppendLine(CultureInfo.InvariantCulture, $"wrote {rebuild} from the .h264 and .aac: {demuxer.VideoFrames.Count} video and {demuxer.AudioFrames.Count} audio frames, {written.Length} bytes (check: ffprobe -show_packets {rebuild})");
            }
        }
        catch (FlvFormatException e)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"not a valid FLV: {e.Message}. Try --lenient to skip damaged tags.");
            await output.WriteAsync(text.ToString()).ConfigureAwait(false);
            return 1;
        }
        catch (NotImplementedException e)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"not written yet: {e.Message}");
            await output.WriteAsync(text.ToString()).ConfigureAwait(false);
            return 1;
        }

        await output.WriteAsync(text.ToString()).ConfigureAwait(false);
        return 0;
    }

    private static void Describe(FlvFile file, long length, bool tags, StringBuilder text)
    {
        var h = file.Header;
        text.AppendLine(CultureInfo.InvariantCulture, $"FLV version {h.Version}, audio {(h.HasAudio ? "yes" : "no")}, video {(h.HasVideo ? "yes" : "no")}, {file.Tags.Count} tags, {length} bytes");
        if (file.Metadata is { } meta)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{meta.Name}: {meta.Properties}");
        }

        int audio = file.Tags.Count(t => t.TagType == FlvTagType.Audio), video = file.Tags.Count(t => t.TagType == FlvTagType.Video);
        var keys = file.Tags.Where(t => t.TagType == FlvTagType.Video && t.Video is { IsKeyFrame: true, PacketType: -1 or 1 or 3 }).Select(t => t.Timestamp).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"{video} video tags ({keys.Count} key frames at {string.Join(", ", keys.Take(10))}{(keys.Count > 10 ? ", …" : "")} ms), {audio} audio tags");
        if (!tags)
        {
            return;
        }

        text.AppendLine("  offset  type    size   dts ms  pts ms  what");
        foreach (var t in file.Tags)
        {
            string what = t.TagType switch
            {
                FlvTagType.Video => DescribeVideo(t.Video),
                FlvTagType.Audio => DescribeAudio(t.Audio),
                _ => "script " + t.Script.Name,
            };
            text.AppendLine(CultureInfo.InvariantCulture, $"{t.Offset,8}  {t.TagType,-6} {t.Header.DataSize,6}  {t.Timestamp,7}  {t.PresentationTime,6}  {what}");
        }
    }

    private static void Analyse(FlvAnalysis a, StringBuilder text)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"key frames: {a.KeyFrames.Count}; GOP lengths (frames): {string.Join(" ", a.GopLengths)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"DTS step: video {a.VideoInterval} ms, audio {a.AudioInterval} ms; frames shown before one decoded earlier (B-frames): {a.ReorderedFrames}");
        text.AppendLine("second  video kbit/s  audio kbit/s");
        for (int s = 0; s < a.VideoBitsPerSecond.Count; s++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{s,6}  {a.VideoBitsPerSecond[s] / 1000.0,12:0.0}  {a.AudioBitsPerSecond[s] / 1000.0,12:0.0}");
        }

        foreach (var j in a.Jumps)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{(j.IsBackwards ? "jump back" : "gap")} in {j.Stream.ToString().ToLowerInvariant()} before frame {j.FrameIndex}: {j.FromDts} → {j.ToDts} ms ({j.Delta:+0;-0} ms; usual step {j.Interval} ms)");
        }
    }

    private static string DescribeVideo(VideoTagHeader v) =>
        $"{v.CodecName} {v.FrameType}" + (v.IsAvcSequenceHeader ? " sequence header" : v.PacketType == 2 && !v.IsExHeader ? " end of sequence" : v.IsExHeader ? $" packet type {v.PacketType}" : "")
        + (v.CompositionTime != 0 ? $" cts {v.CompositionTime}" : "");

    private static string DescribeAudio(AudioTagHeader a) =>
        a.Format == SoundFormat.Aac ? (a.AacPacketType == 0 ? "AAC sequence header" : "AAC frame") : $"{a.CodecName} {a.SoundRateHz} Hz {(a.IsStereo ? "stereo" : "mono")}";
}
