using System.Net;

namespace Lab04.LiveServer;

/// <summary>What the server does with a subscriber whose queue is full (README §Back-pressure).</summary>
public enum SlowSubscriberPolicy
{
    /// <summary>Drop tags (counted in <see cref="Subscriber.DroppedTags"/>) until the next keyframe, then go on.</summary>
    SkipToKeyframe,

    /// <summary>Close the subscriber's connection.</summary>
    Disconnect,
}

/// <summary>Choices for a <see cref="LiveServer"/>. Every default is one a learner can keep.</summary>
public sealed class LiveServerOptions
{
    /// <summary>
    /// The address both listeners bind to: 127.0.0.1 unless you choose otherwise (to watch from a phone
    /// on your network, <c>IPAddress.Any</c> — your explicit choice, README §Watch from a phone).
    /// </summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The RTMP port (1935 is RTMP's; 0 lets the system pick a free one).</summary>
    public int RtmpPort { get; init; }

    /// <summary>The HTTP port (8080 is usual; 0 lets the system pick a free one).</summary>
    public int HttpPort { get; init; }

    /// <summary>
    /// How long a player waits for a stream that is not live yet (拉流 before the publisher comes) before it
    /// gets a clear end: RTMP onStatus NetStream.Play.StreamNotFound, HTTP 404.
    /// </summary>
    public TimeSpan PublisherWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a player that is playing waits, after its publisher left, for a publisher to come back
    /// (an encoder that reconnects) before it gets the clean end of the stream (README §Clean ends).
    /// </summary>
    public TimeSpan ReconnectWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether a new subscriber starts from the GOP cache (M3); off, it waits for the next keyframe.</summary>
    public bool GopCache { get; init; } = true;

    /// <summary>The most tags the GOP cache holds; a longer GOP is not cached.</summary>
    public int GopCacheMaxTags { get; init; } = 1024;

    /// <summary>The most bytes of tag data the GOP cache holds; a bigger GOP is not cached.</summary>
    public long GopCacheMaxBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>The most bytes queued for one subscriber before it counts as slow.</summary>
    public long SubscriberQueueBytes { get; init; } = 4L * 1024 * 1024;

    /// <summary>The most tags queued for one subscriber before it counts as slow.</summary>
    public int SubscriberQueueTags { get; init; } = 4096;

    /// <summary>What happens to a slow subscriber.</summary>
    public SlowSubscriberPolicy SlowSubscriber { get; init; } = SlowSubscriberPolicy.SkipToKeyframe;

    /// <summary>
    /// True (the default): a subscriber's audio tags wait for the next video tag and go out with it in one write,
    /// so each subscriber writes about once per video frame instead of once per tag (the fast fan-out, README
    /// §Performance); false: every tag wakes the subscriber's writer at once (the simple way). Streams without
    /// video, headers and the stream's end are never held.
    /// </summary>
    public bool HoldAudioForVideo { get; init; } = true;

    /// <summary>The most connections (RTMP and HTTP together) served at once; more are closed at once.</summary>
    public int MaxConnections { get; init; } = 1024;

    /// <summary>
    /// The kernel send buffer of each connection (SO_SNDBUF), or null for the system's (which Linux grows up
    /// to several MB). Smaller makes a slow subscriber's lag show in its own bounded queue sooner (README §Back-pressure).
    /// </summary>
    public int? SendBufferSize { get; init; }

    /// <summary>How long a client may take for the RTMP handshake or an HTTP request head (a slowloris is closed).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an RTMP client may send nothing before publish or play, and a publisher at any time.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The chunk size the server sends RTMP with (announced after connect).</summary>
    public int ChunkSize { get; init; } = 4096;

    /// <summary>
    /// The secret of signed URLs (推流鉴权, README §Authentication), or null: nobody is asked to sign.
    /// With a secret, publishing needs <c>?sign=EXPIRY-HASH</c> (<see cref="AuthPublish"/>), and so does playing
    /// when <see cref="AuthPlay"/> is on.
    /// </summary>
    public string? AuthSecret { get; init; }

    /// <summary>With <see cref="AuthSecret"/>: publishers must sign (the default).</summary>
    public bool AuthPublish { get; init; } = true;

    /// <summary>With <see cref="AuthSecret"/>: players must sign too (off by default).</summary>
    public bool AuthPlay { get; init; }

    /// <summary>The clock signatures' expiry is checked against.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// The folder of the npm players package (tools/players, with node_modules after <c>npm ci</c>); the
    /// page at / loads mpegts.js from it. Null: the page says how to install it.
    /// </summary>
    public string? PlayersFolder { get; init; }

    /// <summary>
    /// The folder recordings go to (录制, README §Recording), or null: nothing is recorded. With a folder, every
    /// publish session of every stream is written to a new FLV file in <c>RecordFolder/app/name/</c>, listed at
    /// <c>/api/recordings</c> and served, with Range requests, at <c>/recordings/app/name/FILE.flv</c>.
    /// </summary>
    public string? RecordFolder { get; init; }
}
