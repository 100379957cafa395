using System.Buffers.Binary;
using System.Globalization;

namespace Lab04.LiveServer.Tests;

/// <summary>One tag of testdata/clip-2s.flv, read by hand from the FLV specification (§E.4.1), to publish it tag by tag.</summary>
internal sealed record ClipTag(byte Type, uint Timestamp, byte[] Data)
{
    /// <summary>A video keyframe (FrameType 1, §E.4.3.1) that is not the AVC sequence header (AVCPacketType 0).</summary>
    public bool IsKeyFrame => Type == 9 && Data[0] >> 4 == 1 && Data[1] != 0;

    /// <summary>An AVC (video, AVCPacketType 0) or AAC (audio, AACPacketType 0) sequence header.</summary>
    public bool IsSequenceHeader => Type is 8 or 9 && Data[1] == 0;

    /// <summary>A frame: audio or video and not a sequence header.</summary>
    public bool IsFrame => Type is 8 or 9 && !IsSequenceHeader;
}

/// <summary>One packet of the clip as ffprobe listed it (testdata/04-live-server/clip-2s.packets.txt).</summary>
internal sealed record ClipPacket(string CodecType, long Dts, int Size, bool Key);

/// <summary>testdata/clip-2s.flv: its tags, and ffprobe's list of its packets (the oracle).</summary>
internal static class Clip
{
    public static string Path => Repo.TestData("clip-2s.flv");

    /// <summary>Every tag of the clip in file order: onMetaData, the two sequence headers, then 50 video and 88 audio frames.</summary>
    public static List<ClipTag> Tags()
    {
        var file = File.ReadAllBytes(Path);
        var tags = new List<ClipTag>();
        int at = 9 + 4; // the 9-byte header and PreviousTagSize0 (§E.2, §E.3)
        while (at + 11 <= file.Length)
        {
            byte type = (byte)(file[at] & 0x1F);
            int size = file[at + 1] << 16 | file[at + 2] << 8 | file[at + 3];
            uint timestamp = (uint)(file[at + 4] << 16 | file[at + 5] << 8 | file[at + 6] | file[at + 7] << 24);
            tags.Add(new ClipTag(type, timestamp, file[(at + 11)..(at + 11 + size)]));
            at += 11 + size + 4;
        }

        return tags;
    }

    /// <summary>ffprobe's packets of the clip, in file order.</summary>
    public static List<ClipPacket> Packets() => [.. File.ReadAllLines(Repo.TestData("04-live-server/clip-2s.packets.txt"))
        .Select(line => line.Split('|').Select(f => f.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]))
        .Select(f => new ClipPacket(f["codec_type"], long.Parse(f["dts"], CultureInfo.InvariantCulture), int.Parse(f["size"], CultureInfo.InvariantCulture), f["flags"].StartsWith('K')))];

    public static int VideoFrames => Packets().Count(p => p.CodecType == "video");

    public static int AudioFrames => Packets().Count(p => p.CodecType == "audio");

    /// <summary>The big-endian UI32 at <paramref name="offset"/>.</summary>
    public static uint UInt32(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt32BigEndian(bytes[offset..]);
}
