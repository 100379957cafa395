using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Lab03.Benchmarks;
using Workbook.Benchmarks;

// Lab 03's benchmark. Usage (from the repository root):
//   dotnet run -c Release --project benchmarks/03-flv
// Builds a ~100 MB FLV from testdata/03-flv/av.flv in the temp folder (once), times the reference reader
// listing every tag (a short job: 3 warm-ups, 3 measured iterations, in this process), then ffprobe
// -show_packets on the same file (wall time, median of 3), and prints the ratio with the machine's load.
var invariant = CultureInfo.InvariantCulture;
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));

var lines = new List<string> { $"load before: {Load()}" };
var file = Corpus.Build();
int tags = ReadBenchmarks.CountTags(file);
var summary = BenchmarkRunner.Run<ReadBenchmarks>(config);
lines.Add($"load after the reader: {Load()}");
double probe = ToolRuns.FfprobePacketsSeconds(Corpus.Path);
lines.Add($"load after ffprobe: {Load()}");
lines.Add($"{Corpus.Path}: {file.Length / 1e6:0.0} MB, {tags} tags");
foreach (var method in new[] { "TagHeadersOnly", "EveryTagChecked", "ListedLikeFfprobe" })
{
    var report = summary.Reports.First(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
    double s = report.ResultStatistics!.Mean / 1e9;
    long allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
    lines.Add(string.Format(invariant, "  {0,-18} {1,7:0.0000} s  {2,6:0.0} M tags/s  {3,7:0} MB/s  allocated {4} B for the whole file   ffprobe ÷ this: {5,6:0}×",
        method, s, tags / s / 1e6, file.Length / 1e6 / s, allocated, probe / s));
}

lines.Add(string.Format(invariant, "  {0,-18} {1,7:0.0000} s  {2,6:0.00} M tags/s  {3,7:0} MB/s  (ffprobe -v error -show_packets, median of 3, wall time)", "ffprobe", probe, tags / probe / 1e6, file.Length / 1e6 / probe));
lines.Add($"load at the end: {Load()}");
Console.WriteLine();
Console.WriteLine(string.Join(Environment.NewLine, lines));

// The 1, 5 and 15 minute load averages, as uptime prints them.
static string Load() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" ({Environment.ProcessorCount} cores)";
