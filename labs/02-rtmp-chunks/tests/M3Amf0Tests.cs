using static Lab02.RtmpChunks.Tests.Bytes;

namespace Lab02.RtmpChunks.Tests;

/// <summary>M3: the AMF0 codec. Vectors written from the AMF0 specification; commands as ffmpeg really sends them.</summary>
public class M3Amf0Tests
{
    private const string Milestone = "M3 AMF0";

    public static TheoryData<string, object?, string> Vectors => new()
    {
        { "number 1.0 (§2.2: a big-endian double)", 1.0, "00 3ff0000000000000" },
        { "number 2 500 000", 2500000.0, "00 4143 12d0 0000 0000" },
        { "number -0.5", -0.5, "00 bfe0000000000000" },
        { "boolean true (§2.3)", true, "01 01" },
        { "boolean false", false, "01 00" },
        { "string \"connect\" (§2.4: 2-byte length, UTF-8)", "connect", "02 0007 636f6e6e656374" },
        { "the empty string", "", "02 0000" },
        { "string \"直播\" (UTF-8, 6 bytes)", "直播", "02 0006 e79bb4e692ad" },
        { "null (§2.7)", null, "05" },
        { "undefined (§2.8)", Amf0Undefined.Value, "06" },
        { "date 0 ms, time zone 0 (§2.13)", new Amf0Date(0), "0b 0000000000000000 0000" },
        { "date 2026-11-26T00:00:00Z (1 795 651 200 000 ms), time zone -60 (a signed 16-bit field)", new Amf0Date(1795651200000, -60), "0b 427a21526e400000 ffc4" },
        { "strict array [1, \"a\"] (§2.12)", new object?[] { 1.0, "a" }, "0a 00000002 00 3ff0000000000000 02 0001 61" },
        { "object {app: \"live\"} (§2.5, ends 00 00 09)", new Amf0Object { { "app", "live" } }, "03 0003 617070 02 0004 6c697665 0000 09" },
        { "ECMA array {duration: 0} (§2.10, a 4-byte count)", new Amf0EcmaArray { { "duration", 0.0 } }, "08 00000001 0008 6475726174696f6e 00 0000000000000000 0000 09" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    [Trait("Milestone", Milestone)]
    public void Values_encode_to_the_spec_bytes_and_decode_back(string what, object? value, string hex)
    {
        var expected = Hex(hex);
        HexDiff.AssertEqual(expected, Amf0.Encode(value), $"AMF0 {what}", "README §AMF0");
        var decoded = Amf0.DecodeAll(expected);
        Assert.True(decoded.Count == 1, $"{hex} is one AMF0 value; you decoded {decoded.Count}. See README §AMF0.");
        Assert.True(Amf0.Format(decoded[0]) == Amf0.Format(value) && decoded[0]?.GetType() == value?.GetType(),
            $"Decoding {what} must give {Amf0.Format(value)} ({value?.GetType().Name ?? "null"}); got {Amf0.Format(decoded[0])} ({decoded[0]?.GetType().Name ?? "null"}). See README §AMF0.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_long_string_is_used_above_65535_bytes()
    {
        var text = new string('x', 70000);
        var bytes = Amf0.Encode(text);
        HexDiff.AssertEqual(Hex("0c 00011170"), bytes.AsSpan(0, 5), "a 70 000-character string: marker 0x0C and a 4-byte length (§2.14)", "README §AMF0");
        Assert.True(bytes.Length == 70005 && Amf0.DecodeAll(bytes)[0] as string == text, "The long string must decode back to the same 70 000 characters. See README §AMF0.");
        Assert.True(Amf0.DecodeAll(Hex("0c 00000002 6869"))[0] as string == "hi", "A long string marker with a short text (0c 00000002 'hi') decodes to \"hi\". See README §AMF0.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_reference_points_back_to_an_object_already_read()
    {
        // [ {a: 1}, ref 1 ]: the strict array is complex value 0, the object value 1 (§2.9 counts in reading order).
        var values = Amf0.DecodeAll(Hex("0a 00000002 03 0001 61 00 3ff0000000000000 0000 09 07 0001"));
        var array = values[0] as object?[];
        Assert.True(array is { Length: 2 } && array[0] is Amf0Object && ReferenceEquals(array[0], array[1]),
            $"The reference 07 00 01 must give the same object as the array's first item (complex values are numbered in reading order, the array itself is 0); got {Amf0.Format(values[0])}. See README §AMF0.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Ffmpegs_connect_command_decodes()
    {
        // The first message a publishing ffmpeg 5.1 sent (testdata/02-rtmp-chunks/ffmpeg-publish.c2s.bin): 140 bytes in two chunks.
        var chunks = Capture("ffmpeg-publish.c2s.bin");
        var payload = chunks[12..140].Concat(chunks[141..153]).ToArray();
        var values = Amf0.DecodeAll(payload);
        Assert.True(values.Count == 3 && values[0] as string == "connect" && values[1] is 1.0,
            $"ffmpeg's connect is \"connect\", transaction id 1 and the command object; you decoded {string.Join(", ", values.Select(Amf0.Format))}. See README §AMF0.");
        var command = values[2] as Amf0Object;
        Assert.True(command is not null && command.GetString("app") == "live" && command.GetString("type") == "nonprivate"
            && command.GetString("flashVer") == "FMLE/3.0 (compatible; Lavf59.27.100)" && command.GetString("tcUrl") == "rtmp://127.0.0.1:19412/live" && command.Count == 4,
            $"ffmpeg's command object is {{app: \"live\", type: \"nonprivate\", flashVer: \"FMLE/3.0 (compatible; Lavf59.27.100)\", tcUrl: \"rtmp://127.0.0.1:19412/live\"}}; you decoded {Amf0.Format(values[2])}. See README §AMF0.");
        HexDiff.AssertEqual(payload, Amf0.Encode([.. values]), "your encoding of the decoded connect command (it must give ffmpeg's bytes back)", "README §AMF0");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Ffmpegs_server_result_and_a_players_connect_decode()
    {
        // ffmpeg's own server answered connect with this _result (ffmpeg-publish.s2c.bin, csid 3, 190 bytes in two chunks of 128).
        var s2c = Capture("ffmpeg-publish.s2c.bin");
        int at = 16 + 13 + 14 + 12; // Window Ack Size (type-0 header), then type-1 headers: Set Peer Bandwidth, Stream Begin, Set Chunk Size
        var result = s2c[(at + 12)..(at + 140)].Concat(s2c[(at + 141)..(at + 141 + 62)]).ToArray();
        var values = Amf0.DecodeAll(result);
        var info = values.ElementAtOrDefault(3) as Amf0Object;
        Assert.True(values.Count == 4 && values[0] as string == "_result" && (values[2] as Amf0Object)?.GetString("fmsVer") == "FMS/3,0,1,123"
            && info?.GetString("code") == "NetConnection.Connect.Success" && info.GetNumber("objectEncoding") == 0,
            $"ffmpeg's _result is \"_result\", 1, {{fmsVer, capabilities}}, {{level, code: NetConnection.Connect.Success, description, objectEncoding: 0}}; you decoded {string.Join(", ", values.Select(Amf0.Format))}. See README §AMF0.");

        // A playing ffmpeg's connect has more properties: fpad (boolean), capabilities, audioCodecs, videoCodecs, videoFunction.
        var c2s = Capture("ffmpeg-play.c2s.bin");
        var connect = c2s[12..140].Concat(c2s[141..210]).ToArray();
        var player = Amf0.DecodeAll(connect)[2] as Amf0Object;
        Assert.True(player is not null && player["fpad"] is false && player.GetNumber("audioCodecs") == 4071 && player.GetNumber("videoCodecs") == 252 && player.GetString("flashVer") == "LNX 9,0,124,2",
            $"A playing ffmpeg's command object has fpad false, audioCodecs 4071, videoCodecs 252, flashVer \"LNX 9,0,124,2\"; you decoded {Amf0.Format(player)}. See README §AMF0.");
    }

    [Theory]
    // The offsets README §AMF0 allows: data that ends too early, where the missing bytes should be (the string's
    // text at 3, the number's at 1 ... : any offset from where the cut value's field starts to the end of the data);
    // any other problem, where the bad value starts (its marker) or the bad field inside it.
    [InlineData("02 0005 6869", "a string of 5 bytes with 2 present", "1 3 5")]
    [InlineData("00 3ff000", "a number cut after 3 of its 8 bytes", "1 4")]
    [InlineData("03 0003 617070 02 0004 6c697665", "an object without its end marker", "13")]
    [InlineData("0a ffffffff 05", "a strict array announcing 4 billion values", "0 1")]
    [InlineData("11 0a0b01", "the AMF3 switch marker 0x11", "0")]
    [InlineData("04", "the reserved movieclip marker", "0")]
    [InlineData("07 0003", "a reference to a value never read", "0 1")]
    [InlineData("02 0002 c328", "invalid UTF-8", "0 1 3")]
    [InlineData("0b 0000000000000000 00", "a date cut inside its time zone", "1 9 10")]
    [InlineData("07 0000", "a reference to complex value 0 when none was read yet", "0 1")]
    [InlineData("0a 00000003 05 05", "a strict array announcing 3 values with 2 bytes after its count", "0 1 7")]
    [InlineData("03 0000", "an object that ends after an empty key, without its 09", "3")]
    [InlineData("03 0001 61 09", "an object-end marker (09) where the value of property \"a\" should be", "0 4")]
    [InlineData("0c ffffffff 6869", "a long string announcing 4 294 967 295 bytes with 2 present", "1 5 7")]
    [Trait("Milestone", Milestone)]
    public void Bad_AMF0_is_an_RtmpException_with_the_offset(string hex, string what, string offsets)
    {
        var error = Record.Exception(() => Amf0.DecodeAll(Hex(hex)));
        Assert.True(error is RtmpException { Part: "AMF0" }, $"{what} ({hex}) must be an RtmpException with Part \"AMF0\"; got {error?.GetType().Name ?? "no exception"}: {error?.Message}. See README §AMF0.");
        var allowed = offsets.Split(' ').Select(long.Parse).ToArray();
        Assert.True(allowed.Contains(((RtmpException)error!).Offset), $"{what} ({hex}): the offset must be {string.Join(" or ", allowed)} (README §AMF0 says which); got {((RtmpException)error).Offset}.");
        if (hex.StartsWith("11", StringComparison.Ordinal))
        {
            Assert.True(error.Message.Contains("AMF3", StringComparison.Ordinal), $"The message for 0x11 must say AMF3 is not supported; it says: {error.Message}. See README §AMF0.");
        }
    }

    [Theory]
    [InlineData("03 0001 61", "objects {a: {a: ...}}")]
    [InlineData("0a 00000001", "strict arrays [[[...]]]")]
    [InlineData("08 00000001 0001 61", "ECMA arrays")]
    [Trait("Milestone", Milestone)]
    public void A_10000_deep_nesting_bomb_is_refused_at_the_depth_limit(string level, string what)
    {
        var one = Hex(level);
        var bomb = Enumerable.Repeat(one, 10000).SelectMany(b => b).Concat(new byte[] { 0x05 }).ToArray();
        var error = Record.Exception(() => Amf0.DecodeAll(bomb));
        Assert.True(error is RtmpException { Part: "AMF0" }, $"10 000 nested {what} must be an RtmpException (the depth limit is {Amf0.DefaultMaxDepth}); got {error?.GetType().Name ?? "no exception"}. A stack overflow here would kill the whole server — README §AMF0.");
        long expected = (long)one.Length * Amf0.DefaultMaxDepth;
        Assert.True(((RtmpException)error!).Offset == expected, $"The offset must be where level {Amf0.DefaultMaxDepth + 1} starts ({expected}); got {((RtmpException)error).Offset}. See README §AMF0.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Many_sibling_objects_are_not_deep_nesting()
    {
        // 200 empty objects side by side in one strict array are 2 levels deep, not 201: the depth goes back down after each (§AMF0).
        var siblings = Hex("0a 000000c8").Concat(Enumerable.Repeat(Hex("03 0000 09"), 200).SelectMany(b => b)).ToArray();
        var error = Record.Exception(() => Amf0.DecodeAll(siblings));
        Assert.True(error is null && Amf0.DecodeAll(siblings)[0] is object?[] { Length: 200 } array && array.All(o => o is Amf0Object { Count: 0 }),
            $"A strict array of 200 empty objects (each 03 00 00 09) nests 2 deep, far below the limit of {Amf0.DefaultMaxDepth}; you threw {error?.GetType().Name}: {error?.Message}. Count a level when an object or array starts and give it back when it ends — README §AMF0.");

        // The same for commands: 100 values, each an object holding an object, one after another.
        var values = Enumerable.Repeat(Hex("03 0001 61 03 0000 09 0000 09"), 100).SelectMany(b => b).ToArray();
        var decoded = Record.Exception(() => Amf0.DecodeAll(values));
        Assert.True(decoded is null && Amf0.DecodeAll(values).Count == 100, $"100 values {{a: {{}}}} one after another are each 2 deep; you threw {decoded?.GetType().Name}: {decoded?.Message}. See README §AMF0.");

        // And exactly the limit is still allowed: 64 nested objects (the 65th would be refused).
        var deepest = Enumerable.Repeat(Hex("03 0001 61"), Amf0.DefaultMaxDepth).SelectMany(b => b).Concat(Hex("05")).Concat(Enumerable.Repeat(Hex("0000 09"), Amf0.DefaultMaxDepth).SelectMany(b => b)).ToArray();
        var limit = Record.Exception(() => Amf0.DecodeAll(deepest));
        Assert.True(limit is null, $"{Amf0.DefaultMaxDepth} nested objects are exactly the limit and must decode; you threw {limit?.GetType().Name}: {limit?.Message}. See README §AMF0.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_string_of_exactly_65535_bytes_is_still_a_string()
    {
        // §2.4: a string's length is a u16, so 65535 UTF-8 bytes still fit; README §AMF0: the long string (§2.14) only above that.
        var most = Amf0.Encode(new string('x', 65535));
        HexDiff.AssertEqual(Hex("02 ffff"), most.AsSpan(0, 3), "a 65 535-byte string: marker 0x02 and the 2-byte length ff ff (it still fits)", "README §AMF0");
        Assert.True(most.Length == 3 + 65535, $"A 65 535-byte string is 3 + 65 535 bytes; you wrote {most.Length}. See README §AMF0.");
        var one = Amf0.Encode(new string('x', 65536));
        HexDiff.AssertEqual(Hex("0c 00010000"), one.AsSpan(0, 5), "a 65 536-byte string: marker 0x0C and a 4-byte length (one byte too long for a string)", "README §AMF0");
        var wide = Amf0.Encode(new string('直', 21845)); // 3 UTF-8 bytes each: 65 535 bytes from 21 845 characters
        HexDiff.AssertEqual(Hex("02 ffff"), wide.AsSpan(0, 3), "21 845 characters of 3 UTF-8 bytes each (65 535 bytes): the length counts UTF-8 bytes, not characters", "README §AMF0");

        // A property name has a 2-byte length (§2.5: UTF-8 without a marker): 65 535 bytes fit, 65 536 cannot be written.
        var key = new string('k', 65535);
        var obj = Amf0.Encode(new Amf0Object { { key, 1.0 } });
        HexDiff.AssertEqual(Hex("03 ffff"), obj.AsSpan(0, 3), "an object whose property name is 65 535 bytes (its 2-byte length ff ff)", "README §AMF0");
        Assert.True(obj.Length == 1 + 2 + 65535 + 9 + 3, $"That object is 1 + 2 + 65 535 + 9 + 3 bytes; you wrote {obj.Length}. See README §AMF0.");
        var tooLong = Record.Exception(() => Amf0.Encode(new Amf0Object { { key + "k", 1.0 } }));
        Assert.True(tooLong is ArgumentException, $"A property name of 65 536 bytes does not fit its 2-byte length: ArgumentException (a caller's bug, README §Errors); got {tooLong?.GetType().Name ?? "no exception"}.");
        var noOutput = Record.Exception(() => Amf0.Write(null!, 1.0));
        Assert.True(noOutput is ArgumentException, $"Amf0.Write into a null output is a caller's bug: ArgumentException (ArgumentNullException); got {noOutput?.GetType().Name ?? "no exception"}. See README §Errors.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_strict_array_as_long_as_the_bytes_that_follow_decodes()
    {
        // Three nulls (05, one byte each) after a count of 3: exactly as many bytes as values — not "more values than bytes".
        var error = Record.Exception(() => Amf0.DecodeAll(Hex("0a 00000003 05 05 05")));
        Assert.True(error is null, $"0a 00000003 05 05 05 is a strict array of three nulls (3 values, 3 bytes follow); you threw {error?.GetType().Name}: {error?.Message}. See README §AMF0.");
        Assert.True(Amf0.DecodeAll(Hex("0a 00000003 05 05 05"))[0] is object?[] { Length: 3 } array && array.All(v => v is null),
            $"0a 00000003 05 05 05 decodes to [null, null, null]; you decoded {Amf0.Format(Amf0.DecodeAll(Hex("0a 00000003 05 05 05"))[0])}. See README §AMF0.");
    }

    [Theory]
    [InlineData("0a 00000000", "empty strict arrays")]
    [InlineData("08 00000000 0000 09", "empty ECMA arrays")]
    [InlineData("0a 00000001 0a 00000000", "strict arrays holding an empty strict array")]
    [Trait("Milestone", Milestone)]
    public void Arrays_side_by_side_are_not_deep_nesting(string one, string what)
    {
        // 100 values one after another in one message (one reader): each is 1 or 2 levels; the depth goes back down after each (README §AMF0).
        var values = Enumerable.Repeat(Hex(one), 100).SelectMany(b => b).ToArray();
        var error = Record.Exception(() => Amf0.DecodeAll(values));
        Assert.True(error is null, $"100 {what} ({one}) side by side are at most 2 levels deep, far below the limit of {Amf0.DefaultMaxDepth}; you threw {error?.GetType().Name}: {error?.Message}. Give a level back when an array ends — README §AMF0.");
        Assert.True(Amf0.DecodeAll(values).Count == 100, $"100 {what} side by side are 100 values; you decoded {Amf0.DecodeAll(values).Count}. See README §AMF0.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Values_of_no_AMF0_type_are_refused_by_the_encoder()
    {
        var error = Record.Exception(() => Amf0.Encode(new Uri("rtmp://x")));
        Assert.True(error is ArgumentException, $"Encoding a Uri must throw ArgumentException (a caller's bug); got {error?.GetType().Name ?? "no exception"}. See README §AMF0.");
    }
}
