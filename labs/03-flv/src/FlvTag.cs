namespace Lab03.Flv;

/// <summary>
/// One tag of a file, with its data copied out: what <see cref="FlvFile"/> and <see cref="FlvIncrementalReader"/>
/// hand out. (The allocation-free <see cref="FlvReader"/> hands out <see cref="FlvTagView"/> instead.)
/// </summary>
/// <param name="Offset">Where the tag's 11-byte header starts in the file.</param>
/// <param name="Header">The tag header.</param>
/// <param name="Data">The tag's data (DataSize bytes).</param>
public sealed record FlvTag(long Offset, FlvTagHeader Header, ReadOnlyMemory<byte> Data)
{
    /// <summary>The tag type.</summary>
    public FlvTagType TagType => Header.TagType;

    /// <summary>The timestamp in ms (for video: the DTS).</summary>
    public int Timestamp => Header.Timestamp;

    /// <summary>The offset of the data in the file (11 bytes after <see cref="Offset"/>).</summary>
    public long DataOffset => Offset + FlvTagHeader.Size;

    /// <summary>The audio tag header; only for audio tags.</summary>
    public AudioTagHeader Audio => TagType == FlvTagType.Audio ? AudioTagHeader.Parse(Data.Span, DataOffset) : throw new InvalidOperationException($"The tag at {Offset} is {TagType}, not audio.");

    /// <summary>The video tag header; only for video tags.</summary>
    public VideoTagHeader Video => TagType == FlvTagType.Video ? VideoTagHeader.Parse(Data.Span, DataOffset) : throw new InvalidOperationException($"The tag at {Offset} is {TagType}, not video.");

    /// <summary>The script data; only for script tags.</summary>
    public FlvMetadata Script => TagType == FlvTagType.Script ? FlvMetadata.Parse(Data.Span, DataOffset) : throw new InvalidOperationException($"The tag at {Offset} is {TagType}, not script data.");

    /// <summary>The composition time (PTS − DTS) for AVC/HEVC video, 0 for everything else.</summary>
    public int CompositionTime => TagType == FlvTagType.Video ? Video.CompositionTime : 0;

    /// <summary>The presentation time in ms: the timestamp plus the composition time.</summary>
    public long PresentationTime => (long)Timestamp + CompositionTime;
}

/// <summary>One tag as <see cref="FlvReader"/> sees it: a view into the caller's bytes, nothing copied.</summary>
/// <param name="offset">Where the tag header starts.</param>
/// <param name="header">The tag header.</param>
/// <param name="data">The tag's data, a slice of the file.</param>
public readonly ref struct FlvTagView(long offset, FlvTagHeader header, ReadOnlySpan<byte> data)
{
    /// <summary>Where the tag header starts.</summary>
    public long Offset { get; } = offset;

    /// <summary>The tag header.</summary>
    public FlvTagHeader Header { get; } = header;

    /// <summary>The tag's data.</summary>
    public ReadOnlySpan<byte> Data { get; } = data;

    /// <summary>A copy that outlives the span.</summary>
    public FlvTag ToTag() => new(Offset, Header, Data.ToArray());
}
