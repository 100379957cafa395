using System.Globalization;
using System.Text.Json;

namespace Lab00.FfmpegToolbox.Tests;

/// <summary>M1: probe summaries and GOPs measured from packets, checked against what ffprobe says (testdata/00-ffmpeg-toolbox).</summary>
[Trait("Milestone", "M1 probe")]
public sealed class M1ProbeTests
{
    private const int Timeout = 30_000;

    [Theory(Timeout = Timeout)]
    [InlineData("bframes.mp4", "bframes.probe.json")]
    [InlineData("no-bframes.ts", "no-bframes.probe.json")]
    public async Task Summary_matches_ffprobes_format_and_streams(string clip, string oracle)
    {
        var summary = await Probe.SummarizeAsync(Oracle.Clip(clip), cancellationToken: TestContext.Current.CancellationToken);
        var expected = Oracle.Committed(oracle);
        var format = expected.GetProperty("format");

        Assert.True(format.GetProperty("format_name").GetString() == summary.Container,
            $"Container: ffprobe says '{format.GetProperty("format_name").GetString()}', your summary says '{summary.Container}'. See README §Probe.");
        double duration = double.Parse(format.GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(summary.Duration.TotalSeconds - duration) < 0.002, $"Duration: ffprobe says {duration} s, yours {summary.Duration.TotalSeconds} s. See README §Probe.");
        long? bitRate = format.TryGetProperty("bit_rate", out var b) ? long.Parse(b.GetString()!, CultureInfo.InvariantCulture) : null;
        Assert.True(bitRate == summary.BitRate, $"File bit rate: ffprobe says {bitRate}, yours {summary.BitRate}. See README §Probe.");

        var streams = expected.GetProperty("streams").EnumerateArray().ToList();
        Assert.True(streams.Count == summary.Streams.Count, $"ffprobe lists {streams.Count} streams in {clip}; your summary has {summary.Streams.Count}. See README §Probe.");
        foreach (var (s, mine) in streams.Zip(summary.Streams))
        {
            string where = $"stream #{s.GetProperty("index").GetInt32()} of {clip}";
            Assert.True(s.GetProperty("index").GetInt32() == mine.Index, $"{where}: index should be {s.GetProperty("index").GetInt32()} (ffprobe lists streams in file order), yours {mine.Index}. See README §Probe.");
            Assert.True(s.GetProperty("codec_type").GetString() == mine.Kind, $"{where}: kind should be '{s.GetProperty("codec_type").GetString()}', yours '{mine.Kind}'. See README §Probe.");
            Assert.True(s.GetProperty("codec_name").GetString() == mine.Codec, $"{where}: codec should be '{s.GetProperty("codec_name").GetString()}', yours '{mine.Codec}'. See README §Probe.");
            Assert.True(Str(s, "profile") == mine.Profile, $"{where}: profile should be '{Str(s, "profile")}', yours '{mine.Profile}'. See README §Probe.");
            Assert.True(Num(s, "bit_rate") == mine.BitRate, $"{where}: declared bit rate should be {Num(s, "bit_rate")?.ToString(CultureInfo.InvariantCulture) ?? "null (the container does not say)"}, yours {mine.BitRate}. See README §Probe.");
            if (mine.Kind == "video")
            {
                Assert.True(s.GetProperty("width").GetInt32() == mine.Width && s.GetProperty("height").GetInt32() == mine.Height,
                    $"{where}: size should be {s.GetProperty("width")}×{s.GetProperty("height")}, yours {mine.Width}×{mine.Height}. See README §Probe.");
                var fps = s.GetProperty("avg_frame_rate").GetString()!.Split('/').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
                Assert.True(mine.FrameRate is { } f && Math.Abs(f - fps[0] / fps[1]) < 1e-6, $"{where}: frame rate should be {fps[0] / fps[1]} (avg_frame_rate), yours {mine.FrameRate}. See README §Probe.");
            }
            else if (mine.Kind == "audio")
            {
                Assert.True(Num(s, "sample_rate") == mine.SampleRate && s.GetProperty("channels").GetInt32() == mine.Channels,
                    $"{where}: audio should be {Num(s, "sample_rate")} Hz, {s.GetProperty("channels")} ch; yours {mine.SampleRate} Hz, {mine.Channels} ch. See README §Probe.");
            }
        }
    }

