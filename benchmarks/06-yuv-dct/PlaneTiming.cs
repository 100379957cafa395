using System.Diagnostics;

namespace Lab06.YuvDct.Benchmarks;

/// <summary>
/// The 1080p plane forward + inverse timed by wall clock (best and mean of <c>runs</c>) and by this
/// process's CPU time (mean): on a shared, loaded machine the CPU time is the "one core" figure, the wall clock what a
/// time slice left of it. BenchmarkDotNet (DctPlaneBenchmarks) reports wall clock only.
/// </summary>
internal static class PlaneTiming
{
    public static int Run(int runs)
    {
        var plane = Frames.LumaPlane(Frames.TestSource(1920, 1080, 1)[0], 1920, 1080);
        var back = new Plane(plane.Width, plane.Height);
        var coefficients = new double[Dct8x8.PlaneCoefficientCount(plane.Width, plane.Height)];
        Console.WriteLine($"1920×1080 luma, ForwardPlane + InversePlane (AAN), best of {runs}; load: {File.ReadAllText("/proc/loadavg").Trim()}");
        for (int run = 0; run < 5; run++) // JIT tiers
        {
            Dct8x8.ForwardPlane(plane, coefficients);
            Dct8x8.InversePlane(coefficients, back);
        }

        double bestWall = double.MaxValue, totalWall = 0;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        for (int run = 0; run < runs; run++)
        {
            var clock = Stopwatch.StartNew();
            Dct8x8.ForwardPlane(plane, coefficients);
            Dct8x8.InversePlane(coefficients, back);
            double wall = clock.Elapsed.TotalMilliseconds;
            bestWall = Math.Min(bestWall, wall);
            totalWall += wall;
        }

        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / runs;
        bool same = plane.Samples.AsSpan().SequenceEqual(back.Samples);
        Console.WriteLine($"wall: best {bestWall:F2} ms, mean {totalWall / runs:F2} ms; CPU time: mean {cpu:F2} ms; plane back unchanged: {same}");
        Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
        return same ? 0 : 1;
    }
}
