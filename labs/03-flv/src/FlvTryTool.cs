using System.Buffers;
using System.Globalization;
using System.IO.MemoryMappedFiles;
using System.Text;
using System.Text.RegularExpressions;

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

        // The file is mapped, not read: the reader's tags are slices of it, and only the pages it touches are loaded
        // (a 100 MB recording's --tags touches the tag headers, not the frames).
        using var mapped = MappedFile.Open(path);
        var bytes = mapped.Memory;
        var text = new StringBuilder();
        try
        {
            if (hexdump > 0)
            {
                text.Append(HexDump.Format(bytes.Span[..Math.Min(hexdump, bytes.Length)]));
            }

            if (!bytes.Span.StartsWith("FLV"u8))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"not an FLV file: it starts with {Convert.ToHexString(bytes.Span[..Math.Min(3, bytes.Length)])}, not the signature \"FLV\" (46 4C 56) — README §Header.");
                await output.WriteAsync(text.ToString()).ConfigureAwait(false);
                return 1;
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
                Analyse(FlvAnalysis.Analyse(file), file.Tags.Any(t => t.TagType == FlvTagType.Video), text);
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
                text.AppendLine(CultureInfo.InvariantCulture, $"wrote {remux}: {file.Tags.Count} tags, {written.Length} bytes{(written.AsSpan().SequenceEqual(bytes.Span) ? " (identical to the input)" : "")}");
            }

            if (rebuild is not null)
            {
                // FLV → .h264 + .aac → FLV: the converter carries H.264 and AAC only; other codecs are named, never dropped silently.
                var left = LeftOutOfRebuild(file);
                bool video = file.Tags.Any(t => t.TagType == FlvTagType.Video && IsH264(t.Video));
                bool audio = file.Tags.Any(t => t.TagType == FlvTagType.Audio && t.Audio.Format == SoundFormat.Aac);
                if (!video && !audio)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"--rebuild goes through .h264 and .aac, and this file has {(left.Count == 0 ? "no audio or video" : string.Join(" and ", left))}: nothing to rebuild, {rebuild} not written. --remux copies the tags of any codec.");
                    await output.WriteAsync(text.ToString()).ConfigureAwait(false);
                    return 1;
                }

                if (left.Count > 0)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"warning: --rebuild carries H.264 and AAC only; left out: {string.Join(" and ", left)} (--remux keeps every tag).");
                }

                // The elementary streams carry no timestamps, so the demuxer's frame times are the timing list.
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
            // --lenient skips damaged tags; it cannot mend the header (the 9 bytes and PreviousTagSize0 before the first tag).
            bool inHeader = e.Offset < FlvHeader.Size + 4;
            text.AppendLine(CultureInfo.InvariantCulture, $"not a valid FLV: {e.Message}.{(inHeader || lenient ? "" : " Try --lenient to skip damaged tags.")}");
            await output.WriteAsync(text.ToString()).ConfigureAwait(false);
            return 1;
        }
        catch (NotImplementedException e)
        {
            text.AppendLine(NotWrittenYet(e));
            await output.WriteAsync(text.ToString()).ConfigureAwait(false);
            return 1;
        }

        await output.WriteAsync(text.ToString()).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// What to say when a part is still a stub: "not written yet: Lab 03 · M2: …"; when the part belongs to an earlier lab
    /// this one builds on (Lab 02's AMF0 reader reads onMetaData), how to go on without it.
    /// </summary>
    public static string NotWrittenYet(NotImplementedException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var earlier = Regex.Match(e.Message, @"^Lab (\d\d) · ");
        return earlier.Success && earlier.Groups[1].Value != "03"
            ? $"not written yet: {e.Message}\nThat is Lab {earlier.Groups[1].Value}, which Lab 03 builds on: finish it, or run Lab 03 on its reference: workbook try 03 --depend-on-solutions <file.flv> …"
            : $"not written yet: {e.Message}";
    }

    /// <summary>The streams --rebuild cannot carry, named with their tag counts: "Sorenson H.263 video (52 tags)".</summary>
    private static List<string> LeftOutOfRebuild(FlvFile file) =>
        file.Tags.Where(t => t.TagType == FlvTagType.Video && !IsH264(t.Video)).GroupBy(t => t.Video.CodecName).Select(g => $"{g.Key} video ({g.Count()} tags)")
            .Concat(file.Tags.Where(t => t.TagType == FlvTagType.Audio && t.Audio.Format != SoundFormat.Aac).GroupBy(t => t.Audio.CodecName).Select(g => $"{g.Key} audio ({g.Count()} tags)"))
            .ToList();

    private static bool IsH264(VideoTagHeader v) => v.IsExHeader ? v.FourCc == FourCcCode.Avc1 : v.CodecId == VideoCodecId.Avc;

    private static void Describe(FlvFile file, long length, bool tags, StringBuilder text)
    {
        var h = file.Header;
        text.AppendLine(CultureInfo.InvariantCulture, $"FLV version {h.Version}, audio {(h.HasAudio ? "yes" : "no")}, video {(h.HasVideo ? "yes" : "no")}, {file.Tags.Count} tags, {length} bytes");
        if (file.Metadata is { } meta)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{meta.Name}: {meta.Properties}");
        }

        // One pass parses each tag's audio or video header once; the table below reuses them.
        var videoHeaders = new VideoTagHeader[file.Tags.Count];
        var keys = new List<int>();
        int audio = 0, video = 0;
        for (int i = 0; i < file.Tags.Count; i++)
        {
            var t = file.Tags[i];
            if (t.TagType == FlvTagType.Video)
            {
                video++;
                var v = videoHeaders[i] = t.Video;
                if (v is { IsKeyFrame: true, PacketType: -1 or 1 or 3 })
                {
                    keys.Add(t.Timestamp);
                }
            }
            else if (t.TagType == FlvTagType.Audio)
            {
                audio++;
            }
        }

        text.AppendLine(video == 0
            ? string.Create(CultureInfo.InvariantCulture, $"no video tags, {audio} audio tags")
            : string.Create(CultureInfo.InvariantCulture, $"{video} video tags ({keys.Count} key frame{(keys.Count == 1 ? "" : "s")}{(keys.Count == 0 ? "" : $" at {string.Join(", ", keys.Take(10))}{(keys.Count > 10 ? ", …" : "")} ms")}), {audio} audio tags"));
        if (!tags)
        {
            return;
        }

        text.AppendLine("  offset  type    size   dts ms  pts ms  what");
        for (int i = 0; i < file.Tags.Count; i++)
        {
            var t = file.Tags[i];
            text.AppendFormat(CultureInfo.InvariantCulture, "{0,8}  ", t.Offset);
            switch (t.TagType)
            {
                case FlvTagType.Video:
                    var v = videoHeaders[i];
                    text.AppendFormat(CultureInfo.InvariantCulture, "Video  {0,6}  {1,7}  {2,6}  ", t.Header.DataSize, t.Timestamp, (long)t.Timestamp + v.CompositionTime);
                    DescribeVideo(v, text);
                    break;
                case FlvTagType.Audio:
                    text.AppendFormat(CultureInfo.InvariantCulture, "Audio  {0,6}  {1,7}  {1,6}  ", t.Header.DataSize, t.Timestamp);
                    DescribeAudio(t.Audio, text);
                    break;
                default:
                    text.AppendFormat(CultureInfo.InvariantCulture, "{0,-6} {1,6}  {2,7}  {2,6}  script ", t.TagType, t.Header.DataSize, t.Timestamp).Append(t.Script.Name);
                    break;
            }

            text.AppendLine();
        }
    }

    private static void Analyse(FlvAnalysis a, bool hasVideo, StringBuilder text)
    {
        if (hasVideo)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"key frames: {a.KeyFrames.Count}; GOP lengths (frames): {string.Join(" ", a.GopLengths)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"DTS step: video {a.VideoInterval} ms, audio {a.AudioInterval} ms; frames shown before one decoded earlier (B-frames): {a.ReorderedFrames}");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"no video: no key frames or GOPs; DTS step: audio {a.AudioInterval} ms");
        }

        text.AppendLine(hasVideo ? "second  video kbit/s  audio kbit/s" : "second  audio kbit/s");
        static double Kbit(IReadOnlyList<long> perSecond, int s) => s < perSecond.Count ? perSecond[s] / 1000.0 : 0;
        for (int s = 0; s < Math.Max(a.VideoBitsPerSecond.Count, a.AudioBitsPerSecond.Count); s++)
        {
            text.AppendLine(hasVideo
                ? string.Create(CultureInfo.InvariantCulture, $"{s,6}  {Kbit(a.VideoBitsPerSecond, s),12:0.0}  {Kbit(a.AudioBitsPerSecond, s),12:0.0}")
                : string.Create(CultureInfo.InvariantCulture, $"{s,6}  {Kbit(a.AudioBitsPerSecond, s),12:0.0}"));
        }

        foreach (var j in a.Jumps)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{(j.IsBackwards ? "jump back" : "gap")} in {j.Stream.ToString().ToLowerInvariant()} before frame {j.FrameIndex}: {j.FromDts} → {j.ToDts} ms ({j.Delta:+0;-0} ms; usual step {j.Interval} ms)");
        }
    }

    private static void DescribeVideo(VideoTagHeader v, StringBuilder text)
    {
        text.Append(v.CodecName).Append(' ').Append(FrameTypeName(v.FrameType));
        if (v.IsAvcSequenceHeader)
        {
            text.Append(" sequence header");
        }
        else if (v.PacketType == 2 && !v.IsExHeader)
        {
            text.Append(" end of sequence");
        }
        else if (v.IsExHeader)
        {
            text.Append(" packet type ").Append(v.PacketType);
        }

        if (v.CompositionTime != 0)
        {
            text.Append(" cts ").Append(v.CompositionTime);
        }
    }

    private static void DescribeAudio(AudioTagHeader a, StringBuilder text)
    {
        if (a.Format == SoundFormat.Aac)
        {
            text.Append(a.AacPacketType == 0 ? "AAC sequence header" : "AAC frame");
        }
        else
        {
            text.Append(a.CodecName).Append(' ').Append(a.SoundRateHz).Append(" Hz ").Append(a.IsStereo ? "stereo" : "mono");
        }
    }

    /// <summary>The enum's name without formatting an enum per row (the table is as long as the file).</summary>
    private static string FrameTypeName(VideoFrameType type) => type switch
    {
        VideoFrameType.KeyFrame => nameof(VideoFrameType.KeyFrame),
        VideoFrameType.InterFrame => nameof(VideoFrameType.InterFrame),
        _ => type.ToString(),
    };

    /// <summary>A file mapped into memory, read-only, as a <see cref="ReadOnlyMemory{T}"/> (empty for an empty file).</summary>
    private sealed unsafe class MappedFile : MemoryManager<byte>
    {
        private readonly MemoryMappedFile? _file;
        private readonly MemoryMappedViewAccessor? _view;
        private readonly byte* _pointer;
        private readonly int _length;

        private MappedFile(MemoryMappedFile? file, MemoryMappedViewAccessor? view, int length)
        {
            _file = file;
            _view = view;
            _length = length;
            if (view is not null)
            {
                byte* pointer = null;
                view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
                _pointer = pointer + view.PointerOffset;
            }
        }

        public static MappedFile Open(string path)
        {
            long length = new FileInfo(path).Length;
            if (length > int.MaxValue)
            {
                throw new IOException($"{path} is {length} bytes; the tool reads files up to 2 GiB.");
            }

            if (length == 0)
            {
                return new MappedFile(null, null, 0);
            }

            var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            return new MappedFile(file, file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read), (int)length);
        }

        public override Span<byte> GetSpan() => _length == 0 ? [] : new Span<byte>(_pointer, _length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
            if (_view is not null)
            {
                _view.SafeMemoryMappedViewHandle.ReleasePointer();
                _view.Dispose();
            }

            _file?.Dispose();
        }
    }
}