    [Theory(Timeout = Timeout)]
    [InlineData("bframes.mp4", "bframes")]
    [InlineData("no-bframes.ts", "no-bframes")]
    public async Task Gop_is_measured_from_the_packets(string clip, string oracle)
    {
        var summary = await Probe.SummarizeAsync(Oracle.Clip(clip), cancellationToken: TestContext.Current.CancellationToken);
        var packets = Oracle.CommittedPackets(oracle);
        var gop = summary.Gop ?? throw new Xunit.Sdk.XunitException($"{clip} has a video stream, so the summary needs a Gop. See README §GOP.");

        Assert.True(packets.Count == gop.FrameCount, $"ffprobe lists {packets.Count} video packets in {clip}; your GOP counts {gop.FrameCount}. See README §GOP.");
        var keys = packets.Select((p, i) => (p, i)).Where(x => x.p.Key).Select(x => x.i).ToList();
        Assert.True(keys.SequenceEqual(gop.KeyframeIndices),
            $"Keyframes (packets flagged K by ffprobe) are at packets [{string.Join(", ", keys)}]; yours [{string.Join(", ", gop.KeyframeIndices)}]. See README §GOP.");
        var keyTimes = packets.Where(p => p.Key).Select(p => p.Time!.Value).ToList();
        Assert.True(keyTimes.Zip(gop.KeyframeTimes).All(x => Math.Abs(x.First - x.Second.TotalSeconds) < 0.0005) && keyTimes.Count == gop.KeyframeTimes.Count,
            $"Keyframe times should be [{string.Join(", ", keyTimes)}] s (pts_time); yours [{string.Join(", ", gop.KeyframeTimes.Select(t => t.TotalSeconds))}]. See README §GOP.");
        var lengths = keys.Zip(keys.Skip(1)).Select(x => x.Second - x.First).ToList();
        Assert.True(lengths.SequenceEqual(gop.GopLengths), $"GOP lengths should be [{string.Join(", ", lengths)}]; yours [{string.Join(", ", gop.GopLengths)}]. See README §GOP.");
        Assert.True(lengths.Distinct().Count() == 1 && gop.FixedGopLength == lengths[0],
            $"Every GOP of {clip} has {lengths[0]} frames (make.sh: -g, -sc_threshold 0), so FixedGopLength is {lengths[0]}; yours {gop.FixedGopLength}. See README §GOP.");

        // The oracle for reordering: ffprobe's picture types. Each B picture is shown before a picture decoded before it.
        int bFrames = Oracle.CommittedPictureTypes(oracle).Count(c => c == 'B');
        Assert.True(bFrames == gop.BFrameCount && gop.HasBFrames == (bFrames > 0),
            $"ffprobe -show_frames finds {bFrames} B pictures in {clip}; from the packets' pts you counted {gop.BFrameCount}. " +
            "A B-frame is a packet whose pts is smaller than the largest pts decoded before it. See README §GOP.");

        double expectedRate = packets.Sum(p => (long)p.Size) * 8.0 * 25 / packets.Count;
        Assert.True(Math.Abs(gop.MeasuredBitRate - expectedRate) <= 1,
            $"Measured video bit rate: the packets hold {packets.Sum(p => (long)p.Size)} bytes over {packets.Count} frames at 25 fps = {expectedRate:0} b/s; yours {gop.MeasuredBitRate}. See README §GOP.");
    }

    [Fact(Timeout = Timeout)]
    public async Task A_missing_file_is_a_ToolboxException_that_names_it()
    {
        string missing = Path.Combine(Path.GetTempPath(), "lab00-no-such-clip.mp4");
        var error = await Expect.ToolboxErrorAsync(Probe.SummarizeAsync(missing, cancellationToken: TestContext.Current.CancellationToken), "a missing file");
        Assert.True(error.Problem == ToolboxProblem.InputMissing, $"A missing file is ToolboxProblem.InputMissing; yours said {error.Problem}. See README §Errors.");
        Assert.True(error.Path == missing && error.Message.Contains("lab00-no-such-clip.mp4", StringComparison.Ordinal),
            $"The exception must name the missing file (Path and message); message was: {error.Message}. See README §Errors.");
    }

    [Fact(Timeout = Timeout)]
    public async Task A_file_that_is_not_media_is_a_ToolboxException_with_ffprobes_words()
    {
        string text = Oracle.Clip("not-media.txt");
        var error = await Expect.ToolboxErrorAsync(Probe.SummarizeAsync(text, cancellationToken: TestContext.Current.CancellationToken), "a text file");
        Assert.True(error.Problem == ToolboxProblem.NotMedia, $"A text file is ToolboxProblem.NotMedia; yours said {error.Problem}: {error.Message}. See README §Errors.");
        Assert.True(error.Message.Contains("Invalid data", StringComparison.Ordinal),
            $"Say what ffprobe said (\"Invalid data found when processing input\"), so the learner knows it is the file, not the code. Yours: {error.Message}. See README §Errors.");
        Assert.True(error.ToolOutput.Any(line => line.Contains("Invalid data", StringComparison.Ordinal)),
            $"ToolOutput carries the lines ffprobe printed (FFProbeProcessException.StandardError); yours: [{string.Join(" | ", error.ToolOutput)}]. See README §Errors.");
    }

