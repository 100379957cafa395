using BenchmarkDotNet.Attributes;

namespace Lab06.YuvDct.Benchmarks;

/// <summary>One 8×8 block, forward DCT then inverse, by each of the four versions. The baseline is the formula.</summary>
[MemoryDiagnoser]
public class DctBlockBenchmarks
{
    private readonly double[] _samples = new double[Dct8x8.BlockSize];
    private readonly double[] _coefficients = new double[Dct8x8.BlockSize];
    private readonly double[] _back = new double[Dct8x8.BlockSize];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(6);
        for (int i = 0; i < _samples.Length; i++)
        {
            _samples[i] = random.Next(-128, 128);
        }
    }

    [Benchmark(Baseline = true, Description = "formula")]
    public double Formula()
    {
        Dct8x8.ForwardFormula(_samples, _coefficients);
        Dct8x8.InverseFormula(_coefficients, _back);
        return _back[0];
    }

    [Benchmark(Description = "separable")]
    public double Separable()
    {
        Dct8x8.ForwardSeparable(_samples, _coefficients);
        Dct8x8.InverseSeparable(_coefficients, _back);
        return _back[0];
    }

    [Benchmark(Description = "SIMD matrix (Fast)")]
    public double Fast()
    {
        Dct8x8.ForwardFast(_samples, _coefficients);
        Dct8x8.InverseFast(_coefficients, _back);
        return _back[0];
    }

    [Benchmark(Description = "AAN + Vector256")]
    public double Aan()
    {
        Dct8x8.ForwardAan(_samples, _coefficients);
        Dct8x8.InverseAan(_coefficients, _back);
        return _back[0];
    }
}
