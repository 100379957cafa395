using System.Buffers.Binary;

namespace Lab03.Flv;

/// <summary>
/// Walks the tags of a whole FLV file held in memory (FLV spec E.3: header, PreviousTagSize0 = 0, then
/// tag, PreviousTagSize, tag, PreviousTagSize ...), checking every PreviousTagSize. A ref struct over the
/// caller's bytes, like <c>Utf8JsonReader</c>: reading a tag allocates nothing.
/// </summary>
/// <example><code>
/// var reader = new FlvReader(bytes);
/// while (reader.Read(out var tag)) { Console.WriteLine($"{tag.Header.TagType} {tag.Header.Timestamp}"); }
/// </code></example>
public ref struct FlvReader
{
    private readonly ReadOnlySpan<byte> _file;
    private readonly FlvReadOptions _options;
    private int _position;

    /// <summary>Reads the header and PreviousTagSize0; the first <see cref="Read"/> returns the first tag.</summary>
    /// <exception cref="FlvFormatException">A bad header, or a PreviousTagSize0 that is missing or not 0 (strict mode).</exception>
    public FlvReader(ReadOnlySpan<byte> file, FlvReadOptions? options = null)
    {
        _file = file;
        _options = options ?? FlvReadOptions.Strict;
        Header = FlvHeader.Parse(file);
        _position = checked((int)Math.Min(Header.DataOffset, (uint)file.Length));
        _position = ReadPreviousTagSize0(file, _position, _options);
    }

    /// <summary>The file header.</summary>
    public FlvHeader Header { get; }

    /// <summary>The offset of the next tag.</summary>
    public readonly long Position => _position;

    /// <summary>How many damaged stretches lenient mode skipped.</summary>
    public int Skipped { get; private set; }

    /// <summary>Reads the next tag; false at the end of the file.</summary>
    /// <exception cref="FlvFormatException">Strict mode: a truncated or damaged tag, a PreviousTagSize mismatch, an unknown codec, broken AMF0.</exception>
    public bool Read(out FlvTagView tag)
    {
        while (_position < _file.Length)
        {
            try
            {
                var header = FlvTagParser.ReadTag(_file[_position..], _position, _options.CheckTagHeaders);
                tag = new FlvTagView(_position, header, _file.Slice(_position + FlvTagHeader.Size, header.DataSize));
                _position += header.TagSize + FlvTagHeader.PreviousTagSizeLength;
                return true;
            }
            catch (FlvFormatException e) when (_options.Lenient)
            {
                Skipped++;
                _options.OnSkipped?.Invoke(e);
                _position = FlvTagParser.Resynchronise(_file, _position + 1);
            }
        }

        tag = default;
        return false;
    }

    private static int ReadPreviousTagSize0(ReadOnlySpan<byte> file, int at, FlvReadOptions options)
    {
        if (file.Length - at < 4)
        {
            if (options.Lenient)
            {
                return file.Length;
            }

            throw new FlvFormatException(file.Length, "PreviousTagSize0 (4 bytes of 0) after the header", "The file ends right after its header.");
        }

        uint size0 = BinaryPrimitives.ReadUInt32BigEndian(file[at..]);
        if (size0 != 0 && !options.Lenient)
        {
            throw new FlvFormatException(at, "PreviousTagSize0 = 0", $"PreviousTagSize0 is {size0}.");
        }

        return at + 4;
    }
}

/// <summary>The checks one tag must pass, shared by <see cref="FlvReader"/> and <see cref="FlvIncrementalReader"/>.</summary>
public static class FlvTagParser
{
    /// <summary>
    /// Reads and checks the tag that starts at <paramref name="bytes"/>[0] (at <paramref name="offset"/> in the file):
    /// its header, that its data and PreviousTagSize are all there, that PreviousTagSize = 11 + DataSize, and
    /// (when <paramref name="checkTagHeaders"/>) its audio/video header or script AMF0.
    /// </summary>
    /// <exception cref="FlvFormatException">Any of those checks fails; the offset says where.</exception>
    public static FlvTagHeader ReadTag(ReadOnlySpan<byte> bytes, long offset, bool checkTagHeaders = true)
    {
        throw new NotImplementedException("Lab 03 · M2: parse the 11-byte header; the data (DataSize bytes) and the 4-byte PreviousTagSize must fit in the bytes; PreviousTagSize must equal 11 + DataSize; then check the audio/video/script header — README §Tags");
    }

    /// <summary>
    /// The first offset at or after <paramref name="from"/> where a plausible tag starts — a known TagType
    /// with reserved bits 0, StreamID 0, and a PreviousTagSize after its data equal to 11 + DataSize — or
    /// the end of the file when there is none. This is how players find their feet after damage.
    /// </summary>
    public static int Resynchronise(ReadOnlySpan<byte> file, int from)
    {
        throw new NotImplementedException("Lab 03 · M2: scan forward byte by byte for a tag header whose type, stream id and PreviousTagSize all agree — README §Lenient reading");
    }
}
