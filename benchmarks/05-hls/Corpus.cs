using System.Buffers;
using Lab03.Flv;

namespace Lab05.Benchmarks;

/// <summary>The benchmark's input: av.flv's frames repeated until the file passes a size, built once per machine in the temp folder (never committed).</summary>
internal static class Corpus
{
    public const long Size = 100L << 20;

    public static string Path => System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lab05-bench-av-100mb.flv");

    /// <summary>The script tag and sequence headers of av.flv once, then its frames again and again, each pass 6100 ms after the one before.</summary>
    public static byte[] Build()
    {
        if (File.Exists(Path) && new FileInfo(Path).Length >= Size)
        {
            return File.ReadAllBytes(Path);
        }

        var clip = FlvFile.Read(File.ReadAllBytes(Find("testdata/05-hls/av.flv")));
        var head = clip.Tags.Where(t => t.TagType == FlvTagType.Script || (t.TagType == FlvTagType.Video ? t.Video.IsAvcSequenceHeader : t.Audio.IsAacSequenceHeader)).ToList();
        var frames = clip.Tags.Where(t => t.TagType != FlvTagType.Script && !head.Contains(t) && !(t.TagType == FlvTagType.Video && t.Video.PacketType == 2)).ToList();
        var output = new ArrayBufferWriter<byte>((int)Size + (1 << 20));
        var writer = new FlvWriter(output, clip.Header);
        foreach (var tag in head)
        {
            writer.WriteTag(tag.TagType, tag.Timestamp, tag.Data.Span);
        }

        for (int pass = 0; output.WrittenCount < Size; pass++)
        {
            foreach (var tag in frames)
            {
                writer.WriteTag(tag.TagType, tag.Timestamp + pass * 6100, tag.Data.Span);
            }
        }

        var bytes = output.WrittenSpan.ToArray();
        File.WriteAllBytes(Path, bytes);
        return bytes;
    }

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
