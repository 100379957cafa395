using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Lab07.Benchmarks;
using Workbook.Benchmarks;

// Lab 07's benchmarks. Usage (from the repository root):
//   dotnet run -c Release --project benchmarks/07-h264-bitstream            # both
//   dotnet run -c Release --project benchmarks/07-h264-bitstream -- scan    # start-code scanning only
//   dotnet run -c Release --project benchmarks/07-h264-bitstream -- parse   # parsing and ffprobe only
// A short job (3 warm-ups, 3 measured iterations) in this process: the machines this runs on are shared,
// so read the ratios, which hold up under load far better than the absolute numbers.
var invariant = CultureInfo.InvariantCulture;
bool scan = args.Length == 0 || args.Contains("scan");
bool parse = args.Length == 0 || args.Contains("parse");
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));

var lines = new List<string> { $"load before: {Load()}" };
if (scan)
{
    var summary = BenchmarkRunner.Run<ScanBenchmarks>(config);
    lines.Add($"load after scanning: {Load()}");
    double read = Math.Min(Mean(summary, "ReadBandwidth"), Mean(summary, "CountBytes")); // the faster pass is the bandwidth
    lines.Add($"Start-code scanning, {ScanBenchmarks.Size >> 20} MB of the committed streams (GB/s = bytes scanned ÷ time):");
    foreach (var method in new[] { "ReadBandwidth", "CountBytes", "CopyTo", "Vectorised", "PlainLoop" })
    {
        double ns = Mean(summary, method);
        lines.Add(string.Format(invariant, "  {0,-14} {1,7:0.00} GB/s   {2,5:0.00} × memory bandwidth", method, ScanBenchmarks.Size / ns, read / ns));
    }

    lines.Add(string.Format(invariant, "  vectorised ÷ plain loop: {0:0.0}×", Mean(summary, "PlainLoop") / Mean(summary, "Vectorised")));
}

if (parse)
{
    var summary = BenchmarkRunner.Run<ParseBenchmarks>(config);
    lines.Add($"load after parsing: {Load()}");
    foreach (var name in new[] { "main-b", "1080p" })
    {
        var (_, path) = Corpus.LargeStream(name, ParseBenchmarks.Size);
        long bytes = new FileInfo(path).Length;
        var probe = ToolRuns.FfprobePacketsSeconds(path);
        lines.Add($"{name} looped to {bytes / 1e6:0} MB ({path}), load {Load()}:");
        foreach (var method in new[] { "Split", "SplitAndParseHeaders", "Analyze" })
        {
            double s = Mean(summary, method, name) / 1e9;
            lines.Add(string.Format(invariant, "  {0,-22} {1,7:0.000} s  {2,7:0} MB/s   ffprobe ÷ this: {3,5:0.0}×", method, s, bytes / 1e6 / s, probe / s));
        }

        lines.Add(string.Format(invariant, "  {0,-22} {1,7:0.000} s  {2,7:0} MB/s   (ffprobe -v error -show_packets, median of 3, wall time)", "ffprobe", probe, bytes / 1e6 / probe));
    }
}

lines.Add($"load at the end: {Load()}");
Console.WriteLine();
Console.WriteLine(string.Join(Environment.NewLine, lines));

static double Mean(Summary summary, string method, string? name = null) =>
    summary.Reports.First(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method
        && (name is null || (string)r.BenchmarkCase.Parameters["Name"] == name)).ResultStatistics!.Mean;

// The 1, 5 and 15 minute load averages, as uptime prints them.
static string Load() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" ({Environment.ProcessorCount} cores)";
