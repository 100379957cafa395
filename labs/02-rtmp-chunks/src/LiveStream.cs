namespace Lab02.RtmpChunks;

/// <summary>
/// One live stream ("live/test") on an <see cref="RtmpServer"/>: the publisher's media goes in, every
/// player gets a copy. A player that joins late first gets what a decoder needs before any frame
/// (README §Replay): the metadata, the AVC and AAC sequence headers, then the media from the last
/// keyframe on (the GOP cache, 关键帧缓存), then live media as it arrives.
/// </summary>
/// <remarks>
/// Everything happens under one lock and nothing in it waits: a message is put in each player's
/// bounded queue (<see cref="RtmpPlayer"/>) and the player's own task sends it. A slow player never
/// slows the publisher; a player whose queue overflows is dropped.
/// </remarks>
public sealed class LiveStream
{
    /// <summary>The most messages the GOP cache holds; a longer GOP is not cached (players then start at the next keyframe).</summary>
    public const int MaxCachedMessages = 2048;

    /// <summary>The most bytes the GOP cache holds.</summary>
    public const long MaxCachedBytes = 32L * 1024 * 1024;

    private readonly object _lock = new();
    private readonly List<RtmpPlayer> _players = [];
    private readonly List<RtmpMessage> _gop = [];
    private long _gopBytes;

    /// <summary>A stream named <paramref name="key"/> ("app/name", e.g. "live/test").</summary>
    public LiveStream(string key)
    {
        Key = key ?? throw new ArgumentNullException(nameof(key));
    }

    /// <summary>"app/name", e.g. "live/test".</summary>
    public string Key { get; }

    /// <summary>The publishing session, or null while nobody publishes.</summary>
    public RtmpSession? Publisher { get; private set; }

    /// <summary>The last onMetaData data message (type 18, "@setDataFrame" removed), or null.</summary>
    public RtmpMessage? Metadata { get; private set; }

    /// <summary>The last AVC sequence header (a video message whose AVCPacketType is 0), or null.</summary>
    public RtmpMessage? VideoSequenceHeader { get; private set; }

    /// <summary>The last AAC sequence header (an audio message whose AACPacketType is 0), or null.</summary>
    public RtmpMessage? AudioSequenceHeader { get; private set; }

    /// <summary>How many players watch.</summary>
    public int PlayerCount
    {
        get
        {
            lock (_lock)
            {
                return _players.Count;
            }
        }
    }

    /// <summary>Makes <paramref name="publisher"/> the stream's publisher; false when another session already publishes it.</summary>
    public bool TryStartPublishing(RtmpSession publisher)
    {
        lock (_lock)
        {
            if (Publisher is not null && Publisher != publisher)
            {
                return false;
            }

            Publisher = publisher;
            Metadata = VideoSequenceHeader = AudioSequenceHeader = null; // a new publish may bring other codecs
            ClearGop();
            return true;
        }
    }

    /// <summary>Ends the publish of <paramref name="publisher"/>: every player is told (Stream EOF, NetStream.Play.UnpublishNotify).</summary>
    public void StopPublishing(RtmpSession publisher)
    {
        lock (_lock)
        {
            if (Publisher != publisher)
            {
                return;
            }

            Publisher = null;
            ClearGop();
            foreach (var player in _players)
            {
                player.EnqueueEndOfStream();
            }
        }
    }

    /// <summary>
    /// Takes one audio (8), video (9) or data (18) message from the publisher: remembers it when a
    /// late player will need it, and queues it for every player.
    /// </summary>
    public void Publish(RtmpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_lock)
        {
            throw new NotImplementedException("Lab 02 · M5: remember onMetaData and the two sequence headers (README §Replay: FlvTag.IsSequenceHeader), keep the GOP from the last keyframe (bounded by MaxCachedMessages/MaxCachedBytes), then Enqueue the message to every player — README §Replay");
        }
    }

    /// <summary>
    /// Adds a player. Before any live message it gets, in this order: the metadata, the video and audio
    /// sequence headers, and the cached GOP — what a decoder needs to start (README §Replay).
    /// </summary>
    public void AddPlayer(RtmpPlayer player)
    {
        ArgumentNullException.ThrowIfNull(player);
        lock (_lock)
        {
            throw new NotImplementedException("Lab 02 · M5: Enqueue Metadata, VideoSequenceHeader, AudioSequenceHeader (those that exist) and the GOP cache to the new player, then add it to the players — all under the lock, so no live message slips in between — README §Replay");
        }
    }

    /// <summary>Removes a player (it left, or it was too slow).</summary>
    public void RemovePlayer(RtmpPlayer player)
    {
        lock (_lock)
        {
            _players.Remove(player);
        }
    }

    private void ClearGop()
    {
        _gop.Clear();
        _gopBytes = 0;
    }
}
