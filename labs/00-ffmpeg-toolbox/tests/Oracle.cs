using System.Globalization;
using System.Text.Json;

namespace Lab00.FfmpegToolbox.Tests;

/// <summary>
/// What the real ffprobe and ffmpeg say, run by the tests themselves (never through the code under test), and the
/// ffprobe output committed beside the clips in testdata/00-ffmpeg-toolbox (see its make.sh).
/// </summary>
internal static class Oracle
{
    /// <summary>How long one ffprobe or ffmpeg run of the oracle may take on a busy machine.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static string Clip(string name) => Repo.TestData("00-ffmpeg-toolbox/" + name);

    /// <summary>One packet as ffprobe lists it.</summary>
    public sealed record Packet(double? Time, bool Key, int Size);

    /// <summary>A committed ffprobe JSON file, parsed.</summary>
    public static JsonElement Committed(string name) =>
        JsonDocument.Parse(File.ReadAllText(Clip(name))).RootElement;

    public static IReadOnlyList<Packet> CommittedPackets(string clipBase) => Packets(Committed(clipBase + ".packets.json"));

    public static string CommittedPictureTypes(string clipBase) =>
        string.Concat(Committed(clipBase + ".frames.json").GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("pict_type").GetString()));

    /// <summary><c>ffprobe -select_streams v:0 -show_packets</c> on a file the code under test wrote.</summary>
    public static async Task<IReadOnlyList<Packet>> PacketsAsync(string path) =>
        Packets(await FfprobeJsonAsync(["-select_streams", "v:0", "-show_packets", "-show_entries", "packet=pts_time,flags,size", path]));

    /// <summary>The picture types (I, P, B) of every video frame, from <c>ffprobe -show_frames</c>.</summary>
    public static async Task<string> PictureTypesAsync(string path) =>
        string.Concat((await FfprobeJsonAsync(["-select_streams", "v:0", "-show_frames", "-show_entries", "frame=pict_type", path]))
            .GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("pict_type").GetString()));

    /// <summary><c>ffprobe -show_format -show_streams</c>.</summary>
    public static Task<JsonElement> FormatAndStreamsAsync(string path) => FfprobeJsonAsync(["-show_format", "-show_streams", path]);

    public static async Task<JsonElement> FfprobeJsonAsync(IEnumerable<string> arguments)
    {
        var result = await ToolRun.RunAsync(RealTools.Ffprobe(), ["-v", "error", "-of", "json", .. arguments], Limit, TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"ffprobe failed on a file your code wrote:\n{result.ErrorTail()}");
        return JsonDocument.Parse(result.StandardOutput).RootElement;
    }

    /// <summary>
    /// One decoded frame as raw RGB (3 bytes a pixel, rows top to bottom), by ffmpeg itself:
    /// <c>ffmpeg -i file -ss t -frames:v 1 -f rawvideo -pix_fmt rgb24 -</c> (frame-accurate: decodes from the keyframe before t).
    /// </summary>
    public static async Task<byte[]> DecodeRgbAsync(string path, TimeSpan at)
    {
        string output = Path.Combine(Path.GetTempPath(), $"lab00-frame-{Guid.NewGuid():N}.rgb");
        try
        {
            var result = await ToolRun.RunAsync(RealTools.Ffmpeg(),
                ["-hide_banner", "-loglevel", "error", "-y", "-i", path, "-ss", at.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture),
                 "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", output], Limit, TestContext.Current.CancellationToken);
            Assert.True(result.ExitCode == 0 && File.Exists(output), $"ffmpeg could not decode a frame of {path} at {at}:\n{result.ErrorTail()}");
            return await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>
    /// Makes a test file with ffmpeg itself (<c>ffmpeg -hide_banner -loglevel error -y ARGS</c>): clips whose make-up the test
    /// chooses, then reads back with ffprobe. Fails the test when ffmpeg fails.
    /// </summary>
    public static async Task MakeAsync(params string[] arguments)
    {
        var result = await ToolRun.RunAsync(RealTools.Ffmpeg(), ["-hide_banner", "-loglevel", "error", "-y", .. arguments], Limit, TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"The test could not make its clip with ffmpeg {string.Join(' ', arguments)}:\n{result.ErrorTail()}");
    }

    /// <summary>
    /// What ffmpeg's psnr and ssim filters log comparing <paramref name="distorted"/> (first input) with <paramref name="reference"/>:
    /// the README §Experiment command run by the test, its standard error split into lines.
    /// </summary>
    public static async Task<string[]> QualityLogAsync(string distorted, string reference)
    {
        var result = await ToolRun.RunAsync(RealTools.Ffmpeg(),
            ["-hide_banner", "-nostats", "-i", distorted, "-i", reference, "-filter_complex",
             "[0:v]split[d0][d1];[1:v]split[r0][r1];[d0][r0]psnr[psnr];[d1][r1]ssim[ssim]", "-map", "[psnr]", "-map", "[ssim]", "-f", "null", "-"],
            Limit, TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"ffmpeg's psnr/ssim run failed:\n{result.ErrorTail()}");
        return result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    }

    /// <summary>The number after <paramref name="marker"/> on the last line of <paramref name="log"/> that has it ("inf" is +∞).</summary>
    public static double NumberAfter(IEnumerable<string> log, string marker)
    {
        var line = log.Last(l => l.Contains(marker, StringComparison.Ordinal));
        var rest = line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].TrimStart();
        var number = rest.Split(' ', '(')[0];
        return number == "inf" ? double.PositiveInfinity : double.Parse(number, CultureInfo.InvariantCulture);
    }

    /// <summary>Does this ffmpeg have a filter (e.g. libvmaf)? From <c>ffmpeg -hide_banner -filters</c>.</summary>
    public static async Task<bool> HasFilterAsync(string name)
    {
        var result = await ToolRun.RunAsync(RealTools.Ffmpeg(), ["-hide_banner", "-filters"], Limit, TestContext.Current.CancellationToken);
        return result.StandardOutput.Split('\n').Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var filter, ..] && filter == name);
    }

    private static IReadOnlyList<Packet> Packets(JsonElement root) =>
        root.GetProperty("packets").EnumerateArray().Select(p => new Packet(
            p.TryGetProperty("pts_time", out var t) && double.TryParse(t.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) ? seconds : null,
            p.GetProperty("flags").GetString()!.Contains('K', StringComparison.Ordinal),
            int.Parse(p.GetProperty("size").GetString()!, CultureInfo.InvariantCulture))).ToList();

    /// <summary>
    /// The settings libx264 wrote into the stream itself: its SEI user data "x264 - core N - ... options: key=value ...".
    /// x264's own record of what it was told, read from the file's bytes.
    /// </summary>
    public static IReadOnlyDictionary<string, string> X264Options(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int start = bytes.AsSpan().IndexOf("options: "u8);
        Assert.True(start >= 0, $"{path} has no x264 settings SEI: was it encoded with libx264 (-c:v libx264)?");
        start += "options: ".Length;
        int end = bytes.AsSpan(start).IndexOf((byte)0);
        string text = System.Text.Encoding.ASCII.GetString(bytes, start, end < 0 ? Math.Min(2000, bytes.Length - start) : end);
        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2)).Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => g.First()[1]);
    }

    /// <summary>A fresh temporary folder, deleted by the test's <c>using</c>.</summary>
    public static TempFolder Temp() => new();
}

/// <summary>A temporary folder for the files a test makes.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("lab00-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a file still open on a slow machine: the OS cleans /tmp
        }
    }
}