    [Fact(Timeout = Timeout)]
    public async Task A_missing_ffmpeg_is_a_ToolboxException_with_the_install_command()
    {
        using var empty = Oracle.Temp();
        var options = new ToolboxOptions { BinaryFolder = empty.Path };
        var error = await Expect.ToolboxErrorAsync(Probe.SummarizeAsync(Oracle.Clip("bframes.mp4"), options, TestContext.Current.CancellationToken), "an empty binary folder");
        Assert.True(error.Problem == ToolboxProblem.FfmpegMissing, $"No ffmpeg in the binary folder is ToolboxProblem.FfmpegMissing; yours said {error.Problem}: {error.Message}. See README §Errors.");
        Assert.True(error.Message.Contains("apt-get install", StringComparison.Ordinal) && error.Message.Contains(empty.Path, StringComparison.Ordinal),
            $"Say where you looked and how to install ffmpeg (FfmpegTools.InstallHint). Yours: {error.Message}. See README §Errors.");
    }

    [Fact(Timeout = Timeout)]
    public void Locate_uses_the_binary_folder_it_is_given_and_else_the_PATH_folder_with_both_tools()
    {
        string ffmpeg = RealTools.Ffmpeg(), ffprobe = RealTools.Ffprobe();
        string folder = Path.GetDirectoryName(ffmpeg)!;
        Assert.True(Path.GetDirectoryName(ffprobe) == folder, $"This machine has ffmpeg in {folder} but ffprobe in {Path.GetDirectoryName(ffprobe)}: install them together (README §Errors).");

        var given = FfmpegTools.Locate(new ToolboxOptions { BinaryFolder = folder });
        Assert.True(given.BinaryFolder == Path.GetFullPath(folder),
            $"Given BinaryFolder '{folder}', which holds ffmpeg and ffprobe, Locate must return FFOptions with BinaryFolder '{Path.GetFullPath(folder)}'; yours '{given.BinaryFolder}'. " +
            "An empty BinaryFolder makes FFMpegCore run whatever ffmpeg PATH has. See README §Errors.");

        var fromPath = FfmpegTools.Locate(null);
        Assert.True(HasTool(fromPath.BinaryFolder, "ffmpeg") && HasTool(fromPath.BinaryFolder, "ffprobe"),
            $"Without a BinaryFolder, Locate returns the PATH folder that holds ffmpeg and ffprobe (here {folder}); yours '{fromPath.BinaryFolder}'. See README §Errors.");
    }

    [Fact(Timeout = Timeout)]
    public async Task An_audio_only_file_is_summarized_without_a_gop()
    {
        using var temp = Oracle.Temp();
        string audio = temp.File("tone.m4a");
        await Oracle.MakeAsync("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "1", "-c:a", "aac", "-b:a", "64k", audio);
        var summary = await Probe.SummarizeAsync(audio, cancellationToken: TestContext.Current.CancellationToken);
        var kinds = summary.Streams.Select(s => s.Kind).ToList();
        Assert.True(kinds.SequenceEqual(["audio"]) && summary.Streams[0].SampleRate == 44100,
            $"ffmpeg made tone.m4a with one 44100 Hz audio stream and no video; your summary lists [{string.Join(", ", kinds)}]. An audio file is media (README §Errors: NotMedia is for no audio *or* video).");
        Assert.True(summary.Gop is null, "tone.m4a has no video stream, so there is no GOP to measure: Gop must be null. See README §Probe.");
    }

    [Fact(Timeout = Timeout)]
    public async Task Streams_other_than_audio_and_video_are_listed_too()
    {
        using var temp = Oracle.Temp();
        string subtitles = temp.File("words.srt"), mixed = temp.File("mixed.mkv");
        await File.WriteAllTextAsync(subtitles, "1\n00:00:00,000 --> 00:00:00,800\nHello\n\n", TestContext.Current.CancellationToken);
        await Oracle.MakeAsync("-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25", "-i", subtitles, "-t", "1", "-map", "0:v", "-map", "1:s",
            "-c:v", "libx264", "-preset", "ultrafast", "-c:s", "srt", mixed);
        var expected = (await Oracle.FormatAndStreamsAsync(mixed)).GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("codec_type").GetString()).ToList();
        var summary = await Probe.SummarizeAsync(mixed, cancellationToken: TestContext.Current.CancellationToken);
        var kinds = summary.Streams.Select(s => s.Kind).ToList();
        Assert.True(kinds.SequenceEqual(expected),
            $"ffprobe lists the streams [{string.Join(", ", expected)}] in mixed.mkv; yours [{string.Join(", ", kinds)}]. A file with video and subtitles is media: it needs *an* audio or video stream, not only those. See README §Probe.");
        Assert.True(summary.Gop is { FrameCount: 25 }, $"mixed.mkv has 25 video frames (1 s at 25 fps); your Gop counts {summary.Gop?.FrameCount.ToString(CultureInfo.InvariantCulture) ?? "nothing (null)"}. See README §GOP.");
    }

