using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lab02.RtmpChunks;
using Workbook.Benchmarks;
using static Workbook.Benchmarks.SideBySide;

namespace Lab02.Benchmarks;

/// <summary>
/// The reference <see cref="RtmpServer"/> beside a real server doing the same job, node-media-server v4
/// (npm), on the same input, machine and run (labs/02-rtmp-chunks/README.md §Performance):
/// <list type="number">
/// <item>builds a long FLV from testdata/clip-2s.flv with <c>ffmpeg -stream_loop</c> in a temp folder (never committed);</item>
/// <item>for each player count and run, for each server (the order alternates run by run): starts the server
/// as its own process on a free 127.0.0.1 port, starts N <c>ffmpeg -i rtmp://…/live/test -t D -c copy -f null -</c>
/// players and waits until the server has seen N play commands, then publishes the whole file as fast as
/// ffmpeg can (<c>-c copy -f flv</c>, no <c>-re</c>);</item>
/// <item>measures the wall time from the publisher's start to the last player's exit, and the server
/// process's CPU time over the same span (Process.TotalProcessorTime, i.e. /proc/PID/stat utime+stime);</item>
/// <item>kills every process it started, and prints the medians, the ratio ours/NMS and the machine's load.</item>
/// </list>
/// Installs nothing: without node-media-server it stops with the npm command to run.
/// </summary>
public static partial class VsNms
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The longest one run (one server, one player count) may take before everything is killed.</summary>
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(120);

    /// <summary>How long a server and its players get to start (listen; see N play commands).</summary>
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(20);

    /// <summary>The secret for NMS's config: with an empty one it writes a generated one into the file (RECIPES.md).</summary>
    private const string NmsSecret = "workbook-vs-nms-benchmark";

    /// <summary>The runtime setting that turns .NET's tiered compilation off (System.Runtime.TieredCompilation in a runtimeconfig).</summary>
    private const string TieredCompilationVariable = "DOTNET_TieredCompilation";

    /// <summary>How many times the warm-up input loops the 2 s clip.</summary>
    private const int WarmUpLoops = 40;

    /// <summary>What one server did in one run.</summary>
    private sealed record RunResult(string Server, int Players, double WallSeconds, double PublishSeconds, double CpuSeconds, double ReceivedShare, bool TimedOut, string Note);

    /// <summary>The side-by-side run; returns the exit code (2: a tool or node-media-server is missing).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var players = new[] { 1, 4, 16 };
        int runs = 5;
        int loops = 1000;
        // NMS queues without bound (node's socket.write); the reference server drops a player whose queue of
        // RtmpPlayer.DefaultQueueLength (4096) messages overflows, which every player does at full publish speed.
        // To compare the same job (every player gets everything) ours gets a queue longer than the whole file.
        int queue = 1 << 20;
        // --simple: ours sends each message to each player on its own (RtmpServerOptions.ShareChunks = false), as before the fast path.
        bool simple = false;
        // --cold: measure from a fresh server process, its JIT (and V8's) warm-up inside the span; by default both
        // servers first serve a short warm-up publish to one player (WarmUpLoops of the clip, another stream key).
        bool cold = false;
        // --tiered: ours with .NET's default tiered compilation; by default its process runs with DOTNET_TieredCompilation=0
        // (README §Performance: tiered compilation recompiled hot methods in the background during the measured span).
        bool tiered = false;
        string repo = FindRepo();
        string nmsDir = Path.Combine(repo, ".workbook", "nms");
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--simple" or "--cold" or "--tiered")
            {
                simple |= args[i] == "--simple";
                cold |= args[i] == "--cold";
                tiered |= args[i] == "--tiered";
                continue;
            }

            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--players": players = [.. value.Split(',').Select(p => int.Parse(p, Invariant))]; i++; break;
                case "--runs": runs = int.Parse(value, Invariant); i++; break;
                case "--loops": loops = int.Parse(value, Invariant); i++; break;
                case "--queue": queue = int.Parse(value, Invariant); i++; break;
                case "--nms": nmsDir = Path.GetFullPath(value); i++; break;
                default: throw new ArgumentException($"Unknown option {args[i]} (vs-nms [--players 1,4,16] [--runs 5] [--loops 1000] [--queue 1048576] [--simple] [--cold] [--tiered] [--nms DIR]).");
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

        string work = Directory.CreateTempSubdirectory("lab02-vs-nms-").FullName;
        try
        {
            string input = Path.Combine(work, "long.flv");
            var build = await RunToEndAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-stream_loop", (loops - 1).ToString(Invariant), "-i", Path.Combine(repo, "testdata", "clip-2s.flv"), "-c", "copy", input], TimeSpan.FromMinutes(2));
            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException($"ffmpeg could not build {input}: {build.Error}");
            }

            var (tags, lastTimestampMs) = CountFlvTags(input);
            string? warmUp = null;
            if (!cold)
            {
                warmUp = Path.Combine(work, "warm-up.flv");
                var warm = await RunToEndAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-stream_loop", (WarmUpLoops - 1).ToString(Invariant), "-i", Path.Combine(repo, "testdata", "clip-2s.flv"), "-c", "copy", warmUp], TimeSpan.FromMinutes(1));
                if (warm.ExitCode != 0)
                {
                    throw new InvalidOperationException($"ffmpeg could not build {warmUp}: {warm.Error}");
                }
            }

            long bytes = new FileInfo(input).Length;
            // Each player stops itself once it has written the whole timeline but its last 0.5 s (NMS never ends a player's stream).
            double playSeconds = Math.Max(1, (lastTimestampMs / 1000.0) - 0.5);
            Console.WriteLine($"input: testdata/clip-2s.flv looped {loops}× with ffmpeg -stream_loop -> {bytes / 1e6:0.0} MB, {tags} FLV tags, {lastTimestampMs / 1000.0:0.0} s of media");
            Console.WriteLine($"servers: the reference RtmpServer (solutions/02-rtmp-chunks, Release, its own process, player queue {queue} messages, {(tiered ? "tiered compilation" : "DOTNET_TieredCompilation=0")}, {(simple ? "--simple: each message cut and written per player" : "type-0 chunks the same for every player, keyframes cut once, batched writes")}) and node-media-server {nmsVersion} (node {(await RunToEndAsync("node", ["--version"], TimeSpan.FromSeconds(10))).Output.Trim()}), both on 127.0.0.1");
            Console.WriteLine(cold
                ? "cold: each run measures a fresh server process (its JIT or V8 warm-up inside the span)"
                : $"warm: before each measured publish, each server process first serves the clip looped {WarmUpLoops}× ({WarmUpLoops * 2} s of media) to one player on another stream key (--cold to skip)");
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores; uptime: {Uptime()}");

            var results = new List<RunResult>();
            foreach (int n in players)
            {
                for (int run = 0; run < runs; run++)
                {
                    var order = run % 2 == 0 ? new[] { "ours", "nms" } : ["nms", "ours"];
                    foreach (string server in order)
                    {
                        var result = await RunOneAsync(server, n, input, playSeconds, app, work, queue, simple, tiered, warmUp);
                        results.Add(result);
                        Console.WriteLine(string.Format(Invariant, "  {0} players, run {1}, {2,-4}: wall {3:0.000} s, publish {4:0.000} s, server CPU {5:0.000} s, players got {6:0.0} %{7}{8}",
                            n, run + 1, server, result.WallSeconds, result.PublishSeconds, result.CpuSeconds, result.ReceivedShare * 100, result.TimedOut ? ", TIMED OUT" : "", result.Note.Length > 0 ? $" ({result.Note})" : ""));
                    }
                }

                Console.WriteLine($"  uptime after {n} player(s): {Uptime()}");
            }

            Console.WriteLine();
            Console.WriteLine($"Medians of {runs} run(s); messages/s and MB/s count the published FLV once in and once per player out: (1 + players) × {tags} tags, (1 + players) × {bytes / 1e6:0.0} MB, over the wall time.");
            Console.WriteLine();
            Console.WriteLine("| players | server | wall s | publish s | messages/s | MB/s | server CPU s | players got |");
            Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|");
            foreach (int n in players)
            {
                var medians = new Dictionary<string, (double Wall, double Cpu)>();
                foreach (string server in new[] { "ours", "nms" })
                {
                    var mine = results.Where(r => r.Players == n && r.Server == server).ToList();
                    double wall = Median(mine.Select(r => r.WallSeconds));
                    double cpu = Median(mine.Select(r => r.CpuSeconds));
                    medians[server] = (wall, cpu);
                    string label = server == "ours" ? "RtmpServer (ours)" : $"node-media-server {nmsVersion}";
                    string timedOut = mine.Any(r => r.TimedOut) ? $" ({mine.Count(r => r.TimedOut)} timed out)" : "";
                    Console.WriteLine(string.Format(Invariant, "| {0} | {1} | {2:0.000} | {3:0.000} | {4:#,0} | {5:0.0} | {6:0.000} | {7:0.0}–{8:0.0} %{9} |",
                        n, label, wall, Median(mine.Select(r => r.PublishSeconds)), tags * (1.0 + n) / wall, bytes * (1.0 + n) / 1e6 / wall, cpu,
                        mine.Min(r => r.ReceivedShare) * 100, mine.Max(r => r.ReceivedShare) * 100, timedOut));
                }

                Console.WriteLine(string.Format(Invariant, "| {0} | **ours/NMS** | **{1:0.00}×** | | **{2:0.00}×** | | **{3:0.00}×** | |",
                    n, medians["ours"].Wall / medians["nms"].Wall, medians["nms"].Wall / medians["ours"].Wall, medians["ours"].Cpu / medians["nms"].Cpu));
            }

            Console.WriteLine();
            Console.WriteLine($"uptime at the end: {Uptime()}");
            return 0;
        }
        finally
        {
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

    /// <summary>One server, N players, one publish of <paramref name="input"/>.</summary>
    private static async Task<RunResult> RunOneAsync(string server, int players, string input, double playSeconds, string nmsApp, string work, int queue, bool simple, bool tiered, string? warmUp)
    {
        int rtmpPort = FreePort();
        var started = new List<Child>();
        try
        {
            Child host;
            Regex playSeen;
            if (server == "ours")
            {
                var (file, prefix) = SelfCommand(typeof(VsNms).Assembly);
                // Tiered compilation off in the server's process only (the child inherits this process's environment):
                // each method is compiled once, optimised, when the warm-up first calls it, instead of being compiled
                // again in the background (tier 0, instrumented, tier 1, OSR) while the measured publish runs.
                string? before = Environment.GetEnvironmentVariable(TieredCompilationVariable);
                Environment.SetEnvironmentVariable(TieredCompilationVariable, tiered ? before : "0");
                try
                {
                    host = Child.Start(file, [.. prefix, "serve-ours", rtmpPort.ToString(Invariant), queue.ToString(Invariant), simple ? "simple" : "shared"], work);
                }
                finally
                {
                    Environment.SetEnvironmentVariable(TieredCompilationVariable, before);
                }

                playSeen = OursPlayLine();
            }
            else
            {
                string folder = Path.Combine(work, $"nms-{rtmpPort}");
                Directory.CreateDirectory(folder);
                var config = new
                {
                    bind = "127.0.0.1",
                    rtmp = new { port = rtmpPort },
                    http = new { port = FreePort() },
                    auth = new { play = false, publish = false, secret = NmsSecret },
                    webadmin = new { enable = false },
                    store = new { path = "./data" },
                    record = new { auto = false, path = "./record" },
                };
                string configPath = Path.Combine(folder, "config.json");
                await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config));
                host = Child.Start("node", [nmsApp, "-c", configPath], folder);
                playSeen = NmsPlayLine();
            }

            started.Add(host);
            using var startLimit = new CancellationTokenSource(StartLimit);
            await WaitForPortAsync(rtmpPort, host, startLimit.Token);

            if (warmUp is not null)
            {
                await WarmUpAsync(rtmpPort, warmUp, work, started);
            }

            string url = $"rtmp://127.0.0.1:{rtmpPort}/live/test";
            var playing = new List<Child>();
            for (int i = 0; i < players; i++)
            {
                var player = Child.Start("ffmpeg", ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-i", url, "-t", playSeconds.ToString("0.###", Invariant), "-c", "copy", "-f", "null", "-"], work);
                started.Add(player);
                playing.Add(player);
            }

            while (host.Lines.Count(l => playSeen.IsMatch(l)) < players)
            {
                if (startLimit.IsCancellationRequested || host.Process.HasExited)
                {
                    throw new InvalidOperationException($"{server}: {players} player(s) did not start playing within {StartLimit.TotalSeconds} s. Server said:\n{host.Tail()}");
                }

                await Task.Delay(20);
            }

            var cpuBefore = Cpu(host.Process);
            var clock = Stopwatch.StartNew();
            var publisher = Child.Start("ffmpeg", ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-i", input, "-c", "copy", "-f", "flv", url], work);
            started.Add(publisher);
            double publishSeconds = double.NaN;
            var publishing = publisher.Process.WaitForExitAsync().ContinueWith(_ => publishSeconds = clock.Elapsed.TotalSeconds, TaskScheduler.Default);
            var all = Task.WhenAll(playing.Select(p => p.Process.WaitForExitAsync()).Append(publishing));
            bool timedOut = await Task.WhenAny(all, Task.Delay(RunLimit)) != all;
            double wall = clock.Elapsed.TotalSeconds;
            var cpuAfter = Cpu(host.Process);
            if (!timedOut && publisher.Process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{server}: the publisher failed ({publisher.Process.ExitCode}):\n{publisher.Tail()}");
            }

            await Task.Delay(100); // the last stderr lines
            long published = MediaKilobytes(publisher);
            double share = playing.Count == 0 || published <= 0 ? 0 : playing.Min(p => Math.Max(0, MediaKilobytes(p))) / (double)published;
            // Only a dropped player is worth a note: the port probe's empty connection and the resets of players that stop at -t are expected.
            string note = host.Lines.Any(l => l.Contains("too slowly", StringComparison.Ordinal)) ? "a player was dropped as too slow" : "";
            return new RunResult(server, players, wall, publishSeconds, (cpuAfter - cpuBefore).TotalSeconds, share, timedOut, note);
        }
        finally
        {
            foreach (var child in started)
            {
                child.Kill();
            }
        }
    }

    /// <summary>
    /// Publishes <paramref name="warmUp"/> to one player on "live/warm" and waits for both, so the server's
    /// code is compiled (JIT, V8) before the measured run; bounded by <see cref="StartLimit"/> × 3.
    /// </summary>
    private static async Task WarmUpAsync(int port, string warmUp, string work, List<Child> started)
    {
        string url = $"rtmp://127.0.0.1:{port}/live/warm";
        var player = Child.Start("ffmpeg", ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-i", url, "-t", ((WarmUpLoops * 2) - 1).ToString(Invariant), "-c", "copy", "-f", "null", "-"], work);
        started.Add(player);
        await Task.Delay(500); // the player connects and asks to play before the publish starts
        var publisher = Child.Start("ffmpeg", ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-i", warmUp, "-c", "copy", "-f", "flv", url], work);
        started.Add(publisher);
        var both = Task.WhenAll(player.Process.WaitForExitAsync(), publisher.Process.WaitForExitAsync());
        if (await Task.WhenAny(both, Task.Delay(StartLimit * 3)) != both)
        {
            throw new InvalidOperationException($"The warm-up publish did not end within {(StartLimit * 3).TotalSeconds} s. Player said:\n{player.Tail()}");
        }
    }

    /// <summary>The <c>serve-ours PORT QUEUE shared|simple</c> child: the reference server until it is killed (at most 15 minutes).</summary>
    public static async Task<int> ServeOursAsync(int port, int queue, bool shareChunks)
    {
        await using var server = new RtmpServer(new() { Port = port, PlayerQueueLength = queue, ShareChunks = shareChunks });
        server.PlayStarted = (_, key) => Console.WriteLine($"play {key}");
        server.PublishStarted = (_, key) => Console.WriteLine($"publish {key}");
        server.ConnectionEnded = ended =>
        {
            if (ended.Error is not null)
            {
                Console.WriteLine($"ended with {ended.Error.GetType().Name}: {ended.Error.Message}");
            }

            // What the process has spent so far (the profile behind README §Performance): GCs, allocation, thread-pool work items.
            Console.WriteLine(string.Format(Invariant, "stats: gc {0}/{1}/{2}, gc pause {3:0.000} s, allocated {4:0.0} MB, work items {5}, threads {6}",
                GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalSeconds,
                GC.GetTotalAllocatedBytes() / 1e6, ThreadPool.CompletedWorkItemCount, ThreadPool.ThreadCount));
        };
        server.Start();
        Console.WriteLine($"listening on 127.0.0.1:{server.Port}");
        await Task.Delay(TimeSpan.FromMinutes(15));
        return 0;
    }

    [GeneratedRegex(@"^play live/test")]
    private static partial Regex OursPlayLine();

    [GeneratedRegex(@"start play /live/test")]
    private static partial Regex NmsPlayLine();

    [GeneratedRegex(@"video:(\d+)(?:kB|KiB) audio:(\d+)(?:kB|KiB)")]
    private static partial Regex MediaSizes();

    /// <summary>Audio + video kB from ffmpeg's closing summary line (-1 when it printed none, e.g. when killed).</summary>
    private static long MediaKilobytes(Child ffmpeg)
    {
        var match = ffmpeg.Lines.Select(l => MediaSizes().Match(l)).LastOrDefault(m => m.Success);
        return match is null ? -1 : long.Parse(match.Groups[1].Value, Invariant) + long.Parse(match.Groups[2].Value, Invariant);
    }

    /// <summary>Counts the tags of an FLV file (E.4.1: 9-byte header, then PreviousTagSize + 11-byte tag header + data) and returns the last timestamp.</summary>
    private static (int Tags, long LastTimestampMs) CountFlvTags(string path)
    {
        using var file = File.OpenRead(path);
        var header = new byte[11];
        file.ReadExactly(header.AsSpan(0, 9));
        long position = (header[5] << 24) | (header[6] << 16) | (header[7] << 8) | header[8];
        int tags = 0;
        long last = 0;
        while (position + 4 + 11 <= file.Length)
        {
            file.Position = position + 4;
            file.ReadExactly(header);
            int size = (header[1] << 16) | (header[2] << 8) | header[3];
            last = Math.Max(last, (header[7] << 24) | (header[4] << 16) | (header[5] << 8) | header[6]);
            tags++;
            position += 4 + 11 + size;
        }

        return (tags, last);
    }

    private static TimeSpan Cpu(Process process)
    {
        try
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return TimeSpan.Zero; // it exited
        }
    }

    private static async Task WaitForPortAsync(int port, Child host, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (host.Process.HasExited || cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"The server did not listen on 127.0.0.1:{port}. It said:\n{host.Tail()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                // the loop reports it
            }
        }
    }
}
