namespace Lab04.LiveServer;

/// <summary>
/// One live stream ("live/test") in the <see cref="StreamRegistry"/>: at most one publisher, any number
/// of subscribers. The publisher's tags come in through <see cref="Publish"/>; each is serialized once
/// (<see cref="LiveTag"/>) and queued to every subscriber. Everything happens under one lock and nothing
/// in it waits (README §Fan-out).
/// </summary>
/// <remarks>
/// The stream is <em>live</em> from its publisher's first audio or video frame (an encoder sends the
/// metadata and sequence headers before it) until the publisher leaves. A subscriber added while it is
/// not live waits for it, up to <see cref="LiveServerOptions.PublisherWait"/>, and then gets everything
/// from the first frame on.
/// </remarks>
public sealed class LiveChannel
{
    private readonly object _lock = new();
    private readonly List<Subscriber> _subscribers = [];
    private readonly LiveServerOptions _options;
    private long _tagsIn;
    private long _bytesIn;
    private long _bytesOutOfGone;
    private long _droppedOfGone;

    /// <summary>A stream named <paramref name="key"/> ("app/name").</summary>
    public LiveChannel(string key, LiveServerOptions options)
    {
        Key = key ?? throw new ArgumentNullException(nameof(key));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Gop = new GopCache(options.GopCacheMaxTags, options.GopCacheMaxBytes);
    }

    /// <summary>"app/name", e.g. "live/test".</summary>
    public string Key { get; }

    /// <summary>Who publishes (an address), or null while nobody does.</summary>
    public object? Publisher { get; private set; }

    /// <summary>True from the publisher's first frame until it leaves.</summary>
    public bool IsLive { get; private set; }

    /// <summary>When the current publisher started (UTC), or null.</summary>
    public DateTime? PublishedSince { get; private set; }

    /// <summary>The latest onMetaData, or null.</summary>
    public LiveTag? Metadata { get; private set; }

    /// <summary>The latest AVC sequence header, or null.</summary>
    public LiveTag? VideoSequenceHeader { get; private set; }

    /// <summary>The latest AAC sequence header, or null.</summary>
    public LiveTag? AudioSequenceHeader { get; private set; }

    /// <summary>The GOP cache (README §GOP cache).</summary>
    public GopCache Gop { get; }

    /// <summary>The recorder of the current publish session (with <see cref="LiveServerOptions.RecordFolder"/>), or null.</summary>
    public Recorder? Recorder { get; private set; }

    /// <summary>Why the current session is not recorded although <see cref="LiveServerOptions.RecordFolder"/> is set (the file could not be created), or null.</summary>
    public string? RecordingError { get; private set; }

    /// <summary>How many times a publisher started on this stream.</summary>
    public int Publishes { get; private set; }

    /// <summary>Tags the publisher sent.</summary>
    public long TagsIn => Interlocked.Read(ref _tagsIn);

    /// <summary>Bytes of tag data the publisher sent.</summary>
    public long BytesIn => Interlocked.Read(ref _bytesIn);

    /// <summary>The publisher's address ("127.0.0.1:51234") while an RTMP client publishes, else null.</summary>
    public string? PublisherAddress => (Publisher as RtmpConnection)?.Remote;

    /// <summary>Bytes of FLV tags written to subscribers, those here now and those that left (README §Monitoring).</summary>
    public long BytesOut => Interlocked.Read(ref _bytesOutOfGone) + Subscribers.Sum(s => s.SentBytes);

    /// <summary>Tags dropped for slow subscribers, those here now and those that left (README §Back-pressure, §Monitoring).</summary>
    public long DroppedTags => Interlocked.Read(ref _droppedOfGone) + Subscribers.Sum(s => s.DroppedTags);

    /// <summary>What the stream carries, from the latest headers (README §Monitoring).</summary>
    public MediaInfo Media
    {
        get
        {
            lock (_lock)
            {
                return MediaInfo.From(Metadata, VideoSequenceHeader, AudioSequenceHeader);
            }
        }
    }

    /// <summary>The subscribers now.</summary>
    public IReadOnlyList<Subscriber> Subscribers
    {
        get
        {
            lock (_lock)
            {
                return [.. _subscribers];
            }
        }
    }

