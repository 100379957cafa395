using static Lab03.Flv.Tests.Bytes;

namespace Lab03.Flv.Tests;

/// <summary>
/// M3: the incremental reader. Bytes pushed in seeded random pieces (down to one byte) must give
/// every tag of the file: at ffprobe's positions, with the file's own bytes as data, back to back to
/// the last byte.
/// </summary>
public class M3IncrementalTests
{
    private const string Milestone = "M3 incremental reader";

    public static TheoryData<string, int> Splits => new()
    {
        { "av", 1 }, { "av", 2 }, { "av", 3 }, { "audio", 4 }, { "video", 5 }, { "nalu3", 6 }, { "repeated", 7 }, { "changed", 8 },
    };

    [Theory]
    [MemberData(nameof(Splits))]
    [Trait("Milestone", Milestone)]
    public void Bytes_pushed_in_random_pieces_give_every_tag_of_the_file(string clip, int seed)
    {
        var bytes = Clips.Flv(clip);
        var random = new Random(seed);
        var reader = new FlvIncrementalReader();
        var tags = new List<FlvTag>();
        int position = 0;
        while (position < bytes.Length)
        {
            // Mostly small pieces (a socket's reads), sometimes one byte, sometimes several tags at once.
            int piece = random.Next(4) switch { 0 => 1, 1 => random.Next(1, 16), 2 => random.Next(1, 700), _ => random.Next(1, 5000) };
            piece = Math.Min(piece, bytes.Length - position);
            tags.AddRange(reader.Push(bytes.AsSpan(position, piece)));
            position += piece;
        }

        reader.Complete();
        AssertTagsCoverTheFile(clip, bytes, tags, $"pushed in random pieces (seed {seed})");
        Assert.True(reader.Header is { Version: 1, DataOffset: 9 }, $"{clip}.flv: after the whole file the reader's Header is version 1, DataOffset 9; yours is {reader.Header}. See README §Incremental reading.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_whole_file_in_one_push_gives_the_same_tags()
    {
        var bytes = Clips.Flv("av");
        var reader = new FlvIncrementalReader();
        var tags = reader.Push(bytes).ToList();
        reader.Complete();
        AssertTagsCoverTheFile("av", bytes, tags, "pushed in one piece");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_header_appears_once_its_13_bytes_arrived_and_not_before()
    {
        var bytes = Clips.Flv("video");
        var reader = new FlvIncrementalReader();
        for (int i = 0; i < 12; i++)
        {
            Assert.True(reader.Push(bytes.AsSpan(i, 1)).Count == 0 && reader.Header is null,
                $"After {i + 1} bytes there is no header yet (it is 9 bytes plus PreviousTagSize0) and no tag. See README §Incremental reading.");
        }

        reader.Push(bytes.AsSpan(12, 1));
        Assert.True(reader.Header is { HasVideo: true, HasAudio: false }, $"After 13 bytes video.flv's header says video only; yours is {reader.Header?.ToString() ?? "null"}. See README §Incremental reading.");
        var probe = Clips.Probe("video");
        int firstTagEnd = (int)probe.Packets[0].Pos; // the script tag and the AVC sequence header come before the first packet
        var early = reader.Push(bytes.AsSpan(13, firstTagEnd - 13 - 1));
        Assert.True(early.Count == 1 && early[0].TagType == FlvTagType.Script,
            $"Up to one byte before the AVC sequence header's PreviousTagSize is complete, only the script tag is whole; you returned {early.Count} tags. See README §Incremental reading.");
        var next = reader.Push(bytes.AsSpan(firstTagEnd - 1, 1));
        Assert.True(next.Count == 1 && next[0].TagType == FlvTagType.Video,
            $"The last byte of the sequence header's PreviousTagSize completes it: one video tag; you returned {next.Count}. See README §Incremental reading.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_wrong_signature_fails_as_soon_as_three_bytes_arrived()
    {
        var reader = new FlvIncrementalReader();
        reader.Push("GE"u8);
        var error = Assert.Throws<FlvFormatException>(() => reader.Push("T / HTTP/1.1"u8));
        Assert.True(error.Offset == 0, $"\"GET\" is not \"FLV\": the error is at offset 0; yours says {error.Offset}. See README §Bad input.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_PreviousTagSize_mismatch_fails_at_its_offset_when_it_arrives()
    {
        var bytes = Hex("464c5601 05 00000009 00000000 08 000002 000000 00 000000 af01 0000000c");
        var reader = new FlvIncrementalReader();
        reader.Push(bytes.AsSpan(0, 28));
        var error = Assert.Throws<FlvFormatException>(() => reader.Push(bytes.AsSpan(28)));
        Assert.True(error.Offset == 26 && error.Expected.Contains("13", StringComparison.Ordinal),
            $"The PreviousTagSize at offset 26 must be 13 (11 + DataSize 2); your error says offset {error.Offset}, expected \"{error.Expected}\". See README §Tags.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Complete_refuses_a_tag_left_half_pushed()
    {
        var bytes = Clips.Flv("audio");
        var reader = new FlvIncrementalReader();
        reader.Push(bytes.AsSpan(0, bytes.Length - 3));
        var error = Assert.Throws<FlvFormatException>(reader.Complete);
        Assert.True(error.Offset == bytes.Length - 3, $"The input ended at offset {bytes.Length - 3}, inside the last tag's PreviousTagSize; your error says {error.Offset}. See README §Incremental reading.");
    }

    [Fact(Timeout = 30_000)]
    [Trait("Milestone", Milestone)]
    public void Fuzzed_clips_in_pieces_give_tags_or_FlvFormatException_and_nothing_else()
    {
        var random = new Random(303);
        var clips = new[] { Clips.Flv("av"), Clips.Flv("video") };
        for (int i = 0; i < 300; i++)
        {
            var bytes = (byte[])clips[i % 2].Clone();
            for (int m = 0; m < 1 + random.Next(6); m++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var reader = new FlvIncrementalReader();
            try
            {
                for (int p = 0; p < bytes.Length;)
                {
                    int piece = Math.Min(random.Next(1, 3000), bytes.Length - p);
                    reader.Push(bytes.AsSpan(p, piece));
                    p += piece;
                }

                reader.Complete();
            }
            catch (FlvFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"Fuzz case {i} (seed 303): only FlvFormatException may come out of Push or Complete; got {e.GetType().Name}: {e.Message}. See README §Bad input.");
            }
        }
    }

    private static void AssertTagsCoverTheFile(string clip, byte[] bytes, IReadOnlyList<FlvTag> tags, string how)
    {
        var probe = Clips.Probe(clip);
        long expectedOffset = 13; // header (9) + PreviousTagSize0 (4)
        foreach (var tag in tags)
        {
            Assert.True(tag.Offset == expectedOffset,
                $"{clip}.flv {how}: a tag starts at {expectedOffset} (right after the previous PreviousTagSize); yours says {tag.Offset}. See README §Incremental reading.");
            Assert.True(bytes.AsSpan((int)tag.Offset + 11, tag.Header.DataSize).SequenceEqual(tag.Data.Span),
                $"{clip}.flv {how}: the data of the tag at {tag.Offset} must be the file's bytes {tag.Offset + 11}…{tag.Offset + 10 + tag.Header.DataSize}. See README §Incremental reading.");
            expectedOffset += 11 + tag.Header.DataSize + 4;
        }

        Assert.True(expectedOffset == bytes.Length, $"{clip}.flv {how}: the tags must cover the file to its last byte ({bytes.Length}); yours stop at {expectedOffset}. See README §Incremental reading.");
        var offsets = tags.Select(t => t.Offset).ToHashSet();
        var missing = probe.Packets.Where(p => !offsets.Contains(p.Pos)).Select(p => p.Pos).ToList();
        Assert.True(missing.Count == 0, $"{clip}.flv {how}: ffprobe has packets at offsets your reader did not return: {string.Join(", ", missing.Take(5))}. See README §Incremental reading.");
        var byOffset = tags.ToDictionary(t => t.Offset);
        foreach (var p in probe.Packets)
        {
            Assert.True(byOffset[p.Pos].Timestamp == p.Dts, $"{clip}.flv {how}: the tag at {p.Pos} has DTS {p.Dts}; yours {byOffset[p.Pos].Timestamp}. See README §Tags.");
        }
    }
}
