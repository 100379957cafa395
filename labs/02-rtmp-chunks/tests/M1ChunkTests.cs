using static Lab02.RtmpChunks.Tests.Bytes;

namespace Lab02.RtmpChunks.Tests;

/// <summary>M1: chunk basic and message headers, reassembly, the writer. Every expected byte is written from RTMP 1.0 §5.3.</summary>
public class M1ChunkTests
{
    private const string Milestone = "M1 chunk headers and reassembly";

    // §5.3.1.1: fmt in the top two bits; csid 2-63 in one byte; 64-319 as 0 + (csid-64); 64-65599 as 1 + (csid-64) low byte first.
    [Theory]
    [InlineData(0, 2, "02")]
    [InlineData(3, 3, "c3")]
    [InlineData(0, 63, "3f")]
    [InlineData(1, 63, "7f")]
    [InlineData(2, 63, "bf")]
    [InlineData(3, 63, "ff")]
    [InlineData(0, 64, "0000")]
    [InlineData(1, 64, "4000")]
    [InlineData(3, 64, "c000")]
    [InlineData(0, 319, "00ff")]
    [InlineData(2, 319, "80ff")]
    [InlineData(0, 320, "010001")]
    [InlineData(1, 320, "410001")]
    [InlineData(3, 320, "c10001")]
    [InlineData(0, 65599, "01ffff")]
    [InlineData(2, 65599, "81ffff")]
    [InlineData(3, 65599, "c1ffff")]
    [InlineData(1, 1000, "41a803")]
    [Trait("Milestone", Milestone)]
    public void Basic_header_is_written_and_read_in_its_smallest_form(byte format, int csid, string hex)
    {
        var expected = Hex(hex);
        var buffer = new byte[3];
        int written = new ChunkBasicHeader(format, csid).WriteTo(buffer);
        HexDiff.AssertEqual(expected, buffer.AsSpan(0, written), $"the basic header for fmt {format}, chunk stream {csid}", "README §Basic header");
        Assert.True(ChunkBasicHeader.SizeOf(csid) == expected.Length, $"SizeOf({csid}) must be {expected.Length}; got {ChunkBasicHeader.SizeOf(csid)}. See README §Basic header.");

        Assert.True(ChunkBasicHeader.TryRead(expected, out var header, out int length), $"TryRead({hex}) must succeed. See README §Basic header.");
        Assert.True(header == new ChunkBasicHeader(format, csid) && length == expected.Length,
            $"TryRead({hex}) must give fmt {format}, csid {csid}, length {expected.Length}; got fmt {header.Format}, csid {header.ChunkStreamId}, length {length}. See README §Basic header.");
        Assert.False(ChunkBasicHeader.TryRead(expected.AsSpan(0, expected.Length - 1), out _, out _),
            $"TryRead of the first {expected.Length - 1} bytes of {hex} must return false: the header is not complete. See README §Basic header.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_3_byte_form_of_a_small_id_is_read_too()
    {
        // A peer may use the 3-byte form for 64..319 (only the writer must pick the smallest): 01 00 00 = csid 64.
        Assert.True(ChunkBasicHeader.TryRead(Hex("c1 0000"), out var header, out int length) && header.ChunkStreamId == 64 && header.Format == 3 && length == 3,
            $"c1 00 00 is fmt 3, chunk stream 64 in the 3-byte form; got fmt {header.Format}, csid {header.ChunkStreamId}, length {length}. See README §Basic header.");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65600)]
    [Trait("Milestone", Milestone)]
    public void Chunk_stream_ids_outside_2_to_65599_are_refused(int csid)
    {
        var error = Record.Exception(() => ChunkBasicHeader.SizeOf(csid));
        Assert.True(error is ArgumentOutOfRangeException, $"SizeOf({csid}) must throw ArgumentOutOfRangeException (ids 0 and 1 are markers; 65599 is the largest); got {error?.GetType().Name ?? "no exception"}. See README §Basic header.");
    }

    // §5.3.2.1 Example 1: four audio messages, csid 3, msid 12345, 32 bytes, timestamp 1000 then +20 each.
    private static readonly byte[] Example1 = Hex(
        "03 0003e8 000020 08 39300000" + Convert.ToHexString(Pattern(32, 1)) +
        "83 000014" + Convert.ToHexString(Pattern(32, 2)) +
        "c3" + Convert.ToHexString(Pattern(32, 3)) +
        "c3" + Convert.ToHexString(Pattern(32, 4)));

    // §5.3.2.2 Example 2: one 307-byte video message, csid 4, msid 12345, timestamp 1000, chunk size 128.
    private static readonly byte[] Example2 = Hex(
        "04 0003e8 000133 09 39300000" + Convert.ToHexString(Pattern(307)[..128]) +
        "c4" + Convert.ToHexString(Pattern(307)[128..256]) +
        "c4" + Convert.ToHexString(Pattern(307)[256..]));

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Reader_follows_the_spec_example_of_type_0_2_3_3_headers()
    {
        var messages = ReadAll(new ChunkReader(), Example1);
        Assert.True(messages.Count == 4, $"Example 1 of §5.3.2.1 holds 4 messages; you returned {messages.Count}. See README §Chunk headers.");
        for (int i = 0; i < 4; i++)
        {
            AssertMessage(messages[i], 8, (uint)(1000 + 20 * i), 12345, Pattern(32, i + 1), 3, $"message {i + 1} of example 1 (type {(i == 0 ? 0 : i == 1 ? 2 : 3)} header)");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Reader_joins_a_message_split_into_three_chunks()
    {
        var messages = ReadAll(new ChunkReader(), Example2);
        Assert.True(messages.Count == 1, $"Example 2 of §5.3.2.2 is one 307-byte message in 3 chunks; you returned {messages.Count} messages. See README §Reassembly.");
        AssertMessage(messages[0], 9, 1000, 12345, Pattern(307), 4, "the 307-byte video message");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Reader_returns_the_same_messages_however_the_bytes_are_cut()
    {
        byte[] stream = [.. Example1, .. Example2];
        for (int cut = 1; cut < stream.Length; cut++)
        {
            var messages = ReadAll(new ChunkReader(), stream, [cut]);
            Assert.True(messages.Count == 5 && messages[4].Payload.Length == 307 && messages[3].Timestamp == 1060,
                $"Cut into two reads at byte {cut}, the stream must still give 5 messages (the last 307 bytes long, the fourth at 1060 ms); got {messages.Count}: {string.Join("; ", messages.Select(Describe))}. Consume nothing until a whole chunk is there — README §Reassembly.");
        }

        var oneByOne = ReadAll(new ChunkReader(), stream, Enumerable.Range(1, stream.Length - 1));
        Assert.True(oneByOne.Count == 5, $"Fed one byte at a time, the stream must give 5 messages; got {oneByOne.Count}. See README §Reassembly.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Reader_reassembles_messages_interleaved_across_chunk_streams()
    {
        // Video (csid 6, 300 bytes) and audio (csid 4, 200 bytes) chunks alternate, as a publisher sends them.
        var video = Pattern(300, 7);
        var audio = Pattern(200, 9);
        var stream = Hex(
            "06 000028 00012c 09 01000000" + Convert.ToHexString(video[..128]) +
            "04 000015 0000c8 08 01000000" + Convert.ToHexString(audio[..128]) +
            "c6" + Convert.ToHexString(video[128..256]) +
            "c4" + Convert.ToHexString(audio[128..]) +
            "c6" + Convert.ToHexString(video[256..]));
        for (int cut = 0; cut < stream.Length; cut += 7)
        {
            var messages = ReadAll(new ChunkReader(), stream, cut == 0 ? [] : [cut]);
            Assert.True(messages.Count == 2, $"Two interleaved messages (cut at {cut}); you returned {messages.Count}. Keep one partial message per chunk stream — README §Reassembly.");
            AssertMessage(messages[0], 8, 21, 1, audio, 4, "the audio message on chunk stream 4 (it completes first)");
            AssertMessage(messages[1], 9, 40, 1, video, 6, "the video message on chunk stream 6");
        }
    }

    // The basic headers for fmt 0, 1, 2 and 3 are written out here from §5.3.1.1, not by your ChunkBasicHeader,
    // so this test reads bytes the spec defines even when the writer is wrong.
    [Theory]
    [InlineData(63, "3f", "7f", "bf", "ff")]
    [InlineData(64, "0000", "4000", "8000", "c000")]
    [InlineData(319, "00ff", "40ff", "80ff", "c0ff")]
    [InlineData(320, "010001", "410001", "810001", "c10001")]
    [InlineData(65599, "01ffff", "41ffff", "81ffff", "c1ffff")]
    [Trait("Milestone", Milestone)]
    public void Reader_handles_every_header_type_on_boundary_chunk_stream_ids(int csid, string fmt0, string fmt1, string fmt2, string fmt3)
    {
        // type 0 (ts 100, 3 bytes), type 1 (+10, 2 bytes, type 9), type 2 (+5), type 3 (+5 again).
        var stream = Hex(fmt0 + "000064 000003 08 01000000 aabbcc" + fmt1 + "00000a 000002 09 dddd" + fmt2 + "000005 eeee" + fmt3 + "ffff");
        var messages = ReadAll(new ChunkReader(), stream);
        Assert.True(messages.Count == 4, $"Four messages on chunk stream {csid} (header types 0, 1, 2, 3); you returned {messages.Count}. See README §Chunk headers.");
        AssertMessage(messages[0], 8, 100, 1, Hex("aabbcc"), csid, $"the type-0 message on csid {csid}");
        AssertMessage(messages[1], 9, 110, 1, Hex("dddd"), csid, $"the type-1 message on csid {csid} (delta 10, new length and type)");
        AssertMessage(messages[2], 9, 115, 1, Hex("eeee"), csid, $"the type-2 message on csid {csid} (delta 5)");
        AssertMessage(messages[3], 9, 120, 1, Hex("ffff"), csid, $"the type-3 message on csid {csid} (the same delta 5 again)");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_type_3_chunk_after_a_type_0_header_adds_its_timestamp_as_the_delta()
    {
        // §5.3.1.2.4: after a type-0 chunk, the delta of a new message on type 3 is the type-0 timestamp.
        var messages = ReadAll(new ChunkReader(), Hex("05 000064 000001 12 00000000 aa c5 bb"));
        Assert.True(messages.Count == 2 && messages[1].Timestamp == 200,
            $"A type-3 chunk that starts a message after a type-0 header with timestamp 100 has timestamp 200; got {string.Join("; ", messages.Select(Describe))}. See README §Chunk headers.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Zero_length_messages_and_exact_multiples_of_the_chunk_size()
    {
        var payload = Pattern(256);
        var stream = Hex("03 000000 000000 14 00000000" + "03 000001 000100 09 01000000" + Convert.ToHexString(payload[..128]) + "c3" + Convert.ToHexString(payload[128..]) + "03 000002 000001 08 01000000 77");
        var messages = ReadAll(new ChunkReader(), stream);
        Assert.True(messages.Count == 3, $"A zero-length message, a 256-byte message in exactly 2 chunks of 128, then a 1-byte message; you returned {messages.Count}: {string.Join("; ", messages.Select(Describe))}. See README §Reassembly.");
        Assert.True(messages[0].Payload.Length == 0 && messages[0].TypeId == 20, $"The first message is zero bytes long (type 20): a header with no payload is a whole message; got {Describe(messages[0])}. See README §Reassembly.");
        AssertMessage(messages[1], 9, 1, 1, payload, 3, "the 256-byte message (no empty third chunk follows)");
        AssertMessage(messages[2], 8, 2, 1, Hex("77"), 3, "the message after it");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    [Trait("Milestone", Milestone)]
    public void Extended_timestamp_of_exactly_0xFFFFFF_with_and_without_its_repetition(bool repeated)
    {
        // §5.3.1.3: a timestamp of 0xFFFFFF or more is written as ffffff in the header plus 4 bytes after it.
        // ffmpeg repeats those 4 bytes after each type-3 continuation header; old librtmp-based encoders do not.
        var payload = Pattern(200);
        var stream = Hex("03 ffffff 0000c8 09 01000000 00ffffff" + Convert.ToHexString(payload[..128]) + "c3" + (repeated ? "00ffffff" : "") + Convert.ToHexString(payload[128..]));
        var messages = ReadAll(new ChunkReader(), stream);
        Assert.True(messages.Count == 1, $"One 200-byte message with an extended timestamp ({(repeated ? "repeated" : "not repeated")} in its type-3 chunk); you returned {messages.Count}. See README §Extended timestamp.");
        AssertMessage(messages[0], 9, 0xFFFFFF, 1, payload, 3, $"the message at 0xFFFFFF ms ({(repeated ? "with" : "without")} the repeated extended timestamp)");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Timestamps_pass_0xFFFFFF_ms_with_extended_deltas_and_small_ones()
    {
        // type 0 at 0xFFFFF0; type 2 delta 0x20 (passes 4 h 39 m with a small delta); type 1 with a delta of 0x1000000 (extended).
        var stream = Hex("04 fffff0 000001 08 01000000 01" + "84 000020 02" + "44 ffffff 000002 08 01000000 0303");
        var messages = ReadAll(new ChunkReader(), stream);
        Assert.True(messages.Count == 3, $"Three messages; you returned {messages.Count}. See README §Extended timestamp.");
        Assert.True(messages[1].Timestamp == 0x01000010, $"0xFFFFF0 + 0x20 = 0x01000010; got 0x{messages[1].Timestamp:x8}. Timestamps are 32 bits, not 24 — README §Extended timestamp.");
        Assert.True(messages[2].Timestamp == 0x02000010, $"A type-1 delta of 0x01000000 (extended) gives 0x02000010; got 0x{messages[2].Timestamp:x8}. See README §Extended timestamp.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Extended_timestamps_at_exactly_0xFFFFFF_on_type_0_type_3_and_type_2_headers_are_written_and_read()
    {
        // §5.3.1.3: a timestamp or delta of 0xFFFFFF or more is ffffff in its field plus 4 bytes after the header;
        // a type-3 header after a type 0/1/2 header that had one carries those 4 bytes too (README §Extended timestamp).
        // After a type-0 header "the delta" is its timestamp (README §Chunk headers), so the second message, 0xFFFFFF
        // later, repeats it: a type-3 header, with the extended timestamp.
        var writer = new ChunkWriter();
        var bytes = Write(writer,
            (3, new RtmpMessage(9, 0xFFFFFF, 1, Hex("aa"))),         // type 0, timestamp exactly 0xFFFFFF: extended
            (3, new RtmpMessage(9, 0x01FFFFFE, 1, Hex("bb"))),       // type 3, the same delta 0xFFFFFF: the 4 bytes follow
            (3, new RtmpMessage(9, 0x02FFFFFE, 1, Hex("cc"))),       // type 2, delta 0x01000000: extended
            (3, new RtmpMessage(9, 0x03FFFFFD, 1, Hex("dd"))),       // type 2, delta exactly 0xFFFFFF: extended
            (3, new RtmpMessage(9, 0x04FFFFFB, 1, Hex("ee"))));      // type 2, delta 0xFFFFFE: fits in 3 bytes
        var expected = Hex("03 ffffff 000001 09 01000000 00ffffff aa" + "c3 00ffffff bb" + "83 ffffff 01000000 cc" + "83 ffffff 00ffffff dd" + "83 fffffe ee");
        HexDiff.AssertEqual(expected, bytes, "timestamp 0xFFFFFF (type 0), then deltas 0xFFFFFF (type 3), 0x01000000 (type 2), 0xFFFFFF (type 2) and 0xFFFFFE (type 2)", "README §Extended timestamp");

        var messages = ReadAll(new ChunkReader(), expected);
        Assert.True(messages.Count == 5, $"The five one-byte messages; you returned {messages.Count}. See README §Extended timestamp.");
        uint[] timestamps = [0xFFFFFF, 0x01FFFFFE, 0x02FFFFFE, 0x03FFFFFD, 0x04FFFFFB];
        for (int i = 0; i < 5; i++)
        {
            AssertMessage(messages[i], 9, timestamps[i], 1, [(byte)(0xaa + (0x11 * i))], 3, $"message {i + 1} (timestamp 0x{timestamps[i]:x8})");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Writer_produces_the_spec_examples_with_the_smallest_headers()
    {
        var writer = new ChunkWriter();
        var example1 = Write(writer, Enumerable.Range(0, 4).Select(i => (3, new RtmpMessage(8, (uint)(1000 + 20 * i), 12345, Pattern(32, i + 1)))).ToArray());
        HexDiff.AssertEqual(Example1, example1, "the four audio messages of §5.3.2.1 (headers type 0, 2, 3, 3)", "README §Writer");

        var example2 = Write(new ChunkWriter(), (4, new RtmpMessage(9, 1000, 12345, Pattern(307))));
        HexDiff.AssertEqual(Example2, example2, "the 307-byte message of §5.3.2.2 in chunks of 128", "README §Writer");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Writer_uses_type_1_when_the_length_changes_and_type_0_for_another_stream()
    {
        var writer = new ChunkWriter();
        var bytes = Write(writer,
            (5, new RtmpMessage(9, 0, 1, Hex("aa"))),
            (5, new RtmpMessage(9, 40, 1, Hex("bbbb"))),
            (5, new RtmpMessage(9, 80, 1, Hex("cccc"))),
            (5, new RtmpMessage(9, 80, 2, Hex("dd"))),
            (5, new RtmpMessage(9, 70, 2, Hex("ee"))));
        var expected = Hex("05 000000 000001 09 01000000 aa" + "45 000028 000002 09 bbbb" + "c5 cccc" + "05 000050 000001 09 02000000 dd" + "05 000046 000001 09 02000000 ee");
        HexDiff.AssertEqual(expected, bytes, "type 0, type 1 (new length), type 3 (same delta 40), type 0 (other message stream), type 0 (timestamp goes back)", "README §Writer");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Writer_repeats_the_extended_timestamp_in_continuation_chunks()
    {
        var payload = Pattern(130);
        var bytes = new ChunkWriter().Write(320, new RtmpMessage(9, 0x01020304, 1, payload));
        var expected = Hex("010001 ffffff 000082 09 01000000 01020304" + Convert.ToHexString(payload[..128]) + "c10001 01020304" + Convert.ToHexString(payload[128..]));
        HexDiff.AssertEqual(expected, bytes, "a 130-byte message at 0x01020304 ms on chunk stream 320", "README §Extended timestamp");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Reader_reads_what_the_writer_wrote_for_many_messages()
    {
        var random = new Random(2);
        var writer = new ChunkWriter();
        var sent = new List<(int Csid, RtmpMessage Message)>();
        uint[] clocks = new uint[4];
        for (int i = 0; i < 300; i++)
        {
            int which = random.Next(4);
            int csid = new[] { 3, 63, 300, 65599 }[which];
            clocks[which] += (uint)random.Next(0, 3) * 20 + (random.Next(50) == 0 ? 0x01000000u : 0);
            var payload = Pattern(random.Next(3) == 0 ? 20 : random.Next(0, 700), i);
            sent.Add((csid, new RtmpMessage((byte)(8 + which % 2), clocks[which], 1, payload)));
        }

        var got = ReadAll(new ChunkReader(), Write(writer, sent.ToArray()));
        Assert.True(got.Count == sent.Count, $"The writer wrote {sent.Count} messages; your reader returned {got.Count}. See README §Writer.");
        var byStream = sent.GroupBy(s => s.Csid).ToDictionary(g => g.Key, g => g.Select(s => s.Message).ToList());
        foreach (var group in got.GroupBy(m => m.ChunkStreamId))
        {
            var expected = byStream[group.Key];
            int i = 0;
            foreach (var message in group)
            {
                AssertMessage(message, expected[i].TypeId, expected[i].Timestamp, 1, expected[i].Payload.ToArray(), group.Key, $"message {i} of chunk stream {group.Key}");
                i++;
            }
        }
    }

    [Theory]
    [InlineData("44 000000 000004 09 aabbccdd", "a type-1 header on chunk stream 4, never opened")]
    [InlineData("c7 aabbccdd", "a type-3 header on chunk stream 7, never opened")]
    [Trait("Milestone", Milestone)]
    public void A_chunk_stream_not_opened_by_a_type_0_header_is_an_RtmpException(string hex, string what)
    {
        var error = Record.Exception(() => ReadAll(new ChunkReader(), Hex(hex)));
        // README §Errors promises the type and the offset (where the chunk starts); the message's wording is yours.
        Assert.True(error is RtmpException { Offset: 0 }, $"{what}: expected an RtmpException at offset 0 (where the chunk starts); got {error?.GetType().Name ?? "no exception"}: {error?.Message} (offset {(error as RtmpException)?.Offset}). See README §Chunk headers, §Errors.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_new_header_inside_an_incomplete_message_is_an_RtmpException()
    {
        // A 256-byte message: its first chunk carries 128 bytes; then a type-0 header on the same chunk stream instead of a type-3 continuation.
        var interrupted = Hex("03 000000 000100 09 01000000" + Convert.ToHexString(Pattern(128)) + "03 000000 000001 09 01000000 bb");
        var error = Record.Exception(() => ReadAll(new ChunkReader(), interrupted));
        Assert.True(error is RtmpException { Offset: 140 }, $"Expected an RtmpException at offset 140 (where the second header starts); got {error?.GetType().Name ?? "no exception"}: {error?.Message} (offset {(error as RtmpException)?.Offset}). See README §Errors.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void An_incomplete_chunk_returns_false_down_to_its_basic_header_and_a_complete_one_ends_exactly()
    {
        // README §Reassembly: when input does not hold the whole chunk, TryReadChunk returns false and changes nothing.
        foreach (var hex in new[] { "", "00", "01 00", "03 000000 0000", "03 ffffff 000000 14 00000000 0100" })
        {
            var reader = new ChunkReader();
            bool read = true;
            var error = Record.Exception(() => read = reader.TryReadChunk(Hex(hex), out _, out _));
            Assert.True(error is null && !read, $"TryReadChunk({(hex.Length == 0 ? "no bytes" : hex)}) holds no whole chunk (a cut basic header, message header or extended timestamp): it must return false; {(error is null ? "it returned true" : $"it threw {error.GetType().Name}")}. See README §Reassembly.");
        }

        // A message of length 0 is complete after its header (README §Reassembly), also when the input ends right there:
        // plain, and with an extended timestamp (§5.3.1.3: ff ff ff, then 4 bytes 01 00 00 00).
        foreach (var (hex, timestamp) in new[] { ("03 0003e8 000000 14 00000000", 1000u), ("03 ffffff 000000 14 00000000 01000000", 0x01000000u) })
        {
            var bytes = Hex(hex);
            var reader = new ChunkReader();
            Assert.True(reader.TryReadChunk(bytes, out int consumed, out var message) && consumed == bytes.Length && message is { Payload.Length: 0 } && message.Timestamp == timestamp,
                $"{hex} is a whole zero-length message (timestamp {timestamp}) and nothing more: TryReadChunk must return true, consume all {bytes.Length} bytes and give the message; got consumed {consumed}, {(message is null ? "no message" : Describe(message))}. See README §Reassembly.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_type_2_header_with_an_extended_delta_is_repeated_in_its_type_3_chunks()
    {
        // Written by hand from §5.3.1.2.3 and §5.3.1.3: a 200-byte audio message at 1000 ms (type 0, cut at 128: c3), then
        // another 200-byte one whose delta 0x01000000 does not fit: type 2 (83) with ff ff ff and the 4 extended bytes;
        // its type-3 chunk (c3) repeats the extended delta (README §Extended timestamp).
        var first = Pattern(200, 1);
        var second = Pattern(200, 2);
        byte[] stream = [.. Hex("03 0003e8 0000c8 08 01000000"), .. first.AsSpan(0, 128), .. Hex("c3"), .. first.AsSpan(128),
                         .. Hex("83 ffffff 01000000"), .. second.AsSpan(0, 128), .. Hex("c3 01000000"), .. second.AsSpan(128)];
        var messages = ReadAll(new ChunkReader(), stream);
        Assert.True(messages.Count == 2, $"The stream holds 2 messages of 200 bytes; you returned {messages.Count}. See README §Extended timestamp.");
        AssertMessage(messages[1], 8, 1000 + 0x01000000u, 1, second, 3, "the message after a type-2 header with the extended delta 0x01000000 (its type-3 chunk repeats it)");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_writer_uses_a_type_2_header_for_a_repeated_timestamp()
    {
        // Two equal audio messages at the same 1000 ms: the second one's delta is 0, not the 1000 a type-3 header would
        // repeat after the type-0 one (§5.3.1.2.4), so the smallest correct header is type 2 with delta 0: 83 00 00 00.
        var payload = Pattern(32);
        var writer = new ChunkWriter();
        writer.Write(3, new RtmpMessage(8, 1000, 1, payload));
        var second = writer.Write(3, new RtmpMessage(8, 1000, 1, payload));
        HexDiff.AssertEqual(Hex("83 000000" + Convert.ToHexString(payload)), second, "the second message at the same timestamp (type 2, delta 0)", "README §Chunk headers, §Writer");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Callers_bugs_are_ArgumentExceptions()
    {
        // README §Errors: a caller's bug is an ArgumentException (ArgumentNullException and ArgumentOutOfRangeException are ones).
        var cases = new (string What, Action Call)[]
        {
            ("ChunkBasicHeader with fmt 4 (2 bits hold 0-3)", () => new ChunkBasicHeader(4, 3).WriteTo(new byte[3])),
            ("ChunkBasicHeader.WriteTo a 1-byte span for chunk stream 64 (2 bytes)", () => new ChunkBasicHeader(0, 64).WriteTo(new byte[1])),
            ("ChunkWriter.Write of a null message", () => new ChunkWriter().Write(3, null!, new System.Buffers.ArrayBufferWriter<byte>())),
            ("ChunkWriter.Write into a null output", () => new ChunkWriter().Write(3, new RtmpMessage(8, 0, 1, Pattern(4)), null!)),
        };
        foreach (var (what, call) in cases)
        {
            var error = Record.Exception(call);
            Assert.True(error is ArgumentException, $"{what} is a caller's bug: ArgumentException; got {error?.GetType().Name ?? "no exception"}. See README §Errors.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_writer_takes_a_message_of_the_largest_length_and_refuses_one_byte_more()
    {
        // §5.3.1.2.1: the message length is a 3-byte field, so 0xFFFFFF (16 777 215) bytes is the longest message.
        var writer = new ChunkWriter();
        writer.SetChunkSize(1 << 20);
        var largest = new RtmpMessage(9, 0, 1, new byte[0xFFFFFF]);
        var bytes = writer.Write(6, largest);
        HexDiff.AssertEqual(Hex("06 000000 ffffff 09 01000000"), bytes.AsSpan(0, 12), "the type-0 header of a 16 777 215-byte message (length ff ff ff)", "README §Chunk headers");
        Assert.True(bytes.Length == 12 + 0xFFFFFF + 15, $"16 777 215 bytes at chunk size 1 MiB are 16 chunks: a 12-byte header, then 15 type-3 headers of 1 byte; you wrote {bytes.Length} bytes. See README §Writer.");
        var error = Record.Exception(() => new ChunkWriter().Write(6, new RtmpMessage(9, 0, 1, new byte[0x1000000])));
        Assert.True(error is ArgumentException, $"A message of 16 777 216 bytes does not fit the 3-byte length field: ArgumentException (a caller's bug, README §Errors); got {error?.GetType().Name ?? "no exception"}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_message_over_the_length_bound_is_refused_before_it_is_buffered()
    {
        var reader = new ChunkReader(maxMessageLength: 1000);
        var error = Record.Exception(() => ReadAll(reader, Hex("03 000000 000064 14 00000000" + new string('0', 200) + "03 000000 0003e9 09 01000000 aa")));
        Assert.True(error is RtmpException, $"A 1001-byte message with a 1000-byte bound must be an RtmpException; got {error?.GetType().Name ?? "no exception"}. See README §Limits.");
        var rtmp = (RtmpException)error!;
        Assert.True(rtmp.Offset == 112 + 4, $"The offset must point at the length field of the second header (112 + 4 = 116); got {rtmp.Offset}. See README §Limits.");
    }

    [Fact(Timeout = 10000)]
    [Trait("Milestone", Milestone)]
    public async Task A_peer_that_closes_inside_a_chunk_is_an_RtmpException()
    {
        var bytes = Example2[..200];
        var reader = new ChunkStreamReader(new MemoryStream(bytes));
        var error = await Record.ExceptionAsync(async () => { while (await reader.ReadMessageAsync(TestContext.Current.CancellationToken) is not null) { } });
        Assert.True(error is RtmpException { Offset: 200 }, $"The stream ends 200 bytes into a 3-chunk message: expected an RtmpException at offset 200; got {error?.GetType().Name ?? "no exception"}: {error?.Message}. See README §Errors.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Milestone)]
    public void Fuzzed_chunk_streams_give_messages_or_RtmpException_and_nothing_else()
    {
        var seed = Write(new ChunkWriter(), (3, new RtmpMessage(20, 0, 0, Pattern(300))), (4, new RtmpMessage(9, 40, 1, Pattern(50))), (65599, new RtmpMessage(8, 0x01000000, 1, Pattern(10))));
        var random = new Random(20240501);
        for (int iteration = 0; iteration < 2000; iteration++)
        {
            var bytes = (byte[])seed.Clone();
            for (int flips = random.Next(1, 6); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var reader = new ChunkReader(maxMessageLength: 4096);
            try
            {
                int at = 0;
                while (at < bytes.Length && reader.TryReadChunk(bytes.AsSpan(at), out int consumed, out _))
                {
                    Assert.True(consumed > 0 && consumed <= bytes.Length - at, $"Fuzz iteration {iteration}: TryReadChunk returned true having consumed {consumed} of the {bytes.Length - at} bytes it was given (it must be 1 to all of them). See README §Reassembly.");
                    at += consumed;
                }
            }
            catch (RtmpException)
            {
                // the documented outcome for bad input
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"Fuzz iteration {iteration} (seed 20240501): bad input must be an RtmpException; got {e.GetType().Name}: {e.Message}\nbytes: {Convert.ToHexString(bytes)}. See README §Errors.");
            }
        }
    }
}