    /// <summary>Nobody publishes, plays or waits: the registry may forget the channel.</summary>
    internal bool IsIdle
    {
        get
        {
            lock (_lock)
            {
                return Publisher is null && _subscribers.Count == 0;
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="publisher"/> this stream's publisher. False when another one publishes it
    /// (the caller answers NetStream.Publish.BadName). A new publisher starts with no headers and an
    /// empty GOP cache: it may bring other codecs.
    /// </summary>
    public bool TryStartPublishing(object publisher)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        lock (_lock)
        {
            if (!StartPublishing(publisher))
            {
                return false;
            }

            if (_options.RecordFolder is { } folder && Recorder is null)
            {
                try
                {
                    Recorder = Recorder.Start(folder, Key, DateTime.UtcNow, _options.SubscriberQueueTags); // a new file per publish session (README §Recording)
                    RecordingError = null;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    RecordingError = e.Message; // the stream goes on live; only its recording is missing
                }
            }

            return true;
        }
    }

    private bool StartPublishing(object publisher)
    {
        #region lab M1: refuse (false) when Publisher is another object; else set Publisher and PublishedSince, count Publishes, forget Metadata and both sequence headers, clear the Gop — README §Registry
        if (Publisher is not null && !ReferenceEquals(Publisher, publisher))
        {
            return false;
        }

        Publisher = publisher;
        PublishedSince = DateTime.UtcNow;
        Publishes++;
        Metadata = VideoSequenceHeader = AudioSequenceHeader = null;
        Gop.Clear();
        return true;
        #endregion
    }

    /// <summary>
    /// Ends the publish of <paramref name="publisher"/> (it unpublished or disconnected); does nothing for
    /// another. Every subscriber is told: it waits for a new publisher (README §Registry, §Clean ends).
    /// </summary>
    public void StopPublishing(object publisher)
    {
        lock (_lock)
        {
            if (ReferenceEquals(Publisher, publisher) && Recorder is { } recorder)
            {
                recorder.Complete(); // the session's file is complete
                Recorder = null;
            }

            #region lab M1: only the current Publisher: clear Publisher, IsLive, PublishedSince and the Gop, tell each subscriber PublisherLeft() — README §Registry
            if (!ReferenceEquals(Publisher, publisher))
            {
                return;
            }

            Publisher = null;
            PublishedSince = null;
            Gop.Clear();
            IsLive = false;

            foreach (var subscriber in _subscribers)
            {
                subscriber.PublisherLeft();
            }
            #endregion
        }
    }

    /// <summary>
    /// Takes one tag from the publisher <paramref name="publisher"/>: keeps the latest metadata and sequence
    /// headers, feeds the GOP cache, and queues the tag to every subscriber. The first frame makes the stream
    /// live: waiting players start, and subscribers that waited through a reconnect get the new headers.
    /// </summary>
    public void Publish(object publisher, LiveTag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        List<Subscriber>? tooSlow;
        lock (_lock)
        {
            if (!ReferenceEquals(Publisher, publisher))
            {
                return; // a publisher that was replaced or refused
            }

            Interlocked.Increment(ref _tagsIn);
            Interlocked.Add(ref _bytesIn, tag.DataSize);
            Recorder?.Write(tag); // every tag as the publisher sent it (README §Recording)

            if (tag.IsHeader)
            {
                var previous = RememberHeader(tag);
                if (previous is not null && tag.IsSequenceHeader && !previous.Data.Span.SequenceEqual(tag.Data.Span))
                {
                    Gop.Clear(); // frames of the old configuration cannot be decoded with the new one (README §GOP cache)
                }

                if (!IsLive)
                {
                    return; // sent to everyone when the first frame makes the stream live
                }
            }
            else if (!IsLive)
            {
                GoLive();
            }

            tooSlow = Fanout(tag);

            if (tooSlow is not null)
            {
                _subscribers.RemoveAll(tooSlow.Contains);
            }
        }
    }

    /// <summary>Keeps <paramref name="header"/> as the latest of its kind (metadata, AVC or AAC sequence header) and returns the one it replaces, or null.</summary>
    private LiveTag? RememberHeader(LiveTag header)
    {
        #region lab M1: metadata → Metadata; a video sequence header → VideoSequenceHeader; an audio one → AudioSequenceHeader; return what was there before — README §Registry
        LiveTag? previous;
        if (header.IsMetadata)
        {
            previous = Metadata;
            Metadata = header;
        }
        else if (header.IsVideo)
        {
            previous = VideoSequenceHeader;
            VideoSequenceHeader = header;
        }
        else
        {
            previous = AudioSequenceHeader;
            AudioSequenceHeader = header;
        }

        return previous;
        #endregion
    }

    /// <summary>The publisher's first frame: the stream is live. Waiting players start; subscribers that waited through a reconnect hear of the new publisher and get its headers.</summary>
    private void GoLive()
    {
        #region lab M1: IsLive = true; each subscriber: PublisherArrived(), then Enqueue each of Headers() — README §Registry
        IsLive = true;
        bool hasVideo = VideoSequenceHeader is not null;
        foreach (var subscriber in _subscribers)
        {
            subscriber.PublisherArrived();
            foreach (var header in Headers())
            {
                subscriber.Enqueue(header, hasVideo);
            }
        }
        #endregion
    }

    /// <summary>Feeds the GOP cache (when on) and queues <paramref name="tag"/> to every subscriber; returns those that must go (too slow), or null.</summary>
    private List<Subscriber>? Fanout(LiveTag tag)
    {
        #region lab M2: when Options.GopCache and the tag is not a header, Gop.Add it; Enqueue it to every subscriber (hasVideo: a video sequence header is known or this is video) and collect those whose Enqueue returns false — README §Fan-out
        if (_options.GopCache && !tag.IsHeader)
        {
            Gop.Add(tag);
        }

        bool hasVideo = VideoSequenceHeader is not null || tag.IsVideo;
        List<Subscriber>? tooSlow = null;
        foreach (var subscriber in _subscribers)
        {
            if (!subscriber.Enqueue(tag, hasVideo))
            {
                (tooSlow ??= []).Add(subscriber);
            }
        }

        return tooSlow;
        #endregion
    }

    /// <summary>Metadata, the video and the audio sequence header: those that exist, in this order.</summary>
    private IEnumerable<LiveTag> Headers()
    {
        foreach (var header in new[] { Metadata, VideoSequenceHeader, AudioSequenceHeader })
        {
            if (header is not null)
            {
                yield return header;
            }
        }
    }

    /// <summary>
    /// Adds a subscriber. When the stream is live it first gets the headers and the cached GOP
    /// (<see cref="SendStart"/>); when it is not, it waits for a publisher (<see cref="Subscriber.PublisherLeft"/>).
    /// </summary>
    public void AddSubscriber(Subscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (_lock)
        {
            subscriber.Channel = this;
            _subscribers.Add(subscriber); // under the lock: no live tag can slip in before what SendStart queues
            if (IsLive)
            {
                SendStart(subscriber);
            }
            else
            {
                subscriber.PublisherLeft(); // it waits, as for a publisher that reconnects
            }
        }
    }

    /// <summary>
    /// What a subscriber that joins a live stream gets before any live tag: the headers (metadata, AVC and
    /// AAC sequence headers) and, with the GOP cache on, the cached GOP from the latest keyframe.
    /// </summary>
    private void SendStart(Subscriber subscriber)
    {
        #region lab M2: Enqueue each of Headers() (hasVideo: a video sequence header is known), then, when Options.GopCache, ReplayGop — README §Fan-out
        bool hasVideo = VideoSequenceHeader is not null;
        foreach (var header in Headers())
        {
            subscriber.Enqueue(header, hasVideo);
        }

        if (_options.GopCache)
        {
            ReplayGop(subscriber, hasVideo);
        }
        #endregion
    }

    /// <summary>Gives a new subscriber the cached GOP, from the latest keyframe on: it can start decoding at once (首帧秒开, README §GOP cache).</summary>
    private void ReplayGop(Subscriber subscriber, bool hasVideo)
    {
        #region lab M3: Enqueue every tag of Gop.Tags, in order — README §GOP cache
        foreach (var tag in Gop.Tags)
        {
            subscriber.Enqueue(tag, hasVideo);
        }
        #endregion
    }

    /// <summary>Removes a subscriber (it left, or it was closed).</summary>
    public void RemoveSubscriber(Subscriber subscriber)
    {
        lock (_lock)
        {
            if (_subscribers.Remove(subscriber))
            {
                Interlocked.Add(ref _bytesOutOfGone, subscriber.SentBytes);
                Interlocked.Add(ref _droppedOfGone, subscriber.DroppedTags);
            }
        }
    }

    /// <summary>Ends every subscriber cleanly (the server stops).</summary>
    public void EndAll()
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.End();
            }
        }
    }
}
