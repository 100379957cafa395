using BenchmarkDotNet.Attributes;
using Lab03.Flv;

namespace Lab03.Benchmarks;

/// <summary>
/// Listing every tag of the ~100 MB file with the reference <see cref="FlvReader"/>: the tag headers and
/// PreviousTagSize checks alone, and with every audio/video tag header parsed too (the default, strict
/// reading). The bytes are in memory; the reader is a ref struct over them, so reading a tag allocates nothing
/// (the Allocated column covers the whole file: only the one onMetaData decode allocates).
/// </summary>
[MemoryDiagnoser(false)]
public class ReadBenchmarks
{
    private static readonly FlvReadOptions HeadersOnly = new() { CheckTagHeaders = false };

    private byte[] _file = [];

    [GlobalSetup]
    public void Setup() => _file = Corpus.Build();

    [Benchmark(Baseline = true)]
    public long TagHeadersOnly()
    {
        var reader = new FlvReader(_file, HeadersOnly);
        long sum = 0;
        while (reader.Read(out var tag))
        {
            sum += tag.Header.DataSize + tag.Header.Timestamp;
        }

        return sum;
    }

    [Benchmark]
    public long EveryTagChecked()
    {
        var reader = new FlvReader(_file);
        long sum = 0;
        while (reader.Read(out var tag))
        {
            sum += tag.Header.DataSize + tag.Header.Timestamp;
        }

        return sum;
    }

    [Benchmark]
    public long ListedLikeFfprobe()
    {
        // What ffprobe prints per packet: type, DTS, PTS (composition time), size, key flag.
        var reader = new FlvReader(_file);
        long sum = 0;
        while (reader.Read(out var tag))
        {
            if (tag.Header.TagType == FlvTagType.Video)
            {
                var video = VideoTagHeader.Parse(tag.Data, tag.Offset + FlvTagHeader.Size);
                sum += tag.Header.Timestamp + video.CompositionTime + tag.Data.Length - video.Size + (video.IsKeyFrame ? 1 : 0);
            }
            else if (tag.Header.TagType == FlvTagType.Audio)
            {
                var audio = AudioTagHeader.Parse(tag.Data, tag.Offset + FlvTagHeader.Size);
                sum += tag.Header.Timestamp + tag.Data.Length - audio.Size;
            }
        }

        return sum;
    }

    /// <summary>How many tags the file has, for tags/s.</summary>
    public static int CountTags(byte[] file)
    {
        var reader = new FlvReader(file, HeadersOnly);
        int count = 0;
        while (reader.Read(out _))
        {
            count++;
        }

        return count;
    }
}
