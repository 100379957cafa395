using Lab04.LiveServer;

namespace Lab05.Hls;

/// <summary>
/// Lab 04's live server with HLS out: RTMP in (推流), HTTP-FLV as before, and for every stream that goes live an
/// <see cref="HlsPackager"/> that writes <c>FOLDER/APP/STREAM/index.m3u8</c> and its segments, served by an
/// <see cref="HlsHttpServer"/> at <c>http://HOST:HLSPORT/APP/STREAM/index.m3u8</c>. A watcher looks at the stream
/// registry every 100 ms and starts a packager for each live stream that has none; a stream published again after it
/// ended continues its playlist after a discontinuity. With a part target (low-latency HLS) each stream gets a
/// <see cref="LowLatencyPackager"/> instead, and the HTTP server answers blocking playlist reloads. Given code.
/// </summary>
public sealed class HlsLiveServer : IAsyncDisposable
{
    private readonly Dictionary<string, HlsStreamState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _lock = new();
    private HlsHttpServer? _http;
    private Task? _watching;

    /// <summary>Creates the server; <see cref="Start"/> binds it.</summary>
    /// <param name="live">Lab 04's options (ports 0 = free ports).</param>
    /// <param name="folder">Where the HLS output goes.</param>
    /// <param name="hlsPort">The HLS HTTP port (0 = a free port).</param>
    /// <param name="hlsTime">Target segment duration, seconds.</param>
    /// <param name="windowSize">Segments in the live playlist.</param>
    /// <param name="partTarget">Low-latency HLS: the part target in seconds (0 = plain HLS, no parts).</param>
    public HlsLiveServer(LiveServerOptions? live, string folder, int hlsPort = 0, double hlsTime = 2, int windowSize = 5, double partTarget = 0)
    {
        Live = new LiveServer(live);
        Folder = Path.GetFullPath(folder);
        HlsPort = hlsPort;
        HlsTime = hlsTime;
        MaxDuration = 2 * hlsTime;
        TargetDuration = (int)Math.Ceiling(MaxDuration + 0.5); // a forced cut may run one frame past the maximum
        WindowSize = windowSize;
        PartTarget = partTarget;
    }

    /// <summary>The part target of low-latency HLS, seconds (0: plain HLS).</summary>
    public double PartTarget { get; }

    /// <summary>The Lab 04 server inside.</summary>
    public LiveServer Live { get; }

    /// <summary>The output folder.</summary>
    public string Folder { get; }

    /// <summary>The HLS HTTP port (known after <see cref="Start"/>).</summary>
    public int HlsPort { get; private set; }

    /// <summary>Target segment duration, seconds.</summary>
    public double HlsTime { get; }

    /// <summary>Forced cuts after this many seconds without a keyframe.</summary>
    public double MaxDuration { get; }

    /// <summary>#EXT-X-TARGETDURATION of every live playlist.</summary>
    public int TargetDuration { get; }

    /// <summary>Segments in each live playlist.</summary>
    public int WindowSize { get; }

    /// <summary>Packagers started so far (one per publish).</summary>
    public int PackagersStarted { get; private set; }

    /// <summary>Starts the live server, the HLS HTTP server and the watcher.</summary>
    public void Start()
    {
        Directory.CreateDirectory(Folder);
        Live.Start();
        if (HlsPort == 0)
        {
            var probe = new System.Net.Sockets.TcpListener(Live.Options.Address, 0);
            probe.Start();
            HlsPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        _http = new HlsHttpServer(Folder, Live.Options.Address, HlsPort, StateOf);
        _http.Start();
        _watching = Task.Run(WatchAsync);
    }

    /// <summary>The playlist URL of a stream key ("live/test").</summary>
    public string PlaylistUrl(string key) => $"http://{Live.Options.Address}:{HlsPort}/{key}/{HlsWriter.PlaylistName}";

    private async Task WatchAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var channel in Live.Streams.Channels)
            {
                lock (_lock)
                {
                    if (!channel.IsLive || _running.ContainsKey(channel.Key))
                    {
                        continue;
                    }

                    if (!_states.TryGetValue(channel.Key, out var state))
                    {
                        state = new HlsStreamState(WindowSize, TargetDuration, PartTarget);
                        _states.Add(channel.Key, state);
                    }

                    string folder = Path.Combine(Folder, channel.Key);
                    Subscriber packager = PartTarget > 0
                        ? new LowLatencyPackager(Live.Options, folder, state, HlsTime, MaxDuration)
                        : new HlsPackager(Live.Options, folder, state, HlsTime, MaxDuration);
                    Live.Streams.Subscribe(channel.Key, packager);
                    PackagersStarted++;
                    _running[channel.Key] = RunAsync(channel.Key, packager);
                }
            }

            try
            {
                await Task.Delay(100, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The HLS state of a stream key ("live/test"), or null before it was first published.</summary>
    public HlsStreamState? StateOf(string key)
    {
        lock (_lock)
        {
            return _states.GetValueOrDefault(key);
        }
    }

    private async Task RunAsync(string key, Subscriber packager)
    {
        try
        {
            await packager.RunAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HlsFormatException or Lab03.Flv.FlvFormatException)
        {
            Live.Log?.Invoke($"hls {key}: {e.Message}");
        }
        finally
        {
            Live.Streams.Unsubscribe(packager);
            lock (_lock)
            {
                _running.Remove(key);
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_watching is not null)
        {
            await _watching.ConfigureAwait(false);
        }

        await Live.DisposeAsync().ConfigureAwait(false);
        Task[] running;
        lock (_lock)
        {
            running = [.. _running.Values];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        if (_http is not null)
        {
            await _http.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
