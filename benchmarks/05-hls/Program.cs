using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Lab05.Benchmarks;
using Workbook.Benchmarks;

// Lab 05's benchmark. Usage (from the repository root):
//   dotnet run -c Release --project benchmarks/05-hls
// Builds a ~100 MB FLV from testdata/05-hls/av.flv in the temp folder (once), then:
// 1. times the reference pipelines with BenchmarkDotNet (a short job: 3 warm-ups, 3 measured iterations, their median,
//    in this process): the simple one (FlvSource, then Segmenter.CutAll) in memory and with files, and the streaming one
//    (HlsWriter.WriteVod over the bytes: tag by tag, reused buffers) with files;
// 2. runs the same work side by side under the same load: 5 interleaved rounds of (streaming, simple,
//    `ffmpeg -i big.flv -c copy -f hls -hls_time 2`), every one writing its segment files and playlist into a fresh
//    folder of the same file system (/dev/shm where there is one), and prints the medians and ratios with the load;
// 3. counts the bytes each pipeline allocates, exactly, per TS packet, frame and segment (Allocations.cs).
// With --alloc [RUNS] it skips step 1 (RUNS rounds in steps 2 and 3, default 3).
// With --latency [SECONDS] [--json FILE] it measures HTTP-FLV vs HLS vs LL-HLS latency in Chromium instead (Latency.cs).
if (args.Length > 0 && args[0] == "--latency")
{
    int seconds = args.Length > 1 && int.TryParse(args[1], out int s) ? s : 30;
    int json = Array.IndexOf(args, "--json");
    return await Latency.RunAsync(seconds, json > 0 && json + 1 < args.Length ? args[json + 1] : null);
}

if (args.Length > 0 && args[0] == "--alloc")
{
    int runs = args.Length > 1 && int.TryParse(args[1], out int r) ? r : 3;
    return AllocationsOnly(runs);
}

var invariant = CultureInfo.InvariantCulture;
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));

var lines = new List<string> { $"load before: {Load()}" };
var file = Corpus.Build();
var summary = BenchmarkRunner.Run<MuxBenchmarks>(config);
lines.Add($"load after BenchmarkDotNet: {Load()}");
lines.Add($"{Corpus.Path}: {file.Length / 1e6:0.0} MB. BenchmarkDotNet, the median of 3 iterations:");
foreach (var method in new[] { "SegmentsInMemory", "SegmentFilesAndPlaylist", "StreamingFilesAndPlaylist" })
{
    var report = summary.Reports.First(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
    double s = report.ResultStatistics!.Median / 1e9;
    long allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
    lines.Add(string.Format(invariant, "  {0,-26} {1,7:0.000} s  {2,6:0} MB/s  allocated {3,8:0.0} MB", method, s, file.Length / 1e6 / s, allocated / 1e6));
}

lines.AddRange(SideBySide(file, 5));
lines.Add("exact allocation (GC.GetTotalAllocatedBytes(precise: true)), the median of 3 runs, segment files + playlist:");
lines.AddRange(Allocations.Report("simple", Allocations.Simple, file, 3).Lines);
lines.AddRange(Allocations.Report("streaming", Allocations.Streaming, file, 3).Lines);
lines.Add($"load at the end: {Load()}");
Console.WriteLine();
Console.WriteLine(string.Join(Environment.NewLine, lines));
return 0;

// The exact allocations, then the side-by-side timing, without BenchmarkDotNet.
static int AllocationsOnly(int runs)
{
    var file = Corpus.Build();
    var lines = new List<string> { $"load before: {Load()}", $"{Corpus.Path}: {file.Length / 1e6:0.0} MB" };
    lines.Add($"exact allocation (GC.GetTotalAllocatedBytes(precise: true)), the median of {runs} runs, segment files + playlist:");
    lines.AddRange(Allocations.Report("simple", Allocations.Simple, file, runs).Lines);
    lines.AddRange(Allocations.Report("streaming", Allocations.Streaming, file, runs).Lines);
    lines.AddRange(SideBySide(file, runs));
    lines.Add($"load at the end: {Load()}");
    Console.WriteLine(string.Join(Environment.NewLine, lines));
    return 0;
}

// The same work side by side under the same load: `runs` rounds of (streaming, simple, ffmpeg), each writing every
// segment file and the playlist into a fresh folder of the same file system; the medians and their ratios.
static List<string> SideBySide(byte[] file, int runs)
{
    var invariant = CultureInfo.InvariantCulture;
    var streaming = new List<double>();
    var simple = new List<double>();
    var ffmpeg = new List<double>();
    int segments = 0;
    for (int i = 0; i < runs; i++)
    {
        streaming.Add(Allocations.Measure(Allocations.Streaming, file).Seconds);
        simple.Add(Allocations.Measure(Allocations.Simple, file).Seconds);
        (double seconds, segments) = FfmpegOnce(Corpus.Path);
        ffmpeg.Add(seconds);
    }

    double f = Median(ffmpeg);
    var lines = new List<string>
    {
        $"side by side, {runs} interleaved rounds (streaming, simple, ffmpeg), segment files + playlist into {Allocations.OutputRoot}, medians; load now {Load()}:",
        string.Format(invariant, "  {0,-40} {1,7:0.000} s  {2,6:0} MB/s  ({3} segments; every run: {4})", "ffmpeg -i big.flv -c copy -f hls -hls_time 2", f, file.Length / 1e6 / f, segments, string.Join(" ", ffmpeg.Select(x => x.ToString("0.00", invariant)))),
    };
    foreach (var (name, times) in new[] { ("reference, streaming (HlsWriter.WriteVod(span))", streaming), ("reference, simple (FlvSource, CutAll)", simple) })
    {
        double m = Median(times);
        lines.Add(string.Format(invariant, "  {0,-40} {1,7:0.000} s  {2,6:0} MB/s  ffmpeg ÷ this: {3:0.00}×  (every run: {4})", name, m, file.Length / 1e6 / m, f / m, string.Join(" ", times.Select(x => x.ToString("0.00", invariant)))));
    }

    return lines;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

// Wall time of one run of ffmpeg's HLS muxer on the file (-c copy: no decoding), and its segment count.
static (double Seconds, int Segments) FfmpegOnce(string path)
{
    var folder = Path.Combine(Allocations.OutputRoot, $"lab05-bench-ffmpeg-{Environment.ProcessId}");
    Directory.CreateDirectory(folder);
    double seconds = ToolRuns.WallSeconds("ffmpeg", "-hide_banner", "-v", "error", "-y", "-i", path, "-c", "copy", "-f", "hls", "-hls_time", "2",
        "-hls_playlist_type", "vod", "-hls_segment_filename", Path.Combine(folder, "seg%d.ts"), Path.Combine(folder, "index.m3u8"));
    int segments = Directory.GetFiles(folder, "*.ts").Length;
    Directory.Delete(folder, true);
    return (seconds, segments);
}

// The 1, 5 and 15 minute load averages.
static string Load() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" ({Environment.ProcessorCount} cores)";
