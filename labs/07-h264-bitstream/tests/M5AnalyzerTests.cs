namespace Lab07.H264Bitstream.Tests;

/// <summary>M5: access units, frame types in decode and display order, GOPs — against ffprobe; bad input and fuzzing (README §Access units, §POC, §GOP).</summary>
public class M5AnalyzerTests
{
    private const string Milestone = "M5 access units, display order, GOPs";

    public static TheoryData<string> AllStreams() => [.. Oracle.Streams];

    [Theory]
    [MemberData(nameof(AllStreams))]
    [Trait("Milestone", Milestone)]
    public void Access_units_equal_ffprobe_packets(string name)
    {
        var report = StreamAnalyzer.Analyze(Oracle.Bytes(name));
        var packets = Oracle.PacketsOf(name);
        Assert.True(report.Errors.Count == 0, $"{name}.h264 is a valid stream; your analyser reported: {report.Errors.FirstOrDefault()?.Message}. See README §Access units.");
        Assert.True(report.Pictures.Count == packets.Count, $"{name}.h264: ffprobe -show_packets sees {packets.Count} access units; you found {report.Pictures.Count} pictures. See README §Access units.");
        for (int i = 0; i < packets.Count; i++)
        {
            Assert.True(report.Pictures[i].Size == packets[i].Size, $"{name}.h264 access unit {i}: ffprobe's packet is {packets[i].Size} bytes; yours {report.Pictures[i].Size} (count start codes and the SPS/PPS/SEI before the slices). See README §Access units.");
            Assert.True(report.Pictures[i].DecodeIndex == i, $"DecodeIndex of picture {i} must be {i}. See README §Access units.");
        }
    }

