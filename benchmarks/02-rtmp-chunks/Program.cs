using System.Globalization;
using BenchmarkDotNet.Running;
using Lab02.Benchmarks;

// Lab 02's benchmarks (from the repository root):
//   dotnet run -c Release --project benchmarks/02-rtmp-chunks -- --filter '*' --job short   BenchmarkDotNet: reassembly, AMF0
//   dotnet run -c Release --project benchmarks/02-rtmp-chunks -- vs-nms [--players 1,4,16] [--runs 5] [--loops 1000] [--queue N] [--simple] [--cold] [--tiered] [--nms DIR]
//                                                                  the reference RtmpServer beside node-media-server v4 (VsNms.cs)
// "serve-ours PORT QUEUE shared|simple" is the child process vs-nms starts to run the reference server on its own.
return args switch
{
    ["vs-nms", .. var rest] => await VsNms.RunAsync(rest),
    ["serve-ours", var port, var queue, var mode] => await VsNms.ServeOursAsync(int.Parse(port, CultureInfo.InvariantCulture), int.Parse(queue, CultureInfo.InvariantCulture), mode != "simple"),
    _ => RunBenchmarkDotNet(args),
};

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(ChunkBenchmarks).Assembly).Run(args);
    return 0;
}
