namespace Lab04.LiveServer;

/// <summary>
/// One subscriber (a player) of a <see cref="LiveChannel"/>: a bounded queue filled by the publisher's
/// task, and a task of its own (<see cref="RunAsync"/>) that writes what is queued to the player's
/// connection. <see cref="Enqueue"/> never waits, so however slowly a player reads, the publisher and
/// every other player go on at full speed (README §Back-pressure). How the tags are written — HTTP-FLV
/// chunks or RTMP messages — is the subclass's part.
/// </summary>
public abstract class Subscriber
{
    private readonly object _queueLock = new();
    private readonly Queue<Item> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private bool _wakePending; // under _queueLock: _wake was released and the writer has not yet taken the queue
    private readonly CancellationTokenSource _closed = new();
    private long _queuedBytes;
    private long _droppedTags;
    private long _sentTags;
    private long _sentBytes;

    // Enqueue side (the channel calls it under its lock): skip tags until a decoder could start.
    private bool _waitingForStart = true;
    private bool _dropping;

    // Writer side (RunAsync): timestamps rebased so that this subscriber starts near 0 (README §Timestamps).
    private uint? _base;
    private uint _offset;
    private uint _lastOut;
    private bool _sentMedia;

    /// <summary>What the queue holds: a tag, or news about the publisher.</summary>
    private enum Signal { None, PublisherArrived, PublisherLeft, End }

    private readonly record struct Item(LiveTag? Tag, Signal Signal);

