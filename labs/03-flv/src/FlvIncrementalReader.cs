namespace Lab03.Flv;

/// <summary>
/// An FLV reader fed in pieces, as bytes arrive from a socket (HTTP-FLV, a recording being written):
/// <see cref="Push"/> any number of bytes, get back the tags they completed. Whatever the split, the
/// tags are exactly those <see cref="FlvReader"/> finds in the whole file. Lab 04's live server reads
/// publishers this way.
/// </summary>
/// <remarks>
/// Memory is bounded by one tag: DataSize is a UI24, so at most 11 + 16 777 215 + 4 bytes wait in the buffer.
/// </remarks>
public sealed class FlvIncrementalReader
{
    private readonly bool _checkTagHeaders;
    private byte[] _buffer = new byte[4096];
    private int _count;       // bytes waiting in _buffer
    private long _bufferStart; // the file offset of _buffer[0]
    private bool _headerDone;

    /// <summary>Creates a reader; <paramref name="checkTagHeaders"/> as in <see cref="FlvReadOptions.CheckTagHeaders"/>.</summary>
    public FlvIncrementalReader(bool checkTagHeaders = true)
    {
        _checkTagHeaders = checkTagHeaders;
    }

    /// <summary>The file header, once its 9 bytes (and PreviousTagSize0) have arrived.</summary>
    public FlvHeader? Header { get; private set; }

    /// <summary>How many bytes have been pushed in total.</summary>
    public long BytesPushed => _bufferStart + _count;

    /// <summary>Adds <paramref name="bytes"/> and returns the tags they completed (possibly none), in order.</summary>
    /// <exception cref="FlvFormatException">The bytes so far cannot be an FLV file; the offset counts from the first byte ever pushed.</exception>
    public IReadOnlyList<FlvTag> Push(ReadOnlySpan<byte> bytes)
    {
        var tags = new List<FlvTag>();
        throw new NotImplementedException("Lab 03 · M3: append the bytes to a buffer; then, while the buffer holds a whole header or a whole tag (11 + DataSize + 4 bytes), check it with FlvTagParser.ReadTag, hand it out and drop it from the buffer — README §Incremental reading");
        return tags;
    }

    /// <summary>Says the input has ended: fails when a header or tag was left half-pushed.</summary>
    /// <exception cref="FlvFormatException">Bytes are left over that do not make a whole tag.</exception>
    public void Complete()
    {
        throw new NotImplementedException("Lab 03 · M3: nothing may be left over: not a partial header, not a partial tag — README §Incremental reading");
    }

    private static void CheckSignature(ReadOnlySpan<byte> first)
    {
        if (first[0] != 'F' || first[1] != 'L' || first[2] != 'V')
        {
            FlvHeader.Parse(first); // throws the signature error with its offset
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_count + bytes.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + bytes.Length));
        }

        bytes.CopyTo(_buffer.AsSpan(_count));
        _count += bytes.Length;
    }

    private void Discard(int used)
    {
        if (used == 0)
        {
            return;
        }

        _buffer.AsSpan(used, _count - used).CopyTo(_buffer);
        _count -= used;
        _bufferStart += used;
    }
}
