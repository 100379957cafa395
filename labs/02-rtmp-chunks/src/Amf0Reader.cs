using System.Buffers.Binary;

namespace Lab02.RtmpChunks;

/// <summary>
/// Reads AMF0 values one at a time, keeping the table of complex values (objects, ECMA arrays, strict
/// arrays) that references point into (AMF0 §2.9) and a depth limit against nesting bombs.
/// </summary>
public sealed class Amf0Reader
{
    private readonly List<object> _references = [];
    private readonly int _maxDepth;
    private int _depth;

    /// <summary>A reader that refuses values nested deeper than <paramref name="maxDepth"/>.</summary>
    public Amf0Reader(int maxDepth = Amf0.DefaultMaxDepth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDepth);
        _maxDepth = maxDepth;
    }

    /// <summary>Reads the value at <paramref name="offset"/> in <paramref name="data"/> and moves <paramref name="offset"/> past it.</summary>
    /// <exception cref="RtmpException">Part "AMF0" and the offset of the problem: truncated data, an unknown or unsupported marker
    /// (AMF3's 0x11 says so), nesting deeper than the limit, a reference to a value not read yet, invalid UTF-8.</exception>
    public object? ReadValue(ReadOnlySpan<byte> data, ref int offset)
    {
        throw new NotImplementedException("Lab 02 · M3: read the marker, then the value's layout (README §AMF0); count depth for objects and arrays; RtmpException(\"AMF0\", offset, ...) for every problem");
    }
}
