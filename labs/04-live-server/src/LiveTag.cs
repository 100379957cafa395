using System.Buffers.Binary;
using Lab02.RtmpChunks;
using Lab03.Flv;
using RtmpFlvTag = Lab02.RtmpChunks.FlvTag;

namespace Lab04.LiveServer;

/// <summary>
/// One tag of a live stream, serialized once as FLV (Adobe FLV specification 10.1, §E.4.1 FLVTAG) when
/// the publisher sends it, and shared by every subscriber: the server never copies a tag's data per
/// subscriber. A subscriber writes its own 11-byte tag header (its rebased timestamp, README §Timestamps)
/// and then <see cref="Body"/>, which is the same array for everyone.
/// </summary>
public sealed class LiveTag
{
    private LiveTag(FlvTagType type, uint timestamp, byte[] bytes, bool isSequenceHeader, bool isKeyFrame)
    {
        Type = type;
        Timestamp = timestamp;
        Bytes = bytes;
        IsSequenceHeader = isSequenceHeader;
        IsKeyFrame = isKeyFrame;
    }

    /// <summary>Audio (8), video (9) or script data (18).</summary>
    public FlvTagType Type { get; }

    /// <summary>The timestamp the publisher gave it, in milliseconds.</summary>
    public uint Timestamp { get; }

    /// <summary>
    /// The whole FLV tag: the 11-byte tag header with the publisher's timestamp, the data (the RTMP
    /// message's payload), and the 4-byte PreviousTagSize (11 + DataSize).
    /// </summary>
    public byte[] Bytes { get; }

    /// <summary>The tag's data: the RTMP message's payload.</summary>
    public ReadOnlyMemory<byte> Data => Bytes.AsMemory(FlvTagHeader.Size, Bytes.Length - FlvTagHeader.Size - FlvTagHeader.PreviousTagSizeLength);

    /// <summary>What every subscriber sends after its own tag header: the data and PreviousTagSize.</summary>
    public ReadOnlyMemory<byte> Body => Bytes.AsMemory(FlvTagHeader.Size);

    /// <summary>An AVC or AAC sequence header (what a decoder needs before any frame).</summary>
    public bool IsSequenceHeader { get; }

    /// <summary>A video keyframe that is not a sequence header: where a decoder can start.</summary>
    public bool IsKeyFrame { get; }

    /// <summary>onMetaData (script data).</summary>
    public bool IsMetadata => Type == FlvTagType.Script;

    /// <summary>A video tag (sequence header or frame).</summary>
    public bool IsVideo => Type == FlvTagType.Video;

    /// <summary>Metadata or a sequence header: sent to every subscriber, never dropped, never in the GOP.</summary>
    public bool IsHeader => IsMetadata || IsSequenceHeader;

    /// <summary>The bytes of the tag's data (what the GOP cache and the queues count).</summary>
    public int DataSize => Bytes.Length - FlvTagHeader.Size - FlvTagHeader.PreviousTagSizeLength;

    /// <summary>
    /// The FLV tag of an RTMP audio (8), video (9) or data (18) message: an RTMP media message's payload
    /// is an FLV tag's data, and the RTMP type id is the FLV TagType (README §HTTP-FLV).
    /// </summary>
    /// <exception cref="ArgumentException">Another message type, or data longer than a UI24 can say.</exception>
    public static LiveTag FromMessage(RtmpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        throw new NotImplementedException("Lab 04 · M2: TagType = the message's type id (8, 9, 18 only); bytes = FlvTagHeader (Lab 03) with the payload's length and the message's timestamp, the payload, then PreviousTagSize = 11 + DataSize as a big-endian UI32; flags from Lab 02's FlvTag.IsSequenceHeader / IsKeyFrame — README §HTTP-FLV");
    }

    /// <summary>Writes this tag's 11-byte header with another timestamp (a subscriber's rebased one).</summary>
    public void WriteHeader(Span<byte> destination, uint timestamp) =>
        new FlvTagHeader(Type, DataSize, unchecked((int)timestamp)).Write(destination);

    /// <summary>The tag as an RTMP message on <paramref name="messageStreamId"/> with <paramref name="timestamp"/> (for RTMP players).</summary>
    public RtmpMessage ToMessage(uint messageStreamId, uint timestamp) => new((byte)Type, timestamp, messageStreamId, Data);

    /// <summary>
    /// The same message as <see cref="ToMessage"/>, made once for every RTMP player that plays it on the same
    /// message stream at the same (rebased) timestamp — players that joined from the same cached GOP share
    /// their base — so that <see cref="SharedChunks.For"/>, which keeps its chunks on the message, cuts it
    /// once for all of them (README §Performance).
    /// </summary>
    public RtmpMessage SharedMessage(uint messageStreamId, uint timestamp)
    {
        var last = Volatile.Read(ref _lastMessage);
        if (last is not null && last.MessageStreamId == messageStreamId && last.Timestamp == timestamp)
        {
            return last;
        }

        var message = ToMessage(messageStreamId, timestamp);
        Volatile.Write(ref _lastMessage, message); // players with another timestamp replace it: each still gets a right message
        return message;
    }

    private RtmpMessage? _lastMessage;
}
