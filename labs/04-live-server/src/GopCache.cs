namespace Lab04.LiveServer;

/// <summary>
/// The GOP cache (关键帧缓存, what makes 首帧秒开 — first frame at once — possible): the tags from the
/// latest video keyframe on, so that a new subscriber can start decoding at once instead of waiting up
/// to a whole GOP for the next keyframe (README §GOP cache). Bounded in tags and in bytes: a GOP longer
/// than the bounds is not cached, and subscribers then wait for the next keyframe.
/// Not thread-safe: its <see cref="LiveChannel"/> calls it under its lock.
/// </summary>
public sealed class GopCache
{
    private readonly List<LiveTag> _tags = [];

    /// <summary>A cache that holds at most <paramref name="maxTags"/> tags and <paramref name="maxBytes"/> bytes of tag data.</summary>
    public GopCache(int maxTags, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTags);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        MaxTags = maxTags;
        MaxBytes = maxBytes;
    }

    /// <summary>The most tags held.</summary>
    public int MaxTags { get; }

    /// <summary>The most bytes of tag data held.</summary>
    public long MaxBytes { get; }

    /// <summary>The tags held, in order: a keyframe first, or none.</summary>
    public IReadOnlyList<LiveTag> Tags => _tags;

    /// <summary>The bytes of tag data held.</summary>
    public long Bytes { get; private set; }

    /// <summary>
    /// Takes the next audio or video tag of the stream: a keyframe starts a new GOP (the old one is
    /// forgotten); any other tag joins the current GOP, unless that would pass a bound: then the whole
    /// cache is cleared and stays empty until the next keyframe. Metadata and sequence headers are not
    /// cached here (the channel keeps the latest of each).
    /// </summary>
    public void Add(LiveTag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        throw new NotImplementedException("Lab 04 · M3: ignore headers; a keyframe clears and starts the cache; another tag is added only when the cache has a keyframe and stays within MaxTags and MaxBytes — else Clear() — README §GOP cache");
    }

    /// <summary>Forgets everything (a new publisher, changed sequence headers, a GOP past the bounds).</summary>
    public void Clear()
    {
        _tags.Clear();
        Bytes = 0;
    }
}
