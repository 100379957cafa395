using Workbook.Benchmarks;

namespace Lab05.Benchmarks;

/// <summary>Lab 05's benchmark input: av.flv's frames repeated past 100 MiB, each pass 6100 ms after the one before.</summary>
internal static class Corpus
{
    private static readonly FlvCorpus Clip = new("testdata/05-hls/av.flv", "lab05-bench-av-100mb.flv", 6100);

    public static string Path => Clip.Path;

    public static byte[] Build() => Clip.Build();
}
