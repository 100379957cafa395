namespace Lab03.Flv;

/// <summary>A whole FLV file read into tags: the convenient form for tools, tests and notebooks.</summary>
/// <param name="Header">The file header.</param>
/// <param name="Tags">Every tag in file order; their data are slices of the file's bytes.</param>
/// <param name="Skipped">How many damaged stretches lenient reading skipped (0 in strict mode).</param>
public sealed record FlvFile(FlvHeader Header, IReadOnlyList<FlvTag> Tags, int Skipped = 0)
{
    /// <summary>Reads every tag of <paramref name="file"/>.</summary>
    /// <exception cref="FlvFormatException">Strict mode: the first problem.</exception>
    public static FlvFile Read(ReadOnlyMemory<byte> file, FlvReadOptions? options = null)
    {
        var reader = new FlvReader(file.Span, options);
        var tags = new List<FlvTag>();
        while (reader.Read(out var tag))
        {
            tags.Add(new FlvTag(tag.Offset, tag.Header, file.Slice((int)tag.Offset + FlvTagHeader.Size, tag.Header.DataSize)));
        }

        return new FlvFile(reader.Header, tags, reader.Skipped);
    }

    /// <summary>Reads a file from disk.</summary>
    public static FlvFile Load(string path, FlvReadOptions? options = null) => Read(File.ReadAllBytes(path), options);

    /// <summary>The first onMetaData script tag, or null.</summary>
    public FlvMetadata? Metadata => Tags.Where(t => t.TagType == FlvTagType.Script).Select(t => t.Script).FirstOrDefault(m => m.Name == "onMetaData");
}
