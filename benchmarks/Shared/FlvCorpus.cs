using System.Buffers;
using Lab03.Flv;

namespace Workbook.Benchmarks;

/// <summary>
/// A large FLV for the benchmarks that read FLV (Labs 03 and 05): a committed clip's script tag and sequence
/// headers once, then its frames again and again until the file passes a size, each pass a fixed step after the one
/// before so timestamps keep rising. Built once per machine in the temp folder (never committed). Linked into each
/// benchmark project that reads FLV (one copy of the code, compiled into each, as SideBySide.cs).
/// </summary>
internal sealed class FlvCorpus(string clip, string fileName, int passStepMilliseconds)
{
    /// <summary>The size the file passes: 100 MiB.</summary>
    public const long Size = 100L << 20;

    /// <summary>Where the file is kept between runs.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), fileName);

    /// <summary>The file's bytes, built on the first run and read back afterwards.</summary>
    public byte[] Build()
    {
        if (File.Exists(Path) && new FileInfo(Path).Length >= Size)
        {
            return File.ReadAllBytes(Path);
        }

        var source = FlvFile.Read(File.ReadAllBytes(Find(clip)));
        var head = source.Tags.Where(t => t.TagType == FlvTagType.Script || (t.TagType == FlvTagType.Video ? t.Video.IsAvcSequenceHeader : t.Audio.IsAacSequenceHeader)).ToList();

        // AVC end-of-sequence tags (AVCPacketType 2, ISO/IEC 14496-15 via FLV v10.1 §E.4.3.1) would end the stream mid-file.
        var frames = source.Tags.Where(t => t.TagType != FlvTagType.Script && !head.Contains(t) && !(t.TagType == FlvTagType.Video && t.Video.PacketType == 2)).ToList();
        var output = new ArrayBufferWriter<byte>((int)Size + (1 << 20));
        var writer = new FlvWriter(output, source.Header);
        foreach (var tag in head)
        {
            writer.WriteTag(tag.TagType, tag.Timestamp, tag.Data.Span);
        }

        for (int pass = 0; output.WrittenCount < Size; pass++)
        {
            foreach (var tag in frames)
            {
                writer.WriteTag(tag.TagType, tag.Timestamp + (pass * passStepMilliseconds), tag.Data.Span);
            }
        }

        var bytes = output.WrittenSpan.ToArray();
        File.WriteAllBytes(Path, bytes);
        return bytes;
    }

    /// <summary>A file of the repository, looked for above the program's folder.</summary>
    public static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}: run from the repository.");
    }
}
