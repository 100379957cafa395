using System.Globalization;
using System.Text.Json;

namespace Lab05.Hls.Tests;

/// <summary>One packet as ffprobe lists it (pts/dts in the stream's time base; FLV 1/1000, TS 1/90000).</summary>
internal sealed record ProbePacket(string CodecType, long? Pts, long? Dts, int Size, bool Key, long Pos = -1);

/// <summary>The committed clips of testdata/05-hls (make.sh), ffprobe on them, and ffprobe/ffmpeg run on what a test wrote.</summary>
internal static class Media
{
    public static string Path(string name) => Repo.TestData($"05-hls/{name}");

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path(name));

    /// <summary>The committed ffprobe -show_packets output for a clip (make.sh).</summary>
    public static List<ProbePacket> Probe(string name) => ParsePackets(File.ReadAllText(Path(name + ".probe.json")));

    public static List<ProbePacket> ParsePackets(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("packets").EnumerateArray().Select(p => new ProbePacket(
            p.GetProperty("codec_type").GetString()!,
            p.TryGetProperty("pts", out var pts) ? pts.GetInt64() : null,
            p.TryGetProperty("dts", out var dts) ? dts.GetInt64() : null,
            int.Parse(p.GetProperty("size").GetString()!, CultureInfo.InvariantCulture),
            p.GetProperty("flags").GetString()!.StartsWith('K'),
            p.TryGetProperty("pos", out var pos) ? long.Parse(pos.GetString()!, CultureInfo.InvariantCulture) : -1)).ToList();
    }

    /// <summary>Runs ffprobe -show_packets on a file the test wrote; fails with ffprobe's errors.</summary>
    public static async Task<List<ProbePacket>> ProbeAsync(string file, string see)
    {
        var result = await ToolRun.RunAsync(RealTools.Ffprobe(), ["-v", "error", "-show_entries", "packet=codec_type,pts,dts,size,flags", "-of", "json", file],
            TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0 && !result.TimedOut && result.StandardError.Trim().Length == 0,
            $"ffprobe -v error could not read {System.IO.Path.GetFileName(file)} cleanly (exit {result.ExitCode}):\n{result.ErrorTail()}\nSee {see}.");
        return ParsePackets(result.StandardOutput);
    }

    /// <summary>Decodes a file with ffmpeg to nothing (<c>ffmpeg -v error -i FILE -f null -</c>) and returns what it printed (nothing for a clean file) and the decoded video frames.</summary>
    public static async Task<(string Errors, int VideoFrames)> DecodeAsync(string file)
    {
        var result = await ToolRun.RunAsync(RealTools.Ffmpeg(), ["-hide_banner", "-v", "error", "-i", file, "-f", "null", "-"], TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
        Assert.False(result.TimedOut, $"ffmpeg did not finish decoding {file} within 90 s.");
        var count = await ToolRun.RunAsync(RealTools.Ffprobe(), ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file],
            TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
        int frames = int.TryParse(count.StandardOutput.Trim().Split('\n')[0].Trim().TrimEnd(','), CultureInfo.InvariantCulture, out int n) ? n : -1;
        return ((result.StandardError + (result.ExitCode != 0 ? $"\n(exit code {result.ExitCode})" : "")).Trim(), frames);
    }

    /// <summary>A fresh folder under the system temp folder, deleted by the caller.</summary>
    public static string TempFolder()
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lab05-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}

/// <summary>Hex strings to bytes: "47 40 00" → [0x47, 0x40, 0x00].</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
