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
        throw new NotImplementedException("Lab 03 · M5: the 9 header bytes (FlvHeader.Write), any bytes up to DataOffset as zeros, then PreviousTagSize0 = 0 — README §Muxing");
    }

    /// <summary>Appends one tag and its PreviousTagSize.</summary>
    /// <exception cref="ArgumentException">Data longer than a UI24 can say (16 777 215 bytes).</exception>
    public void WriteTag(FlvTagType type, int timestamp, ReadOnlySpan<byte> data)
    {
        throw new NotImplementedException("Lab 03 · M5: an FlvTagHeader with DataSize = data.Length, the data, then PreviousTagSize = 11 + DataSize as a UI32 — README §Muxing");
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