    [Theory]
    [MemberData(nameof(AllStreams))]
    [Trait("Milestone", Milestone)]
    public void Frame_types_and_key_frames_in_display_order_equal_ffprobe_frames(string name)
    {
        var report = StreamAnalyzer.Analyze(Oracle.Bytes(name));
        var frames = Oracle.FramesOf(name);
        var display = report.InDisplayOrder.ToList();
        Assert.True(display.Count == frames.Count, $"{name}.h264: ffprobe decodes {frames.Count} frames; you have {display.Count} pictures. See README §POC.");
        string expected = string.Concat(frames.Select(f => f.PictType));
        string yours = string.Concat(display.Select(p => p.Type));
        Assert.True(expected == yours, $"{name}.h264 frame types in display order:\n  ffprobe {expected}\n  yours   {yours}\nSee README §POC.");
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.True(display[i].DecodeIndex == frames[i].CodedNumber, $"{name}.h264: the {i}th frame shown is coded picture {frames[i].CodedNumber} (ffprobe's coded_picture_number); yours is {display[i].DecodeIndex}. See README §POC.");
            Assert.True(display[i].IsKeyFrame == frames[i].KeyFrame, $"{name}.h264 frame {i} (coded {frames[i].CodedNumber}, {frames[i].PictType}): key_frame is {frames[i].KeyFrame} for ffprobe; yours {display[i].IsKeyFrame}. See README §GOP.");
        }
    }

    [Theory]
    [InlineData("baseline", new[] { 10, 10 })]
    [InlineData("main-b", new[] { 12, 8 })]
    [InlineData("no-recovery", new[] { 40 })] // open-gop.h264 without its recovery point SEIs: its later I pictures are not key frames
    [InlineData("paff", new[] { 3, 3 })]      // field pictures: a GOP counts frames (field pairs), as ffprobe does
    [Trait("Milestone", Milestone)]
    public void GOPs_start_at_ffprobes_key_frames(string name, int[] lengths)
    {
        var report = StreamAnalyzer.Analyze(Oracle.Bytes(name));
        // Key frames in decode order from ffprobe: coded_picture_number of every key_frame, sorted.
        var keys = Oracle.FramesOf(name).Where(f => f.KeyFrame).Select(f => f.CodedNumber).Order().ToList();
        var total = Oracle.FramesOf(name).Count;
        var expected = keys.Zip(keys.Skip(1).Append(total), (a, b) => b - a).ToArray();
        Assert.True(expected.SequenceEqual(lengths), "(test) make.sh's -g must give these GOP lengths.");
        Assert.True(report.Gops.Select(g => g.Length).SequenceEqual(expected), $"{name}.h264 GOP lengths: [{string.Join(",", expected)}] from ffprobe's key frames; yours [{string.Join(",", report.Gops.Select(g => g.Length))}]. See README §GOP.");
        Assert.True(report.Gops.All(g => g.StartsWithIdr && g.IsClosed), $"{name}.h264: every GOP starts with an IDR and is closed. See README §GOP.");
        Assert.True(report.IdrIntervals.SequenceEqual(expected[..^1]), $"{name}.h264 IDR intervals [{string.Join(",", expected[..^1])}]; yours [{string.Join(",", report.IdrIntervals)}]. See README §GOP.");
    }

    [Theory]
    [InlineData("baseline")] // POC type 2
    [InlineData("main-b")]   // POC type 0, B-pyramid
    [InlineData("features")] // POC type 0, non-reference B pictures
    [InlineData("mbaff")]    // POC type 0 with delta_pic_order_cnt_bottom: a frame's POC is the smaller field's
    [InlineData("paff")]     // field pictures: each field's own POC (no delta_pic_order_cnt_bottom in a field slice)
    [Trait("Milestone", Milestone)]
    public void Picture_order_counts_follow_from_the_slice_headers(string name)
    {
        var report = StreamAnalyzer.Analyze(Oracle.Bytes(name));
        var trace = Oracle.TraceOf(name);
        var sps = trace.BlocksTitled("Sequence Parameter Set").First();
        long type = sps.Value("pic_order_cnt_type");
        var firsts = trace.BlocksTitled("Slice Header").Where(b => b.Value("first_mb_in_slice") == 0).ToList();
        long maxLsb = type == 0 ? 1L << (int)(sps.Value("log2_max_pic_order_cnt_lsb_minus4") + 4) : 0;
        Assert.True(type == 2 || firsts.All(b => b.Value("pic_order_cnt_lsb") < maxLsb / 2), "(test) the lsb never wraps in these streams, so PicOrderCntMsb stays 0 (Eq. 8-3).");
        // §8.2.1.1 without wrap-around: TopFieldOrderCnt = lsb, BottomFieldOrderCnt = top + delta_pic_order_cnt_bottom, a frame's
        // POC the smaller (Eq. 8-1). §8.2.1.3 (frame_num never wraps inside these IDR periods): 0 for an IDR, else 2 × frame_num,
        // minus 1 for a non-reference picture.
        var expected = firsts.Select(b => type == 2
            ? (b.Value("nal_unit_type") == 5 ? 0 : 2 * b.Value("frame_num") - (b.Value("nal_ref_idc") == 0 ? 1 : 0))
            : Math.Min(b.Value("pic_order_cnt_lsb"), b.Value("pic_order_cnt_lsb") + (b.ValueOrNull("delta_pic_order_cnt_bottom") ?? 0))).ToList();
        var yours = report.Pictures.Select(p => (long)p.PicOrderCnt).ToList();
        Assert.True(yours.SequenceEqual(expected), $"{name}.h264 (POC type {type}) PicOrderCnt in decode order from its slice headers (trace_headers):\n  [{string.Join(",", expected)}]\n  yours [{string.Join(",", yours)}]\nSee README §POC.");
    }

    [Theory]
    [InlineData("features")]
    [InlineData("open-gop")]
    [Trait("Milestone", Milestone)]
    public void The_report_lists_every_NAL_unit_and_SEI_message(string name)
    {
        var report = StreamAnalyzer.Analyze(Oracle.Bytes(name));
        var units = AnnexB.Split(Oracle.Bytes(name));
        var nals = Oracle.TraceOf(name).Packets.SelectMany(p => p.Nals).ToList();
        Assert.True(report.Nals.Count == nals.Count, $"{name}.h264: trace_headers saw {nals.Count} NAL units; report.Nals has {report.Nals.Count}. See README §Access units.");
        for (int i = 0; i < nals.Count; i++)
        {
            var (index, type, refIdc, size) = report.Nals[i];
            Assert.True(index == i && (int)type == nals[i].Type && refIdc == nals[i].RefIdc && size == units[i].Bytes.Length,
                $"{name}.h264 report.Nals[{i}]: expected NAL #{i}, type {nals[i].Type}, nal_ref_idc {nals[i].RefIdc}, {units[i].Bytes.Length} bytes; got #{index}, type {(int)type}, nal_ref_idc {refIdc}, {size} bytes. See README §Access units.");
        }

        // Every SEI message of the stream, with the index of the NAL unit that carried it, in stream order.
        var expected = units.Select((u, i) => (u, i)).Where(x => (x.u.Bytes.Span[0] & 0x1F) == 6)
            .SelectMany(x => SeiMessageTypes(Oracle.TraceOf(name), x.i, units).Select(t => (x.i, t))).ToList();
        var yours = report.SeiMessages.Select(m => (m.NalIndex, (long)m.Message.PayloadType)).ToList();
        Assert.True(yours.SequenceEqual(expected), $"{name}.h264 report.SeiMessages (NAL index, payloadType): expected [{string.Join(" ", expected.Take(12))}{(expected.Count > 12 ? " …" : "")}] ({expected.Count}); yours [{string.Join(" ", yours.Take(12))}{(yours.Count > 12 ? " …" : "")}] ({yours.Count}). See README §SEI.");
    }

    // The payloadTypes of the SEI NAL unit at stream index 'nalIndex', from its trace_headers block (255 per ff_byte + the last byte).
    private static List<long> SeiMessageTypes(Trace trace, int nalIndex, List<AnnexBNalUnit> units)
    {
        int seiOrdinal = units.Take(nalIndex).Count(u => (u.Bytes.Span[0] & 0x1F) == 6);
        var block = trace.BlocksTitled("Supplemental Enhancement Information").ElementAt(seiOrdinal);
        var types = new List<long>();
        long acc = 0;
        bool typeNext = true;
        foreach (var f in block.Fields)
        {
            if (f.Name == "ff_byte") { acc += 255; }
            else if (f.Name == "last_payload_type_byte") { types.Add(acc + f.Value); acc = 0; typeNext = false; }
            else if (f.Name == "last_payload_size_byte" && !typeNext) { acc = 0; typeNext = true; }
        }

        return types;
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Open_GOPs_start_at_non_IDR_I_pictures_with_leading_B_pictures()
    {
        var report = StreamAnalyzer.Analyze(Oracle.Bytes("open-gop"));
        var frames = Oracle.FramesOf("open-gop");
        int keyCount = frames.Count(f => f.KeyFrame);
        Assert.True(report.Gops.Count == keyCount, $"open-gop.h264: ffprobe marks {keyCount} key frames; you found {report.Gops.Count} GOPs. See README §GOP.");
        Assert.True(report.Gops.Count(g => g.StartsWithIdr) == 1, "open-gop.h264 has one IDR, at the start (x264 open_gop=1: later key frames are I pictures with a recovery point). See README §GOP.");
        // A GOP is open when a picture after its I in decode order is shown before it: read that from ffprobe's frames.
        var position = frames.Select((f, i) => (f.CodedNumber, i)).ToDictionary(x => x.CodedNumber, x => x.i);
        var keys = frames.Where(f => f.KeyFrame).Select(f => f.CodedNumber).Order().ToList();
        for (int k = 0; k < keys.Count; k++)
        {
            int end = k + 1 < keys.Count ? keys[k + 1] : frames.Count;
            bool open = Enumerable.Range(keys[k] + 1, end - keys[k] - 1).Any(c => position[c] < position[keys[k]]);
            Assert.True(report.Gops[k].IsClosed == !open, $"open-gop.h264 GOP at coded picture {keys[k]}: by ffprobe's display order it is {(open ? "open" : "closed")}; yours says {(report.Gops[k].IsClosed ? "closed" : "open")}. See README §GOP.");
        }

        Assert.True(report.Gops.Any(g => !g.IsClosed), "open-gop.h264 (x264 open_gop=1) has open GOPs; you report every GOP as closed. See README §GOP.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_corrupt_NAL_is_reported_with_its_index_and_the_analysis_goes_on()
    {
        var bytes = Oracle.Bytes("baseline");
        var units = AnnexB.Split(bytes);
        int victim = units.FindIndex(u => (u.Bytes.Span[0] & 0x1F) == 1 && u.StartCodeOffset > bytes.Length / 2);
        bytes[units[victim].Offset] |= 0x80; // forbidden_zero_bit
        var report = StreamAnalyzer.Analyze(bytes);
        Assert.True(report.Errors.Count == 1 && report.Errors[0].NalIndex == victim && report.Errors[0].BitOffset == 0,
            $"baseline.h264 with NAL #{victim}'s forbidden bit set: expected one error, NAL #{victim}, bit 0; got {report.Errors.Count}: {string.Join("; ", report.Errors.Select(e => e.Message))}. See README §GOP.");
        Assert.True(report.Pictures.Count == Oracle.PacketsOf("baseline").Count - 1, $"The other {Oracle.PacketsOf("baseline").Count - 1} pictures must still be analysed; you have {report.Pictures.Count}. See README §GOP.");
        string text = report.ToText();
        Assert.True(text.Contains($"NAL #{victim}", StringComparison.Ordinal), $"The report's text must name the corrupt unit (NAL #{victim}); it says:\n{text}\nSee README §GOP.");
    }

    [Fact(Timeout = 60000)]
    [Trait("Milestone", Milestone)]
    public async Task Fuzzed_streams_never_crash_or_hang_the_analyser()
    {
        var originals = new[] { Oracle.Bytes("baseline"), Oracle.Bytes("main-b"), Oracle.Bytes("high") };
        await Task.Run(() =>
        {
            var random = new Random(20240807);
            int errors = 0;
            for (int round = 0; round < 150; round++)
            {
                byte[] input;
                if (round % 5 == 0)
                {
                    input = new byte[random.Next(0, 4096)];
                    random.NextBytes(input);
                    if (input.Length > 8) { input[0] = 0; input[1] = 0; input[2] = 1; }
                }
                else
                {
                    var source = originals[round % originals.Length];
                    input = source.AsSpan(0, random.Next(source.Length / 4, source.Length)).ToArray(); // truncated
                    for (int flips = random.Next(1, 20); flips > 0; flips--)
                    {
                        input[random.Next(Math.Min(input.Length, 3000))] ^= (byte)(1 << random.Next(8)); // mostly in the headers
                    }
                }

                try
                {
                    var report = StreamAnalyzer.Analyze(input);
                    errors += report.Errors.Count;
                    _ = report.ToText();
                }
                catch (Exception e) when (e is not NotImplementedException)
                {
                    Assert.Fail($"Round {round}: the analyser threw {e.GetType().Name}: {e.Message}. Bad input must end up in report.Errors as H264FormatException, never escape.\n{e.StackTrace}\nSee README §GOP.");
                }
            }

            Assert.True(errors > 0, "Fuzzed streams must produce some reported errors. See README §GOP.");
        }, TestContext.Current.CancellationToken);
    }
}
