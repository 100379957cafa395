namespace Lab03.Flv.Tests;

/// <summary>
/// `workbook try 03` on the inputs a learner brings: files that are not FLV, damaged ones, codecs the converter cannot
/// carry, audio-only recordings (README §Try it). The tool is given code; these tests pin what it tells the learner
/// while it runs the learner's reader, converter and analysis.
/// </summary>
public sealed class TryToolTests : IDisposable
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private readonly string _folder = Directory.CreateTempSubdirectory("lab03-try-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(int Exit, string Text)> TryAsync(params string[] args)
    {
        var output = new StringWriter();
        int exit = await FlvTryTool.RunAsync(args, output, Token);
        return (exit, output.ToString());
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>An FLV made by ffmpeg here: <c>ffmpeg -f lavfi -i testsrc … [-f lavfi -i sine …] ARGS out.flv</c>.</summary>
    private async Task<string> FfmpegAsync(string name, bool audio, params string[] codecs)
    {
        string path = Path.Combine(_folder, name);
        string[] inputs = ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", .. audio ? new[] { "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100" } : [], "-t", "1"];
        var run = await ToolRun.RunAsync(RealTools.Ffmpeg(), [.. inputs, .. codecs, "-f", "flv", path], TimeSpan.FromSeconds(30), Token);
        Assert.True(run.ExitCode == 0 && File.Exists(path), $"ffmpeg could not make {name}: {run.StandardError}");
        return path;
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", "M2 FLV reader")]
    public async Task Only_damage_after_the_header_is_sent_to_lenient()
    {
        // Not an FLV at all (a PNG's signature): --lenient cannot help, so it is not offered.
        var (exit, text) = await TryAsync(Write("picture.png", Bytes.Hex("89 50 4e 47 0d 0a 1a 0a 00 00 00 0d 49 48 44 52")));
        Assert.True(exit != 0 && text.Contains("not an FLV", StringComparison.Ordinal) && !text.Contains("--lenient", StringComparison.Ordinal),
            $"A PNG is not an FLV; the tool must say so without offering --lenient:\n{text}");

        // "FLV" but a DataOffset of 3 (below the 9-byte header, FLV spec E.2): a header problem, no --lenient either.
        var badHeader = Clips.Flv("av");
        badHeader[5..9].AsSpan().Clear();
        badHeader[8] = 3;
        (exit, text) = await TryAsync(Write("bad-header.flv", badHeader));
        Assert.True(exit != 0 && text.Contains("not a valid FLV", StringComparison.Ordinal) && !text.Contains("--lenient", StringComparison.Ordinal),
            $"A bad DataOffset is in the header, which --lenient cannot mend; the tool must report it without offering --lenient:\n{text}");

        // A good header, then a tag cut off: that --lenient can skip.
        var cut = Clips.Flv("av")[..5000];
        (exit, text) = await TryAsync(Write("cut.flv", cut));
        Assert.True(exit != 0 && text.Contains("--lenient", StringComparison.Ordinal),
            $"Damage after the header is what --lenient skips; the tool must offer it:\n{text}");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", "M2 FLV reader")]
    public async Task A_stub_of_lab_02_points_to_depend_on_solutions()
    {
        var (exit, text) = await TryAsync(Repo.TestData("03-flv/av.flv"));
        Assert.True(exit == 0 && text.Contains("FLV version 1", StringComparison.Ordinal), $"try 03 on av.flv must describe it:\n{text}");

        // What a learner without a finished Lab 02 meets: Lab 02's stub, reached through onMetaData.
        string advice = FlvTryTool.NotWrittenYet(new NotImplementedException("Lab 02 · M3: read one AMF0 value — README §AMF0"));
        Assert.True(advice.Contains("--depend-on-solutions", StringComparison.Ordinal), $"Lab 02's stub must point to --depend-on-solutions:\n{advice}");
        Assert.DoesNotContain("--depend-on-solutions", FlvTryTool.NotWrittenYet(new NotImplementedException("Lab 03 · M2: check the signature")), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", "M5 muxer")]
    public async Task Rebuild_names_the_codecs_it_cannot_carry()
    {
        // ffmpeg's flv encoder is Sorenson H.263 (codec id 2): nothing --rebuild can carry, so nothing is written.
        string sorenson = await FfmpegAsync("sorenson.flv", audio: false, "-c:v", "flv");
        string target = Path.Combine(_folder, "sorenson-rebuilt.flv");
        var (exit, text) = await TryAsync(sorenson, "--rebuild", target);
        Assert.True(exit != 0 && text.Contains("Sorenson H.263", StringComparison.Ordinal) && !File.Exists(target),
            $"--rebuild of a Sorenson H.263 FLV must refuse, naming the codec, and write nothing:\n{text}");

        // H.264 with MP3 audio: the video is rebuilt, the MP3 is named as left out.
        string mp3 = await FfmpegAsync("mp3.flv", audio: true, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "libmp3lame");
        target = Path.Combine(_folder, "mp3-rebuilt.flv");
        (exit, text) = await TryAsync(mp3, "--rebuild", target);
        Assert.True(exit == 0 && File.Exists(target) && text.Contains("MP3 audio", StringComparison.Ordinal) && text.Contains("left out", StringComparison.Ordinal),
            $"--rebuild of H.264 + MP3 must rebuild the video and say the MP3 audio is left out:\n{text}");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", "M6 stream analysis")]
    public async Task Analyse_of_an_audio_only_file_prints_no_empty_video_lines()
    {
        var (exit, text) = await TryAsync(Repo.TestData("03-flv/audio.flv"), "--analyse");

        Assert.True(exit == 0 && text.Contains("no video", StringComparison.Ordinal), $"--analyse of audio.flv must say there is no video:\n{text}");
        Assert.DoesNotContain("GOP lengths", text, StringComparison.Ordinal);
        Assert.DoesNotContain("key frames: 0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("key frames at  ms", text, StringComparison.Ordinal);
        Assert.DoesNotContain("video kbit/s", text, StringComparison.Ordinal);
    }
}
