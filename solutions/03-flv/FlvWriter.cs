using System.Buffers;
using System.Buffers.Binary;

namespace Lab03.Flv;

/// <summary>
/// Writes an FLV file: the header, PreviousTagSize0 = 0, then each tag followed by its PreviousTagSize
/// (11 + DataSize). Reading a file and writing its header and tags back gives the same bytes.
/// </summary>
public sealed class FlvWriter
{
    private readonly IBufferWriter<byte> _output;

    /// <summary>Starts a file: writes the header and PreviousTagSize0.</summary>
    public FlvWriter(IBufferWriter<byte> output, FlvHeader header)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        #region lab M5: the 9 header bytes (FlvHeader.Write), any bytes up to DataOffset as zeros, then PreviousTagSize0 = 0 — README §Muxing
        int size = (int)header.DataOffset + FlvTagHeader.PreviousTagSizeLength;
        var span = output.GetSpan(size)[..size];
        span.Clear();
        header.Write(span);
        output.Advance(size);
        #endregion
    }

    /// <summary>Appends one tag and its PreviousTagSize.</summary>
    /// <exception cref="ArgumentException">Data longer than a UI24 can say (16 777 215 bytes).</exception>
    public void WriteTag(FlvTagType type, int timestamp, ReadOnlySpan<byte> data)
    {
        #region lab M5: an FlvTagHeader with DataSize = data.Length, the data, then PreviousTagSize = 11 + DataSize as a UI32 — README §Muxing
        if (data.Length > 0xFFFFFF)
        {
            throw new ArgumentException($"A tag's data is at most 16 777 215 bytes (DataSize is a UI24); this one is {data.Length}.", nameof(data));
        }

        int total = FlvTagHeader.Size + data.Length + FlvTagHeader.PreviousTagSizeLength;
        var span = _output.GetSpan(total);
        new FlvTagHeader(type, data.Length, timestamp).Write(span);
        data.CopyTo(span[FlvTagHeader.Size..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[(FlvTagHeader.Size + data.Length)..], (uint)(FlvTagHeader.Size + data.Length));
        _output.Advance(total);
        #endregion
    }

    /// <summary>Writes a whole file from a header and tags.</summary>
    public static byte[] Write(FlvHeader header, IEnumerable<FlvTag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var output = new ArrayBufferWriter<byte>();
        var writer = new FlvWriter(output, header);
        foreach (var tag in tags)
        {
            writer.WriteTag(tag.TagType, tag.Timestamp, tag.Data.Span);
        }

        return output.WrittenSpan.ToArray();
    }
}
