using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Lab05.Benchmarks;

// Lab 05's benchmark. Usage (from the repository root):
//   dotnet run -c Release --project benchmarks/05-hls
// Builds a ~100 MB FLV from testdata/05-hls/av.flv in the temp folder (once), times the reference pipelines — the simple
// one (FlvSource, then segments) and the streaming one (tag by tag, reused buffers) — with BenchmarkDotNet (a short
// job: 3 warm-ups, 3 measured iterations, in this process), then `ffmpeg -i big.flv -c copy -f hls -hls_time 2` on the
// same file into a temp folder (wall time, median of 3), and prints the ratios with the machine's load; then the exact
// bytes each pipeline allocates, per TS packet, frame and segment (Allocations.cs).
// With --alloc [RUNS] it skips BenchmarkDotNet: the exact allocations and wall times (median of RUNS), then ffmpeg's.
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
lines.Add($"load after the reference: {Load()}");
var (ffmpeg, segments) = FfmpegSeconds(Corpus.Path);
lines.Add($"load after ffmpeg: {Load()}");
lines.Add($"{Corpus.Path}: {file.Length / 1e6:0.0} MB; ffmpeg wrote {segments} segments");
foreach (var method in new[] { "SegmentsInMemory", "SegmentFilesAndPlaylist", "StreamingFilesAndPlaylist" })
{
    var report = summary.Reports.First(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
    double s = report.ResultStatistics!.Mean / 1e9;
    long allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
    lines.Add(string.Format(invariant, "  {0,-24} {1,7:0.000} s  {2,6:0} MB/s  allocated {3,6:0} MB   ffmpeg ÷ this: {4,5:0.00}×",
        method, s, file.Length / 1e6 / s, allocated / 1e6, ffmpeg / s));
}

lines.Add(string.Format(invariant, "  {0,-24} {1,7:0.000} s  {2,6:0} MB/s  (ffmpeg -c copy -f hls -hls_time 2, median of 3, wall time)", "ffmpeg", ffmpeg, file.Length / 1e6 / ffmpeg));
lines.Add("exact allocation (GC.GetTotalAllocatedBytes(precise: true)), the median of 3 runs, segment files + playlist:");
lines.AddRange(Allocations.Report("simple", Allocations.Simple, file, 3).Lines);
lines.AddRange(Allocations.Report("streaming", Allocations.Streaming, file, 3).Lines);
lines.Add($"load at the end: {Load()}");
Console.WriteLine();
Console.WriteLine(string.Join(Environment.NewLine, lines));
return 0;

// Both pipelines' allocations and times on the corpus, then ffmpeg's time on it, in the same run.
static int AllocationsOnly(int runs)
{
    var invariant = CultureInfo.InvariantCulture;
    var file = Corpus.Build();
    var lines = new List<string> { $"load before: {Load()}", $"{Corpus.Path}: {file.Length / 1e6:0.0} MB; median of {runs} runs each" };
    var (simpleLines, simple) = Allocations.Report("simple", Allocations.Simple, file, runs);
    var (streamingLines, streaming) = Allocations.Report("streaming", Allocations.Streaming, file, runs);
    lines.AddRange(simpleLines);
    lines.AddRange(streamingLines);
    lines.Add($"load after the reference: {Load()}");
    var (ffmpeg, segments) = FfmpegSeconds(Corpus.Path, runs);
    lines.Add(string.Format(invariant, "  ffmpeg    corpus: {0:0.000} s ({1} segments; -c copy -f hls -hls_time 2, wall time)", ffmpeg, segments));
    lines.Add(string.Format(invariant, "  ffmpeg ÷ simple: {0:0.00}×   ffmpeg ÷ streaming: {1:0.00}×", ffmpeg / simple, ffmpeg / streaming));
    lines.Add($"load at the end: {Load()}");
    Console.WriteLine(string.Join(Environment.NewLine, lines));
    return 0;
}

// Wall time of ffmpeg's HLS muxer on the file (-c copy: no decoding), the median of 3 runs, and its segment count.
static (double Seconds, int Segments) FfmpegSeconds(string path, int runs = 3)
{
    var times = new List<double>();
    int segments = 0;
    for (int i = 0; i < runs; i++)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"lab05-bench-ffmpeg-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-v", "error", "-y", "-i", path, "-c", "copy", "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod",
                                  "-hls_segment_filename", Path.Combine(folder, "seg%d.ts"), Path.Combine(folder, "index.m3u8") })
        {
            info.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(Stream.Null);
        process.WaitForExit();
        times.Add(clock.Elapsed.TotalSeconds);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed on {path}: {stderr.Result}");
        }

        segments = Directory.GetFiles(folder, "*.ts").Length;
        Directory.Delete(folder, true);
    }

    times.Sort();
    return (times[times.Count / 2], segments);
}

// The 1, 5 and 15 minute load averages.
static string Load() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" ({Environment.ProcessorCount} cores)";
