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
        // An HTTP request sent to an FLV ingest by mistake: "GET" is not "FLV", and three bytes are enough to know it.
        var reader = new FlvIncrementalReader();
        FlvFormatException? error = null;
        foreach (byte b in "GET"u8.ToArray())
        {
            try
            {
                reader.Push([b]);
            }
            catch (FlvFormatException e)
            {
                error = e;
                break;
            }
        }

        Assert.True(error is not null, "After the three bytes \"GET\", pushed one at a time, the signature is known to be wrong: Push must throw FlvFormatException by then, not wait for the rest of the header. See README §Incremental reading.");
        var offset = error.Offset;
        Assert.True(offset is >= 0 and <= 2, $"\"GET\" is not \"FLV\": the wrong field is the signature, bytes 0–2; your error says offset {offset}. See README §Bad input.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_PreviousTagSize_mismatch_fails_at_its_offset_when_it_arrives()
    {
        var bytes = Hex("464c5601 05 00000009 00000000 08 000002 000000 00 000000 af01 0000000c");
        var reader = new FlvIncrementalReader();
        reader.Push(bytes.AsSpan(0, 28));
        var error = Assert.Throws<FlvFormatException>(() => reader.Push(bytes.AsSpan(28)));
        Assert.True(error.Offset is >= 26 and <= 29,
            $"The PreviousTagSize at offsets 26–29 must be 13 (11 + DataSize 2), not 12: the offset lies in that field; your error says offset {error.Offset} ({error.Message}). See README §Bad input.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Complete_refuses_a_tag_left_half_pushed()
    {
        var bytes = Clips.Flv("audio");
        var reader = new FlvIncrementalReader();
        reader.Push(bytes.AsSpan(0, bytes.Length - 3));
        var error = Assert.Throws<FlvFormatException>(reader.Complete);
        // The last tag starts where its own PreviousTagSize (the file's last 4 bytes) says: 11 + DataSize before them.
        long lastTag = bytes.Length - 4 - System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(bytes.Length - 4));
        Assert.True(error.Offset >= lastTag && error.Offset <= bytes.Length - 3,
            $"The input ended at offset {bytes.Length - 3}, inside the PreviousTagSize of the tag that starts at {lastTag}: the offset of what is cut short is from {lastTag} to {bytes.Length - 3}; your error says {error.Offset}. See README §Bad input.");
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

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_tag_of_64_KiB_and_more_comes_out_once_its_last_byte_arrived()
    {
        var big = new byte[70001];
        big[0] = 0xAF;
        big[1] = 0x01;
        new Random(65).NextBytes(big.AsSpan(2));
        var bytes = Craft.File(Craft.Tag(8, 0, big), Craft.Tag(8, 23, Hex("af01 21")));
        var reader = new FlvIncrementalReader();
        var tags = new List<FlvTag>();
        int end = 13 + 11 + 70001 + 4;
        for (int at = 0; at < end - 1; at += 4096)
        {
            tags.AddRange(reader.Push(bytes.AsSpan(at, Math.Min(4096, end - 1 - at))));
        }

        Assert.True(tags.Count == 0, $"One byte before the end of the 70001-byte tag's PreviousTagSize nothing is complete; you returned {tags.Count} tags. See README §Incremental reading.");
        tags.AddRange(reader.Push(bytes.AsSpan(end - 1)));
        reader.Complete();
        Assert.True(tags.Count == 2 && tags[0].Header.DataSize == 70001 && tags[0].Data.Span.SequenceEqual(big) && tags[1].Offset == end,
            $"The last bytes complete the 70001-byte tag and the small one after it at {end}; you returned {tags.Count} tags: {string.Join(", ", tags.Select(t => $"DataSize {t.Header.DataSize} at {t.Offset}"))}. See README §Incremental reading.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_header_with_DataOffset_13_puts_the_first_tag_at_17()
    {
        // E.2: DataOffset is the header's size; a longer header (13 here: 4 more bytes) moves PreviousTagSize0 and the tags.
        byte[] bytes = [.. Hex("464c5601 04 0000000d cafebabe 00000000"), .. Craft.Tag(8, 40, Hex("af01 21"))];
        var reader = new FlvIncrementalReader();
        var tags = new List<FlvTag>();
        for (int i = 0; i < bytes.Length; i++)
        {
            tags.AddRange(reader.Push(bytes.AsSpan(i, 1)));
        }

        reader.Complete();
        Assert.True(reader.Header is { DataOffset: 13, HasAudio: true, HasVideo: false } && tags.Count == 1 && tags[0].Offset == 17 && tags[0].Timestamp == 40,
            $"Header DataOffset 13: PreviousTagSize0 at 13, one audio tag at 17 (timestamp 40); you have header {reader.Header?.ToString() ?? "null"} and {tags.Count} tags{(tags.Count > 0 ? $", the first at {tags[0].Offset}" : "")}. See README §Header, §Incremental reading.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_PreviousTagSize0_that_is_not_0_and_a_header_cut_short_fail()
    {
        var reader = new FlvIncrementalReader();
        var error = Record.Exception(() =>
        {
            foreach (byte b in Hex("464c5601 05 00000009 0000000b"))
            {
                reader.Push([b]);
            }
        });
        Assert.True(error is FlvFormatException { Offset: >= 9 and <= 12 }, $"PreviousTagSize0 (offsets 9–12) is 11, not 0: FlvFormatException at 9–12 once it is in; you {(error is null ? "threw nothing" : $"threw {error.GetType().Name} at {(error as FlvFormatException)?.Offset}")}. See README §Bad input.");

        var cut = new FlvIncrementalReader();
        cut.Push(Hex("464c5601 05"));
        var ended = Record.Exception(cut.Complete);
        Assert.True(ended is FlvFormatException { Offset: >= 0 and <= 5 }, $"The input ended after 5 bytes, inside the header: Complete must throw FlvFormatException at 0–5; you {(ended is null ? "threw nothing" : $"threw {ended.GetType().Name} at {(ended as FlvFormatException)?.Offset}")}. See README §Incremental reading.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_tag_header_of_exactly_11_bytes_waits_for_its_data()
    {
        var bytes = Craft.File(Craft.Tag(8, 5, Hex("af01 2122")));
        var reader = new FlvIncrementalReader();
        Assert.True(reader.Push(bytes.AsSpan(0, 13 + 11)).Count == 0, "With the header and exactly the 11 bytes of a tag header, no tag is complete yet. See README §Incremental reading.");
        var tags = reader.Push(bytes.AsSpan(13 + 11));
        reader.Complete();
        Assert.True(tags.Count == 1 && tags[0].Data.Span.SequenceEqual(Hex("af01 2122")), $"The rest of the bytes complete one 4-byte audio tag; you returned {tags.Count}. See README §Incremental reading.");
    }
}