    [Fact(Timeout = Timeout)]
    public async Task A_file_without_audio_or_video_is_NotMedia()
    {
        using var temp = Oracle.Temp();
        string subtitles = temp.File("only-words.srt");
        await File.WriteAllTextAsync(subtitles, "1\n00:00:00,000 --> 00:00:00,800\nHello\n\n", TestContext.Current.CancellationToken);
        var streams = (await Oracle.FormatAndStreamsAsync(subtitles)).GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("codec_type").GetString()).ToList();
        Assert.True(streams.SequenceEqual(["subtitle"]), $"ffprobe should open an .srt file as one subtitle stream; it lists [{string.Join(", ", streams)}].");
        var error = await Expect.ToolboxErrorAsync(Probe.SummarizeAsync(subtitles, cancellationToken: TestContext.Current.CancellationToken), "a subtitle file (ffprobe opens it, but it has no audio or video)");
        Assert.True(error.Problem == ToolboxProblem.NotMedia && error.Path == subtitles,
            $"ffprobe opens only-words.srt but finds only a subtitle stream: ToolboxProblem.NotMedia about that file; yours {error.Problem} about '{error.Path}'. See README §Errors.");
        Assert.True(error.Message.Contains("only-words.srt", StringComparison.Ordinal),
            $"The message names the file and says it has no audio or video; yours: {error.Message}. See README §Errors.");
    }

    [Theory(Timeout = Timeout)]
    [InlineData("one GOP", new[] { "-g", "1000" })]
    [InlineData("GOPs of 10 and 20 frames", new[] { "-g", "1000", "-force_key_frames", "0,0.4,1.2" })]
    public async Task Fixed_gop_length_is_null_unless_every_gop_has_the_same_length(string what, string[] keyframeOptions)
    {
        using var temp = Oracle.Temp();
        string clip = temp.File("gops.mp4");
        await Oracle.MakeAsync(["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-sc_threshold", "0", .. keyframeOptions, clip]);
        var packets = await Oracle.PacketsAsync(clip);
        var keys = packets.Select((p, i) => (p, i)).Where(x => x.p.Key).Select(x => x.i).ToList();
        var lengths = keys.Zip(keys.Skip(1)).Select(x => x.Second - x.First).ToList();
        Assert.True(lengths.Distinct().Count() != 1, $"The test's clip ({what}) should not have one fixed GOP length; ffprobe finds keyframes at [{string.Join(", ", keys)}].");

        var summary = await Probe.SummarizeAsync(clip, cancellationToken: TestContext.Current.CancellationToken);
        var gop = summary.Gop ?? throw new Xunit.Sdk.XunitException("The clip has a video stream, so the summary needs a Gop. See README §GOP.");
        Assert.True(keys.SequenceEqual(gop.KeyframeIndices) && lengths.SequenceEqual(gop.GopLengths),
            $"ffprobe finds keyframes at packets [{string.Join(", ", keys)}], GOP lengths [{string.Join(", ", lengths)}]; yours [{string.Join(", ", gop.KeyframeIndices)}], [{string.Join(", ", gop.GopLengths)}]. See README §GOP.");
        Assert.True(gop.FixedGopLength is null,
            $"{what} (GOP lengths [{string.Join(", ", lengths)}]): there is no one length every GOP has, so FixedGopLength is null; yours {gop.FixedGopLength}. See README §GOP.");
    }

    [Fact(Timeout = Timeout)]
    public void Measured_bit_rate_is_0_without_packets_or_a_frame_rate()
    {
        var packets = Oracle.Committed("bframes.packets.json").GetProperty("packets").EnumerateArray().Select(p => new VideoPacket(
            p.GetProperty("pts").GetInt64(), p.GetProperty("dts").GetInt64(),
            TimeSpan.FromSeconds(double.Parse(p.GetProperty("pts_time").GetString()!, CultureInfo.InvariantCulture)),
            p.GetProperty("flags").GetString()!.Contains('K', StringComparison.Ordinal),
            int.Parse(p.GetProperty("size").GetString()!, CultureInfo.InvariantCulture))).ToList();
        foreach (double fps in new[] { 0.0, -25.0 })
        {
            var gop = GopAnalysis.Measure(packets, fps);
            Assert.True(gop.MeasuredBitRate == 0 && gop.FrameCount == packets.Count,
                $"bframes.mp4's {packets.Count} packets at frame rate {fps}: no frame rate is known, so MeasuredBitRate is 0; yours {gop.MeasuredBitRate} ({gop.FrameCount} frames). See README §GOP.");
        }

        var empty = GopAnalysis.Measure([], 25);
        Assert.True(empty is { FrameCount: 0, MeasuredBitRate: 0, FixedGopLength: null, BFrameCount: 0 } && empty.KeyframeIndices.Count == 0 && empty.GopLengths.Count == 0,
            $"No packets: 0 frames, no keyframes, no GOP, bit rate 0; yours {empty.FrameCount} frames, bit rate {empty.MeasuredBitRate}, FixedGopLength {empty.FixedGopLength}. See README §GOP.");
    }

    [Fact(Timeout = Timeout)]
    public async Task The_try_tool_prints_the_summary()
    {
        var output = new StringWriter();
        int code = await ToolboxTryTool.RunAsync([Oracle.Clip("bframes.mp4")], output, TestContext.Current.CancellationToken);
        string text = output.ToString();
        Assert.True(code == 0, $"workbook try 00 testdata/00-ffmpeg-toolbox/bframes.mp4 should exit 0; it exited {code}:\n{text}\nSee README §Probe.");
        foreach (var expected in new[] { "h264 (High)", "320×180", "fixed, 25 frames", "B-frames   yes" })
        {
            Assert.True(text.Contains(expected, StringComparison.Ordinal), $"The try tool's output should contain '{expected}':\n{text}\nSee README §Probe.");
        }
    }

    private static bool HasTool(string folder, string tool) =>
        !string.IsNullOrEmpty(folder) && (File.Exists(Path.Combine(folder, tool)) || File.Exists(Path.Combine(folder, tool + ".exe")));

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static long? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? long.Parse(v.GetString()!, CultureInfo.InvariantCulture) : null;
}

