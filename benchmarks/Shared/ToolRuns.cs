using System.Diagnostics;

namespace Workbook.Benchmarks;

/// <summary>Runs of a real tool (ffmpeg, ffprobe) timed as whole processes, for side-by-side ratios.</summary>
internal static class ToolRuns
{
    /// <summary>
    /// Wall time of one run of <paramref name="tool"/> from start to exit, its standard output read and dropped
    /// (so a tool that prints a lot is not slowed by a full pipe); throws with its standard error when it fails.
    /// </summary>
    public static double WallSeconds(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(Stream.Null);
        process.WaitForExit();
        double seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed: {stderr.Result}");
        }

        return seconds;
    }

    /// <summary>The median wall time of three runs of ffprobe listing every packet of <paramref name="path"/>.</summary>
    public static double FfprobePacketsSeconds(string path)
    {
        var times = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            times.Add(WallSeconds("ffprobe", "-v", "error", "-show_packets", path));
        }

        times.Sort();
        return times[1];
    }
}
