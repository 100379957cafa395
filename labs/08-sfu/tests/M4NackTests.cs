namespace Lab08.Sfu.Tests;

/// <summary>M4: which numbers a receiver NACKs (RFC 4585 §6.2.1), and the packet cache. Unit tests on an injected clock.</summary>
public class M4NackTests
{
    private const string Milestone = "M4 NACK and PLI";

    private static readonly NackGeneratorOptions Options = new() { ReorderDelay = TimeSpan.FromMilliseconds(20), RetryInterval = TimeSpan.FromMilliseconds(50), MaxRetries = 3, MaxPending = 1000 };

    private static string Show(IEnumerable<ushort> numbers) => "[" + string.Join(", ", numbers) + "]";

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_reordered_packet_is_not_nacked()
    {
        var clock = new ManualClock();
        var nacks = new NackGenerator(clock, Options);
        foreach (ushort s in new ushort[] { 1, 2, 4 })
        {
            Assert.False(nacks.OnPacket(s), "No overflow here.");
        }

        Assert.True(nacks.Collect().Count == 0, "3 has been missing for 0 ms, less than the reorder delay (20 ms): nothing to NACK yet. See README §NACK generation.");
        clock.Advance(TimeSpan.FromMilliseconds(5));
        nacks.OnPacket(3); // only reordered
        clock.Advance(TimeSpan.FromMilliseconds(30));
        nacks.OnPacket(5);
        var due = nacks.Collect();
        Assert.True(due.Count == 0 && nacks.PendingCount == 0, $"3 arrived late (reordered) before its reorder delay ran out: it must not be NACKed; got {Show(due)}, {nacks.PendingCount} pending. See README §NACK generation.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Duplicates_never_make_a_nack()
    {
        var clock = new ManualClock();
        var nacks = new NackGenerator(clock, Options);
        foreach (ushort s in new ushort[] { 10, 11, 11, 12, 10, 12, 13 })
        {
            nacks.OnPacket(s);
            clock.Advance(TimeSpan.FromMilliseconds(30));
        }

        var due = nacks.Collect();
        Assert.True(due.Count == 0 && nacks.PendingCount == 0, $"10, 11, 11, 12, 10, 12, 13 has duplicates but no gap: nothing to NACK; got {Show(due)}, {nacks.PendingCount} pending. See README §NACK generation.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_lost_packet_is_nacked_after_the_reorder_delay_then_retried_then_given_up()
    {
        var clock = new ManualClock();
        var nacks = new NackGenerator(clock, Options);
        nacks.OnPacket(65533);
        nacks.OnPacket(1); // 65534, 65535 and 0 are missing (across the wrap)
        clock.Advance(TimeSpan.FromMilliseconds(20));
        var first = nacks.Collect();
        Assert.True(first.SequenceEqual(new ushort[] { 65534, 65535, 0 }), $"After the reorder delay (20 ms), NACK the missing 65534, 65535, 0 oldest first; got {Show(first)}. See README §NACK generation.");
        clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(nacks.Collect().Count == 0, "10 ms after a NACK, within the retry interval (50 ms): nothing again yet.");
        nacks.OnPacket(65535); // retransmitted
        clock.Advance(TimeSpan.FromMilliseconds(40));
        var second = nacks.Collect();
        Assert.True(second.SequenceEqual(new ushort[] { 65534, 0 }), $"50 ms after the first NACK: NACK again what is still missing (65534, 0; 65535 arrived); got {Show(second)}.");
        clock.Advance(TimeSpan.FromMilliseconds(50));
        var third = nacks.Collect();
        clock.Advance(TimeSpan.FromMilliseconds(50));
        var fourth = nacks.Collect();
        Assert.True(third.SequenceEqual(new ushort[] { 65534, 0 }) && fourth.Count == 0 && nacks.PendingCount == 0,
            $"MaxRetries = 3: a number is NACKed 3 times, then given up (third round {Show(third)}, fourth {Show(fourth)}, {nacks.PendingCount} pending). See README §NACK generation.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_list_that_overflows_is_cleared_and_asks_for_a_keyframe()
    {
        var clock = new ManualClock();
        var nacks = new NackGenerator(clock, Options);
        nacks.OnPacket(100);
        Assert.False(nacks.OnPacket(1101), "1001..1100 plus 101..1100: a jump from 100 to 1101 leaves exactly 1000 missing, which still fits MaxPending = 1000.");
        Assert.True(nacks.PendingCount == 1000, $"1000 numbers pending; got {nacks.PendingCount}.");
        bool overflow = nacks.OnPacket(1103); // 1101 + 1 missing → 1001
        Assert.True(overflow && nacks.PendingCount == 0,
            $"One more missing number makes 1001 > MaxPending: OnPacket returns true (ask for a keyframe) and the list is cleared; got {overflow}, {nacks.PendingCount} pending. See README §NACK generation.");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(nacks.Collect().Count == 0, "After an overflow nothing is NACKed: the keyframe replaces the lost packets.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Collecting_into_a_span_stops_when_it_is_full_and_keeps_the_rest_due()
    {
        var clock = new ManualClock();
        var nacks = new NackGenerator(clock, Options);
        nacks.OnPacket(10);
        nacks.OnPacket(16); // 11..15 are missing
        clock.Advance(TimeSpan.FromMilliseconds(20));
        var due = new ushort[2];
        int count = nacks.Collect(due);
        Assert.True(count == 2 && due.SequenceEqual(new ushort[] { 11, 12 }),
            $"Five numbers are due but the span holds two: Collect(span) writes the oldest two (11, 12) and returns 2; got {count}: {Show(due.Take(count))}. See README §NACK generation.");
        var rest = new ushort[10];
        count = nacks.Collect(rest);
        Assert.True(count == 3 && rest.Take(3).SequenceEqual(new ushort[] { 13, 14, 15 }),
            $"What did not fit stays due for the next call (13, 14, 15), and 11, 12 were just NACKed (within the retry interval); got {count}: {Show(rest.Take(count))}. See README §NACK generation.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Collecting_allocates_nothing_while_nothing_is_missing()
    {
        var clock = new ManualClock();
        var nacks = new NackGenerator(clock, Options);
        var due = new ushort[16];
        ushort s = 0;
        for (; s < 100; s++)
        {
            nacks.OnPacket(s); // warm up
            nacks.Collect(due);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int total = 0;
        for (; s < 1100; s++)
        {
            nacks.OnPacket(s);
            clock.Advance(TimeSpan.FromMilliseconds(1));
            total += nacks.Collect(due);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(total == 0 && allocated == 0,
            $"1000 packets in order, each followed by Collect(span): nothing to NACK, and nothing allocated (the producer calls it for every packet); got {total} NACKed, {allocated} bytes allocated. See README §NACK generation.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_cache_gives_back_the_latest_packets_by_number()
    {
        var cache = new PacketCache(4);
        for (int s = 65534; s < 65534 + 6; s++)
        {
            cache.Store((ushort)s, [(byte)s, 1, 2]);
        }

        var buffer = new byte[16];
        int length = cache.TryCopy(1, buffer);
        Assert.True(length == 3 && buffer[0] == 1, $"Packet 1 (stored last but two) must be in a 4-packet cache: got length {length}. See README §Retransmission.");
        Assert.True(cache.TryCopy(65535, buffer) == 0, "Packet 65535 was overwritten by packet 3 (same slot, 4 numbers later): TryCopy returns 0.");
        Assert.True(cache.TryCopy(7, buffer) == 0, "Packet 7 was never stored: TryCopy returns 0 (slot 3 holds packet 3).");
        Assert.True(cache.TryCopy(3, buffer) == 3 && buffer[0] == 3, "Packet 3 is in the cache.");
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketCache(1000));
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_cache_keeps_a_datagram_of_any_size_and_gives_back_the_latest_in_a_slot()
    {
        var cache = new PacketCache(4);
        var big = Enumerable.Range(0, 9000).Select(i => (byte)i).ToArray(); // a UDP datagram may be far bigger than an Ethernet MTU
        cache.Store(0, [1, 2, 3]);
        cache.Store(4, big);   // the same slot (4 & 3 = 0), a bigger datagram
        var buffer = new byte[65536];
        int length = cache.TryCopy(4, buffer);
        Assert.True(length == big.Length && buffer.AsSpan(0, length).SequenceEqual(big), $"Packet 4, 9000 bytes, must come back whole: got length {length}. See README §Retransmission.");
        cache.Store(8, [7, 8]); // the same slot again, a small one
        length = cache.TryCopy(8, buffer);
        Assert.True(length == 2 && buffer[0] == 7 && buffer[1] == 8 && cache.TryCopy(4, buffer) == 0,
            $"Packet 8 (2 bytes) replaced 4 in its slot: TryCopy(8) gives 07 08 (length 2), TryCopy(4) 0; got length {length}. See README §Retransmission.");
    }
}
