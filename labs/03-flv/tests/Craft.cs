using System.Buffers.Binary;

namespace Lab03.Flv.Tests;

/// <summary>
/// Small FLV files written byte by byte from the FLV spec (Annex E), for the cases ffmpeg cannot make.
/// Independent of the lab's code: a header is "FLV" 01 flags 00000009 00000000, a tag is
/// type, UI24 size, UI24 timestamp, UI8 extended, UI24 stream id 0, data, UI32 (11 + size).
/// </summary>
internal static class Craft
{
    public static byte[] Header(bool audio = true, bool video = true) =>
        [(byte)'F', (byte)'L', (byte)'V', 1, (byte)((audio ? 4 : 0) | (video ? 1 : 0)), 0, 0, 0, 9, 0, 0, 0, 0];

    public static byte[] Tag(int type, uint timestamp, params byte[] data)
    {
        var tag = new byte[11 + data.Length + 4];
        tag[0] = (byte)type;
        tag[1] = (byte)(data.Length >> 16);
        tag[2] = (byte)(data.Length >> 8);
        tag[3] = (byte)data.Length;
        tag[4] = (byte)(timestamp >> 16);
        tag[5] = (byte)(timestamp >> 8);
        tag[6] = (byte)timestamp;
        tag[7] = (byte)(timestamp >> 24);
        data.CopyTo(tag, 11);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(11 + data.Length), (uint)(11 + data.Length));
        return tag;
    }

    public static byte[] File(params byte[][] tags) => [.. Header(), .. tags.SelectMany(t => t)];
}
