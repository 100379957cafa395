using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Lab06.YuvDct.Benchmarks;

// `-- ffmpeg [frames]`: the side-by-side run of RGB → I420 against ffmpeg (Stopwatch, same frames, same machine).
// `-- plane [runs]`: the 1080p plane forward + inverse by wall clock and CPU time.
// Anything else goes to BenchmarkDotNet, e.g. `-- --filter '*'`.
if (args.Length > 0 && args[0] == "ffmpeg")
{
    return await FfmpegSideBySide.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60);
}

if (args.Length > 0 && args[0] == "plane")
{
    return PlaneTiming.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50);
}

// A short job, in process: the machines this runs on are shared, so fewer, shorter runs and ratios
// (each class has a baseline) say more than absolute times. One thread: nothing here is parallel.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("short"))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
