using System.Numerics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Lab07.H264Bitstream;

namespace Lab07.Benchmarks;

/// <summary>
/// Start-code scanning over a 64 MB buffer of real streams (larger than any cache, so memory feeds it):
/// the lab's vectorised <see cref="AnnexB.FindStartCode"/> and plain <see cref="AnnexB.FindStartCodeSimple"/>,
/// against two measures of memory bandwidth on the same buffer in the same run.
/// </summary>
[MemoryDiagnoser(false)]
public class ScanBenchmarks
{
    public const int Size = 64 << 20;

    private byte[] _buffer = [];
    private byte[] _copy = [];

    [GlobalSetup]
    public void Setup()
    {
        _buffer = Corpus.ScanBuffer(Size);
        _copy = new byte[Size];
    }

    /// <summary>Memory read bandwidth: OR every byte into four vector accumulators (the least work a pass can do).</summary>
    [Benchmark(Baseline = true)]
    public int ReadBandwidth()
    {
        var vectors = MemoryMarshal.Cast<byte, Vector<byte>>(_buffer);
        Vector<byte> a = default, b = default, c = default, d = default;
        int i = 0;
        for (; i + 4 <= vectors.Length; i += 4)
        {
            a |= vectors[i];
            b |= vectors[i + 1];
            c |= vectors[i + 2];
            d |= vectors[i + 3];
        }

        for (; i < vectors.Length; i++)
        {
            a |= vectors[i];
        }

        return Vector.Sum(Vector.AsVectorUInt32(a | b | c | d)) == 0 ? 0 : 1;
    }

    /// <summary>Span.CopyTo: reads the buffer and writes as much (twice the traffic of a scan).</summary>
    [Benchmark]
    public int CopyTo()
    {
        _buffer.AsSpan().CopyTo(_copy);
        return _copy[Size - 1];
    }

    /// <summary>Every start code with the vectorised search (MemoryExtensions.IndexOf of 00 00 01).</summary>
    [Benchmark]
    public int Vectorised()
    {
        int count = 0;
        for (int at = AnnexB.FindStartCode(_buffer, 0); at >= 0; at = AnnexB.FindStartCode(_buffer, at + 3))
        {
            count++;
        }

        return count;
    }

    /// <summary>Every start code with the plain loop, one byte at a time.</summary>
    [Benchmark]
    public int PlainLoop()
    {
        int count = 0;
        for (int at = AnnexB.FindStartCodeSimple(_buffer, 0); at >= 0; at = AnnexB.FindStartCodeSimple(_buffer, at + 3))
        {
            count++;
        }

        return count;
    }
}
