using System.Buffers.Binary;

namespace Lab03.Flv;

/// <summary>FrameType (FLV spec E.4.3.1).</summary>
public enum VideoFrameType : byte
{
    /// <summary>1: a key frame (for AVC, a seekable frame: an IDR).</summary>
    KeyFrame = 1,
    /// <summary>2: an inter frame.</summary>
    InterFrame = 2,
    /// <summary>3: a disposable inter frame (H.263 only).</summary>
    DisposableInterFrame = 3,
    /// <summary>4: a generated key frame (server use only).</summary>
    GeneratedKeyFrame = 4,
    /// <summary>5: video info / command frame.</summary>
    CommandFrame = 5,
}

/// <summary>CodecID (FLV spec E.4.3.1), plus 12, the HEVC id many Chinese CDNs used before Enhanced RTMP.</summary>
public enum VideoCodecId : byte
{
    /// <summary>2: Sorenson H.263.</summary>
    SorensonH263 = 2,
    /// <summary>3: Screen video.</summary>
    ScreenVideo = 3,
    /// <summary>4: On2 VP6.</summary>
    On2Vp6 = 4,
    /// <summary>5: On2 VP6 with alpha.</summary>
    On2Vp6Alpha = 5,
    /// <summary>6: Screen video version 2.</summary>
    ScreenVideo2 = 6,
    /// <summary>7: AVC (H.264).</summary>
    Avc = 7,
    /// <summary>12: HEVC, a widespread extension outside Adobe's spec (not Enhanced RTMP).</summary>
    Hevc = 12,
}

/// <summary>
/// The video tag header (FLV spec E.4.3.1): FrameType(4) CodecID(4); for AVC an AVCPacketType byte
/// (0 sequence header, 1 NALUs, 2 end of sequence) and a CompositionTime SI24 (PTS − DTS, may be negative).
/// An Enhanced RTMP tag (byte 0 bit 7 set, "IsExHeader") is instead FrameType(3) PacketType(4) then a FourCC.
/// </summary>
/// <param name="FrameType">Key, inter, ...</param>
/// <param name="CodecId">The legacy codec id; 0 for an Enhanced RTMP tag (see <see cref="FourCc"/>).</param>
/// <param name="PacketType">AVCPacketType (0, 1, 2), or the Enhanced RTMP PacketType (0 SequenceStart, 1 CodedFrames, 2 SequenceEnd, 3 CodedFramesX, 4 Metadata, 5 MPEG2TSSequenceStart); -1 for codecs without one.</param>
/// <param name="CompositionTime">PTS − DTS in ms, signed 24-bit; 0 where absent.</param>
/// <param name="IsExHeader">An Enhanced RTMP tag.</param>
/// <param name="FourCc">The Enhanced RTMP FourCC ("hvc1", "av01" ...), 0 otherwise.</param>
/// <param name="Size">The header's size in bytes: 5 for AVC, 1 for the others, 5 or 8 for Enhanced RTMP.</param>
public readonly record struct VideoTagHeader(VideoFrameType FrameType, VideoCodecId CodecId, int PacketType, int CompositionTime, bool IsExHeader, uint FourCc, int Size)
{
    /// <summary>True for a key frame (FrameType 1).</summary>
    public bool IsKeyFrame => FrameType == VideoFrameType.KeyFrame;

    /// <summary>True for an AVC sequence header (AVCPacketType 0): the AVCDecoderConfigurationRecord.</summary>
    public bool IsAvcSequenceHeader => !IsExHeader && CodecId == VideoCodecId.Avc && PacketType == 0;

    /// <summary>True for AVC NALUs (AVCPacketType 1).</summary>
    public bool IsAvcNalus => !IsExHeader && CodecId == VideoCodecId.Avc && PacketType == 1;

    /// <summary>Reads the video tag header from the start of a tag's data. <paramref name="offset"/> is where the data starts in the file.</summary>
    /// <exception cref="FlvFormatException">Empty or short data, an unknown CodecID, an unknown FourCC.</exception>
    public static VideoTagHeader Parse(ReadOnlySpan<byte> data, long offset)
    {
        throw new NotImplementedException("Lab 03 · M2: byte 0 = FrameType(4) CodecID(4); AVC (7) and HEVC (12) add PacketType and a signed 24-bit CompositionTime; bit 7 set means an Enhanced RTMP ExHeader with a FourCC — README §Video tags");
    }

    /// <summary>Sign-extends a big-endian 24-bit value (SI24): 0xFFFF9C is −100.</summary>
    public static int ReadSigned24(ReadOnlySpan<byte> bytes)
    {
        throw new NotImplementedException("Lab 03 · M2: assemble 24 bits big-endian, then sign-extend bit 23 — README §Video tags");
    }

    private static VideoTagHeader ParseExHeader(ReadOnlySpan<byte> data, long offset)
    {
        // Enhanced RTMP v1 (veovera.org): IsExHeader(1) FrameType(3) PacketType(4), then a FourCC UI32.
        if (data.Length < 5)
        {
            throw new FlvFormatException(offset + data.Length, "an Enhanced RTMP FourCC (4 bytes)", "An Enhanced RTMP video tag ends inside its FourCC.");
        }

        byte b = data[0];
        var frameType = (VideoFrameType)((b >> 4) & 0x07);
        int packetType = b & 0x0F;
        uint fourCc = BinaryPrimitives.ReadUInt32BigEndian(data[1..]);
        if (fourCc is not (FourCcCode.Avc1 or FourCcCode.Hvc1 or FourCcCode.Av01 or FourCcCode.Vp09 or FourCcCode.Vp08))
        {
            throw new FlvFormatException(offset + 1, "a FourCC of avc1, hvc1, av01, vp09 or vp08", $"The Enhanced RTMP FourCC \"{FourCcCode.ToText(fourCc)}\" is unknown.");
        }

        // PacketType 1, CodedFrames, carries a CompositionTime SI24 for avc1 and hvc1; CodedFramesX (3) is the same without it.
        if (packetType == 1 && fourCc is FourCcCode.Avc1 or FourCcCode.Hvc1)
        {
            if (data.Length < 8)
            {
                throw new FlvFormatException(offset + data.Length, "a 3-byte CompositionTime", "An Enhanced RTMP CodedFrames tag ends inside its CompositionTime.");
            }

            return new VideoTagHeader(frameType, 0, packetType, ReadSigned24(data[5..]), true, fourCc, 8);
        }

        return new VideoTagHeader(frameType, 0, packetType, 0, true, fourCc, 5);
    }

    /// <summary>The codec's name, for tables: "H.264", "HEVC (hvc1, Enhanced RTMP)", "VP6" ...</summary>
    public string CodecName => IsExHeader
        ? FourCc switch
        {
            FourCcCode.Avc1 => "H.264 (avc1, Enhanced RTMP)",
            FourCcCode.Hvc1 => "HEVC (hvc1, Enhanced RTMP)",
            FourCcCode.Av01 => "AV1 (av01, Enhanced RTMP)",
            FourCcCode.Vp09 => "VP9 (vp09, Enhanced RTMP)",
            _ => FourCcCode.ToText(FourCc) + " (Enhanced RTMP)",
        }
        : CodecId switch
        {
            VideoCodecId.Avc => "H.264",
            VideoCodecId.Hevc => "HEVC (codec id 12)",
            VideoCodecId.On2Vp6 or VideoCodecId.On2Vp6Alpha => "VP6",
            VideoCodecId.SorensonH263 => "Sorenson H.263",
            _ => CodecId.ToString(),
        };
}
