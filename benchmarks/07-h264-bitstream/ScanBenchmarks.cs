using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Lab07.H264Bitstream;

namespace Lab07.Benchmarks;

/// <summary>
/// Start-code scanning over a 256 MB buffer of real streams (larger than any cache, so memory feeds it):
/// the lab's vectorised <see cref="AnnexB.FindStartCode"/> and plain <see cref="AnnexB.FindStartCodeSimple"/>,
/// against two measures of memory bandwidth on the same buffer in the same run.
/// </summary>
[MemoryDiagnoser(false)]
public class ScanBenchmarks
{
    public const int Size = 256 << 20; // far larger than the last-level cache

    private byte[] _buffer = [];
    private byte[] _copy = [];

    [GlobalSetup]
    public void Setup()
    {
        _buffer = Corpus.ScanBuffer(Size);
        _copy = new byte[Size];
    }

    /// <summary>
    /// Memory read bandwidth: OR every byte into four accumulators of the widest vector the CPU has
    /// (Vector512 with AVX-512), no bounds checks — the least work a pass over the buffer can do.
    /// </summary>
    [Benchmark(Baseline = true)]
    public int ReadBandwidth()
    {
        ref byte start = ref MemoryMarshal.GetArrayDataReference(_buffer);
        nuint length = (nuint)_buffer.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<byte> a = default, b = default, c = default, d = default;
            for (; i + 256 <= length; i += 256)
            {
                a |= Vector512.LoadUnsafe(ref start, i);
                b |= Vector512.LoadUnsafe(ref start, i + 64);
                c |= Vector512.LoadUnsafe(ref start, i + 128);
                d |= Vector512.LoadUnsafe(ref start, i + 192);
            }

            return Vector512.Sum(Vector512.AsUInt32(a | b | c | d)) == 0 ? 0 : 1;
        }

        Vector256<byte> e = default, f = default, g = default, h = default;
        for (; i + 128 <= length; i += 128)
        {
            e |= Vector256.LoadUnsafe(ref start, i);
            f |= Vector256.LoadUnsafe(ref start, i + 32);
            g |= Vector256.LoadUnsafe(ref start, i + 64);
            h |= Vector256.LoadUnsafe(ref start, i + 96);
        }

        return Vector256.Sum(Vector256.AsUInt32(e | f | g | h)) == 0 ? 0 : 1;
    }

    /// <summary>Memory read bandwidth the library's way: MemoryExtensions.Count of one byte value (vectorised compare and count).</summary>
    [Benchmark]
    public int CountBytes() => _buffer.AsSpan().Count((byte)0x01);

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
