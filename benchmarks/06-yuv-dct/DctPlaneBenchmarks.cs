using BenchmarkDotNet.Attributes;

namespace Lab06.YuvDct.Benchmarks;

/// <summary>
/// A 1920×1080 luma plane (a real frame, ffmpeg's testsrc2) forward and inverse: −128, DCT of every block,
/// inverse, +128, round, clamp. The baseline goes block by block through ForwardFast/InverseFast the way
/// FrameEncoder does; the other is Dct8x8.ForwardPlane/InversePlane (AAN).
/// </summary>
[MemoryDiagnoser]
public class DctPlaneBenchmarks
{
    private Plane _plane = null!;
    private Plane _back = null!;
    private double[] _coefficients = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plane = Frames.LumaPlane(Frames.TestSource(1920, 1080, 1)[0], 1920, 1080);
        _back = new Plane(_plane.Width, _plane.Height);
        _coefficients = new double[Dct8x8.PlaneCoefficientCount(_plane.Width, _plane.Height)];
    }

    [Benchmark(Baseline = true, Description = "1080p, blocks through ForwardFast/InverseFast")]
    public byte BlockBySimdMatrix()
    {
        Span<double> samples = stackalloc double[64];
        Span<double> coefficients = stackalloc double[64];
        for (int top = 0; top < _plane.Height; top += 8)
        {
            for (int left = 0; left < _plane.Width; left += 8)
            {
                for (int i = 0; i < 64; i++)
                {
                    samples[i] = _plane[left + i % 8, top + i / 8] - 128;
                }

                Dct8x8.ForwardFast(samples, coefficients);
                Dct8x8.InverseFast(coefficients, samples);
                for (int i = 0; i < 64; i++)
                {
                    _back[left + i % 8, top + i / 8] = ColourConverter.RoundAndClamp(samples[i] + 128);
                }
            }
        }

        return _back.Samples[^1];
    }

    [Benchmark(Description = "1080p, ForwardPlane + InversePlane (AAN)")]
    public byte WholePlaneAan()
    {
        Dct8x8.ForwardPlane(_plane, _coefficients);
        Dct8x8.InversePlane(_coefficients, _back);
        return _back.Samples[^1];
    }
}
