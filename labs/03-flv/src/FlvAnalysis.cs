namespace Lab03.Flv;

/// <summary>The two media streams of an FLV.</summary>
public enum MediaStream
{
    /// <summary>The video tags.</summary>
    Video,

    /// <summary>The audio tags.</summary>
    Audio,
}

/// <summary>One row of the per-tag table.</summary>
/// <param name="Offset">Where the tag starts in the file.</param>
/// <param name="Type">Audio, video or script.</param>
/// <param name="DataSize">The tag's DataSize.</param>
/// <param name="Dts">The tag's timestamp (for video, the decode time), ms.</param>
/// <param name="Pts">DTS + CompositionTime, ms.</param>
/// <param name="CompositionTime">PTS − DTS (video; 0 for audio and script).</param>
/// <param name="IsKeyFrame">A video key frame carrying a picture.</param>
/// <param name="IsMedia">A frame, not a sequence header, end of sequence or script tag: what ffprobe lists as a packet.</param>
/// <param name="PayloadSize">The frame's bytes after its audio/video tag header (ffprobe's packet size); 0 when not media.</param>
public readonly record struct TagRow(long Offset, FlvTagType Type, int DataSize, long Dts, long Pts, int CompositionTime, bool IsKeyFrame, bool IsMedia, int PayloadSize);

/// <summary>A key frame: its index among the video frames, its DTS and its tag's offset (a seek point).</summary>
public readonly record struct KeyFrameAt(int FrameIndex, long Dts, long Offset);

/// <summary>A break in one stream's clock: two consecutive frames further apart than twice the usual interval, or going backwards.</summary>
/// <param name="Stream">Video or audio.</param>
/// <param name="FrameIndex">The index (among that stream's frames) of the frame after the break.</param>
/// <param name="FromDts">The DTS before the break.</param>
/// <param name="ToDts">The DTS after it.</param>
/// <param name="Interval">The stream's usual interval (the median of its DTS steps).</param>
public readonly record struct TimestampJump(MediaStream Stream, int FrameIndex, long FromDts, long ToDts, long Interval)
{
    /// <summary>ToDts − FromDts.</summary>
    public long Delta => ToDts - FromDts;

    /// <summary>True when time went backwards (a restarted encoder, a spliced file).</summary>
    public bool IsBackwards => Delta < 0;
}

/// <summary>
/// The stream analysis (roadmap week 3–4): a per-tag table, key frames and GOP lengths, bits per second
/// for video and audio, timestamp gaps and jumps, and PTS against DTS from the composition times.
/// Everything is counted over media frames — the tags ffprobe lists as packets.
/// </summary>
public sealed class FlvAnalysis
{
    private FlvAnalysis(IReadOnlyList<TagRow> tags, IReadOnlyList<KeyFrameAt> keyFrames, IReadOnlyList<int> gopLengths,
        IReadOnlyList<long> videoBitsPerSecond, IReadOnlyList<long> audioBitsPerSecond, long videoInterval, long audioInterval,
        IReadOnlyList<TimestampJump> jumps, int reorderedFrames)
    {
        Tags = tags;
        KeyFrames = keyFrames;
        GopLengths = gopLengths;
        VideoBitsPerSecond = videoBitsPerSecond;
        AudioBitsPerSecond = audioBitsPerSecond;
        VideoInterval = videoInterval;
        AudioInterval = audioInterval;
        Jumps = jumps;
        ReorderedFrames = reorderedFrames;
    }

    /// <summary>Every tag, in file order.</summary>
    public IReadOnlyList<TagRow> Tags { get; }

    /// <summary>The video frames (media rows), in decode order.</summary>
    public IEnumerable<TagRow> VideoFrames => Tags.Where(t => t.IsMedia && t.Type == FlvTagType.Video);

    /// <summary>The audio frames (media rows).</summary>
    public IEnumerable<TagRow> AudioFrames => Tags.Where(t => t.IsMedia && t.Type == FlvTagType.Audio);

    /// <summary>The key frames, in decode order.</summary>
    public IReadOnlyList<KeyFrameAt> KeyFrames { get; }

    /// <summary>Frames from each key frame to the next (the last: to the end); frames before the first key frame are in none.</summary>
    public IReadOnlyList<int> GopLengths { get; }

    /// <summary>Video bits per second: element s sums 8 × payload of the frames with s ≤ DTS/1000 &lt; s + 1 (DTS &lt; 0 counts in second 0).</summary>
    public IReadOnlyList<long> VideoBitsPerSecond { get; }

    /// <summary>Audio bits per second, the same way; both lists are as long as the last media DTS needs.</summary>
    public IReadOnlyList<long> AudioBitsPerSecond { get; }

    /// <summary>The usual video DTS step, ms: the median (lower middle) of the steps; 0 with fewer than 2 frames.</summary>
    public long VideoInterval { get; }

    /// <summary>The usual audio DTS step, ms.</summary>
    public long AudioInterval { get; }

    /// <summary>Every step of a stream's DTS that is negative or more than twice its usual interval, video first, then audio.</summary>
    public IReadOnlyList<TimestampJump> Jumps { get; }

    /// <summary>Video frames shown before a frame decoded earlier (PTS below the largest PTS so far): the B-frames' reordering.</summary>
    public int ReorderedFrames { get; }

    /// <summary>Analyses a file read with <see cref="FlvFile.Read"/>.</summary>
    public static FlvAnalysis Analyse(FlvFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        throw new NotImplementedException("Lab 03 · M6: build a TagRow per tag (media = video PacketType 1/3 or none, not a command frame; audio not an AAC sequence header; payload = DataSize − the audio/video header size); key frames and GOP lengths over video frames; bits per second per stream by DTS/1000; the median DTS step per stream and the steps below 0 or above twice it; frames whose PTS is below the largest PTS before them — README §Analysis");
    }
}
