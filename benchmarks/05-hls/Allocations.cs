using System.Diagnostics;
using System.Globalization;
using Lab03.Flv;
using Lab05.Hls;

namespace Lab05.Benchmarks;

/// <summary>
/// Counts the bytes a pipeline allocates, exactly (<see cref="GC.GetTotalAllocatedBytes(bool)"/> with precise = true, on
/// this thread's and every other thread's allocation contexts), and times it. A run on the first half of the corpus,
/// then on the whole: set-up (buffers that grow once to the largest segment and access unit, pools, the JIT) is the
/// same in both, so the difference divided by the packets (or segments) the second half adds is what one more packet
/// (or segment) costs in steady state.
/// </summary>
internal static class Allocations
{
    /// <summary>Where the segment files go: /dev/shm (memory) where there is one, so that the disk's write-back under load moves neither side; else the temp folder. ffmpeg writes into the same place.</summary>
    public static string OutputRoot { get; } = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>One run: what it allocated, its wall time, and how much it wrote.</summary>
    public sealed record Run(long Bytes, double Seconds, long Packets, int Frames, int Segments);

    /// <summary>A pipeline: FLV bytes in, segment files and a playlist in the folder out; returns the frames it muxed.</summary>
    public delegate int Pipeline(byte[] flv, string folder);

    /// <summary>The simple version: the whole file as <see cref="FlvSource"/> (a sample per frame, each its own array), then <see cref="HlsWriter.WriteVod(FlvSource, string, double)"/>.</summary>
    public static int Simple(byte[] flv, string folder)
    {
        var source = FlvSource.Read(FlvFile.Read(flv));
        HlsWriter.WriteVod(source, folder, 2);
        return source.Samples.Count;
    }

    /// <summary>The fast version beside it: <see cref="HlsWriter.WriteVod(ReadOnlySpan{byte}, string, double)"/>, tag by tag with reused buffers.</summary>
    public static int Streaming(byte[] flv, string folder)
    {
        var written = HlsWriter.WriteVod(flv.AsSpan(), folder, 2);
        return written.VideoFrames + written.AudioFrames;
    }

    /// <summary>Runs <paramref name="pipeline"/> on <paramref name="flv"/> once and measures it.</summary>
    public static Run Measure(Pipeline pipeline, byte[] flv)
    {
        string folder = Path.Combine(OutputRoot, $"lab05-bench-alloc-{Environment.ProcessId}");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, true);
        }

        Directory.CreateDirectory(folder);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        int frames = pipeline(flv, folder);
        double seconds = clock.Elapsed.TotalSeconds;
        long bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        var files = Directory.GetFiles(folder, "*.ts");
        long packets = files.Sum(f => new FileInfo(f).Length) / 188;
        Directory.Delete(folder, true);
        return new Run(bytes, seconds, packets, frames, files.Length);
    }

    /// <summary>Measures a pipeline on the first half of the corpus and on all of it (the median of <paramref name="runs"/> runs each); returns lines that describe it and its median time on the corpus.</summary>
    public static (List<string> Lines, double Seconds) Report(string name, Pipeline pipeline, byte[] corpus, int runs)
    {
        var half = FirstHalf(corpus);
        Measure(pipeline, half); // JIT and pools warmed before counting
        var small = Median(Enumerable.Range(0, runs).Select(_ => Measure(pipeline, half)).ToList());
        var big = Median(Enumerable.Range(0, runs).Select(_ => Measure(pipeline, corpus)).ToList());
        double perPacket = (double)(big.Bytes - small.Bytes) / (big.Packets - small.Packets);
        double perSegment = (double)(big.Bytes - small.Bytes) / (big.Segments - small.Segments);
        var invariant = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            string.Format(invariant, "  {0,-9} corpus: {1:0.000} s, {2,11:N0} bytes allocated for {3:N0} TS packets, {4:N0} frames, {5:N0} segments: {6:0.00} B/packet, {7:0.00} B/frame, {8:0} B/segment",
                name, big.Seconds, big.Bytes, big.Packets, big.Frames, big.Segments, (double)big.Bytes / big.Packets, (double)big.Bytes / big.Frames, (double)big.Bytes / big.Segments),
            string.Format(invariant, "  {0,-9} half:   {1,11:N0} bytes allocated for {2:N0} TS packets; the second half added {3:N0} bytes for {4:N0} packets, {5:N0} frames, {6:N0} segments: {7:0.00} B/packet = {8:0} B/segment",
                name, small.Bytes, small.Packets, big.Bytes - small.Bytes, big.Packets - small.Packets, big.Frames - small.Frames, big.Segments - small.Segments, perPacket, perSegment),
        };
        return (lines, big.Seconds);
    }

    // The corpus up to the first tag that starts past its middle: a whole FLV of half the size.
    private static byte[] FirstHalf(byte[] corpus)
    {
        var reader = new FlvReader(corpus);
        while (reader.Position < corpus.Length / 2 && reader.Read(out _))
        {
        }

        return corpus[..(int)reader.Position];
    }

    private static Run Median(List<Run> runs)
    {
        var bySeconds = runs.OrderBy(r => r.Seconds).ToList();
        var byBytes = runs.OrderBy(r => r.Bytes).ToList();
        var middle = bySeconds[runs.Count / 2];
        return middle with { Bytes = byBytes[runs.Count / 2].Bytes };
    }
}
