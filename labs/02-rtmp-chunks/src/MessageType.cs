namespace Lab02.RtmpChunks;

/// <summary>RTMP message type ids (Adobe RTMP specification 1.0, §5.4 and §7.1).</summary>
public static class MessageType
{
    /// <summary>Set Chunk Size (§5.4.1).</summary>
    public const byte SetChunkSize = 1;
    /// <summary>Abort Message (§5.4.2).</summary>
    public const byte Abort = 2;
    /// <summary>Acknowledgement (§5.4.3).</summary>
    public const byte Acknowledgement = 3;
    /// <summary>User Control Message (§6.2, §7.1.7).</summary>
    public const byte UserControl = 4;
    /// <summary>Window Acknowledgement Size (§5.4.4).</summary>
    public const byte WindowAcknowledgementSize = 5;
    /// <summary>Set Peer Bandwidth (§5.4.5).</summary>
    public const byte SetPeerBandwidth = 6;
    /// <summary>Audio data (§7.1.4): an FLV audio tag body.</summary>
    public const byte Audio = 8;
    /// <summary>Video data (§7.1.5): an FLV video tag body.</summary>
    public const byte Video = 9;
    /// <summary>Data message in AMF3 (§7.1.2).</summary>
    public const byte DataAmf3 = 15;
    /// <summary>Shared object in AMF3 (§7.1.3).</summary>
    public const byte SharedObjectAmf3 = 16;
    /// <summary>Command message in AMF3 (§7.1.1): a 0x00 format byte, then (in practice) AMF0 values.</summary>
    public const byte CommandAmf3 = 17;
    /// <summary>Data message in AMF0 (§7.1.2), e.g. @setDataFrame onMetaData.</summary>
    public const byte DataAmf0 = 18;
    /// <summary>Shared object in AMF0 (§7.1.3).</summary>
    public const byte SharedObjectAmf0 = 19;
    /// <summary>Command message in AMF0 (§7.1.1): connect, createStream, publish, play ...</summary>
    public const byte CommandAmf0 = 20;
    /// <summary>Aggregate message (§7.1.6).</summary>
    public const byte Aggregate = 22;

    /// <summary>A short name for a type id, for logs ("Video", "CommandAmf0", "type 42").</summary>
    public static string NameOf(byte typeId) => typeId switch
    {
        SetChunkSize => "SetChunkSize",
        Abort => "Abort",
        Acknowledgement => "Acknowledgement",
        UserControl => "UserControl",
        WindowAcknowledgementSize => "WindowAckSize",
        SetPeerBandwidth => "SetPeerBandwidth",
        Audio => "Audio",
        Video => "Video",
        DataAmf3 => "DataAmf3",
        SharedObjectAmf3 => "SharedObjectAmf3",
        CommandAmf3 => "CommandAmf3",
        DataAmf0 => "DataAmf0",
        SharedObjectAmf0 => "SharedObjectAmf0",
        CommandAmf0 => "CommandAmf0",
        Aggregate => "Aggregate",
        _ => "type " + typeId.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
