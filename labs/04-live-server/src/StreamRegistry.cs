namespace Lab04.LiveServer;

/// <summary>
/// Every stream the server knows, by key "app/name" (README §Registry): one publisher per key, players
/// that wait for a key that is not live yet. A channel is forgotten when nobody publishes, plays or waits.
/// </summary>
public sealed class StreamRegistry
{
    private readonly object _lock = new();
    private readonly Dictionary<string, LiveChannel> _channels = new(StringComparer.Ordinal);
    private readonly LiveServerOptions _options;

    /// <summary>A registry whose channels use <paramref name="options"/>.</summary>
    public StreamRegistry(LiveServerOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The channels now, by key.</summary>
    public IReadOnlyList<LiveChannel> Channels
    {
        get
        {
            lock (_lock)
            {
                return [.. _channels.Values];
            }
        }
    }

    /// <summary>The channel of <paramref name="key"/>, or null.</summary>
    public LiveChannel? Find(string key)
    {
        lock (_lock)
        {
            return _channels.GetValueOrDefault(key);
        }
    }

    /// <summary>
    /// Starts <paramref name="publisher"/> on <paramref name="key"/>: the channel, or null when another
    /// publisher already has the key (answer NetStream.Publish.BadName).
    /// </summary>
    public LiveChannel? TryStartPublishing(string key, object publisher)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            throw new NotImplementedException("Lab 04 · M1: get or create the channel of key (new LiveChannel(key, _options)); null unless its TryStartPublishing(publisher) succeeds — README §Registry");
        }
    }

    /// <summary>Ends <paramref name="publisher"/>'s publish of <paramref name="channel"/>.</summary>
    public void StopPublishing(LiveChannel channel, object publisher)
    {
        ArgumentNullException.ThrowIfNull(channel);
        channel.StopPublishing(publisher);
        Release(channel);
    }

    /// <summary>
    /// Adds <paramref name="subscriber"/> to the channel of <paramref name="key"/>, created when missing: a
    /// player may come before the publisher (拉流 waits, bounded by <see cref="LiveServerOptions.PublisherWait"/>).
    /// </summary>
    public LiveChannel Subscribe(string key, Subscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (_lock)
        {
            throw new NotImplementedException("Lab 04 · M1: get or create the channel (new LiveChannel(key, _options)), AddSubscriber, return it — under the lock, so that the channel is not forgotten in between — README §Registry");
        }
    }

    /// <summary>Removes <paramref name="subscriber"/> from its channel (it left) and forgets the channel when nobody is left.</summary>
    public void Unsubscribe(Subscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        if (subscriber.Channel is { } channel)
        {
            channel.RemoveSubscriber(subscriber);
            Release(channel);
        }
    }

    /// <summary>Forgets <paramref name="channel"/> when nobody publishes, plays or waits (call after a subscriber left).</summary>
    public void Release(LiveChannel channel)
    {
        lock (_lock)
        {
            ForgetIfIdle(channel);
        }
    }

    private void ForgetIfIdle(LiveChannel channel)
    {
        if (channel.IsIdle && _channels.TryGetValue(channel.Key, out var known) && ReferenceEquals(known, channel))
        {
            _channels.Remove(channel.Key);
        }
    }

    /// <summary>Ends every subscriber of every channel cleanly (the server stops).</summary>
    public void EndAll()
    {
        foreach (var channel in Channels)
        {
            channel.EndAll();
        }
    }
}
