using BenchmarkDotNet.Attributes;

namespace Lab06.YuvDct.Benchmarks;

/// <summary>RGB → I420, BT.709 limited range, one 1920×1080 frame (ffmpeg's testsrc2). ffmpeg's time for the same frames: `-- ffmpeg`.</summary>
[MemoryDiagnoser]
public class ColourBenchmarks
{
    private byte[] _rgb = null!;

    [GlobalSetup]
    public void Setup() => _rgb = Frames.TestSource(1920, 1080, 1)[0];

    [Benchmark(Baseline = true, Description = "RGB→I420 BT.709 limited, 1080p frame (double, 4:4:4 then 2×2 average)")]
    public YuvFrame RgbToI420() => ColourConverter.RgbToYuv(_rgb, 1920, 1080, ColourMatrix.Bt709, ColourRange.Limited, ChromaFormat.Yuv420);

    [Benchmark(Description = "RGB→I420 BT.709 limited, 1080p frame (fixed point, chroma from 2×2 RGB)")]
    public YuvFrame RgbToI420Fast() => ColourConverter.RgbToI420Fast(_rgb, 1920, 1080, ColourMatrix.Bt709, ColourRange.Limited);
}
