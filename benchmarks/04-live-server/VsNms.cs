using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Lab04.LiveServer;
using Server = Lab04.LiveServer.LiveServer;
using Workbook.Benchmarks;
using static Workbook.Benchmarks.SideBySide;

namespace Lab04.Benchmarks;

/// <summary>
/// The reference <see cref="Server"/> beside node-media-server v4 (npm) doing the same job on the same
/// machine in the same run (labs/04-live-server/README.md §Performance). For each subscriber count, run and
/// server (the order alternates run by run):
/// <list type="number">
/// <item>starts the server as its own process on free 127.0.0.1 ports (ours: this program's <c>serve</c>
/// sub-command; NMS: <c>node app.js -c config.json</c>);</item>
/// <item>publishes testdata/clip-2s.flv with <c>ffmpeg -re -stream_loop -1 -c copy</c>, waits until one probe
/// reader gets a tag, and reads the server's idle VmRSS;</item>
/// <item>connects N HTTP-FLV readers (<see cref="Reader"/>, inside this process: they count bytes and FLV tags,
/// they decode nothing), waits until every one has a tag, lets them run 2 s;</item>
/// <item>measures a late joiner <c>--late</c> times (connect to first tag, to first video frame);</item>
/// <item>measures a window of <c>--seconds</c>: the server's CPU (utime+stime, /proc/PID/stat) and the bytes
/// and tags the N readers got, VmRSS at its end; then stops the publisher and lets the readers drain;</item>
/// <item>kills every process it started (also on failure and Ctrl+C) and prints medians, spread and ours/NMS.</item>
/// </list>
/// Installs nothing: without node-media-server it stops with the npm command to run.
/// </summary>
public static class VsNms
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The longest one run (one server, one subscriber count) may take before everything is killed.</summary>
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(180);

    /// <summary>How long a server gets to listen, the stream to go live, and N readers to get their first tag.</summary>
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    /// <summary>The secret for NMS's config: with an empty one it writes a generated one into the file (RECIPES.md).</summary>
    private const string NmsSecret = "workbook-lab04-vs-nms";

    /// <summary>A reader that got fewer tags in the window than the best one, by more than this share, counts as short.</summary>
    private const double ShortShare = 0.02;

    /// <summary>Every process this program started and has not yet killed: killed on exit, Ctrl+C included.</summary>
    private static readonly List<Child> Children = [];

    private sealed record RunResult(
        string Server, int Subscribers, double CpuSeconds, long WindowBytes, double IdleRssMb, double LoadedRssMb,
        double FirstTagMs, double FirstFrameMs, int ShortReaders, long TagsShort, long BytesShort, string Load);

    /// <summary>The side-by-side run; returns the exit code (2: a tool or node-media-server is missing).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        int[] counts = [10, 100, 500];
        int runs = 3;
        double seconds = 10;
        int late = 5;
        string repo = FindRepo();
        string nmsDir = Path.Combine(repo, ".workbook", "nms");
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--subscribers": counts = [.. value.Split(',').Select(p => int.Parse(p, Invariant))]; i++; break;
                case "--runs": runs = int.Parse(value, Invariant); i++; break;
                case "--seconds": seconds = double.Parse(value, Invariant); i++; break;
                case "--late": late = int.Parse(value, Invariant); i++; break;
                case "--nms": nmsDir = Path.GetFullPath(value); i++; break;
                default: throw new ArgumentException($"Unknown option {args[i]} (vs-nms [--subscribers 10,100,500] [--runs 3] [--seconds 10] [--late 5] [--nms DIR]).");
            }
        }

        string app = Path.Combine(nmsDir, "node_modules", "node-media-server", "bin", "app.js");
        string package = Path.Combine(nmsDir, "node_modules", "node-media-server", "package.json");
        if (!File.Exists(app) || !File.Exists(package))
        {
            await Console.Error.WriteLineAsync(
                $"node-media-server v4 is not installed in {nmsDir}. This benchmark downloads nothing; install it once with:\n" +
                $"  npm install node-media-server@4 --prefix {nmsDir}\n(or pass --nms DIR for another folder given to --prefix)");
            return 2;
        }

        string nmsVersion = JsonDocument.Parse(await File.ReadAllTextAsync(package)).RootElement.GetProperty("version").GetString() ?? "?";
        if (!nmsVersion.StartsWith("4.", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"{nmsDir} holds node-media-server {nmsVersion}, not v4: npm install node-media-server@4 --prefix {nmsDir}");
            return 2;
        }

        foreach (var (tool, install) in new[] { ("ffmpeg", "apt-get install -y ffmpeg"), ("node", "apt-get install -y nodejs (node 20)") })
        {
            if (!OnPath(tool))
            {
                await Console.Error.WriteLineAsync($"{tool} is not on PATH: {install}");
                return 2;
            }
        }

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // let the finally blocks kill the children
            Console.Error.WriteLine("Ctrl+C: stopping, killing every process started");
            stop.Cancel();
        };
        EventHandler onExit = (_, _) => KillAll();
        Console.CancelKeyPress += onCancel;
        AppDomain.CurrentDomain.ProcessExit += onExit;
        string work = Directory.CreateTempSubdirectory("lab04-vs-nms-").FullName;
        try
        {
            string clip = Path.Combine(repo, "testdata", "clip-2s.flv");
            int ticks = int.Parse((await RunToEndAsync("getconf", ["CLK_TCK"], TimeSpan.FromSeconds(5))).Output.Trim(), Invariant);
            Console.WriteLine($"publisher: ffmpeg -re -stream_loop -1 -i testdata/clip-2s.flv -c copy -f flv rtmp://127.0.0.1:PORT/live/test ({new FileInfo(clip).Length * 8 / 2.08 / 1000:0} kbit/s)");
            Console.WriteLine($"readers: N HTTP-FLV GETs of /live/test.flv in this process (HttpClient, streamed, FLV tags counted, nothing decoded); window {seconds:0.#} s after 2 s of warm-up; {late} late joiner(s) per run");
            Console.WriteLine($"servers: the reference LiveServer (solutions/04-live-server, Release, its own process, default LiveServerOptions: GOP cache on, subscriber queue 4 MiB / 4096 tags, skip to keyframe) and node-media-server {nmsVersion} (node {(await RunToEndAsync("node", ["--version"], TimeSpan.FromSeconds(10))).Output.Trim()}), both on 127.0.0.1");
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores; uptime: {Uptime()}");

            var results = new List<RunResult>();
            foreach (int n in counts)
            {
                for (int run = 0; run < runs; run++)
                {
                    var order = run % 2 == 0 ? new[] { "ours", "nms" } : ["nms", "ours"];
                    foreach (string server in order)
                    {
                        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                        limit.CancelAfter(RunLimit);
                        var r = await RunOneAsync(server, n, clip, seconds, late, app, work, ticks, limit.Token);
                        results.Add(r);
                        Console.WriteLine(string.Format(Invariant,
                            "  {0} subscribers, run {1}, {2,-4}: CPU {3:0.00} s for {4:0.000} GB = {5:0.0} s/GB; RSS idle {6:0.0} MB, loaded {7:0.0} MB = {8:0.0} KB/subscriber; late joiner first tag {9:0.0} ms, first video frame {10:0.0} ms; short readers {11} ({12} tags, {13} bytes); load {14}",
                            n, run + 1, server, r.CpuSeconds, r.WindowBytes / 1e9, CpuPerGb(r), r.IdleRssMb, r.LoadedRssMb, RssPerSubscriberKb(r),
                            r.FirstTagMs, r.FirstFrameMs, r.ShortReaders, r.TagsShort, r.BytesShort, r.Load));
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine($"Medians of {runs} run(s), [min–max] when more than one; window {seconds:0.#} s. CPU s/GB: server utime+stime over the window per GB the N readers got in it (FLV bytes after de-chunking).");
            Console.WriteLine("RSS/sub: (VmRSS at the window's end − VmRSS with the stream live and no reader) / N. First tag / first video frame: a late joiner's connect to its first complete FLV tag header / first coded video frame (median of the joiners).");
            Console.WriteLine($"Short: readers that got more than {ShortShare:0%} fewer tags in the window than the best reader (tags short: Σ best − mine over all readers).");
            Console.WriteLine();
            Console.WriteLine("| N | server | CPU s/GB | delivered MB/s | RSS/sub KB | first tag ms | first video frame ms | short readers (tags short) |");
            Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|");
            foreach (int n in counts)
            {
                var med = new Dictionary<string, (double Cpu, double Rss, double Tag, double Frame)>();
                foreach (string server in new[] { "ours", "nms" })
                {
                    var mine = results.Where(r => r.Subscribers == n && r.Server == server).ToList();
                    if (mine.Count == 0)
                    {
                        continue;
                    }

                    med[server] = (Median(mine.Select(CpuPerGb)), Median(mine.Select(RssPerSubscriberKb)), Median(mine.Select(r => r.FirstTagMs)), Median(mine.Select(r => r.FirstFrameMs)));
                    string label = server == "ours" ? "LiveServer (ours)" : $"node-media-server {nmsVersion}";
                    Console.WriteLine(string.Format(Invariant, "| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7} ({8}) |",
                        n, label, Spread(mine.Select(CpuPerGb), "0.0"), Spread(mine.Select(r => r.WindowBytes / 1e6 / seconds), "0.0"),
                        Spread(mine.Select(RssPerSubscriberKb), "0.0"), Spread(mine.Select(r => r.FirstTagMs), "0.0"), Spread(mine.Select(r => r.FirstFrameMs), "0.0"),
                        Spread(mine.Select(r => (double)r.ShortReaders), "0"), Spread(mine.Select(r => (double)r.TagsShort), "0")));
                }

                if (med.Count == 2)
                {
                    Console.WriteLine(string.Format(Invariant, "| {0} | **ours/NMS** | **{1:0.00}×** | | **{2:0.00}×** | **{3:0.00}×** | **{4:0.00}×** | |",
                        n, med["ours"].Cpu / med["nms"].Cpu, med["ours"].Rss / med["nms"].Rss, med["ours"].Tag / med["nms"].Tag, med["ours"].Frame / med["nms"].Frame));
                }
            }

            Console.WriteLine();
            Console.WriteLine($"uptime at the end: {Uptime()}");
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 130;
        }
        finally
        {
            KillAll();
            Console.CancelKeyPress -= onCancel;
            AppDomain.CurrentDomain.ProcessExit -= onExit;
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // a killed process may still hold a file for a moment: the temp folder stays
            }
        }
    }

    private static double CpuPerGb(RunResult r) => r.CpuSeconds / (r.WindowBytes / 1e9);

    private static double RssPerSubscriberKb(RunResult r) => (r.LoadedRssMb - r.IdleRssMb) * 1024 / r.Subscribers;

    /// <summary>One server, N readers.</summary>
    private static async Task<RunResult> RunOneAsync(string server, int n, string clip, double seconds, int late, string nmsApp, string work, int ticks, CancellationToken token)
    {
        int rtmpPort = FreePort(), httpPort = FreePort();
        var started = new List<Child>();
        using var readersStop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var readers = new List<Reader>();
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.None,
        }) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            Child host;
            if (server == "ours")
            {
                var (file, prefix) = SelfCommand(typeof(VsNms).Assembly);
                host = Start(file, [.. prefix, "serve", rtmpPort.ToString(Invariant), httpPort.ToString(Invariant)], work, started);
            }
            else
            {
                string folder = Path.Combine(work, $"nms-{rtmpPort}");
                Directory.CreateDirectory(folder);
                var config = new
                {
                    bind = "127.0.0.1",
                    rtmp = new { port = rtmpPort },
                    http = new { port = httpPort },
                    auth = new { play = false, publish = false, secret = NmsSecret },
                    webadmin = new { enable = false },
                    store = new { path = "./data" },
                    record = new { auto = false, path = "./record" },
                };
                string configPath = Path.Combine(folder, "config.json");
                await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config), token);
                host = Start("node", [nmsApp, "-c", configPath], folder, started);
            }

            using var startLimit = CancellationTokenSource.CreateLinkedTokenSource(token);
            startLimit.CancelAfter(StartLimit);
            await WaitForPortAsync(rtmpPort, host, startLimit.Token);
            await WaitForPortAsync(httpPort, host, startLimit.Token);

            // The publisher: bounded by -t (output seconds) as well as by the kill in finally.
            var publisher = Start("ffmpeg", ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", clip, "-t", ((int)RunLimit.TotalSeconds).ToString(Invariant), "-c", "copy", "-f", "flv", $"rtmp://127.0.0.1:{rtmpPort}/live/test"], work, started);
            var url = new Uri($"http://127.0.0.1:{httpPort}/live/test.flv");

            // Live when a probe reader gets a tag (NMS answers 200 with no body before the publisher is there).
            while (true)
            {
                startLimit.Token.ThrowIfCancellationRequested();
                if (publisher.Process.HasExited)
                {
                    throw new InvalidOperationException($"{server}: the publisher exited ({publisher.Process.ExitCode}):\n{publisher.Tail()}\nServer said:\n{host.Tail()}");
                }

                var (firstTag, _) = await Reader.FirstTagAsync(http, url, TimeSpan.FromSeconds(2), startLimit.Token);
                if (firstTag is not null)
                {
                    break;
                }

                await Task.Delay(200, startLimit.Token);
            }

            await Task.Delay(1000, token); // the GOP cache fills, the probe's connection is gone
            double idleRss = RssMb(host.Process.Id);

            for (int i = 0; i < n; i++)
            {
                var reader = new Reader();
                readers.Add(reader);
                reader.Run = reader.RunAsync(http, url, readersStop.Token);
                if (i % 50 == 49)
                {
                    await Task.Delay(50, token); // the listen backlogs are 511/512: connect in batches
                }
            }

            while (readers.Any(r => r.Tags == 0))
            {
                if (startLimit.IsCancellationRequested || host.Process.HasExited)
                {
                    var failed = readers.FirstOrDefault(r => r.Run!.IsFaulted);
                    throw new InvalidOperationException($"{server}: {readers.Count(r => r.Tags == 0)} of {n} readers had no tag within {StartLimit.TotalSeconds} s{(failed is null ? "" : $" ({failed.Run!.Exception!.InnerException!.Message})")}. Server said:\n{host.Tail()}");
                }

                await Task.Delay(20, token);
            }

            await Task.Delay(2000, token); // warm-up: JIT, V8, buffers

            // Late joiners, each at another place in the GOP (the clip has a keyframe every 2 s).
            var firstTags = new List<double>();
            var firstFrames = new List<double>();
            for (int i = 0; i < late; i++)
            {
                var (tag, frame) = await Reader.FirstTagAsync(http, url, TimeSpan.FromSeconds(10), token);
                firstTags.Add(tag?.TotalMilliseconds ?? double.NaN);
                firstFrames.Add(frame?.TotalMilliseconds ?? double.NaN);
                await Task.Delay(317, token);
            }

            // The measured window.
            var before = readers.Select(r => (r.Tags, r.Bytes)).ToArray();
            double cpuBefore = CpuSeconds(host.Process.Id, ticks);
            await Task.Delay(TimeSpan.FromSeconds(seconds), token);
            double cpuAfter = CpuSeconds(host.Process.Id, ticks);
            var after = readers.Select(r => (r.Tags, r.Bytes)).ToArray();
            double loadedRss = RssMb(host.Process.Id);
            string load = Load();
            if (host.Process.HasExited)
            {
                throw new InvalidOperationException($"{server}: the server exited during the window:\n{host.Tail()}");
            }

            var tags = after.Zip(before, (a, b) => a.Tags - b.Tags).ToArray();
            var bytes = after.Zip(before, (a, b) => a.Bytes - b.Bytes).ToArray();
            long best = tags.Max(), bestBytes = bytes.Max();
            int shortReaders = tags.Count(t => t < best * (1 - ShortShare));
            long tagsShort = tags.Sum(t => best - t), bytesShort = bytes.Sum(b => bestBytes - b);
            return new RunResult(server, n, cpuAfter - cpuBefore, bytes.Sum(), idleRss, loadedRss,
                Median(firstTags), Median(firstFrames), shortReaders, tagsShort, bytesShort, load);
        }
        finally
        {
            await readersStop.CancelAsync();
            foreach (var child in started)
            {
                child.Kill();
            }

            try
            {
                await Task.WhenAll(readers.Where(r => r.Run is not null).Select(r => r.Run!)).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException or TimeoutException)
            {
                // the readers end with their connections
            }
        }
    }

    /// <summary>The <c>serve RTMP HTTP</c> child: the reference server with its default options until it is killed (at most 15 minutes).</summary>
    public static async Task<int> ServeAsync(int rtmpPort, int httpPort)
    {
        await using var server = new Server(new() { RtmpPort = rtmpPort, HttpPort = httpPort });
        server.Log = line => Console.WriteLine(line);
        server.Start();
        Console.WriteLine($"listening on 127.0.0.1: RTMP {server.RtmpPort}, HTTP {server.HttpPort}");
        await Task.Delay(TimeSpan.FromMinutes(15));
        return 0;
    }

    /// <summary>
    /// An HTTP-FLV reader: GETs the stream, and counts the FLV body's bytes and tags (E.4.1: a 9-byte header and
    /// PreviousTagSize0, then per tag an 11-byte header, the data, a 4-byte PreviousTagSize). Decodes nothing.
    /// </summary>
    private sealed class Reader
    {
        private long _tags;
        private long _bytes;

        public long Tags => Interlocked.Read(ref _tags);

        public long Bytes => Interlocked.Read(ref _bytes);

        public Task? Run { get; set; }

        /// <summary>Set once: when the first tag header and the first coded video frame (AVCPacketType 1) came in.</summary>
        public TimeSpan? FirstTag { get; private set; }

        public TimeSpan? FirstFrame { get; private set; }

        /// <summary>Reads until cancelled or the stream ends; <paramref name="stopAtFirstFrame"/>: until the first video frame.</summary>
        public async Task RunAsync(HttpClient http, Uri url, CancellationToken token, bool stopAtFirstFrame = false)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, token);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(token);
            var buffer = new byte[16 * 1024];
            var head = new byte[13]; // the FLV header + PreviousTagSize0, or a tag header + 2 bytes of video data
            int have = 0;          // bytes of head gathered
            int need = 13;         // bytes of head wanted (13: file header; 11 or 13: a tag header [+ video's first two bytes])
            long skip = 0;         // bytes to pass over (the rest of a tag's data + PreviousTagSize)
            bool inFileHeader = true;
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, token);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException && token.IsCancellationRequested)
                {
                    return;
                }

                if (read == 0)
                {
                    return;
                }

                Interlocked.Add(ref _bytes, read);
                int at = 0;
                while (at < read)
                {
                    if (skip > 0)
                    {
                        int pass = (int)Math.Min(skip, read - at);
                        skip -= pass;
                        at += pass;
                        continue;
                    }

                    int take = Math.Min(need - have, read - at);
                    buffer.AsSpan(at, take).CopyTo(head.AsSpan(have));
                    have += take;
                    at += take;
                    if (have < need)
                    {
                        continue;
                    }

                    if (inFileHeader)
                    {
                        inFileHeader = false;
                        have = 0;
                        need = 11;
                        continue;
                    }

                    int type = head[0] & 0x1f;
                    int size = (head[1] << 16) | (head[2] << 8) | head[3];
                    if (need == 11)
                    {
                        Interlocked.Increment(ref _tags);
                        FirstTag ??= clock.Elapsed;
                        if (type == 9 && FirstFrame is null && size >= 2)
                        {
                            need = 13; // look at FrameType/CodecID and AVCPacketType
                            continue;
                        }
                    }
                    else if ((head[12] == 1 && (head[11] & 0x0f) == 7) || (head[11] & 0x0f) != 7)
                    {
                        FirstFrame = clock.Elapsed; // a coded frame (AVC NALUs, or any non-AVC video)
                        if (stopAtFirstFrame)
                        {
                            return;
                        }
                    }

                    skip = size - (need - 11) + 4;
                    have = 0;
                    need = 11;
                }
            }
        }

        /// <summary>A late joiner: connect to first tag and to first video frame, or nulls when none within <paramref name="limit"/>.</summary>
        public static async Task<(TimeSpan? Tag, TimeSpan? Frame)> FirstTagAsync(HttpClient http, Uri url, TimeSpan limit, CancellationToken token)
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(token);
            bounded.CancelAfter(limit);
            var reader = new Reader();
            try
            {
                await reader.RunAsync(http, url, bounded.Token, stopAtFirstFrame: true);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException && !token.IsCancellationRequested)
            {
                // no first frame in time, or the server refused: what was seen is returned
            }

            return (reader.FirstTag, reader.FirstFrame);
        }
    }

    /// <summary>utime + stime of a process, in seconds (/proc/PID/stat fields 14 and 15, after the command's closing parenthesis).</summary>
    private static double CpuSeconds(int pid, int ticksPerSecond)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15
        return (long.Parse(fields[11], Invariant) + long.Parse(fields[12], Invariant)) / (double)ticksPerSecond;
    }

    /// <summary>VmRSS of a process in MB (/proc/PID/status, in kB).</summary>
    private static double RssMb(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), Invariant) / 1024.0;
    }

    private static string Spread(IEnumerable<double> values, string format)
    {
        var all = values.ToArray();
        string median = Median(all).ToString(format, Invariant);
        return all.Length < 2 ? median : $"{median} [{all.Min().ToString(format, Invariant)}–{all.Max().ToString(format, Invariant)}]";
    }

    private static async Task WaitForPortAsync(int port, Child host, CancellationToken token)
    {
        while (true)
        {
            if (host.Process.HasExited)
            {
                throw new InvalidOperationException($"The server exited before listening on 127.0.0.1:{port}. It said:\n{host.Tail()}");
            }

            token.ThrowIfCancellationRequested();
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, token);
            }
        }
    }

    /// <summary>The 1-minute load average (/proc/loadavg).</summary>
    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static Child Start(string file, string[] args, string directory, List<Child> started)
    {
        var child = Child.Start(file, args, directory);
        started.Add(child);
        lock (Children)
        {
            Children.Add(child);
        }

        return child;
    }

    private static void KillAll()
    {
        Child[] all;
        lock (Children)
        {
            all = [.. Children];
        }

        foreach (var child in all)
        {
            child.Kill();
        }
    }
}
