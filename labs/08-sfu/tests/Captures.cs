using System.Buffers.Binary;

namespace Lab08.Sfu.Tests;

/// <summary>The committed oracles of testdata/08-sfu (made by its make.sh with a real ffmpeg).</summary>
internal static class Captures
{
    /// <summary>The RTP datagrams ffmpeg sent for clip.h264, in arrival order (capture.py: 2-byte length + bytes).</summary>
    public static List<byte[]> RtpPackets() => Datagrams("08-sfu/clip.rtpcap");

    /// <summary>The RTCP datagrams ffmpeg sent in the same run: an SR at the start, and an SR + BYE at the end (send_bye).</summary>
    public static List<byte[]> RtcpPackets() => Datagrams("08-sfu/clip.rtcpcap");

    private static List<byte[]> Datagrams(string name)
    {
        var bytes = File.ReadAllBytes(Repo.TestData(name));
        var packets = new List<byte[]>();
        for (int at = 0; at < bytes.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at));
            packets.Add(bytes.AsSpan(at + 2, length).ToArray());
            at += 2 + length;
        }

        return packets;
    }

    /// <summary>The NAL units of ffmpeg's Annex B output of the same encode, split at the start codes (H.264 Annex B).</summary>
    public static List<byte[]> AnnexBNalUnits(string name = "08-sfu/clip.h264") => SplitAnnexB(File.ReadAllBytes(Repo.TestData(name)));

    /// <summary>Splits an Annex B byte stream at 00 00 01 / 00 00 00 01 start codes.</summary>
    public static List<byte[]> SplitAnnexB(byte[] stream)
    {
        var starts = new List<(int Code, int Data)>();
        for (int i = 0; i + 2 < stream.Length; i++)
        {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1)
            {
                int code = i > 0 && stream[i - 1] == 0 ? i - 1 : i;
                starts.Add((code, i + 3));
                i += 2;
            }
        }

        var units = new List<byte[]>();
        for (int k = 0; k < starts.Count; k++)
        {
            int end = k + 1 < starts.Count ? starts[k + 1].Code : stream.Length;
            units.Add(stream[starts[k].Data..end]);
        }

        return units;
    }

    /// <summary>The frames ffprobe listed in clip.packets.txt: (size, keyframe), in order.</summary>
    public static List<(int Size, bool Key)> ProbedFrames() =>
        File.ReadAllLines(Repo.TestData("08-sfu/clip.packets.txt"))
            .Where(l => l.Length > 0)
            .Select(l =>
            {
                var fields = l.Split('|').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
                return (int.Parse(fields["size"], System.Globalization.CultureInfo.InvariantCulture), fields["flags"].StartsWith('K'));
            })
            .ToList();
}
