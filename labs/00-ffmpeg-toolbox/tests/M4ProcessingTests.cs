using System.Globalization;

namespace Lab00.FfmpegToolbox.Tests;

/// <summary>M4: watermarks, thumbnails and keyframe cuts, checked on pixels and packets that ffmpeg and ffprobe give the test.</summary>
[Trait("Milestone", "M4 processing")]
public sealed class M4ProcessingTests
{
    private const int Timeout = 60_000;
    private const int Width = 320, Height = 180;
    private static readonly string Clip = Oracle.Clip("bframes.mp4");

    /// <summary>What an output file holds before the test runs: processing replaces it (ffmpeg -y).</summary>
    private const string OldFile = "an output of an earlier run, to be replaced";

    [Fact(Timeout = Timeout)]
    public async Task Image_watermark_turns_its_region_red_and_leaves_the_rest()
    {
        using var temp = Oracle.Temp();
        string output = temp.File("logo.mp4");
        await File.WriteAllTextAsync(output, OldFile, TestContext.Current.CancellationToken);   // an earlier output is replaced (README §Processing)
        const int x = 200, y = 100;   // logo.png is 40×24 pure red
        await Processing.WatermarkImageAsync(Clip, Oracle.Clip("logo.png"), output, x, y, cancellationToken: TestContext.Current.CancellationToken);

        var at = TimeSpan.FromSeconds(1);
        var marked = await Oracle.DecodeRgbAsync(output, at);
        var source = await Oracle.DecodeRgbAsync(Clip, at);
        Assert.True(marked.Length == Width * Height * 3, $"The output should stay {Width}×{Height}; a decoded frame has {marked.Length} bytes. See README §Processing.");
        // Inside the logo, 4 pixels in from its edges (4:2:0 chroma blurs the border): red.
        var (r, g, b) = Mean(marked, x + 4, y + 4, 32, 16);
        Assert.True(r > 220 && g < 40 && b < 40, $"Inside the logo's place ({x},{y}) 40×24 the frame should be red (255,0,0); its mean is ({r:0},{g:0},{b:0}). See README §Processing.");
        var (sr, sg, sb) = Mean(source, x + 4, y + 4, 32, 16);
        Assert.True(Math.Abs(sr - r) + Math.Abs(sg - g) + Math.Abs(sb - b) > 60, $"The source there is ({sr:0},{sg:0},{sb:0}): the watermark must change it. See README §Processing.");
        // Away from the logo (the top 80 rows) the picture is the source's, re-encoded at high quality.
        double diff = MeanAbsDiff(marked, source, 0, 0, Width, 80);
        Assert.True(diff < 6, $"Away from the logo the picture should be the source's (mean difference {diff:0.0} per sample). Overlay the image on the video, not the other way round. See README §Processing.");
        var probe = await Oracle.FormatAndStreamsAsync(output);
        Assert.True(probe.GetProperty("streams").EnumerateArray().Any(s => s.GetProperty("codec_type").GetString() == "audio"), "The watermarked file keeps the source's audio (copied). See README §Processing.");
    }

    [Fact(Timeout = Timeout)]
    public async Task Drawtext_puts_black_text_on_a_white_box_where_asked()
    {
        using var temp = Oracle.Temp();
        string output = temp.File("text.mp4");
        await File.WriteAllTextAsync(output, OldFile, TestContext.Current.CancellationToken);
        await Processing.DrawTextAsync(Clip, output, "LIVE", 10, 10, 24, cancellationToken: TestContext.Current.CancellationToken);

        var at = TimeSpan.FromSeconds(1);
        var marked = await Oracle.DecodeRgbAsync(output, at);
        var source = await Oracle.DecodeRgbAsync(Clip, at);
        // The box covers the text's extent plus 4 px; sample the area just inside where "LIVE" starts.
        var (white, black) = WhiteAndBlack(marked, 10, 10, 40, 20);
        var (sourceWhite, _) = WhiteAndBlack(source, 10, 10, 40, 20);
        Assert.True(white > 0.4 && black > 0.05 && white - sourceWhite > 0.3,
            $"At (10,10) the frame should be mostly white (the box) with black strokes (the text): {white:P0} white, {black:P0} black (the source had {sourceWhite:P0} white). See README §Processing.");
        double diff = MeanAbsDiff(marked, source, 0, 100, Width, 80);
        Assert.True(diff < 6, $"Below the text the picture should be the source's (mean difference {diff:0.0}). See README §Processing.");
    }

