using BenchmarkDotNet.Attributes;

namespace Lab06.YuvDct.Benchmarks;

/// <summary>RGB → I420, BT.709 limited range, one 1920×1080 frame (ffmpeg's testsrc2). ffmpeg's time for the same frames: `-- ffmpeg`.</summary>
[MemoryDiagnoser]
public class ColourBenchmarks
{
    private byte[] _rgb = null!;

    [GlobalSetup]
    public void Setup() => _rgb = Frames.TestSource(1920, 1080, 1)[0];

    [Benchmark(Description = "RGB→I420 BT.709 limited, 1080p frame")]
    public YuvFrame RgbToI420() => ColourConverter.RgbToYuv(_rgb, 1920, 1080, ColourMatrix.Bt709, ColourRange.Limited, ChromaFormat.Yuv420);
}
