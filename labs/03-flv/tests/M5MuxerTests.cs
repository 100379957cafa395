using System.Buffers;
using static Lab03.Flv.Tests.Bytes;

namespace Lab03.Flv.Tests;

/// <summary>M5: the muxer. Writing back what was read gives ffmpeg's file byte for byte; spec vectors for the headers.</summary>
public class M5MuxerTests
{
    private const string Milestone = "M5 muxer";

    public static TheoryData<string> AllClips => new(Clips.All);

    [Theory]
    [MemberData(nameof(AllClips))]
    [Trait("Milestone", Milestone)]
    public void Reading_and_rewriting_a_clip_gives_the_same_bytes(string clip)
    {
        var bytes = Clips.Flv(clip);
        var file = FlvFile.Read(bytes);
        HexDiff.AssertEqual(bytes, FlvWriter.Write(file.Header, file.Tags), $"{clip}.flv written back from its header and tags", "README §Muxing");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_header_and_a_tag_follow_the_spec_layout()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new FlvWriter(output, FlvHeader.Create(hasAudio: false, hasVideo: true));
        writer.WriteTag(FlvTagType.Audio, 0x78123456, Hex("af01"));
        // "FLV" 01, flags 01 (video only), DataOffset 9, PreviousTagSize0; tag: 08, DataSize 2, timestamp 12 34 56 + extended 78, StreamID 0, data, 11 + 2.
        HexDiff.AssertEqual(Hex("464c5601 01 00000009 00000000 08 000002 123456 78 000000 af01 0000000d"), output.WrittenSpan, "a video-only header and one audio tag at 0x78123456 ms", "README §Muxing");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_tag_too_big_for_a_UI24_is_refused()
    {
        var writer = new FlvWriter(new ArrayBufferWriter<byte>(), FlvHeader.Create(true, true));
        Assert.Throws<ArgumentException>(() => writer.WriteTag(FlvTagType.Video, 0, new byte[0x1000000]));
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", Milestone)]
    public async Task A_file_built_from_the_tags_ffprobe_listed_is_accepted_by_ffprobe()
    {
        // Keep only the script tag, the sequence headers and every other GOP's worth of audio: a file no tool wrote.
        var file = FlvFile.Read(Clips.Flv("av"));
        var kept = file.Tags.Where(t => t.TagType != FlvTagType.Audio || t.Audio.AacPacketType == 0 || t.Timestamp < 1000).ToList();
        var path = Path.Combine(Path.GetTempPath(), $"lab03-m5-{Guid.NewGuid():N}.flv");
        await File.WriteAllBytesAsync(path, FlvWriter.Write(file.Header, kept), TestContext.Current.CancellationToken);
        try
        {
            var result = await ToolRun.RunAsync(RealTools.Ffprobe(), ["-v", "error", "-show_entries", "packet=codec_type,dts,pts", "-of", "csv=p=0", path], TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
            var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var expected = Clips.Probe("av").Packets.Where(p => p.CodecType == "video" || p.Dts < 1000).ToList();
            Assert.True(result.ExitCode == 0 && result.StandardError.Trim().Length == 0 && lines.Length == expected.Count,
                $"ffprobe must read your file without complaint and list {expected.Count} packets; it exited {result.ExitCode}, listed {lines.Length}, and said: {result.ErrorTail()}. See README §Muxing.");
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.True(lines[i].Trim() == $"{expected[i].CodecType},{expected[i].Pts},{expected[i].Dts}",
                    $"Packet {i}: ffprobe reads \"{lines[i].Trim()}\" from your file; the original has {expected[i].CodecType},{expected[i].Pts},{expected[i].Dts}. See README §Muxing.");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_tag_of_64_KiB_and_more_is_written_with_all_three_DataSize_bytes()
    {
        var big = new byte[70001];
        new Random(66).NextBytes(big);
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new FlvWriter(output, FlvHeader.Create(hasAudio: false, hasVideo: true));
        writer.WriteTag(FlvTagType.Video, 0x01020304, big);
        // "FLV" 01, flags 01, DataOffset 9, PreviousTagSize0; tag: 09, DataSize 01 11 71, timestamp 02 03 04 + extended 01, StreamID 0, data, 11 + 70001 = 0x0001117c.
        byte[] expected = [.. Hex("464c5601 01 00000009 00000000 09 011171 020304 01 000000"), .. big, .. Hex("0001117c")];
        HexDiff.AssertEqual(expected, output.WrittenSpan, "a video tag of 70001 bytes at 0x01020304 ms", "README §Muxing");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_tag_header_writes_the_Filter_bit_and_all_three_StreamID_bytes()
    {
        var bytes = new byte[11];
        new FlvTagHeader(FlvTagType.Video, 0x0A0B0C, 0x11223344, StreamId: 0x010203, Filter: true).Write(bytes);
        HexDiff.AssertEqual(Hex("29 0a0b0c 223344 11 010203"), bytes, "the header of a video tag (9) with the Filter bit (0x20), DataSize 0x0a0b0c, timestamp 0x11223344 and StreamID 0x010203", "README §Tags, §Muxing");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_writer_writes_every_byte_even_into_used_memory()
    {
        // An IBufferWriter may hand out memory that still holds old bytes: PreviousTagSize0 must be written, not assumed zero.
        var output = new DirtyBufferWriter();
        var writer = new FlvWriter(output, FlvHeader.Create(hasAudio: true, hasVideo: false));
        writer.WriteTag(FlvTagType.Audio, 0, Hex("af01"));
        HexDiff.AssertEqual(Hex("464c5601 04 00000009 00000000 08 000002 000000 00 000000 af01 0000000d"), output.Written, "an audio-only file of one tag, written into memory full of 0xEE", "README §Muxing");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Data_of_exactly_16777215_bytes_still_fits_DataSize()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new FlvWriter(output, FlvHeader.Create(hasAudio: false, hasVideo: true));
        writer.WriteTag(FlvTagType.Video, 0, new byte[0xFFFFFF]);
        var written = output.WrittenSpan;
        HexDiff.AssertEqual(Hex("09 ffffff"), written.Slice(13, 4), "the tag's type and DataSize ff ff ff (the largest UI24)", "README §Muxing");
        HexDiff.AssertEqual(Hex("0100000a"), written[^4..], "the PreviousTagSize 11 + 16777215 = 0x0100000a", "README §Muxing");
    }

    /// <summary>Hands out spans full of 0xEE, as a pooled writer reusing memory may.</summary>
    private sealed class DirtyBufferWriter : IBufferWriter<byte>
    {
        private byte[] _buffer = Enumerable.Repeat((byte)0xEE, 1024).ToArray();
        private int _count;

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _count);

        public void Advance(int count) => _count += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Grow(sizeHint);
            return _buffer.AsMemory(_count);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Grow(sizeHint);
            return _buffer.AsSpan(_count);
        }

        private void Grow(int sizeHint)
        {
            if (_buffer.Length - _count < Math.Max(sizeHint, 16))
            {
                var bigger = Enumerable.Repeat((byte)0xEE, _buffer.Length * 2 + sizeHint).ToArray();
                _buffer.AsSpan(0, _count).CopyTo(bigger);
                _buffer = bigger;
            }
        }
    }
}
