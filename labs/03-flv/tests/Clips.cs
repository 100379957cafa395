using System.Globalization;
using System.Text.Json;

namespace Lab03.Flv.Tests;

/// <summary>The committed clips of testdata/03-flv and what ffprobe says about them (make.sh made both).</summary>
internal static class Clips
{
    /// <summary>Every clip ffmpeg wrote or craft.py derived, with what it exercises.</summary>
    public static readonly string[] All = ["av", "audio", "video", "nalu3", "repeated", "changed", "gap"];

    public static byte[] Bytes(string name) => File.ReadAllBytes(Repo.TestData($"03-flv/{name}"));

    public static byte[] Flv(string clip) => Bytes(clip + ".flv");

    public static Probe Probe(string clip) => ParseProbe(File.ReadAllText(Repo.TestData($"03-flv/{clip}.probe.json")));

    /// <summary>Reads ffprobe's <c>-show_packets -show_streams -of json</c> output.</summary>
    public static Probe ParseProbe(string text)
    {
        using var json = JsonDocument.Parse(text);
        var streams = json.RootElement.GetProperty("streams").EnumerateArray().Select(s => new ProbeStream(
            s.GetProperty("index").GetInt32(),
            s.GetProperty("codec_type").GetString()!,
            s.GetProperty("codec_name").GetString()!,
            s.TryGetProperty("profile", out var p) ? p.GetString() : null,
            s.TryGetProperty("width", out var w) ? w.GetInt32() : null,
            s.TryGetProperty("height", out var h) ? h.GetInt32() : null,
            s.TryGetProperty("sample_rate", out var r) ? int.Parse(r.GetString()!, CultureInfo.InvariantCulture) : null,
            s.TryGetProperty("channels", out var c) ? c.GetInt32() : null,
            s.TryGetProperty("level", out var l) ? l.GetInt32() : null,
            s.TryGetProperty("nal_length_size", out var n) ? int.Parse(n.GetString()!, CultureInfo.InvariantCulture) : null)).ToList();
        var packets = json.RootElement.GetProperty("packets").EnumerateArray().Select(p => new ProbePacket(
            p.GetProperty("codec_type").GetString()!,
            p.GetProperty("stream_index").GetInt32(),
            p.GetProperty("pts").GetInt64(),
            p.GetProperty("dts").GetInt64(),
            int.Parse(p.GetProperty("size").GetString()!, CultureInfo.InvariantCulture),
            long.Parse(p.GetProperty("pos").GetString()!, CultureInfo.InvariantCulture),
            p.GetProperty("flags").GetString()!.StartsWith('K'))).ToList();
        return new Probe(streams, packets);
    }
}

internal sealed record Probe(IReadOnlyList<ProbeStream> Streams, IReadOnlyList<ProbePacket> Packets);

internal sealed record ProbeStream(int Index, string CodecType, string CodecName, string? Profile, int? Width, int? Height, int? SampleRate, int? Channels, int? Level, int? NalLengthSize);

/// <summary>One packet as ffprobe lists it: pts/dts in ms (FLV's time base is 1/1000), size of the payload, pos of the tag header.</summary>
internal sealed record ProbePacket(string CodecType, int StreamIndex, long Pts, long Dts, int Size, long Pos, bool Key);

/// <summary>Hex strings to bytes: "46 4c 56" → [0x46, 0x4C, 0x56].</summary>
internal static class Bytes
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
