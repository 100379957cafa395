namespace Lab06.YuvDct.Tests;

/// <summary>M1: raw frames — plane sizes, the I420/NV12/4:2:2/4:4:4 layouts of files ffmpeg wrote, crop, chroma resampling.</summary>
public class M1RawFrameTests
{
    private const string Milestone = "M1 raw frames";

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(ChromaFormat.Yuv420, 33, 17, 17, 9)]
    [InlineData(ChromaFormat.Yuv420, 64, 48, 32, 24)]
    [InlineData(ChromaFormat.Yuv420, 1, 1, 1, 1)]
    [InlineData(ChromaFormat.Yuv422, 33, 17, 17, 17)]
    [InlineData(ChromaFormat.Yuv444, 33, 17, 33, 17)]
    public void Chroma_planes_round_odd_sizes_up(ChromaFormat format, int width, int height, int chromaWidth, int chromaHeight)
    {
        var size = FrameLayout.ChromaSize(format, width, height);
        Assert.True(size == (chromaWidth, chromaHeight),
            $"{format} chroma of a {width}×{height} frame: expected {chromaWidth}×{chromaHeight} (halved sizes round UP so the chroma covers every pixel), got {size.Width}×{size.Height}. See README §Plane sizes.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(RawLayout.I420, "odd-33x17.yuv420p.yuv")]
    [InlineData(RawLayout.Nv12, "odd-33x17.nv12.yuv")]
    [InlineData(RawLayout.I422, "odd-33x17.yuv422p.yuv")]
    [InlineData(RawLayout.I444, "odd-33x17.yuv444p.yuv")]
    public void Frame_size_is_the_size_of_the_file_ffmpeg_wrote(RawLayout layout, string file)
    {
        int expected = Files.Bytes(file).Length;
        int actual = FrameLayout.FrameSize(layout, 33, 17);
        Assert.True(expected == actual, $"ffmpeg wrote a 33×17 {layout} frame in {expected} bytes ({file}); FrameSize says {actual}. See README §Plane sizes.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(RawLayout.I420, "odd-33x17.yuv420p.yuv")]
    [InlineData(RawLayout.Nv12, "odd-33x17.nv12.yuv")]
    [InlineData(RawLayout.I422, "odd-33x17.yuv422p.yuv")]
    [InlineData(RawLayout.I444, "odd-33x17.yuv444p.yuv")]
    public void Read_then_write_gives_back_the_same_bytes(RawLayout layout, string file)
    {
        var bytes = Files.Bytes(file);
        var frame = RawYuv.Read(bytes, 33, 17, layout);
        HexDiff.AssertEqual(bytes, RawYuv.Write(frame, layout), $"{file} read as {layout} then written again", "README §Layouts");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Every_layout_holds_the_same_luma()
    {
        // ffmpeg computes Y' the same way whatever the chroma format: the Y planes of the four files agree.
        var luma = Files.Bytes("odd-33x17.yuv420p.yuv")[..(33 * 17)];
        foreach (var (layout, file) in new[] { (RawLayout.Nv12, "odd-33x17.nv12.yuv"), (RawLayout.I422, "odd-33x17.yuv422p.yuv"), (RawLayout.I444, "odd-33x17.yuv444p.yuv") })
        {
            var frame = RawYuv.Read(Files.Bytes(file), 33, 17, layout);
            Assert.True(frame.Width == 33 && frame.Height == 17, $"{file}: expected a 33×17 frame, got {frame.Width}×{frame.Height}. See README §Layouts.");
            HexDiff.AssertEqual(luma, frame.Y.Samples, $"the Y plane of {file}", "README §Layouts");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Nv12_interleaves_the_chroma_of_I420()
    {
        var i420 = Files.Bytes("odd-33x17.yuv420p.yuv");
        var frame = RawYuv.Read(Files.Bytes("odd-33x17.nv12.yuv"), 33, 17, RawLayout.Nv12);
        HexDiff.AssertEqual(Files.PlanarPlane(i420, 33, 17, 17, 9, 1), frame.Cb.Samples, "Cb read from NV12 (the even bytes after Y) vs ffmpeg's I420 Cb plane", "README §Layouts");
        HexDiff.AssertEqual(Files.PlanarPlane(i420, 33, 17, 17, 9, 2), frame.Cr.Samples, "Cr read from NV12 (the odd bytes after Y) vs ffmpeg's I420 Cr plane", "README §Layouts");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void I420_written_as_NV12_is_what_ffmpeg_writes()
    {
        var frame = RawYuv.Read(Files.Bytes("odd-33x17.yuv420p.yuv"), 33, 17, RawLayout.I420);
        HexDiff.AssertEqual(Files.Bytes("odd-33x17.nv12.yuv"), RawYuv.Write(frame, RawLayout.Nv12), "the I420 frame written as NV12 (ffmpeg -pix_fmt nv12)", "README §Layouts");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Crop_takes_the_luma_rectangle_and_the_chroma_that_covers_it()
    {
        var bytes = Files.Bytes("odd-33x17.yuv420p.yuv");
        var frame = RawYuv.Read(bytes, 33, 17, RawLayout.I420);
        var crop = frame.Crop(4, 2, 9, 7);
        Assert.True(crop.Width == 9 && crop.Height == 7, $"Crop(4, 2, 9, 7): expected 9×7, got {crop.Width}×{crop.Height}. See README §Crop.");
        Assert.True(crop.Cb.Width == 5 && crop.Cb.Height == 4, $"A 9×7 4:2:0 crop has 5×4 chroma; got {crop.Cb.Width}×{crop.Cb.Height}. See README §Crop.");
        for (int y = 0; y < 7; y++)
        {
            for (int x = 0; x < 9; x++)
            {
                byte expected = bytes[(2 + y) * 33 + 4 + x];
                Assert.True(crop.Y[x, y] == expected, $"Crop Y at ({x},{y}) must be the source's ({4 + x},{2 + y}) = {expected}; got {crop.Y[x, y]}. See README §Crop.");
            }
        }

        var cr = Files.PlanarPlane(bytes, 33, 17, 17, 9, 2);
        for (int y = 0; y < 4; y++)
        {
            for (int x = 0; x < 5; x++)
            {
                byte expected = cr[(1 + y) * 17 + 2 + x];
                Assert.True(crop.Cr[x, y] == expected, $"Crop Cr at ({x},{y}) must be the source chroma's ({2 + x},{1 + y}) = {expected} (luma offset / 2); got {crop.Cr[x, y]}. See README §Crop.");
            }
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Downsampling_to_420_averages_2x2_like_ffmpeg_area()
    {
        var full = RawYuv.Read(Files.Bytes("bars-64x48.yuv444p.yuv"), 64, 48, RawLayout.I444);
        var expected = Files.Bytes("bars-64x48.area.yuv420p.yuv");
        HexDiff.AssertEqual(expected, RawYuv.Write(ChromaResampler.Convert(full, ChromaFormat.Yuv420), RawLayout.I420),
            "4:4:4 → 4:2:0 vs ffmpeg -sws_flags area (each chroma sample = (a+b+c+d+2)/4)", "README §Chroma subsampling");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Downsampling_to_422_averages_pairs_like_ffmpeg_area()
    {
        var full = RawYuv.Read(Files.Bytes("bars-64x48.yuv444p.yuv"), 64, 48, RawLayout.I444);
        var expected = Files.Bytes("bars-64x48.area.yuv422p.yuv");
        HexDiff.AssertEqual(expected, RawYuv.Write(ChromaResampler.Convert(full, ChromaFormat.Yuv422), RawLayout.I422),
            "4:4:4 → 4:2:2 vs ffmpeg -sws_flags area (each chroma sample = (a+b+1)/2)", "README §Chroma subsampling");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Upsampling_to_444_repeats_samples_like_ffmpeg_neighbor()
    {
        var sub = RawYuv.Read(Files.Bytes("bars-64x48.area.yuv420p.yuv"), 64, 48, RawLayout.I420);
        var expected = Files.Bytes("bars-64x48.neighbor.yuv444p.yuv");
        HexDiff.AssertEqual(expected, RawYuv.Write(ChromaResampler.Convert(sub, ChromaFormat.Yuv444), RawLayout.I444),
            "4:2:0 → 4:4:4 vs ffmpeg -sws_flags neighbor (each chroma sample repeated over its 2×2 block)", "README §Chroma subsampling");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(866)]
    [InlineData(868)]
    [InlineData(0)]
    [InlineData(1734)]
    public void A_buffer_of_the_wrong_length_is_refused(int length)
    {
        var error = Record.Exception(() => RawYuv.Read(new byte[length], 33, 17, RawLayout.I420));
        Assert.True(error is YuvException { ParamName: "data" } e && Equals(e.Value, length) && e.Message.Contains("867", StringComparison.Ordinal),
            $"Reading {length} bytes as one 33×17 I420 frame (867 bytes) must throw YuvException with ParamName \"data\", Value {length} and a message naming 867; got {Describe(error)}. See README §Bad input.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(0, 17, "width")]
    [InlineData(-33, 17, "width")]
    [InlineData(33, 0, "height")]
    [InlineData(33, -1, "height")]
    [InlineData(100_000, 2, "width")]
    public void Zero_negative_and_huge_sizes_are_refused(int width, int height, string param)
    {
        foreach (var act in new Action[]
                 {
                     () => FrameLayout.FrameSize(RawLayout.I420, width, height),
                     () => RawYuv.Read(new byte[16], width, height, RawLayout.Nv12),
                 })
        {
            var error = Record.Exception(act);
            Assert.True(error is YuvException e && e.ParamName == param,
                $"A {width}×{height} frame must be refused with YuvException naming \"{param}\"; got {Describe(error)}. See README §Bad input.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Chroma_planes_of_the_wrong_size_are_refused()
    {
        var error = Record.Exception(() => new YuvFrame(ChromaFormat.Yuv420, new Plane(8, 8), new Plane(3, 4), new Plane(4, 4)));
        Assert.True(error is YuvException { ParamName: "cb" },
            $"An 8×8 4:2:0 frame with a 3×4 Cb plane (it must be 4×4) must throw YuvException naming \"cb\"; got {Describe(error)}. See README §Plane sizes.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(ChromaFormat.Yuv420, 3, 2, "x")]
    [InlineData(ChromaFormat.Yuv420, 2, 1, "y")]
    [InlineData(ChromaFormat.Yuv422, 1, 0, "x")]
    public void Crops_at_odd_chroma_offsets_are_refused(ChromaFormat format, int x, int y, string param)
    {
        var frame = YuvFrame.Create(format, 16, 16);
        var error = Record.Exception(() => frame.Crop(x, y, 4, 4));
        Assert.True(error is YuvException e && e.ParamName == param,
            $"Cropping a {format} frame at ({x},{y}) splits a chroma sample: it must throw YuvException naming \"{param}\"; got {Describe(error)}. See README §Crop.");
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(ChromaFormat.Yuv444, 3, 1, 3, 1)]   // no subsampling: chroma at the luma offset
    [InlineData(ChromaFormat.Yuv422, 6, 3, 3, 3)]   // halved horizontally only: (x/2, y), and an odd y is fine
    [InlineData(ChromaFormat.Yuv420, 6, 4, 3, 2)]
    public void Crops_at_a_non_zero_offset_take_the_chroma_that_covers_them(ChromaFormat format, int x, int y, int cx, int cy)
    {
        // Every sample distinct: luma v = 1 + col + 16·row mod 251, chroma its own ramp, so a crop from the wrong place shows.
        var frame = YuvFrame.Create(format, 16, 8);
        for (int row = 0; row < 8; row++) { for (int col = 0; col < 16; col++) { frame.Y[col, row] = (byte)((1 + col + 16 * row) % 251); } }
        for (int row = 0; row < frame.Cb.Height; row++) { for (int col = 0; col < frame.Cb.Width; col++) { frame.Cb[col, row] = (byte)(100 + col + 10 * row); frame.Cr[col, row] = (byte)(200 - col - 7 * row); } }
        var crop = frame.Crop(x, y, 6, 3);
        var (cw, ch) = format switch { ChromaFormat.Yuv444 => (6, 3), ChromaFormat.Yuv422 => (3, 3), _ => (3, 2) };
        Assert.True(crop.Cb.Width == cw && crop.Cb.Height == ch && crop.Cr.Width == cw && crop.Cr.Height == ch, $"A 6×3 {format} crop has {cw}×{ch} chroma; got {crop.Cb.Width}×{crop.Cb.Height}. See README §Plane sizes, §Crop.");
        for (int row = 0; row < 3; row++) { for (int col = 0; col < 6; col++) { Assert.True(crop.Y[col, row] == frame.Y[x + col, y + row], $"{format} Crop({x}, {y}, 6, 3): Y at ({col},{row}) must be the source's ({x + col},{y + row}); got {crop.Y[col, row]}. See README §Crop."); } }
        for (int row = 0; row < ch; row++)
        {
            for (int col = 0; col < cw; col++)
            {
                Assert.True(crop.Cb[col, row] == frame.Cb[cx + col, cy + row] && crop.Cr[col, row] == frame.Cr[cx + col, cy + row],
                    $"{format} Crop({x}, {y}, 6, 3): chroma at ({col},{row}) must be the source chroma's ({cx + col},{cy + row}); got Cb {crop.Cb[col, row]}, Cr {crop.Cr[col, row]} (expected {frame.Cb[cx + col, cy + row]}, {frame.Cr[cx + col, cy + row]}). See README §Crop.");
            }
        }
    }

    [Theory]
    [Trait("Milestone", Milestone)]
    [InlineData(-2, 0, 4, 4)]   // left of the picture
    [InlineData(0, -2, 4, 4)]   // above it
    [InlineData(0, 6, 4, 4)]    // rows 6..9 of 8
    [InlineData(14, 0, 4, 2)]   // columns 14..17 of 16
    [InlineData(0, 0, 0, 4)]    // empty
    [InlineData(0, 0, 4, -2)]
    public void Crop_rectangles_outside_the_picture_are_refused(int x, int y, int width, int height)
    {
        var frame = YuvFrame.Create(ChromaFormat.Yuv444, 16, 8);
        var error = Record.Exception(() => frame.Crop(x, y, width, height));
        Assert.True(error is YuvException, $"Crop({x}, {y}, {width}, {height}) of a 16×8 frame is not a rectangle inside it: it must throw YuvException; got {Describe(error)}. See README §Bad input.");
        var plane = new Plane(16, 8);
        var planeError = Record.Exception(() => plane.Crop(x, y, width, height));
        Assert.True(planeError is YuvException, $"Plane.Crop({x}, {y}, {width}, {height}) of a 16×8 plane: it must throw YuvException; got {Describe(planeError)}. See README §Bad input.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Upsampling_4_2_2_repeats_each_chroma_sample_across_two_columns_of_its_own_row()
    {
        // 4:2:2 chroma is full height: every row has its own samples (README §Chroma subsampling: "repeat each sample over the pixels it covers").
        var chroma = new Plane(2, 3);
        for (int row = 0; row < 3; row++) { for (int col = 0; col < 2; col++) { chroma[col, row] = (byte)(10 * (row + 1) + col); } }
        var full = ChromaResampler.Upsample(chroma, ChromaFormat.Yuv422, 4, 3);
        Assert.True(full.Width == 4 && full.Height == 3, $"4:2:2 chroma 2×3 of a 4×3 frame upsamples to 4×3; got {full.Width}×{full.Height}. See README §Chroma subsampling.");
        for (int row = 0; row < 3; row++)
        {
            for (int col = 0; col < 4; col++)
            {
                Assert.True(full[col, row] == chroma[col / 2, row], $"Upsampled 4:2:2 at ({col},{row}) covers chroma ({col / 2},{row}) = {chroma[col / 2, row]}; got {full[col, row]}. See README §Chroma subsampling.");
            }
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Crops_outside_the_frame_are_refused()
    {
        var frame = YuvFrame.Create(ChromaFormat.Yuv444, 16, 16);
        var error = Record.Exception(() => frame.Crop(10, 0, 8, 4));
        Assert.True(error is YuvException, $"Crop(10, 0, 8, 4) of a 16-wide frame reaches column 17: it must throw YuvException; got {Describe(error)}. See README §Crop.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Fuzzed_lengths_and_sizes_never_crash()
    {
        var random = new Random(606);
        for (int i = 0; i < 300; i++)
        {
            int width = random.Next(-4, 40), height = random.Next(-4, 40), length = random.Next(0, 3000);
            var layout = (RawLayout)random.Next(4);
            var data = new byte[length];
            random.NextBytes(data);
            var error = Record.Exception(() => RawYuv.Read(data, width, height, layout));
            bool fits = width > 0 && height > 0 && length == Spec.FrameSize(layout, width, height);
            Assert.True(fits ? error is null : error is YuvException,
                $"RawYuv.Read({length} bytes, {width}×{height}, {layout}): expected {(fits ? "a frame" : "YuvException")}, got {Describe(error)}. See README §Bad input.");
        }
    }

    internal static string Describe(Exception? error) => error is null ? "no exception" : $"{error.GetType().Name} (ParamName {(error as ArgumentException)?.ParamName ?? "null"}): {error.Message}";
}
