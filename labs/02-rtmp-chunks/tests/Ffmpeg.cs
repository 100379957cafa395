using System.Globalization;
using System.Security.Cryptography;

namespace Lab02.RtmpChunks.Tests;

/// <summary>The real ffmpeg and ffprobe on 127.0.0.1 (RECIPES: ffmpeg as an RTMP client), and the clip's oracle.</summary>
internal static class Ffmpeg
{
    /// <summary>How long one ffmpeg run may take on a busy machine (the clip lasts 2 s at -re).</summary>
    public static readonly TimeSpan Limit = RtmpFfmpeg.Limit;

    public static string Url(int port) => RtmpFfmpeg.Url(port);

    /// <summary><c>ffmpeg -re -i testdata/clip-2s.flv -c copy -f flv rtmp://127.0.0.1:PORT/live/test</c>.</summary>
    public static ToolRun Publish(int port) => RtmpFfmpeg.Publish(port);

    /// <summary>
    /// The clip <paramref name="plays"/> times in a row, in real time (a stream of about 310 kbit/s lasting 2 s per play):
    /// <c>ffmpeg -re -stream_loop PLAYS-1 -i testdata/clip-2s.flv -c copy -f flv rtmp://127.0.0.1:PORT/live/test</c>.
    /// </summary>
    public static ToolRun PublishLooped(int port, int plays) => ToolRun.Start(RealTools.Ffmpeg(),
        ["-hide_banner", "-loglevel", "info", "-re", "-stream_loop", (plays - 1).ToString(CultureInfo.InvariantCulture), "-i", Repo.TestData("clip-2s.flv"), "-c", "copy", "-f", "flv", Url(port)]);

    /// <summary><c>ffmpeg -i rtmp://127.0.0.1:PORT/live/test -c copy -f flv OUT</c>.</summary>
    public static ToolRun Play(int port, string output) => RtmpFfmpeg.PlayInto(port, output);

    /// <summary>
    /// What ffprobe says about a file's streams, one dictionary per stream:
    /// <c>ffprobe -v error -count_packets -show_entries stream=codec_name,width,height,nb_read_packets -of compact=p=0 FILE</c>.
    /// </summary>
    public static async Task<List<Dictionary<string, string>>> ProbeAsync(string file)
    {
        var result = await ToolRun.RunAsync(RealTools.Ffprobe(),
            ["-v", "error", "-count_packets", "-show_entries", "stream=codec_name,width,height,nb_read_packets", "-of", "compact=p=0", file],
            Limit, TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0 && !result.TimedOut, $"ffprobe could not read {file} (exit {result.ExitCode}):\n{result.ErrorTail()}");
        return [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Trim().Split('|').Select(field => field.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]))];
    }

    /// <summary>Runs <paramref name="step"/>; a failure also shows ffmpeg's command line and its last lines.</summary>
    public static Task<T> ExplainAsync<T>(ToolRun ffmpeg, Func<Task<T>> step) => RtmpFfmpeg.ExplainAsync(ffmpeg, step);
}

/// <summary>One packet of testdata/clip-2s.flv as ffprobe listed it (testdata/02-rtmp-chunks/clip-2s.packets.txt).</summary>
internal sealed record ClipPacket(string CodecType, uint Dts, int Size, bool Key, string Md5)
{
    /// <summary>Every packet of the clip, in file order.</summary>
    public static List<ClipPacket> All() => [.. File.ReadAllLines(Repo.TestData("02-rtmp-chunks/clip-2s.packets.txt"))
        .Select(line => line.Split('|').Select(f => f.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]))
        .Select(f => new ClipPacket(f["codec_type"], uint.Parse(f["dts"], CultureInfo.InvariantCulture), int.Parse(f["size"], CultureInfo.InvariantCulture),
            f["flags"].StartsWith('K'), f["data_hash"]["MD5:".Length..]))];

    /// <summary>The MD5 of each stream's extradata (the sequence headers' bodies), by codec type (clip-2s.streams.txt).</summary>
    public static Dictionary<string, string> ExtradataMd5() => File.ReadAllLines(Repo.TestData("02-rtmp-chunks/clip-2s.streams.txt"))
        .Select(line => line.Split('|').Select(f => f.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]))
        .ToDictionary(f => f["codec_type"], f => f["extradata_hash"]["MD5:".Length..]);

    /// <summary>The codec data of an RTMP audio or video message: the FLV tag body without its 2-byte (AAC) or 5-byte (AVC) header, as ffprobe hashes it.</summary>
    public static ReadOnlySpan<byte> CodecData(RtmpMessage message) => message.Payload.Span[(message.TypeId == 9 ? 5 : 2)..];

    /// <summary>Lowercase hex MD5.</summary>
#pragma warning disable CA5351 // ffprobe's -show_data_hash MD5 is the oracle: a checksum, not security
    public static string Md5Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351
}
