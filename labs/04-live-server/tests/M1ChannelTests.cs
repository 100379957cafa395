using Lab02.RtmpChunks;

namespace Lab04.LiveServer.Tests;

/// <summary>
/// M1–M3 without a socket: a <see cref="StreamRegistry"/> and its <see cref="LiveChannel"/>s driven directly,
/// publishers being plain objects and players subscribers whose writes are recorded. Who may publish, when a
/// stream is live, which headers it keeps, what a player gets and in which order, and when the GOP cache is
/// emptied are what README §Registry, §Fan-out and §GOP cache say (and the XML docs of the given members);
/// every expected value below is worked out from them by hand.
/// </summary>
public class M1ChannelTests
{
    private const string Registry = "M1 stream registry";
    private const string FanOut = "M2 HTTP-FLV fan-out";
    private const string Cache = "M3 GOP cache";

    /// <summary>A player that records what it is asked to write; <see cref="DrainAsync"/> ends it and returns what it wrote.</summary>
    private sealed class Player(LiveServerOptions options) : Subscriber(options, "test")
    {
        public List<(LiveTag Tag, uint Timestamp)> Written { get; } = [];

        protected override ValueTask WriteStartAsync(CancellationToken cancellationToken) => default;

        protected override ValueTask WriteTagsAsync(IReadOnlyList<(LiveTag Tag, uint Timestamp)> tags, CancellationToken cancellationToken)
        {
            lock (Written)
            {
                Written.AddRange(tags);
            }

            return default;
        }

        protected override ValueTask WriteEndAsync(bool started, CancellationToken cancellationToken) => default;

        /// <summary>Ends the player after what is queued and runs its task to that end: what it wrote, named.</summary>
        public async Task<string> DrainAsync()
        {
            End();
            await RunAsync(TestContext.Current.CancellationToken);
            return string.Join(" ", Written.Select(w => Name(w.Tag)));
        }
    }

    // FLV §E.4.3.1: 0x17 = keyframe + AVC, 0x27 = inter frame + AVC; AVCPacketType 0 = sequence header, 1 = NALU.
    // §E.4.2.1: 0xAF = AAC, then AACPacketType 0 = sequence header, 1 = raw. Type 18 = script data (onMetaData).
    private static LiveTag Meta() => Make(18, [0x02, 0x00, 0x0A, .. "onMetaData"u8], 0, 20);
    private static LiveTag AvcHeader(byte profile = 0x64) => Make(9, [0x17, 0x00, 0, 0, 0, 0x01, profile], 0, 12);
    private static LiveTag AacHeader() => Make(8, [0xAF, 0x00, 0x12, 0x10], 0, 4);
    private static LiveTag Key(uint timestamp) => Make(9, [0x17, 0x01, 0, 0, 0], timestamp, 10);
    private static LiveTag Inter(uint timestamp) => Make(9, [0x27, 0x01, 0, 0, 0], timestamp, 10);
    private static LiveTag Audio(uint timestamp) => Make(8, [0xAF, 0x01], timestamp, 6);

    private static LiveTag Make(byte type, byte[] start, uint timestamp, int size)
    {
        var payload = new byte[Math.Max(size, start.Length)];
        start.CopyTo(payload, 0);
        return LiveTag.FromMessage(new RtmpMessage(type, timestamp, 1, payload));
    }

    private static string Name(LiveTag tag) => tag.IsMetadata ? "meta" : tag.IsSequenceHeader ? (tag.IsVideo ? "avc" : "aac")
        : tag.IsVideo ? (tag.IsKeyFrame ? $"key@{tag.Timestamp}" : $"inter@{tag.Timestamp}") : $"audio@{tag.Timestamp}";

