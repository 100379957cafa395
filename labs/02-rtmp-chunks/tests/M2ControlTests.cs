using static Lab02.RtmpChunks.Tests.Bytes;

namespace Lab02.RtmpChunks.Tests;

/// <summary>M2: protocol control messages (RTMP 1.0 §5.4) and User Control events (§7.1.7): spec layouts, and the bytes ffmpeg sends.</summary>
public class M2ControlTests
{
    private const string Milestone = "M2 protocol control messages";

    private static void AssertChunk(string expectedHex, RtmpMessage message, string what) =>
        HexDiff.AssertEqual(Hex(expectedHex), new ChunkWriter().Write(ProtocolControl.ChunkStreamId, message), what, "README §Protocol control");

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Control_messages_have_the_spec_layouts()
    {
        // The first three vectors are byte for byte what ffmpeg sends (testdata/02-rtmp-chunks/ffmpeg-publish.*.bin).
        AssertChunk("02 000000 000004 01 00000000 00001000", ProtocolControl.SetChunkSize(4096), "Set Chunk Size 4096 (§5.4.1), as ffmpeg sends it after connect");
        AssertChunk("02 000000 000004 01 00000000 7fffffff", ProtocolControl.SetChunkSize(0x7FFFFFFF), "Set Chunk Size 2^31-1, the largest size §5.4.1 allows");
        AssertChunk("02 000000 000004 05 00000000 002625a0", ProtocolControl.WindowAcknowledgementSize(2500000), "Window Acknowledgement Size 2 500 000 (§5.4.4)");
        AssertChunk("02 000000 000005 06 00000000 002625a0 02", ProtocolControl.SetPeerBandwidth(2500000, PeerBandwidthLimit.Dynamic), "Set Peer Bandwidth 2 500 000, dynamic (§5.4.5)");
        AssertChunk("02 000000 000004 02 00000000 00000005", ProtocolControl.Abort(5), "Abort chunk stream 5 (§5.4.2)");
        AssertChunk("02 000000 000004 03 00000000 0001e240", ProtocolControl.Acknowledgement(123456), "Acknowledgement of 123 456 bytes (§5.4.3)");
        AssertChunk("02 000000 000006 04 00000000 0000 00000001", ProtocolControl.UserControl(new(UserControlEventType.StreamBegin, 1)), "User Control Stream Begin 1 (§7.1.7)");
        AssertChunk("02 000000 00000a 04 00000000 0003 00000001 00000bb8", ProtocolControl.UserControl(new(UserControlEventType.SetBufferLength, 1, 3000)), "Set Buffer Length 3000 ms for stream 1, as ffmpeg's player sends it");
        AssertChunk("02 000000 000006 04 00000000 0006 0000c350", ProtocolControl.UserControl(new(UserControlEventType.PingRequest, 50000)), "Ping Request at 50 000 ms");
        AssertChunk("02 000000 000006 04 00000000 0007 0000c350", ProtocolControl.UserControl(new(UserControlEventType.PingResponse, 50000)), "Ping Response to it");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Control_messages_are_read_back()
    {
        int chunkSize = ProtocolControl.ReadSetChunkSize(new RtmpMessage(1, 0, 0, Hex("00001000")));
        Assert.True(chunkSize == 4096, $"Set Chunk Size 00 00 10 00 (§5.4.1, 31 bits big-endian) is 4096; you read {chunkSize}. See README §Set Chunk Size.");
        chunkSize = ProtocolControl.ReadSetChunkSize(new RtmpMessage(1, 0, 0, Hex("00100000")));
        Assert.True(chunkSize == 1048576, $"Set Chunk Size 00 10 00 00 is 1 MiB (1048576), a size nginx-rtmp accepts; you read {chunkSize}. See README §Set Chunk Size.");
        chunkSize = ProtocolControl.ReadSetChunkSize(new RtmpMessage(1, 0, 0, Hex("7fffffff")));
        Assert.True(chunkSize == int.MaxValue, $"Set Chunk Size 7f ff ff ff is 2147483647, the largest size §5.4.1 allows (31 bits); you read {chunkSize}. See README §Set Chunk Size.");
        uint window = ProtocolControl.ReadUInt32(new RtmpMessage(5, 0, 0, Hex("002625a0")), "Window Acknowledgement Size");
        Assert.True(window == 2500000u, $"Window Acknowledgement Size 00 26 25 a0 (§5.4.4) is 2 500 000; you read {window}. See README §Protocol control.");
        var bandwidth = ProtocolControl.ReadSetPeerBandwidth(new RtmpMessage(6, 0, 0, Hex("002625a0 01")));
        Assert.True(bandwidth == (2500000u, PeerBandwidthLimit.Soft),
            $"Set Peer Bandwidth 00 26 25 a0 01 (§5.4.5) is 2 500 000 with limit type 1 (Soft); you read {bandwidth}. See README §Protocol control.");
        var buffer = ProtocolControl.ReadUserControl(new RtmpMessage(4, 0, 0, Hex("0003 00000001 00000bb8")));
        Assert.True(buffer == new UserControlEvent(UserControlEventType.SetBufferLength, 1, 3000),
            $"User Control 00 03 00 00 00 01 00 00 0b b8 (§7.1.7) is Set Buffer Length, stream 1, 3000 ms; you read {buffer}. See README §User Control.");
        var ping = ProtocolControl.ReadUserControl(new RtmpMessage(4, 0, 0, Hex("0006 00000007")));
        Assert.True(ping == new UserControlEvent(UserControlEventType.PingRequest, 7),
            $"User Control 00 06 00 00 00 07 is a Ping Request with timestamp 7; you read {ping}. See README §User Control.");
    }

    [Theory]
    [InlineData("00000000", "a chunk size of 0")]
    [InlineData("80000080", "the top bit set (§5.4.1 says it must be 0)")]
    [InlineData("ffffffff", "every bit set (the top bit must be 0; as a 32-bit int it is -1)")]
    [InlineData("0010", "only 2 bytes")]
    [Trait("Milestone", Milestone)]
    public void Bad_Set_Chunk_Size_is_an_RtmpException(string payload, string what)
    {
        var error = Record.Exception(() => ProtocolControl.ReadSetChunkSize(new RtmpMessage(1, 0, 0, Hex(payload))));
        Assert.True(error is RtmpException, $"Set Chunk Size with {what} must be an RtmpException; got {error?.GetType().Name ?? "no exception"}. See README §Set Chunk Size.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Truncated_User_Control_and_Set_Peer_Bandwidth_are_an_RtmpException()
    {
        foreach (var (message, what) in new[] { (new RtmpMessage(4, 0, 0, Hex("0000 0001")), "a 4-byte User Control"), (new RtmpMessage(4, 0, 0, Hex("0003 00000001")), "Set Buffer Length without its buffer length"), (new RtmpMessage(6, 0, 0, Hex("002625a0")), "Set Peer Bandwidth without a limit type") })
        {
            var error = Record.Exception(() => { if (message.TypeId == 4) { ProtocolControl.ReadUserControl(message); } else { ProtocolControl.ReadSetPeerBandwidth(message); } });
            Assert.True(error is RtmpException, $"{what} must be an RtmpException; got {error?.GetType().Name ?? "no exception"}. See README §Protocol control.");
        }
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(65536)]
    [InlineData(65537)]
    [InlineData(1 << 20)]
    [Trait("Milestone", Milestone)]
    public void The_reader_adopts_a_Set_Chunk_Size_mid_stream(int chunkSize)
    {
        var payload = Pattern(chunkSize + 300);
        var writer = new ChunkWriter();
        var before = Write(writer, (3, new RtmpMessage(8, 0, 1, Pattern(200))), (2, ProtocolControl.SetChunkSize(chunkSize)));
        writer.SetChunkSize(chunkSize);
        var after = Write(writer, (3, new RtmpMessage(9, 40, 1, payload)));
        Assert.True(after.Length == payload.Length + 8 + 1, $"At chunk size {chunkSize} the writer must cut a {payload.Length}-byte message into 2 chunks: a type-1 header (8 bytes), then one type-3 header ({payload.Length + 9} bytes); it wrote {after.Length}. See README §Set Chunk Size.");

        var reader = new ChunkReader(maxMessageLength: 2 << 20);
        var messages = ReadAll(reader, [.. before, .. after], [50, before.Length + 1]);
        Assert.True(reader.ChunkSize == chunkSize, $"After a Set Chunk Size of {chunkSize} the reader's ChunkSize must be {chunkSize}; it is {reader.ChunkSize}. See README §Set Chunk Size.");
        Assert.True(messages.Count == 3, $"The stream holds 3 messages (audio at chunk size 128, Set Chunk Size, video at {chunkSize}); you returned {messages.Count}. See README §Set Chunk Size.");
        AssertMessage(messages[2], 9, 40, 1, payload, 3, $"the {payload.Length}-byte message after the new chunk size");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_Set_Chunk_Size_with_the_top_bit_set_stops_the_reader()
    {
        var error = Record.Exception(() => ReadAll(new ChunkReader(), Hex("02 000000 000004 01 00000000 80001000")));
        Assert.True(error is RtmpException { Part: "Set Chunk Size" }, $"A Set Chunk Size of 80 00 10 00 (the top bit set, §5.4.1) must be an RtmpException with Part \"Set Chunk Size\"; got {error?.GetType().Name ?? "no exception"} {(error as RtmpException)?.Part}. See README §Set Chunk Size.");
        var zero = Record.Exception(() => new ChunkReader().SetChunkSize(0));
        Assert.True(zero is RtmpException { Part: "Set Chunk Size" }, $"ChunkReader.SetChunkSize(0) (a peer's chunk size of 0) must be an RtmpException with Part \"Set Chunk Size\"; got {zero?.GetType().Name ?? "no exception"} {(zero as RtmpException)?.Part}. See README §Set Chunk Size.");
        Assert.True(new ChunkWriter() is var w && Record.Exception(() => w.SetChunkSize(0)) is ArgumentOutOfRangeException, "ChunkWriter.SetChunkSize(0) is a caller bug: ArgumentOutOfRangeException. See README §Set Chunk Size.");
        var writer = new ChunkWriter();
        var large = Record.Exception(() => writer.SetChunkSize(int.MaxValue));
        Assert.True(large is null && writer.ChunkSize == int.MaxValue, $"ChunkWriter.SetChunkSize(2147483647) is legal (§5.4.1 allows 1 to 2^31-1); got {large?.GetType().Name ?? $"ChunkSize {writer.ChunkSize}"}. See README §Set Chunk Size.");
    }

    /// <summary>
    /// Written by hand from §5.3.1 and §5.4.1: Set Chunk Size 1 MiB on chunk stream 2, then a video message of
    /// 1 MiB + 1000 bytes on chunk stream 6 (type-0 header: timestamp 40, length 0x1003e8, type 9, message
    /// stream 1 little-endian), cut into a 1 MiB chunk and a 1000-byte chunk after a type-3 header (c6).
    /// </summary>
    private static (byte[] Stream, byte[] Payload) OneMiBChunks()
    {
        var payload = Pattern((1 << 20) + 1000, seed: 7);
        byte[] stream = [.. Hex("02 000000 000004 01 00000000 00100000"), .. Hex("06 000028 1003e8 09 01000000"), .. payload.AsSpan(0, 1 << 20), .. Hex("c6"), .. payload.AsSpan(1 << 20)];
        return (stream, payload);
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_1_MiB_chunk_size_carries_a_larger_message_in_two_chunks()
    {
        var (stream, payload) = OneMiBChunks();
        var reader = new ChunkReader();
        var messages = ReadAll(reader, stream, [7, 16, 30, 500_000, (1 << 20) + 28, (1 << 20) + 29]);
        Assert.True(reader.ChunkSize == 1 << 20, $"After a Set Chunk Size of 00 10 00 00 the reader's ChunkSize must be 1048576 (1 MiB: legal, §5.4.1 allows up to 2^31-1, and nginx-rtmp uses it); it is {reader.ChunkSize}. See README §Set Chunk Size.");
        Assert.True(messages.Count == 2, $"The stream holds 2 messages: Set Chunk Size and a {payload.Length}-byte video message in two chunks (1 MiB, then 1000 bytes); you returned {messages.Count}: {string.Join("; ", messages.Select(Describe))}. See README §Set Chunk Size.");
        AssertMessage(messages[1], 9, 40, 1, payload, 6, "the video message cut into 1 MiB chunks");
    }

    [Fact(Timeout = 20000)]
    [Trait("Milestone", Milestone)]
    public async Task A_1_MiB_chunk_size_is_read_through_ChunkStreamReader()
    {
        // ChunkStreamReader (given) around your reader: its read buffer must grow past a 1 MiB chunk.
        var (stream, payload) = OneMiBChunks();
        var reader = new ChunkStreamReader(new MemoryStream(stream), new ChunkReader());
        var messages = new List<RtmpMessage>();
        using var deadline = Deadline.After(Deadline.Step);
        while (await reader.ReadMessageAsync(deadline.Token) is { } message)
        {
            messages.Add(message);
        }

        Assert.True(messages.Count == 2, $"Read from a stream, the bytes hold 2 messages (Set Chunk Size 1 MiB, then a {payload.Length}-byte video message); you returned {messages.Count}: {string.Join("; ", messages.Select(Describe))}. See README §Set Chunk Size.");
        AssertMessage(messages[1], 9, 40, 1, payload, 6, "the video message in 1 MiB chunks, read from a stream");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_largest_chunk_size_allocates_nothing_by_its_size()
    {
        // Set Chunk Size 0x7fffffff (2^31-1, §5.4.1), then two 100 000-byte audio messages on chunk stream 4,
        // each in one chunk: the second starts with a type-3 header (c4: same length, type and delta).
        var first = Pattern(100_000, seed: 1);
        var second = Pattern(100_000, seed: 2);
        byte[] stream = [.. Hex("02 000000 000004 01 00000000 7fffffff"), .. Hex("04 000014 0186a0 08 01000000"), .. first, .. Hex("c4"), .. second];
        var reader = new ChunkReader();
        var messages = new List<RtmpMessage>();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var rest = stream.AsSpan();
        Exception? error = null;
        try
        {
            while (rest.Length > 0 && reader.TryReadChunk(rest, out int consumed, out var message))
            {
                rest = rest[consumed..];
                if (message is not null)
                {
                    messages.Add(message);
                }
            }
        }
        catch (Exception e) when (e is OutOfMemoryException or OverflowException or RtmpException or ArgumentException)
        {
            error = e;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(error is null, $"A Set Chunk Size of 7f ff ff ff (2147483647) is legal (§5.4.1) and must not fail; your reader threw {error?.GetType().Name}: {error?.Message}. See README §Set Chunk Size.");
        Assert.True(rest.Length == 0 && messages.Count == 3, $"The bytes hold 3 messages (Set Chunk Size, two 100 000-byte audio messages, one chunk each); you returned {messages.Count} and left {rest.Length} bytes unread. See README §Set Chunk Size.");
        AssertMessage(messages[1], 8, 20, 1, first, 4, "the first audio message at chunk size 2^31-1");
        AssertMessage(messages[2], 8, 40, 1, second, 4, "the second audio message (type-3 header: the delta 20 again)");
        long bound = 2L * stream.Length + 256 * 1024;
        Assert.True(allocated < bound,
            $"Reading {stream.Length} bytes at chunk size 2^31-1 allocated {allocated} bytes; expected less than {bound} (the two payloads and a little more). Size buffers by the message length, never by the peer's chunk size. See README §Set Chunk Size, §Limits.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Abort_discards_a_partial_message()
    {
        var stream = Hex("04 000000 000100 09 01000000" + Convert.ToHexString(Pattern(128)) + "02 000000 000004 02 00000000 00000004" + "04 000010 000002 08 01000000 abcd");
        var messages = ReadAll(new ChunkReader(), stream);
        Assert.True(messages.Count == 2 && messages[1].TypeId == 8 && messages[1].Payload.Length == 2,
            $"After Abort(4) the half message on chunk stream 4 is dropped and a new type-0 message may start there; got {string.Join("; ", messages.Select(Describe))}. See README §Abort.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Completed_and_aborted_messages_stop_counting_as_buffered()
    {
        // README §Limits: what is bounded is the bytes buffered for *partial* messages. With a bound of 1000 bytes per
        // message, 60 complete messages of 1000 bytes (60 000 bytes in all) and 60 aborted halves are all legal.
        var writer = new ChunkWriter();
        var complete = Write(writer, [.. Enumerable.Range(0, 60).Select(i => (4, new RtmpMessage(9, (uint)(i * 40), 1, Pattern(1000, i))))]);
        var messages = ReadAll(new ChunkReader(maxMessageLength: 1000), complete);
        Assert.True(messages.Count == 60, $"60 messages of 1000 bytes, one after another, each within the bound of 1000: all 60 are read (a finished message no longer counts as buffered); you returned {messages.Count}. See README §Limits.");

        var aborted = new List<byte>();
        for (int i = 0; i < 60; i++)
        {
            // Half of a 1000-byte message on chunk stream 4 (its first 128-byte chunk), then Abort(4) (§5.4.2).
            aborted.AddRange(Hex("04 000000 0003e8 09 01000000"));
            aborted.AddRange(Pattern(128, i));
            aborted.AddRange(Hex("02 000000 000004 02 00000000 00000004"));
        }

        aborted.AddRange(Hex("04 000010 000002 08 01000000 abcd"));
        var error = Record.Exception(() => messages = ReadAll(new ChunkReader(maxMessageLength: 1000), [.. aborted]));
        Assert.True(error is null && messages.Count == 61 && messages[^1].TypeId == 8,
            $"60 half messages of 1000 bytes, each dropped by an Abort, then a 2-byte audio message: the aborted bytes no longer count as buffered, so the 60 Aborts and the audio message are read (61 messages); {(error is null ? $"you returned {messages.Count}" : $"you threw {error.GetType().Name}: {error.Message}")}. See README §Abort, §Limits.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_chunk_size_of_1_is_legal_and_0_is_a_callers_bug()
    {
        // README §Set Chunk Size: a chunk size is 1 to 2^31-1. At 1, a 3-byte message is a type-0 chunk of 1 byte and two c3 chunks.
        var reader = new ChunkReader();
        var error = Record.Exception(() => reader.SetChunkSize(1));
        Assert.True(error is null && reader.ChunkSize == 1, $"ChunkReader.SetChunkSize(1) is legal (the smallest size); got {error?.GetType().Name ?? $"ChunkSize {reader.ChunkSize}"}. See README §Set Chunk Size.");
        var messages = ReadAll(reader, Hex("03 000000 000003 08 01000000 aa c3 bb c3 cc"));
        Assert.True(messages.Count == 1 && messages[0].Payload.Span.SequenceEqual(Hex("aabbcc")), $"At chunk size 1, 03 … aa c3 bb c3 cc is one message aa bb cc; you returned {string.Join("; ", messages.Select(Describe))}. See README §Set Chunk Size.");
        var zero = Record.Exception(() => ProtocolControl.SetChunkSize(0));
        Assert.True(zero is ArgumentOutOfRangeException, $"ProtocolControl.SetChunkSize(0) is a caller's bug: ArgumentOutOfRangeException; got {zero?.GetType().Name ?? "no exception"}. See README §Set Chunk Size.");
        AssertChunk("02 000000 000004 01 00000000 00000001", ProtocolControl.SetChunkSize(1), "Set Chunk Size 1, the smallest size");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void An_Abort_for_a_chunk_stream_with_nothing_pending_changes_nothing()
    {
        // §5.4.2: the receiver discards the partial message of that chunk stream; chunk stream 9 was never used, 4 has none pending.
        var stream = Hex("04 000000 000002 08 01000000 abcd" + "02 000000 000004 02 00000000 00000009" + "02 000000 000004 02 00000000 00000004" + "84 000014 abcd");
        var error = Record.Exception(() => ReadAll(new ChunkReader(), stream));
        Assert.True(error is null, $"Abort(9) for a chunk stream never used and Abort(4) with no message pending drop nothing; you threw {error?.GetType().Name}: {error?.Message}. See README §Abort.");
        var messages = ReadAll(new ChunkReader(), stream);
        Assert.True(messages.Count == 4 && messages[3].Timestamp == 20 && messages[3].Payload.Span.SequenceEqual(Hex("abcd")),
            $"After the two Aborts, chunk stream 4 still remembers its header: a type-2 header with delta 20 gives a 2-byte message at 20 ms; you returned {string.Join("; ", messages.Select(Describe))}. See README §Abort.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Null_messages_are_a_callers_bug()
    {
        foreach (var (what, call) in new (string, Action)[]
        {
            ("ReadUInt32(null)", () => ProtocolControl.ReadUInt32(null!, "Acknowledgement")),
            ("ReadSetPeerBandwidth(null)", () => ProtocolControl.ReadSetPeerBandwidth(null!)),
            ("ReadUserControl(null)", () => ProtocolControl.ReadUserControl(null!)),
        })
        {
            var error = Record.Exception(call);
            Assert.True(error is ArgumentException, $"ProtocolControl.{what} is a caller's bug: ArgumentException (ArgumentNullException); got {error?.GetType().Name ?? "no exception"}. See README §Errors.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Partial_messages_are_buffered_up_to_four_times_the_message_bound()
    {
        // README §Limits: at most 4 × maxMessageLength bytes of partial messages across all chunk streams; a header that
        // would go past it is an RtmpException. Bound 1000: four 1000-byte messages may be pending at once, not five.
        var four = new List<byte>();
        for (int csid = 3; csid < 7; csid++)
        {
            four.AddRange(Hex($"{csid:x2} 000000 0003e8 09 01000000"));
            four.AddRange(Pattern(128, csid));
        }

        var reader = new ChunkReader(maxMessageLength: 1000);
        var error = Record.Exception(() => ReadAll(reader, [.. four]));
        Assert.True(error is null, $"Four partial 1000-byte messages (chunk streams 3-6) are exactly 4 × maxMessageLength (1000): allowed; you threw {error?.GetType().Name}: {error?.Message}. See README §Limits.");
        byte[] five = [.. four, .. Hex("07 000000 0003e8 09 01000000"), .. Pattern(128, 7)];
        error = Record.Exception(() => ReadAll(new ChunkReader(maxMessageLength: 1000), five));
        Assert.True(error is RtmpException, $"A fifth partial 1000-byte message (chunk stream 7) goes past 4 × maxMessageLength: RtmpException; got {error?.GetType().Name ?? "no exception"}. See README §Limits.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Set_Peer_Bandwidth_reads_every_limit_type_and_refuses_others()
    {
        // §5.4.5: limit type 0 Hard, 1 Soft, 2 Dynamic (ffmpeg's server sends 2); nothing else is defined.
        foreach (var (hex, limit) in new[] { ("002625a0 00", PeerBandwidthLimit.Hard), ("002625a0 02", PeerBandwidthLimit.Dynamic) })
        {
            var read = ProtocolControl.ReadSetPeerBandwidth(new RtmpMessage(6, 0, 0, Hex(hex)));
            Assert.True(read == (2500000u, limit), $"Set Peer Bandwidth {hex} is 2 500 000 with limit type {limit}; you read {read}. See README §Protocol control.");
        }

        var error = Record.Exception(() => ProtocolControl.ReadSetPeerBandwidth(new RtmpMessage(6, 0, 0, Hex("002625a0 03"))));
        Assert.True(error is RtmpException, $"Set Peer Bandwidth with limit type 3 (only 0, 1 and 2 exist, §5.4.5) must be an RtmpException; got {error?.GetType().Name ?? "no exception"}. See README §Protocol control.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Acknowledgements_are_due_on_window_boundaries()
    {
        var window = new AcknowledgementWindow { WindowSize = 1000 };
        var due = new List<uint>();
        foreach (long total in new long[] { 10, 999, 1000, 1500, 1999, 2100, 2500, 3100, 5000 })
        {
            if (window.ShouldAcknowledge(total, out uint sequence))
            {
                due.Add(sequence);
            }
        }

        Assert.True(due.SequenceEqual([1000u, 2100u, 3100u, 5000u]),
            $"With a window of 1000, acknowledge when 1000 bytes came since the last acknowledgement, with the total received: expected 1000, 2100, 3100, 5000; got {string.Join(", ", due)}. See README §Acknowledgement.");
        Assert.False(new AcknowledgementWindow().ShouldAcknowledge(1 << 30, out _), "Before the peer sets a window, never acknowledge. See README §Acknowledgement.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_real_ffmpeg_publish_reassembles_into_its_messages()
    {
        // What ffmpeg 5.1 sent publishing testdata/clip-2s.flv (testdata/02-rtmp-chunks/make.sh). ffprobe counts
        // 50 video and 88 audio packets in the clip; each stream also sends one sequence header, and the video an end-of-sequence.
        var bytes = Capture("ffmpeg-publish.c2s.bin");
        var random = new Random(5);
        var cuts = new List<int>();
        for (int at = random.Next(1, 300); at < bytes.Length; at += random.Next(1, 300))
        {
            cuts.Add(at);
        }

        var reader = new ChunkReader();
        var messages = ReadAll(reader, bytes, cuts);
        var setChunkSize = messages.FirstOrDefault(m => m.TypeId == MessageType.SetChunkSize);
        Assert.True(setChunkSize is not null && ProtocolControl.ReadSetChunkSize(setChunkSize) == 128 && reader.ChunkSize == 128,
            $"A publishing ffmpeg echoes the server's Set Chunk Size (ffmpeg's own server sent 128) as its second message; your reader found {(setChunkSize is null ? "none" : Describe(setChunkSize))} and ends at chunk size {reader.ChunkSize}. See README §Set Chunk Size.");
        Assert.True(messages[0].TypeId == 20 && messages[0].Payload.Length == 140 && messages[0].ChunkStreamId == 3,
            $"ffmpeg's first message is its 140-byte connect command (type 20) on chunk stream 3, in two chunks; got {Describe(messages[0])}. See README §Reassembly.");
        // An FLV video tag body starts with frame type/codec, then the AVC packet type: 0 sequence header, 1 a frame, 2 end of sequence (which ffmpeg's FLV muxer adds at the end).
        int frames = messages.Count(m => m.TypeId == 9 && m.Payload.Span[1] == 1), headers = messages.Count(m => m.TypeId == 9 && m.Payload.Span[1] == 0), audio = messages.Count(m => m.TypeId == 8);
        Assert.True(frames == 50 && headers == 1 && audio == 89, $"ffmpeg published 50 video frames (ffprobe's count) after one AVC sequence header, and 88 audio frames after one AAC sequence header (89 audio messages); you reassembled {frames} video frames, {headers} sequence headers and {audio} audio messages. See README §Reassembly.");
        var dts = File.ReadAllLines(Repo.TestData("02-rtmp-chunks/clip-2s.packets.txt"))
            .Where(l => l.StartsWith("codec_type=video", StringComparison.Ordinal))
            .Select(l => uint.Parse(l.Split('|')[2]["dts=".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var videoTimes = messages.Where(m => m.TypeId == 9 && m.Payload.Span[1] == 1).Select(m => m.Timestamp).ToList();
        Assert.True(videoTimes.SequenceEqual(dts), $"The video messages' timestamps must be the clip's decoding times as ffprobe reports them ({string.Join(",", dts.Take(6))}...); yours: {string.Join(",", videoTimes.Take(6))}... See README §Chunk headers.");
    }
}
