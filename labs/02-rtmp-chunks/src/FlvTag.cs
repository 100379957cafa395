namespace Lab02.RtmpChunks;

/// <summary>
/// The first bytes of an RTMP audio or video message, which are an FLV tag's body (Adobe FLV
/// specification 10.1, §E.4.2.1 AUDIODATA and §E.4.3.1 VIDEODATA). Given code: the server only needs
/// to tell sequence headers and keyframes from the rest (Lab 03 reads FLV in full).
/// </summary>
public static class FlvTag
{
    /// <summary>SoundFormat 10 (the high 4 bits of an audio body's first byte): AAC (§E.4.2.1).</summary>
    public const int SoundFormatAac = 10;

    /// <summary>CodecID 7 (the low 4 bits of a video body's first byte): AVC, i.e. H.264 (§E.4.3.1).</summary>
    public const int CodecIdAvc = 7;

    /// <summary>FrameType 1 (the high 4 bits of a video body's first byte): a keyframe (§E.4.3.1).</summary>
    public const int FrameTypeKey = 1;

    /// <summary>
    /// True for an AVC sequence header (video: codec 7, AVCPacketType 0, carrying the
    /// AVCDecoderConfigurationRecord) or an AAC sequence header (audio: format 10, AACPacketType 0,
    /// carrying the AudioSpecificConfig). A decoder needs them before the first frame.
    /// </summary>
    public static bool IsSequenceHeader(RtmpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = message.Payload.Span;
        return body.Length >= 2 && message.TypeId switch
        {
            MessageType.Video => (body[0] & 0x0F) == CodecIdAvc && body[1] == 0,
            MessageType.Audio => body[0] >> 4 == SoundFormatAac && body[1] == 0,
            _ => false,
        };
    }

    /// <summary>True for a video message whose FrameType is 1 (a keyframe) and that is not a sequence header.</summary>
    public static bool IsKeyFrame(RtmpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = message.Payload.Span;
        return message.TypeId == MessageType.Video && body.Length >= 1 && body[0] >> 4 == FrameTypeKey && !IsSequenceHeader(message);
    }
}
