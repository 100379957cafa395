using Workbook.Benchmarks;

namespace Lab03.Benchmarks;

/// <summary>Lab 03's benchmark input: av.flv's frames repeated past 100 MiB, each pass 2100 ms after the one before (so timestamps pass 0xFFFFFF and the extended byte is used).</summary>
internal static class Corpus
{
    private static readonly FlvCorpus Clip = new("testdata/03-flv/av.flv", "lab03-bench-av-100mb.flv", 2100);

    public static string Path => Clip.Path;

    public static byte[] Build() => Clip.Build();
}
