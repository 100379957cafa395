using Lab02.RtmpChunks;

namespace Lab04.LiveServer.Tests;

/// <summary>
/// M2 and M4 without a socket: a <see cref="Subscriber"/> whose writes are recorded, fed tags directly. What is
/// queued, skipped, dropped and written, and at which timestamps, is what README §Fan-out, §Timestamps and
/// §Back-pressure say; every expected value below is worked out from those sections by hand.
/// </summary>
public class M2SubscriberTests
{
    private const string Milestone = "M2 HTTP-FLV fan-out";
    private const string BackPressure = "M4 back-pressure and clean ends";

    /// <summary>A subscriber that records what it is asked to write.</summary>
    private sealed class Recorded(LiveServerOptions options) : Subscriber(options, "test")
    {
        public List<(LiveTag Tag, uint Timestamp)> Written { get; } = [];
        public int Starts { get; private set; }
        public bool? EndedStarted { get; private set; }

        protected override ValueTask WriteStartAsync(CancellationToken cancellationToken)
        {
            Starts++;
            return default;
        }

        protected override ValueTask WriteTagsAsync(IReadOnlyList<(LiveTag Tag, uint Timestamp)> tags, CancellationToken cancellationToken)
        {
            lock (Written)
            {
                Written.AddRange(tags);
            }

            return default;
        }

        /// <summary>Waits until <paramref name="count"/> tags were written, while <see cref="Subscriber.RunAsync"/> runs.</summary>
        public async Task WrittenAsync(int count, string what)
        {
            var until = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                lock (Written)
                {
                    if (Written.Count >= count)
                    {
                        return;
                    }
                }

                Assert.True(DateTime.UtcNow < until, $"{what}: {count} tags should have been written by the subscriber's task within 10 s; it wrote {Written.Count}: {Show(Written)}. Does Enqueue wake the writer (WakeWriter)? See README §Fan-out.");
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }
        }