/// <summary>M1: ffmpeg missing from PATH. Changes the process's PATH, so it runs alone, after the tests that run in parallel.</summary>
[Trait("Milestone", "M1 probe")]
[Collection(nameof(ChangesPath))]
public sealed class M1PathTests
{
    [Fact(Timeout = 30_000)]
    public void Without_ffmpeg_on_PATH_Locate_says_how_to_install_it()
    {
        using var empty = Oracle.Temp();
        foreach (var path in new[] { empty.Path, null })   // a PATH without ffmpeg, and no PATH at all
        {
            string given = path is null ? "no PATH variable" : $"PATH = {path} (no ffmpeg there)";
            string? saved = Environment.GetEnvironmentVariable("PATH");
            ToolboxException? error = null;
            Exception? other = null;
            try
            {
                Environment.SetEnvironmentVariable("PATH", path);
                FfmpegTools.Locate(null);
            }
            catch (ToolboxException e)
            {
                error = e;
            }
            catch (Exception e)
            {
                other = e;
            }
            finally
            {
                Environment.SetEnvironmentVariable("PATH", saved);
            }

            Assert.True(other is null, $"With {given}, Locate(null) throws ToolboxException(FfmpegMissing); yours threw {other?.GetType().Name}: {other?.Message}. See README §Errors.");
            Assert.True(error is not null, $"With {given}, Locate(null) must throw ToolboxException(FfmpegMissing); yours returned normally. See README §Errors.");
            Assert.True(error.Problem == ToolboxProblem.FfmpegMissing && error.Message.Contains("apt-get install", StringComparison.Ordinal),
                $"With {given}: FfmpegMissing, with the install command (FfmpegTools.InstallHint) in the message; yours {error.Problem}: {error.Message}. See README §Errors.");
        }
    }
}

/// <summary>Tests that change process-wide state (PATH) run alone.</summary>
[CollectionDefinition(nameof(ChangesPath), DisableParallelization = true)]
public sealed class ChangesPath;
