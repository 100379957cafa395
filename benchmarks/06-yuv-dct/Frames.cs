using System.Diagnostics;

namespace Lab06.YuvDct.Benchmarks;

/// <summary>Real frames for the benchmarks, made by ffmpeg: testsrc2 (moving colour bars, text, gradients) as rgb24.</summary>
internal static class Frames
{
    /// <summary><paramref name="count"/> consecutive testsrc2 frames, rgb24, <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static byte[][] TestSource(int width, int height, int count)
    {
        var start = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-v", "error", "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=30", "-frames:v", $"{count}", "-pix_fmt", "rgb24", "-f", "rawvideo", "-" })
        {
            start.ArgumentList.Add(argument);
        }

        using var ffmpeg = Process.Start(start) ?? throw new InvalidOperationException("could not start ffmpeg (apt-get install -y ffmpeg)");
        var error = ffmpeg.StandardError.ReadToEndAsync();
        var frames = new byte[count][];
        var output = ffmpeg.StandardOutput.BaseStream;
        for (int i = 0; i < count; i++)
        {
            frames[i] = new byte[width * height * 3];
            output.ReadExactly(frames[i]);
        }

        ffmpeg.WaitForExit();
        return ffmpeg.ExitCode == 0 ? frames : throw new InvalidOperationException("ffmpeg failed: " + error.Result);
    }

    /// <summary>The luma plane of an rgb24 frame (BT.709 limited), for the DCT benchmarks.</summary>
    public static Plane LumaPlane(byte[] rgb, int width, int height) =>
        ColourConverter.RgbToYuv(rgb, width, height, ColourMatrix.Bt709, ColourRange.Limited, ChromaFormat.Yuv420).Y;
}
