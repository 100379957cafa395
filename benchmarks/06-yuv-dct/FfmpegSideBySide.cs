using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Lab06.YuvDct.Benchmarks;

/// <summary>
/// RGB → I420 of the same 1080p frames by the lab's ColourConverter (the simple RgbToYuv and the fixed-point
/// RgbToI420Fast) and by ffmpeg's swscale, on the same
/// machine, one thread each. ffmpeg reads the frames from a pipe, exactly as
/// <c>ffmpeg -f rawvideo -pix_fmt rgb24 -s 1920x1080 -i - -pix_fmt yuv420p -f null -</c>; its start-up is
/// taken out by also timing a run of 1 frame: per frame = (T(N) − T(1)) / (N − 1). Times are wall clock
/// (best of 3) and CPU (user + system, ffmpeg's own <c>-benchmark</c> line), since the machine is shared.
/// </summary>
internal static partial class FfmpegSideBySide
{
    private const int Width = 1920, Height = 1080, Distinct = 10;

    public static async Task<int> RunAsync(int frames)
    {
        Console.WriteLine($"RGB → I420, {Width}×{Height}, {frames} frames ({Distinct} distinct testsrc2 frames, cycled); load: {File.ReadAllText("/proc/loadavg").Trim()}");
        var rgb = Frames.TestSource(Width, Height, Distinct);

        var ours = MeasureOurs(rgb, frames, frame => ColourConverter.RgbToYuv(frame, Width, Height, ColourMatrix.Bt709, ColourRange.Limited, ChromaFormat.Yuv420));
        Console.WriteLine($"{"ColourConverter.RgbToYuv BT.709 limited",-58} wall {ours.Wall,7:F2} ms/frame   cpu {ours.Cpu,7:F2} ms/frame");
        var fast = MeasureOurs(rgb, frames, frame => ColourConverter.RgbToI420Fast(frame, Width, Height, ColourMatrix.Bt709, ColourRange.Limited));
        Console.WriteLine($"{"ColourConverter.RgbToI420Fast BT.709 limited",-58} wall {fast.Wall,7:F2} ms/frame   cpu {fast.Cpu,7:F2} ms/frame   simple/fast: cpu {ours.Cpu / fast.Cpu:F1}×");

        var variants = new (string Name, string[] Filter)[]
        {
            ("ffmpeg -pix_fmt yuv420p (swscale defaults: BT.601)", []),
            ("ffmpeg scale=bt709:tv:accurate_rnd+full_chroma_int", ["-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd+full_chroma_int+bitexact"]),
        };
        foreach (var (name, filter) in variants)
        {
            var one = await MeasureFfmpegAsync(rgb, 1, filter);
            var many = await MeasureFfmpegAsync(rgb, frames, filter);
            double wall = (many.Wall - one.Wall) / (frames - 1), cpu = (many.Cpu - one.Cpu) / (frames - 1);
            Console.WriteLine($"{name,-58} wall {wall,7:F2} ms/frame   cpu {cpu,7:F2} ms/frame   simple/ffmpeg: wall {ours.Wall / wall:F1}×, cpu {ours.Cpu / cpu:F1}×   fast/ffmpeg: wall {fast.Wall / wall:F2}×, cpu {fast.Cpu / cpu:F2}×");
        }

        Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static (double Wall, double Cpu) MeasureOurs(byte[][] rgb, int frames, Func<byte[], YuvFrame> convert)
    {
        double bestWall = double.MaxValue, bestCpu = double.MaxValue;
        for (int i = 0; i < 30; i++)
        {
            convert(rgb[i % Distinct]); // warm up: tiered JIT recompiles the hot loop after 30 calls
        }

        for (int run = 0; run < 3; run++)
        {
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < frames; i++)
            {
                convert(rgb[i % Distinct]);
            }

            double wall = clock.Elapsed.TotalMilliseconds / frames;
            process.Refresh();
            double cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / frames;
            bestWall = Math.Min(bestWall, wall);
            bestCpu = Math.Min(bestCpu, cpu);
        }

        return (bestWall, bestCpu);
    }

    /// <summary>Best of 3 runs of ffmpeg over <paramref name="frames"/> piped frames: total wall and CPU milliseconds.</summary>
    private static async Task<(double Wall, double Cpu)> MeasureFfmpegAsync(byte[][] rgb, int frames, string[] filter)
    {
        double bestWall = double.MaxValue, bestCpu = double.MaxValue;
        for (int run = 0; run < 3; run++)
        {
            var start = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
            string[] arguments =
            [
                "-hide_banner", "-nostats", "-benchmark", "-threads", "1", "-filter_threads", "1",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{Width}x{Height}", "-i", "-",
                .. filter, "-pix_fmt", "yuv420p", "-f", "null", "-",
            ];
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            var clock = Stopwatch.StartNew();
            using var ffmpeg = Process.Start(start) ?? throw new InvalidOperationException("could not start ffmpeg (apt-get install -y ffmpeg)");
            var log = ffmpeg.StandardError.ReadToEndAsync();
            await using (var input = ffmpeg.StandardInput.BaseStream)
            {
                for (int i = 0; i < frames; i++)
                {
                    await input.WriteAsync(rgb[i % Distinct]);
                }
            }

            await ffmpeg.WaitForExitAsync();
            double wall = clock.Elapsed.TotalMilliseconds;
            var text = await log;
            var bench = BenchLine().Match(text);
            if (ffmpeg.ExitCode != 0 || !bench.Success)
            {
                throw new InvalidOperationException($"ffmpeg failed ({ffmpeg.ExitCode}): {text}");
            }

            double cpu = 1000 * (double.Parse(bench.Groups[1].Value, CultureInfo.InvariantCulture) + double.Parse(bench.Groups[2].Value, CultureInfo.InvariantCulture));
            bestWall = Math.Min(bestWall, wall);
            bestCpu = Math.Min(bestCpu, cpu);
        }

        return (bestWall, bestCpu);
    }

    [GeneratedRegex(@"bench: utime=([0-9.]+)s stime=([0-9.]+)s")]
    private static partial Regex BenchLine();
}
