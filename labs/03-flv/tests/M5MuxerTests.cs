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
}