    [Theory(Timeout = Timeout)]
    [InlineData(1.0, true)]
    [InlineData(2.0, false)]
    public async Task Thumbnails_are_the_frames_at_n_times_the_interval(double seconds, bool folderExists)
    {
        using var temp = Oracle.Temp();
        string folder = temp.File("thumbs");
        if (folderExists)
        {
            // A folder that already has other files: only the thumb-NNN.png pictures are thumbnails.
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not a thumbnail", TestContext.Current.CancellationToken);
        }

        var interval = TimeSpan.FromSeconds(seconds);
        var thumbnails = await Processing.ThumbnailsAsync(Clip, folder, interval, cancellationToken: TestContext.Current.CancellationToken);
        // The clip is 3 s long (75 frames at 25 fps): pictures at 0, N, 2N, ... before 3 s.
        var expectedTimes = Enumerable.Range(0, 3).Select(n => n * seconds).Where(t => t < 3).ToList();
        var times = thumbnails.Select(t => t.Time.TotalSeconds).ToList();
        Assert.True(times.SequenceEqual(expectedTimes),
            $"A 3 s clip with a thumbnail every {seconds} s gives thumbnails at [{string.Join(", ", expectedTimes)}] s; yours are at [{string.Join(", ", times)}] s (fps=1/N). See README §Processing.");
        foreach (var (thumbnail, n) in thumbnails.Select((t, n) => (t, n)))
        {
            string name = $"thumb-{n:000}.png";
            Assert.True(thumbnail.Path == Path.Combine(folder, name) && File.Exists(thumbnail.Path),
                $"Thumbnail {n} is {Path.Combine(folder, name)} (-start_number 0 thumb-%03d.png, in the folder, made if missing); yours '{thumbnail.Path}'. See README §Processing.");
            var picture = await Oracle.DecodeRgbAsync(thumbnail.Path, TimeSpan.Zero);
            var expected = await Oracle.DecodeRgbAsync(Clip, thumbnail.Time);
            var neighbour = await Oracle.DecodeRgbAsync(Clip, thumbnail.Time + TimeSpan.FromSeconds(0.04));
            Assert.True(picture.Length == expected.Length, $"Thumbnail at {thumbnail.Time.TotalSeconds} s should be {Width}×{Height}. See README §Processing.");
            double exact = MeanAbsDiff(picture, expected, 0, 0, Width, Height), next = MeanAbsDiff(picture, neighbour, 0, 0, Width, Height);
            Assert.True(exact < 0.5 && exact < next,
                $"The thumbnail for {thumbnail.Time.TotalSeconds} s should be the frame ffmpeg decodes at {thumbnail.Time.TotalSeconds} s (mean difference {exact:0.00}; the next frame differs by {next:0.00}). See README §Processing.");
        }
    }

    [Theory(Timeout = Timeout)]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public async Task A_thumbnail_interval_of_zero_or_less_is_an_ArgumentOutOfRangeException(double seconds)
    {
        using var temp = Oracle.Temp();
        string folder = temp.File("thumbs");
        Exception? error = null;
        try
        {
            await Deadline.Within(Processing.ThumbnailsAsync(Clip, folder, TimeSpan.FromSeconds(seconds), cancellationToken: TestContext.Current.CancellationToken), Expect.Limit, "ThumbnailsAsync");
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            error = e;
        }

        Assert.True(error is ArgumentOutOfRangeException && !Directory.Exists(folder),
            $"An interval of {seconds} s is a mistake in the calling code: ArgumentOutOfRangeException, before anything is made; yours {(error is null ? "returned normally" : $"threw {error.GetType().Name}: {error.Message}")}, folder {(Directory.Exists(folder) ? "made" : "not made")}. See README §Processing.");
    }