    /// <summary>A subscriber with the queue bounds and the slow-subscriber policy of <paramref name="options"/>.</summary>
    protected Subscriber(LiveServerOptions options, string remote)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Remote = remote ?? "";
    }

    /// <summary>The server's options.</summary>
    public LiveServerOptions Options { get; }

    /// <summary>Who this is ("127.0.0.1:51234 http-flv").</summary>
    public string Remote { get; }

    /// <summary>Tags dropped because this subscriber read too slowly (README §Back-pressure).</summary>
    public long DroppedTags => Interlocked.Read(ref _droppedTags);

    /// <summary>Tags written to the connection so far.</summary>
    public long SentTags => Interlocked.Read(ref _sentTags);

    /// <summary>Bytes of FLV tags (tag header, data, PreviousTagSize) written to the connection so far (README §Monitoring).</summary>
    public long SentBytes => Interlocked.Read(ref _sentBytes);

    /// <summary>Bytes of tag data waiting in the queue.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>True once the subscriber was closed for reading too slowly (policy <see cref="SlowSubscriberPolicy.Disconnect"/>).</summary>
    public bool WasTooSlow { get; private set; }

    /// <summary>The channel it plays (set when it is added to one).</summary>
    public LiveChannel? Channel { get; internal set; }

    /// <summary>True once the first tag was written (before that, an end is "not found").</summary>
    public bool Started { get; private set; }

    /// <summary>Cancelled when the subscriber must stop at once (too slow, or the server stops).</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>
    /// Queues a tag; never waits. Metadata and sequence headers always go in. Audio and video wait for a
    /// place a decoder can start (a keyframe; any audio tag when the stream has no video). When the queue
    /// is over <see cref="LiveServerOptions.SubscriberQueueBytes"/> or <see cref="LiveServerOptions.SubscriberQueueTags"/>,
    /// the subscriber is slow: with <see cref="SlowSubscriberPolicy.SkipToKeyframe"/> this tag and every tag up
    /// to the next keyframe are dropped and counted; with <see cref="SlowSubscriberPolicy.Disconnect"/> it is closed.
    /// </summary>
    /// <returns>False when the subscriber was closed and should be removed.</returns>
    public bool Enqueue(LiveTag tag, bool streamHasVideo)
    {
        ArgumentNullException.ThrowIfNull(tag);
        throw new NotImplementedException("Lab 04 · M2: headers always go in; audio and video are skipped (counted in DroppedTags while _dropping) until a start point (a keyframe, or audio when the stream has no video); a tag that would pass SubscriberQueueBytes or SubscriberQueueTags goes to OnQueueFull instead; else queue it and count its bytes, then WakeWriter(tag, streamHasVideo) — README §Fan-out");
    }

    /// <summary>
    /// The queue is full: the subscriber reads too slowly for a live stream. <see cref="SlowSubscriberPolicy.Disconnect"/>:
    /// mark it <see cref="WasTooSlow"/>, <see cref="Close"/> it and return false. <see cref="SlowSubscriberPolicy.SkipToKeyframe"/>:
    /// count the tag as dropped and skip (counting) every tag up to the next keyframe; return true.
    /// </summary>
    private bool OnQueueFull()
    {
        throw new NotImplementedException("Lab 04 · M4: Disconnect → WasTooSlow = true, Close(), false; SkipToKeyframe → count the drop (Interlocked), set _waitingForStart and _dropping, true — README §Back-pressure");
    }

    /// <summary>The publisher left (or is not there yet): the subscriber waits up to <see cref="LiveServerOptions.ReconnectWait"/> (<see cref="LiveServerOptions.PublisherWait"/> before its first tag) for one.</summary>
    public void PublisherLeft() => Post(Signal.PublisherLeft);

    /// <summary>A (new) publisher started: its headers follow; tags wait for its first keyframe.</summary>
    public void PublisherArrived()
    {
        _waitingForStart = true;
        _dropping = false;
        Post(Signal.PublisherArrived);
    }

    /// <summary>Ends the subscriber cleanly after what is queued (the server stops).</summary>
    public void End() => Post(Signal.End);

    /// <summary>Closes the subscriber at once.</summary>
    public void Close()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // already gone
        }
    }

    private void Post(Signal signal)
    {
        lock (_queueLock)
        {
            _queue.Enqueue(new Item(null, signal));
        }

        WakeWriter(null, streamHasVideo: false);
    }

    /// <summary>
    /// Wakes the writer task (<see cref="RunAsync"/>) for what was just queued. Given code.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The simple way (<see cref="LiveServerOptions.HoldAudioForVideo"/> off): wake it for every tag. At a
    /// real-time rate the writer then finds one tag in the queue each time, so every tag costs every
    /// subscriber one thread-pool wake-up and one send (<c>sendmsg</c>): 68 tags/s × 500 subscribers is
    /// 34 000 of each a second, and that — not copying bytes — is most of a fan-out server's CPU.
    /// </para>
    /// <para>
    /// The fast way (on, the default): an audio tag of a stream with video does not wake the writer; it waits
    /// in the queue and goes out with the next video tag, in the same write. A stream's audio frames come
    /// between its video frames (44.1 kHz AAC: 43 a second beside 25–30 video frames), so a subscriber
    /// writes about once per video frame instead of once per tag, and audio is held at most one video frame
    /// (or <see cref="HeldTagsLimit"/> tags). Headers, signals and every tag of a stream without video wake it
    /// at once; so does anything queued while the writer is away, which it finds when it comes back.
    /// </para>
    /// <para>
    /// At most one wake is pending (<c>_wakePending</c>): the writer takes everything queued when it wakes, so
    /// more would only wake it to find the queue empty.
    /// </para>
    /// </remarks>
    private void WakeWriter(LiveTag? tag, bool streamHasVideo)
    {
        lock (_queueLock)
        {
            bool hold = Options.HoldAudioForVideo && tag is { IsHeader: false, IsVideo: false } && streamHasVideo && _queue.Count < HeldTagsLimit;
            if (hold || _wakePending)
            {
                return;
            }

            _wakePending = true;
        }

        _wake.Release();
    }

    /// <summary>The most tags queued before the writer is woken even for held audio (about 90 ms of 44.1 kHz AAC).</summary>
    private const int HeldTagsLimit = 4;

    /// <summary>
    /// The timestamp this subscriber writes for <paramref name="tag"/>: the first audio or video tag it
    /// writes gets 0 and the later ones keep their distance from it; headers get the current position.
    /// After a new publisher, its first tag continues where the last one ended (README §Timestamps).
    /// </summary>
    public uint Rebase(LiveTag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        throw new NotImplementedException("Lab 04 · M2: headers → the last timestamp written (0 at first); the first audio/video tag sets the base (written as _offset); later ones → _offset + (Timestamp − base), never below _offset — README §Timestamps");
    }

    /// <summary>A new publisher: the next audio or video tag becomes the base, written just after the last one.</summary>
    private void StartNewTimeline()
    {
        _base = null;
        _offset = _sentMedia ? _lastOut + 1 : 0;
    }

    /// <summary>
    /// Writes what is queued until the stream ends (no publisher within <see cref="LiveServerOptions.PublisherWait"/>
    /// before the first tag, or within <see cref="LiveServerOptions.ReconnectWait"/> after its publisher left; or
    /// the server stops) or the connection fails.
    /// <see cref="WriteStartAsync"/> comes before the first tag; <see cref="WriteEndAsync"/> at a clean end.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        var token = both.Token;
        var taken = new List<Item>(64);
        var batch = new List<(LiveTag Tag, uint Timestamp)>(BatchTags);
        bool waitingForPublisher = false;
        while (true)
        {
            if (waitingForPublisher)
            {
                if (!await _wake.WaitAsync(Started ? Options.ReconnectWait : Options.PublisherWait, token).ConfigureAwait(false))
                {
                    break; // nobody published again in time: a clean end
                }
            }
            else
            {
                await _wake.WaitAsync(token).ConfigureAwait(false);
            }

            // Take everything queued now; what comes later wakes this task again.
            lock (_queueLock)
            {
                _wakePending = false;
                while (_queue.TryDequeue(out var item))
                {
                    taken.Add(item);
                    if (item.Tag is { } t)
                    {
                        Interlocked.Add(ref _queuedBytes, -t.DataSize);
                    }
                }
            }

            // Write the tags in batches, in one go each; a signal takes effect after the tags before it.
            bool end = false;
            foreach (var item in taken)
            {
                if (item.Tag is { } tag)
                {
                    if (!tag.IsHeader)
                    {
                        _sentMedia = true;
                    }

                    batch.Add((tag, Rebase(tag)));
                    if (batch.Count == BatchTags)
                    {
                        await WriteBatchAsync(batch, token).ConfigureAwait(false);
                    }

                    continue;
                }

                await WriteBatchAsync(batch, token).ConfigureAwait(false);
                if (item.Signal == Signal.End)
                {
                    end = true;
                    break;
                }

                if (item.Signal == Signal.PublisherLeft)
                {
                    waitingForPublisher = true;
                }
                else if (item.Signal == Signal.PublisherArrived)
                {
                    waitingForPublisher = false;
                    StartNewTimeline();
                }
            }

            await WriteBatchAsync(batch, token).ConfigureAwait(false);
            taken.Clear();
            if (end)
            {
                break;
            }
        }

        await WriteEndAsync(Started, token).ConfigureAwait(false);
    }

    /// <summary>The most tags written in one go (a GOP replayed to a new subscriber goes out in a few writes).</summary>
    private const int BatchTags = 64;

    /// <summary>Writes <paramref name="batch"/> (the start first, once), counts it, and empties it.</summary>
    private async ValueTask WriteBatchAsync(List<(LiveTag Tag, uint Timestamp)> batch, CancellationToken token)
    {
        if (batch.Count == 0)
        {
            return;
        }

        if (!Started)
        {
            await WriteStartAsync(token).ConfigureAwait(false);
            Started = true;
        }

        await WriteTagsAsync(batch, token).ConfigureAwait(false);
        long bytes = 0;
        foreach (var (tag, _) in batch)
        {
            bytes += tag.Bytes.Length;
        }

        Interlocked.Add(ref _sentBytes, bytes);
        Interlocked.Add(ref _sentTags, batch.Count);
        batch.Clear();
    }

    /// <summary>Writes what goes before the first tag (HTTP-FLV: the response head and the FLV header; RTMP: Stream Begin and NetStream.Play.Start).</summary>
    protected abstract ValueTask WriteStartAsync(CancellationToken cancellationToken);

    /// <summary>Writes tags with their rebased timestamps.</summary>
    protected abstract ValueTask WriteTagsAsync(IReadOnlyList<(LiveTag Tag, uint Timestamp)> tags, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the clean end. <paramref name="started"/> false: the stream never went live in time (HTTP 404;
    /// RTMP NetStream.Play.StreamNotFound). True: the last chunk; RTMP Stream EOF and NetStream.Play.UnpublishNotify.
    /// </summary>
    protected abstract ValueTask WriteEndAsync(bool started, CancellationToken cancellationToken);
}