    [Fact]
    [Trait("Milestone", Registry)]
    public void One_publisher_per_key_the_headers_are_kept_and_a_stream_is_live_from_its_first_frame_until_its_publisher_leaves()
    {
        var registry = new StreamRegistry(new LiveServerOptions { GopCache = false });
        object first = new(), second = new();
        var before = DateTime.UtcNow;
        var channel = registry.TryStartPublishing("live/test", first);
        Assert.True(channel is not null && ReferenceEquals(channel.Publisher, first) && channel.Key == "live/test",
            "The first publisher of live/test gets the channel (TryStartPublishing returns it, Publisher is that publisher). See README §Registry.");
        Assert.True(channel.PublishedSince is { } since && since >= before.AddSeconds(-1) && since <= DateTime.UtcNow.AddSeconds(1) && channel.Publishes == 1,
            $"A publish sets PublishedSince to the time it started (UTC) and counts itself in Publishes: expected about {before:O} and 1; yours {channel.PublishedSince:O} and {channel.Publishes}. See README §Monitoring.");
        Assert.True(ReferenceEquals(registry.Find("live/test"), channel), "The registry finds the channel of a key that is published.");

        Assert.True(registry.TryStartPublishing("live/test", second) is null && ReferenceEquals(channel.Publisher, first),
            "A second publisher of a key that has one is refused (null: NetStream.Publish.BadName) and the first publisher goes on. See README §Registry.");
        Assert.True(ReferenceEquals(registry.Find("live/test"), channel), "A refused publisher leaves the channel of the first one in the registry.");

        var meta = Meta();
        var avc = AvcHeader();
        var aac = AacHeader();
        foreach (var header in new[] { meta, avc, aac })
        {
            channel.Publish(first, header);
        }

        Assert.True(ReferenceEquals(channel.Metadata, meta) && ReferenceEquals(channel.VideoSequenceHeader, avc) && ReferenceEquals(channel.AudioSequenceHeader, aac),
            $"The channel keeps the latest onMetaData, AVC and AAC sequence header (RememberHeader); yours has Metadata {(channel.Metadata is null ? "null" : Name(channel.Metadata))}, VideoSequenceHeader {(channel.VideoSequenceHeader is null ? "null" : Name(channel.VideoSequenceHeader))}, AudioSequenceHeader {(channel.AudioSequenceHeader is null ? "null" : Name(channel.AudioSequenceHeader))}. See README §Registry.");
        Assert.False(channel.IsLive, "Metadata and sequence headers do not make a stream live: it is live from its publisher's first audio or video frame. See README §Registry.");
        channel.Publish(second, Key(0));
        Assert.False(channel.IsLive, "A frame from someone who is not the channel's publisher (refused, or replaced) is ignored: the stream is not live yet.");
        channel.Publish(first, Key(0));
        Assert.True(channel.IsLive, "The publisher's first frame makes the stream live. See README §Registry.");
        Assert.True(channel.TagsIn == 4 && channel.BytesIn == 20 + 12 + 4 + 10,
            $"TagsIn and BytesIn count the publisher's tags and their data (4 tags, 46 bytes; the other's frame is not the stream's); yours {channel.TagsIn} and {channel.BytesIn}. See README §Monitoring.");
        var avc2 = AvcHeader(0x4D);
        channel.Publish(first, avc2);
        Assert.True(ReferenceEquals(channel.VideoSequenceHeader, avc2) && ReferenceEquals(channel.Metadata, meta) && ReferenceEquals(channel.AudioSequenceHeader, aac),
            "A new AVC sequence header replaces the video one only: the channel keeps the latest of each kind. See README §Registry.");

        registry.StopPublishing(channel, second);
        Assert.True(ReferenceEquals(channel.Publisher, first) && channel.IsLive, "Only the publisher's own leaving ends its publish: the first publisher goes on. See README §Registry.");

        registry.StopPublishing(channel, first);
        Assert.True(channel.Publisher is null && !channel.IsLive && channel.PublishedSince is null,
            $"When the publisher leaves the stream is no longer live and has no publisher (Publisher null, IsLive false, PublishedSince null); yours {channel.Publisher ?? "null"}, {channel.IsLive}, {channel.PublishedSince?.ToString("O") ?? "null"}. See README §Registry.");
        Assert.True(registry.Find("live/test") is null, "A channel nobody publishes, plays or waits for is forgotten by the registry (StreamRegistry).");
        var again = registry.TryStartPublishing("live/test", second);
        Assert.True(again is not null && ReferenceEquals(again.Publisher, second), "When a publisher leaves, its key is free again. See README §Registry.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Registry)]
    public async Task A_waiting_player_keeps_the_channel_and_a_new_publisher_starts_with_no_headers_and_continues_the_player()
    {
        var registry = new StreamRegistry(new LiveServerOptions { GopCache = false });
        var player = new Player(new LiveServerOptions { GopCache = false });
        var channel = registry.Subscribe("live/test", player);
        Assert.True(ReferenceEquals(registry.Find("live/test"), channel) && channel.Subscribers.Count == 1 && ReferenceEquals(player.Channel, channel),
            "A player may come before the publisher: Subscribe creates the channel, which the registry keeps while the player waits. See README §Registry.");

        object first = new(), second = new();
        Assert.True(ReferenceEquals(registry.TryStartPublishing("live/test", first), channel), "The publisher that comes later gets the channel the player waits on.");
        channel.Publish(first, Meta());
        channel.Publish(first, AvcHeader());
        channel.Publish(first, Key(1000));
        channel.Publish(first, Inter(1040));
        registry.StopPublishing(channel, first);
        Assert.True(ReferenceEquals(registry.Find("live/test"), channel), "A player still waits: the registry keeps the channel after its publisher left (players survive a publisher that reconnects). See README §Registry.");

        Assert.True(ReferenceEquals(registry.TryStartPublishing("live/test", second), channel), "A new publisher within ReconnectWait continues the same channel.");
        Assert.True(channel.Publishes == 2, $"Publishes counts every publisher that started on the stream: 2; yours {channel.Publishes}.");
        Assert.True(channel.Metadata is null && channel.VideoSequenceHeader is null && channel.AudioSequenceHeader is null,
            "A new publisher starts with no headers (it may bring other codecs): Metadata and both sequence headers are null until it sends its own.");
        channel.Publish(second, AacHeader());
        channel.Publish(second, Audio(70_000));
        channel.Publish(second, Audio(70_023));
        string got = await player.DrainAsync();
        Assert.True(got == "meta avc key@1000 inter@1040 aac audio@70000 audio@70023",
            $"The waiting player gets the first publisher's headers and frames from its first keyframe, then the new publisher's header (only AAC: it has no video) and its frames: \"meta avc key@1000 inter@1040 aac audio@70000 audio@70023\"; yours wrote \"{got}\". See README §Registry, §HTTP-FLV.");
        uint[] want = [0, 0, 0, 40, 40, 41, 64];
        Assert.True(player.Written.Select(w => w.Timestamp).SequenceEqual(want),
            $"Timestamps: the first keyframe at 0, the next frame 40 ms later, the new publisher's header at the current position (40), its first frame 1 ms after the last tag (41), the next 23 ms later (64): {string.Join(",", want)}; yours {string.Join(",", player.Written.Select(w => w.Timestamp))}. See README §Timestamps.");

        registry.Unsubscribe(player);
        Assert.True(channel.Subscribers.Count == 0 && ReferenceEquals(registry.Find("live/test"), channel), "A player that left is no longer a subscriber; the channel stays while its publisher publishes.");
        registry.StopPublishing(channel, second);
        Assert.True(registry.Find("live/test") is null, "Nobody publishes, plays or waits: the registry forgets the channel.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", FanOut)]
    public async Task Players_get_the_headers_in_order_then_frames_from_a_keyframe_and_a_late_player_waits_for_the_next_keyframe_without_the_cache()
    {
        var options = new LiveServerOptions { GopCache = false };
        var registry = new StreamRegistry(options);
        var early = new Player(options);
        registry.Subscribe("live/test", early);
        object publisher = new();
        var channel = registry.TryStartPublishing("live/test", publisher)!;
        channel.Publish(publisher, Meta());
        channel.Publish(publisher, AvcHeader());
        channel.Publish(publisher, AacHeader());
        channel.Publish(publisher, Audio(990)); // live now, but no keyframe yet for a stream with video
        channel.Publish(publisher, Key(1000));
        channel.Publish(publisher, Audio(1010));
        var late = new Player(options);
        registry.Subscribe("live/test", late);
        channel.Publish(publisher, Inter(1040));
        channel.Publish(publisher, Key(2000));
        channel.Publish(publisher, Audio(2010));

        Assert.True(channel.Gop.Tags.Count == 0, $"GopCache = false turns the GOP cache off: it holds nothing; yours holds {channel.Gop.Tags.Count} tags. See README §GOP cache.");
        string got = await early.DrainAsync();
        Assert.True(got == "meta avc aac key@1000 audio@1010 inter@1040 key@2000 audio@2010",
            $"A player that came first gets onMetaData, the AVC and the AAC sequence header, in this order, then the frames from the first keyframe (the audio before it is skipped: the stream has video): \"meta avc aac key@1000 audio@1010 inter@1040 key@2000 audio@2010\"; yours wrote \"{got}\". See README §HTTP-FLV, §Fan-out.");
        got = await late.DrainAsync();
        Assert.True(got == "meta avc aac key@2000 audio@2010",
            $"With GopCache = false, a player that joins a live stream gets the headers at once and then waits for the publisher's next keyframe: \"meta avc aac key@2000 audio@2010\"; yours wrote \"{got}\". See README §HTTP-FLV, §Fan-out.");

        var audioOnly = new StreamRegistry(options);
        object radio = new();
        var station = audioOnly.TryStartPublishing("live/radio", radio)!;
        station.Publish(radio, AacHeader());
        station.Publish(radio, Audio(0));
        var listener = new Player(options);
        audioOnly.Subscribe("live/radio", listener);
        station.Publish(radio, Audio(23));
        got = await listener.DrainAsync();
        Assert.True(got == "aac audio@23", $"A player of a stream without video starts at any audio frame: \"aac audio@23\"; yours wrote \"{got}\". See README §HTTP-FLV.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", Cache)]
    public async Task A_late_player_gets_the_cached_gop_which_a_changed_sequence_header_empties_and_the_same_one_keeps()
    {
        var options = new LiveServerOptions { GopCache = true };
        var registry = new StreamRegistry(options);
        object publisher = new();
        var channel = registry.TryStartPublishing("live/test", publisher)!;
        channel.Publish(publisher, Meta());
        channel.Publish(publisher, AvcHeader());
        channel.Publish(publisher, AacHeader());
        channel.Publish(publisher, Key(1000));
        channel.Publish(publisher, Audio(1010));
        channel.Publish(publisher, Inter(1040));
        Assert.True(channel.Gop.Tags.Count == 3 && !channel.Gop.Tags.Any(t => t.IsHeader),
            $"With GopCache on, the channel feeds its frames (not its headers) to the GOP cache: key, audio, inter; yours holds {string.Join(" ", channel.Gop.Tags.Select(Name))}. See README §Fan-out, §GOP cache.");

        var late = new Player(options);
        registry.Subscribe("live/test", late);
        channel.Publish(publisher, Inter(1080));
        string got = await late.DrainAsync();
        Assert.True(got == "meta avc aac key@1000 audio@1010 inter@1040 inter@1080",
            $"A player that joins gets the headers, then the cached GOP from its keyframe, then live tags: \"meta avc aac key@1000 audio@1010 inter@1040 inter@1080\"; yours wrote \"{got}\". See README §GOP cache.");
        Assert.True(late.Written[3].Timestamp == 0 && late.Written[6].Timestamp == 80, "The cached keyframe is written at 0 and later tags keep their distance from it. See README §GOP cache, §Timestamps.");

        channel.Publish(publisher, AvcHeader()); // the same bytes again: nothing changed
        var same = new Player(options);
        registry.Subscribe("live/test", same);
        got = await same.DrainAsync();
        Assert.True(got == "meta avc aac key@1000 audio@1010 inter@1040 inter@1080",
            $"A sequence header with the same bytes as before changes nothing: the GOP stays cached: \"meta avc aac key@1000 audio@1010 inter@1040 inter@1080\"; yours wrote \"{got}\". See README §GOP cache.");

        channel.Publish(publisher, AvcHeader(0x4D)); // another profile: a new configuration
        var changed = new Player(options);
        registry.Subscribe("live/test", changed);
        channel.Publish(publisher, Key(1200));
        got = await changed.DrainAsync();
        Assert.True(got == "meta avc aac key@1200",
            $"A changed sequence header empties the cache (old frames cannot be decoded with it): a player that joins then gets the headers and waits for the next keyframe: \"meta avc aac key@1200\"; yours wrote \"{got}\". See README §GOP cache.");
        Assert.True(channel.Gop.Tags.Count == 1 && channel.Gop.Tags[0].IsKeyFrame, "After the change the cache starts again at the next keyframe.");

        Assert.True(channel.TryStartPublishing(publisher) && channel.Publishes == 2 && channel.Gop.Tags.Count == 0 && channel.Metadata is null,
            $"The same publisher publishing again starts a new session: TryStartPublishing is true, Publishes counts it (2), and it starts with an empty GOP cache and no headers; yours: Publishes {channel.Publishes}, {channel.Gop.Tags.Count} cached tags, Metadata {(channel.Metadata is null ? "null" : "kept")}. See the comment in LiveChannel.StartPublishing.");
        channel.Publish(publisher, AvcHeader());
        channel.Publish(publisher, Key(1300));
        Assert.True(channel.Gop.Tags.Count == 1, "The new session's keyframe starts the cache again.");
        registry.StopPublishing(channel, publisher);
        Assert.True(channel.Gop.Tags.Count == 0, $"When the publisher leaves, the GOP cache is emptied (its frames belong to a session that is over); yours holds {channel.Gop.Tags.Count} tags. See the comment in LiveChannel.StopPublishing.");
        object next = new();
        Assert.True(ReferenceEquals(registry.TryStartPublishing("live/test", next), channel) && channel.Gop.Tags.Count == 0 && channel.Gop.Bytes == 0,
            $"A new publisher starts with an empty GOP cache; yours holds {string.Join(" ", channel.Gop.Tags.Select(Name))}. See README §GOP cache.");
    }

    [Fact(Timeout = 30000)]
    [Trait("Milestone", "M4 back-pressure and clean ends")]
    public async Task A_too_slow_player_is_removed_and_the_channel_still_counts_its_bytes_and_drops()
    {
        var disconnect = new LiveServerOptions { GopCache = false, SubscriberQueueTags = 2, SlowSubscriber = SlowSubscriberPolicy.Disconnect };
        var registry = new StreamRegistry(disconnect);
        object publisher = new();
        var channel = registry.TryStartPublishing("live/test", publisher)!;
        channel.Publish(publisher, Key(0)); // live, nobody playing yet
        var slow = new Player(disconnect);
        var slow2 = new Player(disconnect);
        var fine = new Player(new LiveServerOptions { GopCache = false, SubscriberQueueTags = 100, SlowSubscriber = SlowSubscriberPolicy.Disconnect });
        registry.Subscribe("live/test", slow);
        registry.Subscribe("live/test", slow2);
        registry.Subscribe("live/test", fine);
        channel.Publish(publisher, Key(100));
        channel.Publish(publisher, Inter(140));
        Assert.True(channel.Subscribers.Count == 3 && !slow.WasTooSlow, "Two tags fit a queue of SubscriberQueueTags = 2: every player stays.");
        channel.Publish(publisher, Inter(180)); // a third tag would pass the slow ones' SubscriberQueueTags = 2
        Assert.True(channel.Subscribers.Count == 1 && ReferenceEquals(channel.Subscribers[0], fine) && slow.WasTooSlow && slow2.WasTooSlow,
            $"With Disconnect, every player whose queue is full (two of them, at the same tag) is closed and removed from the channel; the others stay. Subscribers now: {channel.Subscribers.Count} (one expected). See README §Back-pressure.");
        string got = await fine.DrainAsync();
        Assert.True(got == "key@100 inter@140 inter@180", $"The other player gets every frame from its first keyframe: \"key@100 inter@140 inter@180\"; yours wrote \"{got}\".");

        var skip = new LiveServerOptions { GopCache = false, SubscriberQueueTags = 1 };
        var registry2 = new StreamRegistry(skip);
        var channel2 = registry2.TryStartPublishing("live/test", publisher)!;
        channel2.Publish(publisher, Key(0)); // live, nobody playing yet
        var dropper = new Player(skip);
        registry2.Subscribe("live/test", dropper);
        channel2.Publish(publisher, Key(100));
        channel2.Publish(publisher, Inter(140)); // dropped: the queue holds one tag
        channel2.Publish(publisher, Inter(180)); // dropped too: up to the next keyframe
        Assert.True(channel2.DroppedTags == 2, $"LiveChannel.DroppedTags counts its players' drops: 2; yours {channel2.DroppedTags}. See README §Monitoring.");
        await dropper.DrainAsync();
        long sent = dropper.SentBytes;
        Assert.True(sent == Key(0).Bytes.Length && channel2.BytesOut == sent, $"BytesOut counts the whole FLV tags written to players ({Key(0).Bytes.Length} bytes); yours {channel2.BytesOut}.");
        registry2.Unsubscribe(dropper);
        Assert.True(channel2.BytesOut == sent && channel2.DroppedTags == 2,
            $"BytesOut and DroppedTags include players that left: {sent} and 2; yours {channel2.BytesOut} and {channel2.DroppedTags}. See README §Monitoring.");
    }
}