    [Theory(Timeout = Timeout)]
    [InlineData("watermark: input")]
    [InlineData("watermark: image")]
    [InlineData("drawtext")]
    [InlineData("thumbnails")]
    [InlineData("trim")]
    public async Task A_missing_input_is_InputMissing_before_ffmpeg_runs(string call)
    {
        using var temp = Oracle.Temp();
        string missing = temp.File("no-such-file.mp4"), output = temp.File("out.mp4");
        var ct = TestContext.Current.CancellationToken;
        Task task = call switch
        {
            "watermark: input" => Processing.WatermarkImageAsync(missing, Oracle.Clip("logo.png"), output, 0, 0, cancellationToken: ct),
            "watermark: image" => Processing.WatermarkImageAsync(Clip, missing, output, 0, 0, cancellationToken: ct),
            "drawtext" => Processing.DrawTextAsync(missing, output, "LIVE", 10, 10, cancellationToken: ct),
            "thumbnails" => Processing.ThumbnailsAsync(missing, temp.Path, TimeSpan.FromSeconds(1), cancellationToken: ct),
            _ => Processing.TrimOnKeyframesAsync(missing, output, TimeSpan.Zero, TimeSpan.FromSeconds(1), cancellationToken: ct),
        };
        var error = await Expect.ToolboxErrorAsync(task, $"{call} of a missing file");
        Assert.True(error.Problem == ToolboxProblem.InputMissing && error.Path == missing && !File.Exists(output),
            $"{call}: a missing file is InputMissing about it ({missing}), found before ffmpeg runs; yours {error.Problem} about '{error.Path}': {error.Message}. See README §Errors.");
    }

    [Theory(Timeout = Timeout)]
    [InlineData("bframes.mp4", 1.3)]
    [InlineData("bframes.mp4", 1.0)]      // exactly on a keyframe: "at or before" takes that one
    [InlineData("no-bframes.ts", 2.3)]    // a file whose timestamps start at 1.4 s: start is a timestamp, not an offset from there
    public async Task Trimming_starts_on_the_keyframe_before_and_copies_the_packets(string clip, double start)
    {
        using var temp = Oracle.Temp();
        string output = temp.File("cut.mp4");
        await File.WriteAllTextAsync(output, OldFile, TestContext.Current.CancellationToken);
        var result = await Processing.TrimOnKeyframesAsync(Oracle.Clip(clip), output, TimeSpan.FromSeconds(start), TimeSpan.FromSeconds(1), cancellationToken: TestContext.Current.CancellationToken);

        var source = Oracle.CommittedPackets(Path.GetFileNameWithoutExtension(clip));
        int key = source.Select((p, i) => (p, i)).Last(x => x.p.Key && x.p.Time <= start).i;
        Assert.True(result.KeyframeIndex == key && Math.Abs(result.KeyframeStart.TotalSeconds - source[key].Time!.Value) < 0.001,
            $"The last keyframe at or before {start} s is packet {key} at {source[key].Time} s (ffprobe); yours packet {result.KeyframeIndex} at {result.KeyframeStart.TotalSeconds} s. See README §Processing.");

        var cut = await Oracle.PacketsAsync(output);
        Assert.True(cut.Count >= 25 && cut[0].Key, $"The cut should start with a keyframe and hold at least 1 s (25 frames): {cut.Count} packets, first {(cut.Count > 0 && cut[0].Key ? "a keyframe" : "not a keyframe")}. start and the keyframe times are timestamps, so -ss needs -seek_timestamp 1. See README §Processing.");
        // Keyframes' sizes are shown as "K": from a TS source their 3-byte Annex B start codes become MP4's 4-byte lengths.
        static string Sizes(IEnumerable<Oracle.Packet> packets) => string.Join(", ", packets.Take(20).Select(p => p.Key ? "K" : p.Size.ToString(CultureInfo.InvariantCulture)));
        string expected = Sizes(source.Skip(key)), got = Sizes(cut);
        Assert.True(expected == got,
            $"A stream copy moves the source's packets untouched: sizes from the keyframe (packet {key}) on are [{expected}], the cut's [{got}]. Use -c copy (CopyStreams), and mind that start is a timestamp (-seek_timestamp 1). See README §Processing.");

        // -avoid_negative_ts make_zero: the cut's timeline starts at 0, no packet of any stream before it.
        var times = (await Oracle.FfprobeJsonAsync(["-show_packets", "-show_entries", "packet=stream_index,pts_time,dts_time", output]))
            .GetProperty("packets").EnumerateArray()
            .SelectMany(p => new[] { "pts_time", "dts_time" }.Where(n => p.TryGetProperty(n, out _)).Select(n => p.GetProperty(n).GetString()!))
            .Where(t => t != "N/A").Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToList();
        Assert.True(times.Count > 0 && times.Min() == 0,
            $"The cut's earliest timestamp (pts or dts, any stream) is 0 (-avoid_negative_ts make_zero); ffprobe finds {(times.Count > 0 ? times.Min() : double.NaN):0.000000} s. See README §Processing.");
    }

