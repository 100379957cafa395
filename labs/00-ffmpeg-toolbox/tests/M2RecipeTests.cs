using System.Globalization;
using System.Text.Json;

namespace Lab00.FfmpegToolbox.Tests;

/// <summary>M2: the recipes' outputs, checked with ffprobe and with the settings x264 recorded in the stream.</summary>
[Trait("Milestone", "M2 recipes")]
public sealed class M2RecipeTests
{
    private const int Timeout = 60_000;
    private static readonly string Clip = Oracle.Clip("bframes.mp4");

    /// <summary>What an output file holds before the test runs the recipe: a recipe replaces it (ffmpeg -y).</summary>
    private const string OldFile = "an output of an earlier run, to be replaced";

    [Fact(Timeout = Timeout)]
    public async Task Vod_recipe_encodes_h264_at_the_crf_and_preset_with_aac_and_faststart()
    {
        using var temp = Oracle.Temp();
        string output = temp.File("vod.mp4");
        await File.WriteAllTextAsync(output, OldFile, TestContext.Current.CancellationToken);   // a re-run replaces the last output (README §Recipes)
        await Encoder.EncodeVodAsync(Clip, output, new VodRecipe(Crf: 30, Preset: "veryfast", AudioKbps: 64), cancellationToken: TestContext.Current.CancellationToken);

        var probe = await Oracle.FormatAndStreamsAsync(output);
        var streams = probe.GetProperty("streams").EnumerateArray().ToList();
        Assert.True(streams.Any(s => s.GetProperty("codec_name").GetString() == "h264") && streams.Any(s => s.GetProperty("codec_name").GetString() == "aac"),
            $"The VOD output needs an h264 video and an aac audio stream; ffprobe found [{string.Join(", ", streams.Select(s => s.GetProperty("codec_name").GetString()))}]. See README §Recipes.");
        var x264 = Oracle.X264Options(output);
        Assert.True(x264.GetValueOrDefault("rc") == "crf" && x264.GetValueOrDefault("crf") == "30.0",
            $"x264 recorded rc={x264.GetValueOrDefault("rc")} crf={x264.GetValueOrDefault("crf")}; the recipe asks for rate control by CRF 30 (-crf 30). See README §Recipes.");
        // veryfast is subme=2, ref=1 in x264's preset table (x264 --fullhelp); medium would be subme=7, ref=3.
        Assert.True(x264.GetValueOrDefault("subme") == "2" && x264.GetValueOrDefault("ref") == "1",
            $"x264 recorded subme={x264.GetValueOrDefault("subme")} ref={x264.GetValueOrDefault("ref")}; preset veryfast gives subme=2 ref=1. Did you pass -preset? See README §Recipes.");
        var bytes = await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken);
        int moov = bytes.AsSpan().IndexOf("moov"u8), mdat = bytes.AsSpan().IndexOf("mdat"u8);
        Assert.True(moov >= 0 && moov < mdat, $"faststart puts the 'moov' box (the index) before 'mdat' (the media): moov at {moov}, mdat at {mdat}. Add WithFastStart(). See README §Recipes.");
    }

    [Fact(Timeout = Timeout)]
    public async Task Live_recipe_has_no_b_frames_and_a_keyframe_exactly_every_n_frames()
    {
        using var temp = Oracle.Temp();
        string output = temp.File("live.flv");
        await File.WriteAllTextAsync(output, OldFile, TestContext.Current.CancellationToken);
        const int gop = 10;
        await Encoder.EncodeLiveAsync(Clip, output, new LiveRecipe(GopFrames: gop, BitrateKbps: 300, BufferKbits: 300, Preset: "veryfast"), cancellationToken: TestContext.Current.CancellationToken);

        var packets = await Oracle.PacketsAsync(output);
        var keys = packets.Select((p, i) => (p, i)).Where(x => x.p.Key).Select(x => x.i).ToList();
        var expected = Enumerable.Range(0, (packets.Count + gop - 1) / gop).Select(k => k * gop).ToList();
        Assert.True(keys.SequenceEqual(expected),
            $"A keyframe exactly every {gop} frames means keyframes at packets [{string.Join(", ", expected)}]; ffprobe found them at [{string.Join(", ", keys)}]. " +
            "-g sets the longest GOP; -keyint_min and -sc_threshold 0 stop the early ones. See README §Recipes.");
        string types = await Oracle.PictureTypesAsync(output);
        Assert.True(!types.Contains('B', StringComparison.Ordinal), $"A low-latency stream has no B-frames (-bf 0); ffprobe's picture types: {types}. See README §Recipes.");

        var x264 = Oracle.X264Options(output);
        foreach (var (key, value) in new[] { ("bframes", "0"), ("rc_lookahead", "0"), ("vbv_maxrate", "300"), ("vbv_bufsize", "300"), ("keyint", "10"), ("scenecut", "0") })
        {
            Assert.True(x264.GetValueOrDefault(key) == value,
                $"x264 recorded {key}={x264.GetValueOrDefault(key) ?? "(nothing)"}; the live recipe needs {key}={value} (tune zerolatency, -bf 0, -maxrate/-bufsize 300k, -g 10, -sc_threshold 0). See README §Recipes.");
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Abr_ladder_has_the_sizes_the_bitrates_within_20_percent_and_aligned_keyframes()
    {
        using var temp = Oracle.Temp();
        var ladder = new AbrLadder([new("180p", 320, 180, 300), new("108p", 192, 108, 150), new("72p", 128, 72, 80)], GopFrames: 25, Preset: "veryfast");
        await File.WriteAllTextAsync(temp.File("108p.mp4"), OldFile, TestContext.Current.CancellationToken);   // Encoder writes {Name}.mp4: this one is replaced
        var outputs = await Encoder.EncodeLadderAsync(Clip, temp.Path, ladder, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(outputs.Count == 3, $"One output per rendition: expected 3, got {outputs.Count}. See README §Recipes.");

        List<double>? firstKeyTimes = null;
        foreach (var (rendition, output) in ladder.Renditions.Zip(outputs))
        {
            var video = (await Oracle.FormatAndStreamsAsync(output)).GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("codec_type").GetString() == "video");
            Assert.True(video.GetProperty("width").GetInt32() == rendition.Width && video.GetProperty("height").GetInt32() == rendition.Height,
                $"Rendition {rendition.Name} should be {rendition.Width}×{rendition.Height}; ffprobe says {video.GetProperty("width")}×{video.GetProperty("height")}. See README §Recipes.");
            double kbps = double.Parse(video.GetProperty("bit_rate").GetString()!, CultureInfo.InvariantCulture) / 1000;
            Assert.True(Math.Abs(kbps - rendition.BitrateKbps) <= 0.2 * rendition.BitrateKbps,
                $"Rendition {rendition.Name} asked for {rendition.BitrateKbps} kb/s; ffprobe measures {kbps:0.#} kb/s, more than 20 % off. Cap it with -maxrate and -bufsize. See README §Recipes.");

            var packets = await Oracle.PacketsAsync(output);
            var keyTimes = packets.Where(p => p.Key).Select(p => Math.Round(p.Time!.Value, 3)).ToList();
            var keyIndices = packets.Select((p, i) => (p, i)).Where(x => x.p.Key).Select(x => x.i).ToList();
            Assert.True(keyIndices.SequenceEqual([0, 25, 50]), $"Rendition {rendition.Name}: keyframes every 25 frames means packets [0, 25, 50]; ffprobe found [{string.Join(", ", keyIndices)}]. See README §Recipes.");
            var x264 = Oracle.X264Options(output);
            Assert.True(x264.GetValueOrDefault("keyint") == "25" && x264.GetValueOrDefault("scenecut") == "0",
                $"Rendition {rendition.Name}: x264 recorded keyint={x264.GetValueOrDefault("keyint")} scenecut={x264.GetValueOrDefault("scenecut")}; the ladder needs keyint=25 scenecut=0 " +
                "(-g 25 -keyint_min 25 -sc_threshold 0): a scene cut in one rendition must not add a keyframe the others lack. See README §Recipes.");
            firstKeyTimes ??= keyTimes;
            Assert.True(keyTimes.SequenceEqual(firstKeyTimes),
                $"Keyframes must fall at the same times in every rendition, so a player can switch there: {ladder.Renditions[0].Name} has [{string.Join(", ", firstKeyTimes)}] s, {rendition.Name} [{string.Join(", ", keyTimes)}] s. See README §Recipes.");
        }
    }
}
