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
        #region lab M3: read the marker, then the value's layout (README §AMF0); count depth for objects and arrays; RtmpException("AMF0", offset, ...) for every problem
        int start = offset;
        byte marker = Take(data, ref offset, 1, "a type marker")[0];
        switch (marker)
        {
            case Amf0Marker.Number:
                return BinaryPrimitives.ReadDoubleBigEndian(Take(data, ref offset, 8, "a number"));
            case Amf0Marker.Boolean:
                return Take(data, ref offset, 1, "a boolean")[0] != 0;
            case Amf0Marker.String:
                return ReadUtf8(data, ref offset, 2);
            case Amf0Marker.LongString:
                return ReadUtf8(data, ref offset, 4);
            case Amf0Marker.Null:
                return null;
            case Amf0Marker.Undefined:
                return Amf0Undefined.Value;
            case Amf0Marker.Date:
                var date = Take(data, ref offset, 10, "a date");
                return new Amf0Date(BinaryPrimitives.ReadDoubleBigEndian(date), BinaryPrimitives.ReadInt16BigEndian(date[8..]));
            case Amf0Marker.Reference:
                int index = BinaryPrimitives.ReadUInt16BigEndian(Take(data, ref offset, 2, "a reference"));
                if (index >= _references.Count)
                {
                    throw new RtmpException("AMF0", start, $"The AMF0 reference at offset {start} points to complex value {index}, but only {_references.Count} were read (README §AMF0).");
                }

                return _references[index];
            case Amf0Marker.Object:
                return ReadProperties(data, ref offset, new Amf0Object(), start);
            case Amf0Marker.EcmaArray:
                Take(data, ref offset, 4, "an ECMA array count"); // a hint only: the properties end with object-end
                return ReadProperties(data, ref offset, new Amf0EcmaArray(), start);
            case Amf0Marker.StrictArray:
                uint count = BinaryPrimitives.ReadUInt32BigEndian(Take(data, ref offset, 4, "a strict array count"));
                if (count > (uint)(data.Length - offset))
                {
                    throw new RtmpException("AMF0", start, $"The AMF0 strict array at offset {start} announces {count} values but only {data.Length - offset} bytes follow (README §AMF0).");
                }

                var array = new object?[count];
                _references.Add(array);
                Enter(start);
                for (int i = 0; i < count; i++)
                {
                    array[i] = ReadValue(data, ref offset);
                }

                _depth--;
                return array;
            case Amf0Marker.AvmPlusObject:
                throw new RtmpException("AMF0", start, $"Marker 0x11 at offset {start} switches to AMF3, which this lab does not support (README §AMF0).");
            default:
                throw new RtmpException("AMF0", start, $"Unsupported AMF0 type marker 0x{marker:x2} at offset {start} (README §AMF0).");
        }
        #endregion
    }

    #region lab-remove
    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int offset, int count, string what)
    {
        if (data.Length - offset < count)
        {
            throw new RtmpException("AMF0", offset, $"The AMF0 data ends at offset {data.Length} inside {what} (it needs {count} bytes at offset {offset}) (README §AMF0).");
        }

        var span = data.Slice(offset, count);
        offset += count;
        return span;
    }

    private static string ReadUtf8(ReadOnlySpan<byte> data, ref int offset, int lengthSize)
    {
        int at = offset;
        var lengthBytes = Take(data, ref offset, lengthSize, "a string length");
        long length = lengthSize == 2 ? BinaryPrimitives.ReadUInt16BigEndian(lengthBytes) : BinaryPrimitives.ReadUInt32BigEndian(lengthBytes);
        if (length > data.Length - offset)
        {
            throw new RtmpException("AMF0", at, $"The AMF0 string at offset {at} is {length} bytes long but only {data.Length - offset} bytes follow (README §AMF0).");
        }

        return Amf0.DecodeUtf8(Take(data, ref offset, (int)length, "a string"), at);
    }

    private Amf0Object ReadProperties(ReadOnlySpan<byte> data, ref int offset, Amf0Object target, int start)
    {
        _references.Add(target);
        Enter(start);
        while (true)
        {
            string key = ReadUtf8(data, ref offset, 2);
            if (key.Length == 0 && offset < data.Length && data[offset] == Amf0Marker.ObjectEnd)
            {
                offset++;
                _depth--;
                return target;
            }

            target.Add(key, ReadValue(data, ref offset));
        }
    }

    private void Enter(int start)
    {
        if (++_depth > _maxDepth)
        {
            throw new RtmpException("AMF0", start, $"AMF0 objects and arrays nest deeper than {_maxDepth} levels at offset {start}: refused (README §AMF0).");
        }
    }
    #endregion
}
