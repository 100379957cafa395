using BenchmarkDotNet.Attributes;
using Lab03.Flv;
using Lab05.Hls;

namespace Lab05.Benchmarks;

/// <summary>
/// The reference pipeline on the ~100 MB file, as `ffmpeg -i big.flv -c copy -f hls -hls_time 2` does it: read the FLV,
/// turn its tags into Annex B and ADTS samples, mux and cut them into 2 s segments; with and without writing the
/// segment files and the playlist. The file's bytes are in memory (ffmpeg reads them from the page cache).
/// </summary>
[MemoryDiagnoser(false)]
public class MuxBenchmarks
{
    private byte[] _file = [];
    private string _folder = "";

    [GlobalSetup]
    public void Setup()
    {
        _file = Corpus.Build();
        _folder = Path.Combine(Allocations.OutputRoot, $"lab05-bench-out-{Environment.ProcessId}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, true);
        }
    }

    /// <summary>FLV → samples → TS segments in memory.</summary>
    [Benchmark(Baseline = true)]
    public int SegmentsInMemory()
    {
        var source = FlvSource.Read(FlvFile.Read(_file));
        return Segmenter.CutAll(source, 2, 6).Count;
    }

    /// <summary>The same, with every segment written to a file and the VOD playlist beside them (what ffmpeg does).</summary>
    [Benchmark]
    public int SegmentFilesAndPlaylist()
    {
        var source = FlvSource.Read(FlvFile.Read(_file));
        return HlsWriter.WriteVod(source, _folder, 2).Segments.Count;
    }

    /// <summary>The same files by the fast path: tag by tag from the bytes, reused buffers, each segment written as it closes.</summary>
    [Benchmark]
    public int StreamingFilesAndPlaylist() => HlsWriter.WriteVod(_file.AsSpan(), _folder, 2).Playlist.Segments.Count;
}
