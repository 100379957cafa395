namespace Lab08.Sfu.Tests;

/// <summary>
/// README §Rewriting's rule for a consumer's sequence numbers, checked on <see cref="SequenceRewriter"/> alone: output =
/// first output + (input − first input) − (inputs dropped before it), on extended numbers, cut to 16 bits.
/// </summary>
public class SequenceRewriterTests
{
    private static void Expect(SequenceRewriter rewriter, ushort input, ushort expected, string why)
    {
        ushort got = rewriter.Rewrite(input);
        Assert.True(got == expected, $"Rewrite({input}): expected {expected} — {why}; got {got}. See README §Rewriting.");
    }

    [Fact]
    [Trait("Milestone", "M3 router, producers and consumers")]
    public void Drops_close_the_gap_losses_keep_it_and_late_packets_get_their_number_in_order()
    {
        var rewriter = new SequenceRewriter(65530);
        Expect(rewriter, 1000, 65530, "the first input maps to the first output");
        Expect(rewriter, 1001, 65531, "the next input, the next output");
        rewriter.Drop(1002);
        Expect(rewriter, 1003, 65532, "1002 was dropped (padding only): no gap");
        Expect(rewriter, 1005, 65534, "1004 is missing, not dropped: the gap stays, so the receiver can NACK it");
        Expect(rewriter, 1004, 65533, "1004 arrives late: the number it would have had in order");
        rewriter.Drop(1002);
        Expect(rewriter, 1006, 65535, "dropping 1002 a second time is the same drop (one input)");
        Expect(rewriter, 1007, 0, "65530 + 7 − 1 = 65536, cut to 16 bits");
        rewriter.Drop(1010);
        Expect(rewriter, 1009, 2, "1010's drop comes after 1009 and does not count for it");
        Expect(rewriter, 1011, 3, "two drops (1002, 1010) before 1011");

        var wrapping = new SequenceRewriter(100);
        Expect(wrapping, 65534, 100, "the first input maps to the first output");
        wrapping.Drop(65535);
        Expect(wrapping, 0, 101, "input 0 follows 65535 (extended 65536), which was dropped");
        Expect(wrapping, 1, 102, "input 1 after the wrap");
    }

    [Fact]
    [Trait("Milestone", "M3 router, producers and consumers")]
    public void Every_drop_counts_however_many_there_were()
    {
        // A sender that pads every other packet (bandwidth probing): 3000 of 6000 inputs dropped.
        var rewriter = new SequenceRewriter(0);
        Expect(rewriter, 0, 0, "the first input maps to the first output");
        for (int input = 1; input <= 6001; input++)
        {
            if (input % 2 == 0)
            {
                rewriter.Drop((ushort)input);
            }
            else
            {
                Expect(rewriter, (ushort)input, (ushort)((input + 1) / 2), $"{(input - 1) / 2} inputs dropped before it");
            }
        }

        Expect(rewriter, 5999, 3000, "a late packet after 3000 drops: 2999 dropped before it");
    }

    [Fact]
    [Trait("Milestone", "M5 simulcast")]
    public void Rebase_starts_the_next_input_stream_at_the_given_number_and_forgets_the_old_drops()
    {
        var rewriter = new SequenceRewriter(10);
        Expect(rewriter, 500, 10, "the first input maps to the first output");
        for (int input = 501; input < 3000; input++)
        {
            rewriter.Drop((ushort)input);
        }

        Expect(rewriter, 3000, 11, "2499 inputs dropped between 500 and 3000");
        rewriter.Rebase(12);
        Expect(rewriter, 40000, 12, "after Rebase(12) the next input, whatever its number, is 12 (README §Simulcast)");
        Expect(rewriter, 40001, 13, "the new stream goes on from there");
        Expect(rewriter, 40003, 15, "40002 is missing (a gap); the old stream's drops do not count in the new one");
    }
}
