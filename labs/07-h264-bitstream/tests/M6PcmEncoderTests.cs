using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Lab07.H264Bitstream.Tests;

/// <summary>
/// M6 (stretch): the bit writer and an encoder of I_PCM IDR pictures, checked by the real ffmpeg — its
/// trace_headers reads the headers, ffprobe names profile and size, and its decoder gives back exactly
/// the input frames (README §Bit writer, §I_PCM encoder).
/// </summary>
public partial class M6PcmEncoderTests
{
    private const string Milestone = "M6 I_PCM encoder";

    // testdata/07-h264-bitstream/pcm-100x60.yuv: 3 frames of ffmpeg's testsrc, yuv420p (make.sh). 100×60 is
    // 7×4 macroblocks (112×64) cropped by 12 columns and 4 rows.
    private const int Width = 100, Height = 60, Frames = 3;

    private static readonly TimeSpan ToolLimit = TimeSpan.FromSeconds(30);

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Writer_writes_fixed_bits_and_Exp_Golomb_codes_as_table_9_2()
    {
        var writer = new RbspWriter();
        writer.WriteBits(0b101, 3);
        writer.WriteFlag(false);
        writer.WriteUe(0);
        writer.WriteUe(1);
        writer.WriteUe(2);
        writer.WriteUe(3);
        writer.WriteUe(7);
        writer.WriteUe(25); // mb_type I_PCM
        Assert.True(writer.BitPosition == 3 + 1 + 1 + 3 + 3 + 5 + 7 + 9, $"3 + 1 + 1 + 3 + 3 + 5 + 7 + 9 = 32 bits written; BitPosition says {writer.BitPosition}. See README §Bit writer.");
        writer.WriteTrailingBits();
        HexDiff.AssertEqual(Bits.Of("101 0 1 010 011 00100 0001000 000011010 1 0000000"), writer.ToArray(),
            "u(3)=5, u(1)=0, ue 0, 1, 2, 3, 7, 25 (Table 9-2), then rbsp_trailing_bits", "README §Bit writer");

        var signed = new RbspWriter();
        foreach (int v in new[] { 0, 1, -1, 2, -2, 4 })
        {
            signed.WriteSe(v);
        }

        signed.WriteBits(0xDEADBEEF, 32);
        HexDiff.AssertEqual(Bits.Of("1 010 011 00100 00101 0001000 11011110101011011011111011101111"), signed.ToArray(),
            "se 0, 1, −1, 2, −2, 4 (Table 9-3), then u(32) 0xdeadbeef, padded with zeros", "README §Bit writer");

        var big = new RbspWriter();
        big.WriteUe(uint.MaxValue - 1); // 31 zeros, then 32 bits: the longest code §9.1 allows
        HexDiff.AssertEqual(Bits.Of(new string('0', 31) + new string('1', 32)), big.ToArray(), "ue(2^32 − 2): 31 zeros and 32 ones", "README §Exp-Golomb");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Writer_refuses_values_that_do_not_fit()
    {
        var writer = new RbspWriter();
        Assert.True(Record.Exception(() => writer.WriteBits(8, 3)) is ArgumentOutOfRangeException, "WriteBits(8, 3): 8 needs 4 bits; expected ArgumentOutOfRangeException rather than a silently cut value. See README §Bit writer.");
        Assert.True(Record.Exception(() => writer.WriteBits(0, 33)) is ArgumentOutOfRangeException, "u(n) is at most 32 bits: WriteBits(0, 33) must be an ArgumentOutOfRangeException. See README §Bit writer.");
        Assert.True(Record.Exception(() => writer.WriteUe(uint.MaxValue)) is ArgumentOutOfRangeException, "ue(2^32 − 1) would need 32 leading zeros (§9.1 allows 31): ArgumentOutOfRangeException. See README §Bit writer.");
        Assert.True(Record.Exception(() => writer.WriteSe(int.MinValue)) is ArgumentOutOfRangeException, "se(−2^31) is codeNum 2^32, past ue(v)'s range: ArgumentOutOfRangeException. See README §Bit writer.");
        Assert.True(writer.BitPosition == 0, $"Refused writes write nothing; BitPosition is {writer.BitPosition}. See README §Bit writer.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void I_PCM_macroblock_is_mb_type_25_alignment_then_luma_Cb_Cr_in_raster_order()
    {
        // A 32×16 frame (2×1 macroblocks) whose every sample is different; macroblock (1, 0) is the right half.
        var frame = new byte[I420Frame.SizeOf(32, 16)];
        for (int i = 0; i < frame.Length; i++)
        {
            frame[i] = (byte)(i * 7 + 3);
        }

        var writer = new RbspWriter();
        writer.WriteBits(0b101, 3); // whatever came before: the alignment bits depend on where mb_type ends
        PcmMacroblock.Write(writer, new I420Frame(frame, 32, 16), 1, 0);

        var expected = new List<byte>(Bits.Of("101 000011010 0000")); // mb_type ue(25), then 4 pcm_alignment_zero_bits to bit 16
        for (int y = 0; y < 16; y++)
        {
            expected.AddRange(frame.AsSpan(y * 32 + 16, 16).ToArray()); // luma rows, columns 16–31
        }

        foreach (int plane in new[] { 32 * 16, 32 * 16 + 16 * 8 }) // Cb plane, then Cr plane (16×8 each)
        {
            for (int y = 0; y < 8; y++)
            {
                expected.AddRange(frame.AsSpan(plane + y * 16 + 8, 8).ToArray()); // chroma rows, columns 8–15
            }
        }

        Assert.True(writer.BitPosition == 16 + 384 * 8, $"3 bits + mb_type (9) + alignment (4) + 384 samples × 8 = {16 + 384 * 8} bits; you wrote {writer.BitPosition}. See README §I_PCM.");
        HexDiff.AssertEqual(expected.ToArray(), writer.ToArray(), "macroblock (1, 0) as I_PCM: mb_type, pcm_alignment_zero_bit, 256 luma, 64 Cb, 64 Cr", "README §I_PCM");
    }

    [Theory]
    [InlineData(99, 60, "an odd width")]
    [InlineData(100, 0, "a zero height")]
    [InlineData(-2, 60, "a negative width")]
    [InlineData(17000, 64, "a width over 1055 macroblocks")]
    [InlineData(0, 60, "a zero width")]
    [InlineData(100, 16896, "a height of 1056 macroblocks")]
    [InlineData(16896, 60, "a width of 1056 macroblocks")]
    [Trait("Milestone", Milestone)]
    public void Encoder_refuses_sizes_4_2_0_H264_cannot_code(int width, int height, string what)
    {
        Assert.True(Record.Exception(() => new PcmEncoder(width, height)) is ArgumentException,
            $"new PcmEncoder({width}, {height}): {what} must be an ArgumentException. See README §I_PCM encoder.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Encoder_takes_1055_macroblocks_a_side_and_refuses_frame_rates_and_idr_pic_ids_out_of_range()
    {
        var largest = Record.Exception(() => new PcmEncoder(1055 * 16, 1055 * 16));
        Assert.True(largest is null, $"new PcmEncoder(16880, 16880): 1055 macroblocks a side is the largest size, not an error; got {largest?.GetType().Name}. See README §I_PCM encoder.");
        foreach (int rate in new[] { 0, 1001 })
        {
            Assert.True(Record.Exception(() => new PcmEncoder(Width, Height, rate)) is ArgumentException, $"new PcmEncoder({Width}, {Height}, {rate}): the frame rate is 1–1000; expected an ArgumentException. See README §I_PCM encoder.");
        }

        var encoder = new PcmEncoder(Width, Height);
        var frame = new byte[Width * Height * 3 / 2];
        foreach (int id in new[] { -1, 65536 })
        {
            Assert.True(Record.Exception(() => encoder.WriteIdrSlice(frame, id)) is ArgumentException, $"WriteIdrSlice with idr_pic_id {id}: §7.4.3 allows 0–65535; expected an ArgumentException. See README §I_PCM encoder.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Encoder_refuses_input_that_is_not_whole_frames()
    {
        var encoder = new PcmEncoder(Width, Height);
        int frameSize = Width * Height * 3 / 2;
        Assert.True(Record.Exception(() => encoder.Encode(new byte[frameSize + 1])) is ArgumentException, $"{frameSize + 1} bytes is not a whole number of {frameSize}-byte frames: expected an ArgumentException. See README §I_PCM encoder.");
        Assert.True(Record.Exception(() => encoder.Encode([])) is ArgumentException, "No frames at all: expected an ArgumentException. See README §I_PCM encoder.");
        Assert.True(Record.Exception(() => encoder.WriteIdrSlice(new byte[frameSize - 2], 0)) is ArgumentException, $"WriteIdrSlice with {frameSize - 2} bytes for a {frameSize}-byte frame: expected an ArgumentException. See README §I_PCM encoder.");
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Ffmpeg_decodes_the_stream_back_to_exactly_the_input_frames()
    {
        var yuv = File.ReadAllBytes(Oracle.PathOf("pcm-100x60", ".yuv"));
        Assert.True(yuv.Length == Frames * Width * Height * 3 / 2, "(test) pcm-100x60.yuv holds 3 frames of 100×60 yuv420p.");
        var stream = new PcmEncoder(Width, Height).Encode(yuv);

        var decoded = await DecodeAsync(stream, "pcm-100x60");
        Assert.True(decoded.Length == yuv.Length, $"ffmpeg decoded {decoded.Length} bytes ({decoded.Length / (double)(Width * Height * 3 / 2):0.##} frames of 100×60); the input is {yuv.Length} bytes (3 frames). A wrong size means wrong cropping (README §Cropping); fewer frames, slices ffmpeg could not read.");
        HexDiff.AssertEqual(yuv, decoded, "ffmpeg's decoding of your I_PCM stream (it must equal the input: I_PCM is lossless)", "README §I_PCM encoder");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Writer_grows_past_its_starting_capacity()
    {
        // 300 bytes through a writer that starts with room for 1: nothing may be lost or cut when it outgrows it.
        var writer = new RbspWriter(capacity: 1);
        var expected = new byte[300];
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = (byte)(i * 37 + 11);
            writer.WriteBits((uint)(expected[i] >> 3), 5);
            writer.WriteBits(expected[i] & 7u, 3);
        }

        Assert.True(writer.BitPosition == 2400, $"300 bytes as 5 + 3 bits: BitPosition 2400; got {writer.BitPosition}. See README §Bit writer.");
        HexDiff.AssertEqual(expected, writer.ToArray(), "300 bytes written 5 + 3 bits at a time by a writer created with capacity 1", "README §Bit writer");
    }

    [Theory(Timeout = 60000)]
    [InlineData(100, 32)] // 112×32 coded: cropped on the right only (frame_crop_right_offset 6, bottom 0)
    [InlineData(64, 40)]  // 64×48 coded: cropped at the bottom only (right 0, bottom 4)
    [Trait("Milestone", Milestone)]
    public async Task A_size_cropped_on_one_axis_decodes_back_exactly(int w, int h)
    {
        int size = w * h * 3 / 2;
        var frames = new byte[2 * size];
        for (int i = 0; i < frames.Length; i++)
        {
            frames[i] = (byte)(i * 7 + i / w);
        }

        var stream = new PcmEncoder(w, h).Encode(frames);
        var decoded = await DecodeAsync(stream, $"pcm-{w}x{h}");
        Assert.True(decoded.Length == frames.Length, $"ffmpeg decoded {decoded.Length} bytes; the input is 2 frames of {w}×{h} ({frames.Length} bytes). Only one axis needs cropping here: frame_cropping_flag is 1 when either does (README §I_PCM encoder, §Cropping).");
        HexDiff.AssertEqual(frames, decoded, $"ffmpeg's decoding of your {w}×{h} I_PCM stream", "README §I_PCM encoder");
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task The_smallest_picture_2x2_decodes_back_exactly()
    {
        // 2×2 is the smallest even size: one 16×16 macroblock cropped by 7 crop units on the right and at the bottom; a stream
        // of a few hundred bytes, smaller than any buffer the encoder may start with.
        byte[] frames = [10, 20, 30, 40, 128, 255, 0, 1, 2, 3, 4, 5];
        var stream = new PcmEncoder(2, 2).Encode(frames);
        var decoded = await DecodeAsync(stream, "pcm-2x2");
        HexDiff.AssertEqual(frames, decoded, "ffmpeg's decoding of your 2×2 I_PCM stream (two frames)", "README §I_PCM encoder");
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Samples_that_look_like_start_codes_survive_emulation_prevention()
    {
        // 64×32 (4×2 macroblocks, no cropping), two frames full of 00 00 00, 00 00 01 and 00 00 03 runs, and
        // 0 and 255 at the extremes: without emulation prevention the slice would be cut at the first 00 00 01.
        const int w = 64, h = 32;
        int size = w * h * 3 / 2;
        var frames = new byte[2 * size];
        byte[] pattern = [0, 0, 0, 0, 1, 0, 0, 3, 0, 0, 2, 255, 0, 0];
        for (int i = 0; i < frames.Length; i++)
        {
            frames[i] = i < size ? pattern[i % pattern.Length] : (byte)(i % 5 == 0 ? 255 : 0);
        }

        var stream = new PcmEncoder(w, h).Encode(frames);
        var decoded = await DecodeAsync(stream, "start-code-lookalikes");
        Assert.True(decoded.Length == frames.Length, $"ffmpeg decoded {decoded.Length} bytes; the input is 2 frames of 64×32 ({frames.Length} bytes). Are the 00 00 0x runs escaped? README §Emulation prevention.");
        HexDiff.AssertEqual(frames, decoded, "ffmpeg's decoding of frames full of 00 00 01 and 00 00 03", "README §Emulation prevention");
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Ffprobe_sees_Constrained_Baseline_100x60_yuv420p_at_25_fps()
    {
        var stream = new PcmEncoder(Width, Height).Encode(File.ReadAllBytes(Oracle.PathOf("pcm-100x60", ".yuv")));
        var path = TempFile("probe", stream);
        try
        {
            var probe = await ToolRun.RunAsync(RealTools.Ffprobe(), ["-v", "error", "-count_frames", "-show_streams", "-of", "json", path], ToolLimit, TestContext.Current.CancellationToken);
            Assert.True(probe.ExitCode == 0 && !probe.TimedOut, $"ffprobe failed on your stream (exit {probe.ExitCode}):\n{probe.ErrorTail()}\nSee README §I_PCM encoder.");
            var s = JsonDocument.Parse(probe.StandardOutput).RootElement.GetProperty("streams")[0];
            string Text(string name) => s.GetProperty(name).ValueKind == JsonValueKind.Number ? s.GetProperty(name).GetRawText() : s.GetProperty(name).GetString()!;
            (string Field, string Expected, string Why)[] checks =
            [
                ("codec_name", "h264", "an H.264 stream"),
                ("profile", "Constrained Baseline", "profile_idc 66 with constraint_set1_flag (A.2.1.1)"),
                ("width", "100", "112 coded columns minus frame_crop_right_offset 6 × CropUnitX 2"),
                ("height", "60", "64 coded rows minus frame_crop_bottom_offset 2 × CropUnitY 2"),
                ("coded_width", "112", "7 macroblocks"),
                ("coded_height", "64", "4 macroblocks"),
                ("pix_fmt", "yuv420p", "chroma_format_idc 1 (inferred in Baseline), 8 bits"),
                ("level", "20", "Table A-1: 28 macroblocks at 25 fps fit level 1, but 2.2 Mbit/s of samples need level 2"),
                ("r_frame_rate", "25/1", "VUI time_scale 50 ÷ (2 × num_units_in_tick 1)"),
                ("nb_read_frames", "3", "three frames in, three IDR pictures out"),
            ];
            foreach (var (field, expected, why) in checks)
            {
                Assert.True(Text(field) == expected, $"ffprobe says {field} = {Text(field)}; expected {expected} ({why}). See README §I_PCM encoder.");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Trace_headers_reads_the_parameter_sets_and_slice_headers_as_written()
    {
        var stream = new PcmEncoder(Width, Height).Encode(File.ReadAllBytes(Oracle.PathOf("pcm-100x60", ".yuv")));
        var path = TempFile("trace", stream);
        try
        {
            var run = await ToolRun.RunAsync(RealTools.Ffmpeg(), ["-hide_banner", "-nostats", "-loglevel", "repeat+debug", "-i", path, "-c", "copy", "-bsf:v", "trace_headers", "-f", "null", "-"], ToolLimit, TestContext.Current.CancellationToken);
            Assert.True(run.ExitCode == 0 && !run.TimedOut, $"ffmpeg's trace_headers failed on your stream (exit {run.ExitCode}):\n{run.ErrorTail()}\nSee README §I_PCM encoder.");
            var lines = run.StandardError.Split('\n').Where(l => l.StartsWith("[trace_headers", StringComparison.Ordinal)).Select(l => TracePrefix().Replace(l, "").TrimEnd('\r')).ToArray();
            var trace = Trace.Parse(lines);

            Assert.True(trace.Packets.Count == Frames, $"trace_headers saw {trace.Packets.Count} packets; one per frame is {Frames}. See README §I_PCM encoder.");
            var sps = trace.BlocksTitled("Sequence Parameter Set").FirstOrDefault() ?? throw new Xunit.Sdk.XunitException("trace_headers found no SPS in the first packet: write SPS and PPS before the first slice.");
            var pps = trace.BlocksTitled("Picture Parameter Set").First();
            (TraceBlock Block, string Field, long Expected, string Why)[] checks =
            [
                (sps, "profile_idc", 66, "Baseline"),
                (sps, "constraint_set0_flag", 1, "Baseline's constraints hold"),
                (sps, "constraint_set1_flag", 1, "Constrained Baseline"),
                (sps, "pic_order_cnt_type", 2, "POC from frame_num: no B pictures"),
                (sps, "pic_width_in_mbs_minus1", 6, "ceil(100 / 16) − 1"),
                (sps, "pic_height_in_map_units_minus1", 3, "ceil(60 / 16) − 1"),
                (sps, "frame_mbs_only_flag", 1, "frames, no fields"),
                (sps, "frame_cropping_flag", 1, "100×60 is not whole macroblocks"),
                (sps, "frame_crop_left_offset", 0, "crop on the right"),
                (sps, "frame_crop_right_offset", 6, "(112 − 100) ÷ CropUnitX 2"),
                (sps, "frame_crop_top_offset", 0, "crop at the bottom"),
                (sps, "frame_crop_bottom_offset", 2, "(64 − 60) ÷ CropUnitY 2"),
                (sps, "time_scale", 50, "25 fps = time_scale ÷ (2 × num_units_in_tick)"),
                (sps, "max_num_ref_frames", 1, "an IDR is a reference picture"),
                (sps, "max_num_reorder_frames", 0, "no picture waits for reordering"),
                (pps, "deblocking_filter_control_present_flag", 1, "a slice can switch the loop filter off"),
                (pps, "entropy_coding_mode_flag", 0, "CAVLC: mb_type is ue(v)"),
                (pps, "num_slice_groups_minus1", 0, "one slice group"),
            ];
            foreach (var (block, field, expected, why) in checks)
            {
                Assert.True(block.Has(field), $"trace_headers shows no {field} in your {block.Title}. See README §I_PCM encoder.");
                Assert.True(block.Value(field) == expected, $"trace_headers reads {field} = {block.Value(field)} in your {block.Title}; expected {expected} ({why}). See README §I_PCM encoder.");
            }

            var slices = trace.Blocks.Where(b => b.Title.StartsWith("Slice Header", StringComparison.Ordinal) || (b.Has("first_mb_in_slice") && b.Has("slice_type"))).ToList();
            Assert.True(slices.Count == Frames, $"trace_headers saw {slices.Count} slice headers; one slice per frame is {Frames}. See README §I_PCM encoder.");
            for (int i = 0; i < slices.Count; i++)
            {
                var slice = slices[i];
                Assert.True(slice.NalUnitType == 5 && slice.Value("nal_ref_idc") != 0, $"Slice {i}: nal_unit_type {slice.NalUnitType}, nal_ref_idc {slice.Value("nal_ref_idc")}; every picture is an IDR (type 5), a reference picture (nal_ref_idc ≠ 0). See README §I_PCM encoder.");
                Assert.True(slice.Value("first_mb_in_slice") == 0 && slice.Value("slice_type") is 2 or 7, $"Slice {i}: first_mb_in_slice {slice.Value("first_mb_in_slice")}, slice_type {slice.Value("slice_type")}; expected 0 and I (2 or 7). See README §I_PCM encoder.");
                Assert.True(slice.Value("frame_num") == 0, $"Slice {i}: frame_num is {slice.Value("frame_num")}; an IDR picture has frame_num 0 (§7.4.3). See README §I_PCM encoder.");
                Assert.True(slice.Value("idr_pic_id") == i % 2, $"Slice {i}: idr_pic_id {slice.Value("idr_pic_id")}; expected {i % 2} (alternating 0, 1). See README §I_PCM encoder.");
                Assert.True(slice.Value("no_output_of_prior_pics_flag") == 0 && slice.Value("long_term_reference_flag") == 0 && slice.Value("slice_qp_delta") == 0,
                    $"Slice {i}: no_output_of_prior_pics_flag {slice.Value("no_output_of_prior_pics_flag")}, long_term_reference_flag {slice.Value("long_term_reference_flag")}, slice_qp_delta {slice.Value("slice_qp_delta")}; " +
                    "expected dec_ref_pic_marking() as two 0 flags and slice_qp_delta 0. See README §I_PCM encoder.");
                Assert.True(slice.Value("disable_deblocking_filter_idc") == 1, $"Slice {i}: disable_deblocking_filter_idc {slice.Value("disable_deblocking_filter_idc")}; expected 1 (no loop filter). See README §I_PCM encoder.");
                if (i > 0)
                {
                    Assert.True(slice.Value("idr_pic_id") != slices[i - 1].Value("idr_pic_id"), $"Slices {i - 1} and {i} both have idr_pic_id {slice.Value("idr_pic_id")}: consecutive IDR pictures must differ (§7.4.3), or a decoder takes them for one picture. See README §I_PCM encoder.");
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Runs ffmpeg's decoder on <paramref name="stream"/> and returns the raw yuv420p frames it outputs.</summary>
    private static async Task<byte[]> DecodeAsync(byte[] stream, string name)
    {
        var input = TempFile(name, stream);
        var output = Path.ChangeExtension(input, ".yuv");
        try
        {
            var run = await ToolRun.RunAsync(RealTools.Ffmpeg(), ["-hide_banner", "-nostats", "-v", "error", "-y", "-f", "h264", "-i", input, "-f", "rawvideo", "-pix_fmt", "yuv420p", output], ToolLimit, TestContext.Current.CancellationToken);
            Assert.True(run.ExitCode == 0 && !run.TimedOut, $"ffmpeg could not decode your stream (exit {run.ExitCode}{(run.TimedOut ? ", timed out" : "")}):\n{run.ErrorTail()}\nSee README §I_PCM encoder.");
            Assert.True(string.IsNullOrWhiteSpace(run.StandardError), $"ffmpeg decoded your stream but complained:\n{run.ErrorTail()}\nSee README §I_PCM encoder.");
            return File.Exists(output) ? File.ReadAllBytes(output) : [];
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    private static string TempFile(string name, byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"lab07-{name}-{Guid.NewGuid():N}.h264");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [GeneratedRegex(@"^\[trace_headers @ 0x[0-9a-f]+\] ")]
    private static partial Regex TracePrefix();
}