        protected override ValueTask WriteEndAsync(bool started, CancellationToken cancellationToken)
        {
            EndedStarted = started;
            return default;
        }
    }

    // FLV §E.4.3.1: 0x17 = keyframe + AVC, 0x27 = inter frame + AVC; AVCPacketType 0 = sequence header, 1 = NALU. §E.4.2.1: 0xAF = AAC, then 0 = sequence header, 1 = raw.
    private static LiveTag Key(uint timestamp, int size = 10) => Video(0x17, 1, timestamp, size);
    private static LiveTag Inter(uint timestamp, int size = 10) => Video(0x27, 1, timestamp, size);
    private static LiveTag AvcHeader() => Video(0x17, 0, 0, 10);
    private static LiveTag Audio(uint timestamp, int size = 10) => Make(8, [0xAF, 0x01], timestamp, size);
    private static LiveTag Video(byte first, byte packetType, uint timestamp, int size) => Make(9, [first, packetType, 0, 0, 0], timestamp, size);

    private static LiveTag Make(byte type, byte[] start, uint timestamp, int size)
    {
        var payload = new byte[Math.Max(size, start.Length)];
        start.CopyTo(payload, 0);
        return LiveTag.FromMessage(new RtmpMessage(type, timestamp, 1, payload));
    }

    private static string Show(IEnumerable<(LiveTag Tag, uint Timestamp)> written) =>
        string.Join(", ", written.Select(w => $"{(w.Tag.IsHeader ? "header" : w.Tag.IsVideo ? (w.Tag.IsKeyFrame ? "key" : "inter") : "audio")}@{w.Tag.Timestamp}→{w.Timestamp}"));

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Rebase_starts_at_0_keeps_distances_never_goes_below_0_and_writes_headers_at_the_current_position()
    {
        var s = new Recorded(new LiveServerOptions());
        var steps = new (LiveTag Tag, uint Want, string Why)[]
        {
            (AvcHeader(), 0, "a header before any frame is written at 0"),
            (Key(3_600_000), 0, "the first frame is written at 0 (the base), whatever the publisher's clock says"),
            (Audio(3_600_020), 20, "a later tag keeps its distance from the base"),
            (Inter(3_600_040), 40, "a later tag keeps its distance from the base"),
            (Audio(3_599_990), 0, "a tag older than the base is written at 0, never below"),
            (AvcHeader(), 0, "a header is written at the current position (the last timestamp written)"),
            (Inter(3_600_080), 80, "distances still count from the base"),
            (AvcHeader(), 80, "a header is written at the current position (the last timestamp written)"),
        };
        foreach (var (tag, want, why) in steps)
        {
            uint got = s.Rebase(tag);
            Assert.True(got == want, $"Rebase of a tag at {tag.Timestamp} ms: {why}, so {want}; yours says {got}. See README §Timestamps.");
        }
    }

    [Fact(Timeout = 10000)]
    [Trait("Milestone", Milestone)]
    public async Task Tags_wait_for_a_keyframe_are_written_in_order_and_a_new_publisher_continues_1_ms_after_the_last_tag()
    {
        var s = new Recorded(new LiveServerOptions());
        Assert.True(s.Enqueue(AvcHeader(), streamHasVideo: true), "Enqueue returns true while the subscriber is open.");
        Assert.True(s.Enqueue(Audio(990), true) && s.Enqueue(Inter(960), true), "Enqueue returns true while the subscriber is open.");
        Assert.True(s.QueuedBytes == 10, $"Before the first keyframe, audio and inter frames of a stream with video are skipped (a decoder cannot start there): only the header's 10 bytes of data are queued, yours counts {s.QueuedBytes}. See README §HTTP-FLV.");
        Assert.True(s.DroppedTags == 0, $"Skipping to the first keyframe is no drop for slowness: DroppedTags must stay 0, yours is {s.DroppedTags}. See README §Back-pressure.");
        s.Enqueue(Key(1000), true);
        s.Enqueue(Audio(1010), true);
        s.Enqueue(Inter(1040), true);
        Assert.True(s.QueuedBytes == 40, $"A header and three frames of 10 bytes are queued: QueuedBytes 40, yours {s.QueuedBytes}.");
        s.PublisherLeft();
        s.PublisherArrived(); // a new publisher: its headers, then frames from its first keyframe
        s.Enqueue(AvcHeader(), true);
        s.Enqueue(Inter(480), true); // not a start point
        s.Enqueue(Key(500), true);
        s.Enqueue(Inter(540), true);
        s.End();

        await s.RunAsync(TestContext.Current.CancellationToken);

        uint[] want = [0, 0, 10, 40, 40, 41, 81];
        string got = Show(s.Written);
        Assert.True(s.Written.Select(w => w.Timestamp).SequenceEqual(want) && s.Written.Count == want.Length,
            $"Written must be header@0, key@1000→0, audio@1010→10, inter@1040→40, then the new publisher's header→40 (the current position), its first keyframe 1 ms after the last tag (41) and the next frame 40 ms later (81); yours wrote: {got}. See README §Timestamps, §Registry.");
        Assert.True(s.Starts == 1, $"WriteStartAsync comes once, before the first tag; yours was called {s.Starts} times.");
        Assert.True(s.EndedStarted == true, "End() after tags were written ends with WriteEndAsync(started: true). See README §Clean ends.");
        Assert.True(s.SentTags == want.Length, $"SentTags counts the tags written: {want.Length}; yours {s.SentTags}.");
        Assert.True(s.SentBytes == s.Written.Sum(w => (long)w.Tag.Bytes.Length), $"SentBytes counts whole FLV tags (header, data, PreviousTagSize); yours {s.SentBytes}. See README §Monitoring.");
        Assert.True(s.QueuedBytes == 0, $"Everything was written: QueuedBytes 0, yours {s.QueuedBytes}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void An_audio_only_stream_starts_at_any_audio_frame()
    {
        var s = new Recorded(new LiveServerOptions());
        s.Enqueue(Audio(5), streamHasVideo: false);
        Assert.True(s.QueuedBytes == 10, $"On a stream without video any audio frame is a start point: its 10 bytes are queued; yours counts {s.QueuedBytes}. See README §HTTP-FLV.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", BackPressure)]
    public async Task A_full_queue_drops_up_to_the_next_keyframe_and_counts_each_drop()
    {
        var s = new Recorded(new LiveServerOptions { SubscriberQueueTags = 3, SubscriberQueueBytes = 1 << 20 });
        Assert.True(s.Enqueue(Key(0), true) & s.Enqueue(Inter(40), true) & s.Enqueue(Inter(80), true), "Three tags fit a queue of SubscriberQueueTags = 3.");
        Assert.True(s.DroppedTags == 0 && s.QueuedBytes == 30, $"Three tags fit a queue of SubscriberQueueTags = 3 (nothing dropped, 30 bytes queued); yours dropped {s.DroppedTags} and queued {s.QueuedBytes} bytes. See README §Back-pressure.");
        Assert.True(s.Enqueue(Inter(120), true), "With SkipToKeyframe the subscriber stays: Enqueue returns true.");
        Assert.True(s.DroppedTags == 1, $"A fourth tag would pass SubscriberQueueTags = 3: it is dropped and counted (DroppedTags 1); yours {s.DroppedTags}. See README §Back-pressure.");
        s.Enqueue(Audio(130), true);
        s.Enqueue(Inter(160), true);
        Assert.True(s.DroppedTags == 3, $"After a drop every tag up to the next keyframe is dropped and counted (DroppedTags 3); yours {s.DroppedTags}. See README §Back-pressure.");
        Assert.True(s.QueuedBytes == 30 && !s.WasTooSlow && !s.Closed.IsCancellationRequested, "Dropped tags are not queued, and SkipToKeyframe never closes the subscriber.");
        s.Enqueue(AvcHeader(), true);
        Assert.True(s.QueuedBytes == 40 && s.DroppedTags == 3, $"Headers always go in, full queue or not (QueuedBytes 40, DroppedTags 3); yours {s.QueuedBytes}, {s.DroppedTags}. See README §Back-pressure.");

        // The subscriber's task writes what is queued; the queue has room again, but the drop goes on to the next keyframe.
        var run = s.RunAsync(TestContext.Current.CancellationToken);
        await s.WrittenAsync(4, "the three queued frames and the header");
        s.Enqueue(Inter(200), true);
        Assert.True(s.DroppedTags == 4, $"After a drop, tags are dropped (and counted) up to the next keyframe even when the queue has room again: a decoder cannot continue after a hole. DroppedTags must be 4; yours {s.DroppedTags}. See README §Back-pressure.");
        s.Enqueue(Key(240), true);
        s.Enqueue(Inter(280), true);
        await s.WrittenAsync(6, "the next keyframe and the frame after it, written while the stream goes on");
        s.End();
        await run;
        uint[] want = [0, 40, 80, 80, 240, 280];
        Assert.True(s.Written.Select(w => w.Timestamp).SequenceEqual(want),
            $"Written must be key@0, inter@40, inter@80, the header at 80, then the next keyframe@240 and inter@280 (the drops leave a hole, timestamps keep their distances); yours wrote: {Show(s.Written)}. See README §Back-pressure, §Timestamps.");

        var bytes = new Recorded(new LiveServerOptions { SubscriberQueueTags = 100, SubscriberQueueBytes = 25 });
        bytes.Enqueue(Key(0), true);
        bytes.Enqueue(Inter(40, size: 15), true);
        Assert.True(bytes.DroppedTags == 0 && bytes.QueuedBytes == 25, $"10 + 15 bytes fit SubscriberQueueBytes = 25 exactly; yours dropped {bytes.DroppedTags}, queued {bytes.QueuedBytes}. See README §Back-pressure.");
        bytes.Enqueue(Audio(50, size: 2), true);
        Assert.True(bytes.DroppedTags == 1 && bytes.QueuedBytes == 25, $"2 more bytes would pass SubscriberQueueBytes = 25: dropped and counted; yours dropped {bytes.DroppedTags}, queued {bytes.QueuedBytes}. See README §Back-pressure.");
    }

    [Fact]
    [Trait("Milestone", BackPressure)]
    public void With_the_Disconnect_policy_a_full_queue_closes_the_subscriber()
    {
        var s = new Recorded(new LiveServerOptions { SubscriberQueueTags = 2, SlowSubscriber = SlowSubscriberPolicy.Disconnect });
        Assert.True(s.Enqueue(Key(0), true) && s.Enqueue(Inter(40), true), "Two tags fit a queue of SubscriberQueueTags = 2: Enqueue returns true.");
        Assert.False(s.WasTooSlow, "Nothing was too much yet: WasTooSlow stays false.");
        bool kept = s.Enqueue(Inter(80), true);
        Assert.True(!kept && s.WasTooSlow && s.Closed.IsCancellationRequested,
            $"A third tag would pass SubscriberQueueTags = 2: with Disconnect, Enqueue returns false, WasTooSlow is true and Closed is cancelled; yours returned {kept}, WasTooSlow {s.WasTooSlow}, Closed {s.Closed.IsCancellationRequested}. See README §Back-pressure.");
    }
}