    [Fact(Timeout = Timeout)]
    public async Task Trimming_a_file_without_video_is_NotMedia()
    {
        using var temp = Oracle.Temp();
        string audio = temp.File("tone.m4a"), output = temp.File("cut.m4a");
        await Oracle.MakeAsync("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "2", "-c:a", "aac", "-b:a", "64k", audio);
        var error = await Expect.ToolboxErrorAsync(
            Processing.TrimOnKeyframesAsync(audio, output, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.5), cancellationToken: TestContext.Current.CancellationToken),
            "an audio-only file to cut on keyframes");
        Assert.True(error.Problem == ToolboxProblem.NotMedia && error.Path == audio && error.Message.Contains("tone.m4a", StringComparison.Ordinal) && !File.Exists(output),
            $"tone.m4a has no video, so there are no keyframes to cut on: NotMedia about it, naming it, and no output; yours {error.Problem} about '{error.Path}': {error.Message}. See README §Processing.");
    }

    private static (double R, double G, double B) Mean(byte[] rgb, int x0, int y0, int w, int h)
    {
        double r = 0, g = 0, b = 0;
        for (int y = y0; y < y0 + h; y++)
        {
            for (int x = x0; x < x0 + w; x++)
            {
                int i = (y * Width + x) * 3;
                r += rgb[i];
                g += rgb[i + 1];
                b += rgb[i + 2];
            }
        }

        int n = w * h;
        return (r / n, g / n, b / n);
    }

    private static double MeanAbsDiff(byte[] a, byte[] b, int x0, int y0, int w, int h)
    {
        double sum = 0;
        for (int y = y0; y < y0 + h; y++)
        {
            for (int i = (y * Width + x0) * 3; i < (y * Width + x0 + w) * 3; i++)
            {
                sum += Math.Abs(a[i] - b[i]);
            }
        }

        return sum / (w * h * 3);
    }

    private static (double White, double Black) WhiteAndBlack(byte[] rgb, int x0, int y0, int w, int h)
    {
        int white = 0, black = 0;
        for (int y = y0; y < y0 + h; y++)
        {
            for (int x = x0; x < x0 + w; x++)
            {
                int i = (y * Width + x) * 3;
                if (rgb[i] > 200 && rgb[i + 1] > 200 && rgb[i + 2] > 200)
                {
                    white++;
                }
                else if (rgb[i] < 70 && rgb[i + 1] < 70 && rgb[i + 2] < 70)
                {
                    black++;
                }
            }
        }

        return (white / (double)(w * h), black / (double)(w * h));
    }
}
