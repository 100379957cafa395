namespace Lab01.RtmpHandshake.Tests;

/// <summary>M1: the byte layouts of C1/S1 and C2/S2 (RTMP §5.2.3, §5.2.4). No network yet.</summary>
public class M1PacketTests
{
    private const string Milestone = "M1 packets";

    private static byte[] Pattern(int length, byte start)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = unchecked((byte)(start + i));
        }

        return bytes;
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void C1_writes_time_zero_and_random_in_order()
    {
        var random = Pattern(Spec.RandomSize, 0x10);
        byte[] expected = [0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, .. random];

        var actual = new byte[Spec.PacketSize];
        new C1S1Packet(0x01020304, 0, random).Write(actual);

        HexDiff.AssertEqual(expected, actual, "C1 (time 0x01020304 big-endian, zero 0, then the 1528 random bytes)", "README §C1");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void C1_writes_the_zero_field_big_endian_too()
    {
        var random = new byte[Spec.RandomSize];
        var actual = new byte[Spec.PacketSize];
        new C1S1Packet(0, Spec.FfmpegClientVersion, random).Write(actual);

        HexDiff.AssertEqual([0, 0, 0, 0, 9, 0, 124, 2], actual.AsSpan(0, 8), "the first 8 bytes of a C1 with zero field 9.0.124.2 (0x09007C02)", "README §C1");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void C1_parse_reads_the_three_fields()
    {
        var bytes = Spec.C1(0xA1B2C3D4, 0x09007C02, seed: 3);

        var packet = C1S1Packet.Parse(bytes);

        Assert.True(packet.Time == 0xA1B2C3D4, $"Time: expected 0xa1b2c3d4 (bytes 0-3, big-endian), got 0x{packet.Time:x8}. See README §C1.");
        Assert.True(packet.Zero == 0x09007C02, $"Zero: expected 0x09007c02 (bytes 4-7, big-endian), got 0x{packet.Zero:x8}. See README §C1.");
        HexDiff.AssertEqual(bytes.AsSpan(8), packet.Random.Span, "Random (bytes 8-1535 of C1)", "README §C1");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void C1_parse_copies_the_random_field()
    {
        var bytes = Spec.C1(1, 0, seed: 4);
        var packet = C1S1Packet.Parse(bytes);
        byte before = bytes[8];

        bytes[8] ^= 0xFF; // the caller reuses its buffer

        Assert.True(packet.Random.Span[0] == before,
            "C1S1Packet.Parse must copy the random bytes: the caller's buffer is reused for the next read. See README §C1.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void C1_rejects_short_buffers()
    {
        var random = new byte[Spec.RandomSize];
        var writeError = Record.Exception(() => new C1S1Packet(0, 0, random).Write(new byte[1535]));
        Assert.True(writeError is ArgumentException, $"Writing C1 into 1535 bytes must throw ArgumentException; got {writeError?.GetType().Name ?? "no exception"}. See README §C1.");

        var parseError = Record.Exception(() => C1S1Packet.Parse(new byte[1535]));
        Assert.True(parseError is ArgumentException, $"Parsing C1 from 1535 bytes must throw ArgumentException; got {parseError?.GetType().Name ?? "no exception"}. See README §C1.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void C2_writes_time_time2_and_random_echo_in_order()
    {
        var echo = Pattern(Spec.RandomSize, 0x80);
        byte[] expected = [0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x00, 0x12, 0x34, .. echo];

        var actual = new byte[Spec.PacketSize];
        new C2S2Packet(0xDEADBEEF, 0x1234, echo).Write(actual);

        HexDiff.AssertEqual(expected, actual, "C2 (time 0xdeadbeef, time2 0x1234, then the 1528-byte random echo)", "README §C2");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void C2_parse_reads_the_three_fields()
    {
        var bytes = Spec.C1(0x11223344, 0x55667788, seed: 5);

        var packet = C2S2Packet.Parse(bytes);

        Assert.True(packet.Time == 0x11223344, $"Time: expected 0x11223344, got 0x{packet.Time:x8}. See README §C2.");
        Assert.True(packet.Time2 == 0x55667788, $"Time2: expected 0x55667788 (bytes 4-7), got 0x{packet.Time2:x8}. See README §C2.");
        HexDiff.AssertEqual(bytes.AsSpan(8), packet.RandomEcho.Span, "RandomEcho (bytes 8-1535 of C2)", "README §C2");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void C2_rejects_short_buffers()
    {
        var echo = new byte[Spec.RandomSize];
        var writeError = Record.Exception(() => new C2S2Packet(0, 0, echo).Write(new byte[100]));
        Assert.True(writeError is ArgumentException, $"Writing C2 into 100 bytes must throw ArgumentException; got {writeError?.GetType().Name ?? "no exception"}. See README §C2.");

        var parseError = Record.Exception(() => C2S2Packet.Parse(new byte[100]));
        Assert.True(parseError is ArgumentException, $"Parsing C2 from 100 bytes must throw ArgumentException; got {parseError?.GetType().Name ?? "no exception"}. See README §C2.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void EchoOf_answers_a_C1_with_its_time_and_random()
    {
        var c1 = Spec.C1(0x00000BAD, 0, seed: 6);
        byte[] expected = Spec.EchoOf(c1, time2: 0x00000777);

        var actual = new byte[Spec.PacketSize];
        C2S2Packet.EchoOf(new C1S1Packet(0x00000BAD, 0, c1.AsMemory(8)), 0x00000777).Write(actual);

        HexDiff.AssertEqual(expected, actual, "S2 answering C1 (C1's time, then time2, then C1's random)", "README §C2");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Longer_buffers_are_written_and_read_in_their_first_1536_bytes_only()
    {
        // README §Errors: a span longer than 1536 bytes is fine; only its first 1536 bytes are the packet.
        var random = Pattern(Spec.RandomSize, 0x21);
        var c1Buffer = Enumerable.Repeat((byte)0xEE, 2000).ToArray();
        new C1S1Packet(0x0A0B0C0D, 0x01020304, random).Write(c1Buffer);
        HexDiff.AssertEqual([0x0A, 0x0B, 0x0C, 0x0D, 0x01, 0x02, 0x03, 0x04, .. random, .. Enumerable.Repeat((byte)0xEE, 464)], c1Buffer,
            "a 2000-byte buffer after writing C1 into it (C1 in bytes 0-1535, the 464 bytes after it untouched)", "README §C1, §Errors");

        var c2Buffer = Enumerable.Repeat((byte)0xEE, 1537).ToArray();
        new C2S2Packet(0x11111111, 0x22222222, random).Write(c2Buffer);
        HexDiff.AssertEqual([0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22, .. random, 0xEE], c2Buffer,
            "a 1537-byte buffer after writing C2 into it (C2 in bytes 0-1535, byte 1536 untouched)", "README §C2, §Errors");

        byte[] longer = [.. Spec.C1(0x31323334, 0x35363738, seed: 8), 0x99, 0x98, 0x97];
        var c1 = C1S1Packet.Parse(longer);
        Assert.True(c1.Time == 0x31323334 && c1.Zero == 0x35363738 && c1.Random.Length == Spec.RandomSize,
            $"Parsing C1 from 1539 bytes reads the first 1536: time 0x31323334, zero 0x35363738, 1528 random bytes; you read time 0x{c1.Time:x8}, zero 0x{c1.Zero:x8}, {c1.Random.Length} random bytes. See README §C1, §Errors.");
        HexDiff.AssertEqual(longer.AsSpan(8, Spec.RandomSize), c1.Random.Span, "Random parsed from a 1539-byte span (bytes 8-1535)", "README §C1");
        var c2 = C2S2Packet.Parse(longer);
        Assert.True(c2.Time == 0x31323334 && c2.Time2 == 0x35363738 && c2.RandomEcho.Length == Spec.RandomSize,
            $"Parsing C2 from 1539 bytes reads the first 1536: time 0x31323334, time2 0x35363738, a 1528-byte echo; you read time 0x{c2.Time:x8}, time2 0x{c2.Time2:x8}, {c2.RandomEcho.Length} echo bytes. See README §C2, §Errors.");
        HexDiff.AssertEqual(longer.AsSpan(8, Spec.RandomSize), c2.RandomEcho.Span, "RandomEcho parsed from a 1539-byte span (bytes 8-1535)", "README §C2");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Exactly_1536_bytes_are_enough()
    {
        var exact = Spec.C1(7, 8, seed: 9);
        var c1 = C1S1Packet.Parse(exact);
        var c2 = C2S2Packet.Parse(exact);
        var c1Out = new byte[Spec.PacketSize];
        var c2Out = new byte[Spec.PacketSize];
        c1.Write(c1Out);
        c2.Write(c2Out);
        HexDiff.AssertEqual(exact, c1Out, "C1 parsed from exactly 1536 bytes and written into exactly 1536 bytes", "README §C1, §Errors");
        HexDiff.AssertEqual(exact, c2Out, "C2 parsed from exactly 1536 bytes and written into exactly 1536 bytes", "README §C2, §Errors");
    }
}
