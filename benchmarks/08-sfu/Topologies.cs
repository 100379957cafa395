using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Lab08.Sfu;
using Workbook.Benchmarks;

namespace Lab08.Benchmarks;

/// <summary>
/// Mesh vs SFU vs MCU, measured (the roadmap's 对比 Mesh vs SFU): N participants, each a real ffmpeg encoding the committed
/// clip (testdata/clip-2s.flv, 320×180 at 25 fps, scaled to 640×360 unless told otherwise) to H.264 RTP with the same settings, in real time (<c>-re</c>).
/// <list type="bullet">
/// <item><b>Mesh</b>: every participant sends its video straight to each of the N − 1 others — one ffmpeg with N − 1
/// outputs, each with its own libx264 encoder (as a browser has one encoder per peer connection).</item>
/// <item><b>SFU</b>: every participant sends once to a producer of the reference <see cref="Router"/>, running in a
/// child process of its own (so its CPU time is its alone), which forwards it to N − 1 consumers.</item>
/// <item><b>MCU</b>: every participant sends once to a mixer — one ffmpeg that decodes the N streams and, for each
/// participant, stacks the other N − 1 into one picture (xstack) and encodes it: N encodes of one composite each.</item>
/// </list>
/// The receivers are UDP sockets of this program that count the RTP bytes (RTCP left out) of each path; upstream into
/// the SFU and the MCU is counted by a relay of this program in front of them. CPU times: ffmpeg's own
/// (<c>-benchmark</c>: utime + stime) for the participants and the mixer, the child process's for the router, each
/// divided by the seconds of media sent, so a machine too slow for real time still gives the cost per media second.
/// The participants' receive side (decoding what arrives) is not measured: every participant decodes N − 1 streams in
/// the mesh and behind the SFU, one behind the MCU.
/// </summary>
internal static class Topologies
{
    private const string Encoder = "-c:v libx264 -preset veryfast -bf 0 -g 30 -pix_fmt yuv420p";
    private static int width = 640, height = 360;
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(string[] args)
    {
        var counts = Value(args, "--participants", "2,4,6").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int loops = int.Parse(Value(args, "--loops", "1"), CultureInfo.InvariantCulture);
        string? csv = Value(args, "--csv", "");
        var size = Value(args, "--size", "640x360").Split('x');
        width = int.Parse(size[0], CultureInfo.InvariantCulture);
        height = int.Parse(size[1], CultureInfo.InvariantCulture);
        string repo = SideBySide.FindRepo();
        string clip = Path.Combine(repo, "testdata", "clip-2s.flv");
        if (!SideBySide.OnPath("ffmpeg") || !SideBySide.OnPath("ffprobe"))
        {
            Console.Error.WriteLine("ffmpeg and ffprobe are needed (apt-get install -y ffmpeg).");
            return 2;
        }

        var probe = await SideBySide.RunToEndAsync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", clip], TimeSpan.FromSeconds(30));
        double mediaSeconds = double.Parse(probe.Output.Trim(), CultureInfo.InvariantCulture) * (loops + 1);
        Console.WriteLine($"Mesh vs SFU vs MCU: participants {string.Join(", ", counts)}; each sends {mediaSeconds:0.00} s of testdata/clip-2s.flv (25 fps) scaled to {width}×{height} as H.264 RTP ({Encoder}); load: {SideBySide.Uptime()}");
        Console.WriteLine();
        Console.WriteLine("| N | topology | upstream kbit/s per participant | downstream kbit/s per participant | participant CPU s per media s | server CPU s per media s | server out kbit/s | composites span (MCU) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        var rows = new List<Row>();
        foreach (int n in counts)
        {
            foreach (var topology in new[] { Topology.Mesh, Topology.Sfu, Topology.Mcu })
            {
                var row = await MeasureAsync(topology, n, clip, loops, mediaSeconds);
                rows.Add(row);
                Console.WriteLine($"| {n} | {row.Topology} | {row.UpKbps:0} | {row.DownKbps:0} | {row.ParticipantCpu:0.000} | {topology switch { Topology.Mesh => "—", Topology.Sfu => row.ServerCpu.ToString("0.000", CultureInfo.InvariantCulture), _ => $"{row.ServerCpu:0.000}–{row.ServerCpu * mediaSeconds / row.CompositeSeconds:0.000}" }} | {(topology == Topology.Mesh ? "—" : row.ServerOutKbps.ToString("0", CultureInfo.InvariantCulture))} | {(topology == Topology.Mcu ? $"{row.CompositeSeconds:0.00} of {mediaSeconds:0.00} s" : "—")} |");
            }
        }

        Console.WriteLine();
        Console.WriteLine("Ratios to the SFU at the same N (upstream, downstream, participant CPU, server CPU):");
        foreach (var group in rows.GroupBy(r => r.N))
        {
            var sfu = group.Single(r => r.Topology == "SFU");
            foreach (var r in group.Where(r => r.Topology != "SFU"))
            {
                Console.WriteLine($"  N = {r.N}, {r.Topology} ÷ SFU: upstream {r.UpKbps / sfu.UpKbps:0.00}×, downstream {r.DownKbps / sfu.DownKbps:0.00}×, participant CPU {r.ParticipantCpu / sfu.ParticipantCpu:0.00}×" +
                    (r.Topology == "MCU" ? $", server CPU {r.ServerCpu / sfu.ServerCpu:0.0}–{r.ServerCpu * r.MediaSeconds / r.CompositeSeconds / sfu.ServerCpu:0.0}× (per second of media sent – per second of composite made)" : ""));
            }
        }

        if (!string.IsNullOrEmpty(csv))
        {
            var text = new StringBuilder("n,topology,up_kbps,down_kbps,participant_cpu_per_media_s,server_cpu_per_media_s,server_out_kbps,composite_s,media_s\n");
            foreach (var r in rows)
            {
                text.Append(CultureInfo.InvariantCulture, $"{r.N},{r.Topology},{r.UpKbps:0.0},{r.DownKbps:0.0},{r.ParticipantCpu:0.0000},{r.ServerCpu:0.0000},{r.ServerOutKbps:0.0},{r.CompositeSeconds:0.00},{mediaSeconds:0.00}\n");
            }

            await File.WriteAllTextAsync(csv, text.ToString());
            Console.WriteLine($"written {csv}");
        }

        return 0;
    }

    private static async Task<Row> MeasureAsync(Topology topology, int n, string clip, int loops, double mediaSeconds)
    {
        // paths[i, j]: the RTP bytes participant j received that came from i (Mesh, SFU); for the MCU, paths[j, j] is
        // what the mixer sent j. up[i]: what participant i sent into the SFU or the MCU (counted by a relay).
        var sinks = new Counter[n, n];
        var relays = new Counter[n];
        var participants = new List<Child>();
        Child? server = null;
        using var stop = new CancellationTokenSource();
        var loopsRunning = new List<Task>();
        try
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (i != j || topology == Topology.Mcu && i == j)
                    {
                        sinks[i, j] = new Counter(Bind(0));
                        loopsRunning.Add(sinks[i, j].SinkAsync(stop.Token));
                    }
                }
            }

            string Send(int port) => $"-f rtp -rtpflags send_bye rtp://127.0.0.1:{port}?rtcpport={port}";
            string input = $"-v info -hide_banner -nostats -nostdin -benchmark -re -stream_loop {loops} -i {clip} -an";
            double serverCpu = 0;
            switch (topology)
            {
                case Topology.Mesh:
                    for (int i = 0; i < n; i++)
                    {
                        var outputs = Enumerable.Range(0, n).Where(j => j != i).Select(j => $"-map 0:v {Scaled} {Send(sinks[i, j].Port)}");
                        participants.Add(Ffmpeg($"{input} {string.Join(' ', outputs)}"));
                    }

                    break;

                case Topology.Sfu:
                {
                    var (file, prefix) = SideBySide.SelfCommand(typeof(Topologies).Assembly);
                    var sinkPorts = new List<string>();
                    for (int i = 0; i < n; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            if (i != j)
                            {
                                sinkPorts.Add(sinks[i, j].Port.ToString(CultureInfo.InvariantCulture));
                            }
                        }
                    }

                    server = Child.Start(file, [.. prefix, "--sfu-serve", n.ToString(CultureInfo.InvariantCulture), string.Join(',', sinkPorts)], Directory.GetCurrentDirectory());
                    string? ready = await UntilAsync(() => server.Out.FirstOrDefault(l => l.StartsWith("producers ", StringComparison.Ordinal)), TimeSpan.FromSeconds(60))
                        ?? throw new InvalidOperationException($"The SFU process did not start: {server.Tail()}");
                    var producerPorts = ready["producers ".Length..].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                    for (int i = 0; i < n; i++)
                    {
                        relays[i] = new Counter(Bind(0));
                        var to = new IPEndPoint(IPAddress.Loopback, producerPorts[i]);
                        loopsRunning.Add(relays[i].RelayAsync(to, to, stop.Token));
                        participants.Add(Ffmpeg($"{input} -map 0:v {Scaled} {Send(relays[i].Port)}"));
                    }

                    break;
                }

                case Topology.Mcu:
                {
                    string dir = Directory.CreateTempSubdirectory("lab08-mcu-").FullName;
                    var mixerPorts = Enumerable.Range(0, n).Select(_ => FreeEvenPortPair()).ToArray();
                    var inputs = new StringBuilder();
                    for (int i = 0; i < n; i++)
                    {
                        string sdp = Path.Combine(dir, $"in-{i}.sdp");
                        await File.WriteAllTextAsync(sdp, SdpWriter.Write(new IPEndPoint(IPAddress.Loopback, mixerPorts[i]), 96, "H264", 90000, "packetization-mode=1"));
                        inputs.Append(CultureInfo.InvariantCulture, $" -protocol_whitelist file,udp,rtp -i {sdp}");
                    }

                    var outputs = Enumerable.Range(0, n).Select(j => $"-map [o{j}] {Encoder} {Send(sinks[j, j].Port)}");
                    server = Ffmpeg($"-v info -hide_banner -nostats -nostdin -benchmark -probesize 32 -analyzeduration 0{inputs} -filter_complex {Composite(n)} {string.Join(' ', outputs)}");
                    for (int i = 0; i < n; i++)
                    {
                        // The mixer opens its inputs one after the other (each waits for a keyframe to learn the
                        // picture size), so participant i starts once input i listens.
                        int port = mixerPorts[i];
                        if (await UntilAsync(() => !IsFree(port) || server.Process.HasExited ? "" : null, TimeSpan.FromSeconds(60)) is null || server.Process.HasExited)
                        {
                            throw new InvalidOperationException($"The mixer did not open input {i}: {server.Tail()}");
                        }

                        relays[i] = new Counter(Bind(0));
                        loopsRunning.Add(relays[i].RelayAsync(new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.Loopback, port + 1), stop.Token));
                        participants.Add(Ffmpeg($"{input} -map 0:v {Scaled} {Send(relays[i].Port)}"));
                    }

                    break;
                }
            }

            var participantCpu = new List<double>();
            foreach (var p in participants)
            {
                await p.Process.WaitForExitAsync().WaitAsync(RunLimit);
                participantCpu.Add(BenchCpu(p));
            }

            if (topology == Topology.Sfu)
            {
                await Task.Delay(1000); // the router's BYEs go out 300 ms after the senders'
                await server!.Process.StandardInput.WriteLineAsync("stop");
                string? line = await UntilAsync(() => server.Out.FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal)), TimeSpan.FromSeconds(30))
                    ?? throw new InvalidOperationException($"The SFU process did not report: {server.Tail()}");
                serverCpu = double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
            }
            else if (topology == Topology.Mcu)
            {
                await server!.Process.WaitForExitAsync().WaitAsync(RunLimit);
                serverCpu = BenchCpu(server);
                if (Environment.GetEnvironmentVariable("LAB08_MIXER_LOG") is { Length: > 0 } log)
                {
                    await File.WriteAllLinesAsync(log, server.Lines);
                }
            }

            await Task.Delay(200);
            double Kbps(long bytes) => bytes * 8 / mediaSeconds / 1000;
            double up = topology == Topology.Mesh
                ? Enumerable.Range(0, n).Average(i => Enumerable.Range(0, n).Where(j => j != i).Sum(j => sinks[i, j].Bytes))
                : relays.Average(r => r.Bytes);
            // The mixer's composites begin once it has every input, so they span less media than was sent: its
            // downstream is per second of composite (its own RTP timestamps).
            double down = topology == Topology.Mcu
                ? Enumerable.Range(0, n).Average(j => sinks[j, j].Bytes / sinks[j, j].MediaSeconds) * mediaSeconds
                : Enumerable.Range(0, n).Average(j => Enumerable.Range(0, n).Where(i => i != j).Sum(i => sinks[i, j].Bytes));

            return new Row(n, topology switch { Topology.Mesh => "Mesh", Topology.Sfu => "SFU", _ => "MCU" },
                Kbps((long)up), Kbps((long)down), participantCpu.Average() / mediaSeconds, serverCpu / mediaSeconds, Kbps((long)(down * n)), topology == Topology.Mcu ? Enumerable.Range(0, n).Average(j => sinks[j, j].MediaSeconds) : mediaSeconds, mediaSeconds);
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var p in participants)
            {
                p.Kill();
            }

            server?.Kill();
            await Task.WhenAll(loopsRunning.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            foreach (var c in sinks)
            {
                c?.Dispose();
            }

            foreach (var c in relays)
            {
                c?.Dispose();
            }
        }
    }

    /// <summary>The mixer's filter graph: each input split N − 1 ways; output j stacks every input but j in a grid, scaled to the participants' size.</summary>
    internal static string Composite(int n)
    {
        var graph = new List<string>();
        var next = new int[n];
        for (int i = 0; i < n; i++)
        {
            graph.Add($"[{i}:v]setpts=PTS-STARTPTS,split={n - 1}" + string.Concat(Enumerable.Range(0, n - 1).Select(k => $"[s{i}_{k}]")));
        }

        for (int j = 0; j < n; j++)
        {
            var tiles = Enumerable.Range(0, n).Where(i => i != j).Select(i => $"[s{i}_{next[i]++}]").ToList();
            if (tiles.Count == 1)
            {
                graph.Add($"{tiles[0]}null[o{j}]");
                continue;
            }

            int columns = (int)Math.Ceiling(Math.Sqrt(tiles.Count));
            string layout = string.Join('|', Enumerable.Range(0, tiles.Count).Select(k => $"{k % columns * width}_{k / columns * height}"));
            graph.Add($"{string.Concat(tiles)}xstack=inputs={tiles.Count}:layout={layout}:fill=black,scale={width}:{height}[o{j}]");
        }

        return string.Join(';', graph);
    }

    /// <summary>The SFU process: N producers of the reference router, each forwarded to the N − 1 others' sinks; "stop" on stdin ends it.</summary>
    public static async Task<int> ServeSfuAsync(string[] args)
    {
        int at = Array.IndexOf(args, "--sfu-serve");
        int n = int.Parse(args[at + 1], CultureInfo.InvariantCulture);
        var sinkPorts = args[at + 2].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        await using var router = new Router();
        var producers = Enumerable.Range(0, n).Select(_ => router.CreateProducer()).ToList();
        var consumers = new List<Consumer>();
        int next = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (i != j)
                {
                    var sink = new IPEndPoint(IPAddress.Loopback, sinkPorts[next++]);
                    consumers.Add(router.CreateConsumer(producers[i], new ConsumerOptions(sink) { RemoteRtcp = sink }));
                }
            }
        }

        await WarmUpAsync(router);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Console.WriteLine("producers " + string.Join(',', producers.Select(p => p.LocalEndPoint.Port)));
        await Console.In.ReadLineAsync();
        double seconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine($"cpu {seconds.ToString("0.0000", CultureInfo.InvariantCulture)} in {producers.Sum(p => p.Stats.BytesReceived)} out {consumers.Sum(c => c.Stats.BytesSent)}");
        return 0;
    }

    /// <summary>Forwards 500 packets through a producer and a consumer of their own first, so the measured CPU time has no JIT compilation in it.</summary>
    private static async Task WarmUpAsync(Router router)
    {
        using var sink = Bind(0);
        var producer = router.CreateProducer();
        var consumer = router.CreateConsumer(producer, new ConsumerOptions((IPEndPoint)sink.LocalEndPoint!) { RemoteRtcp = (IPEndPoint)sink.LocalEndPoint! });
        using var sender = Bind(0);
        var packet = new byte[1012];
        packet[0] = 0x80;
        packet[1] = 96;
        packet[12] = 0x41; // a non-IDR slice, RFC 6184 §5.6
        for (int i = 0; i < 500; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)i);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(i * 3600));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x5157A2);
            sender.SendTo(packet, producer.LocalEndPoint);
            if (i % 50 == 49)
            {
                await Task.Delay(5);
            }
        }

        await UntilAsync(() => consumer.Stats.PacketsSent >= 450 ? "" : null, TimeSpan.FromSeconds(10));
    }

    private static string Scaled => $"-vf scale={width}:{height} {Encoder}";

    private static Child Ffmpeg(string arguments) =>
        Child.Start("ffmpeg", arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), Directory.GetCurrentDirectory());

    /// <summary>ffmpeg's <c>-benchmark</c> line: "bench: utime=1.234s stime=0.056s rtime=…" → user + system seconds.</summary>
    private static double BenchCpu(Child ffmpeg)
    {
        Thread.Sleep(100); // the last stderr lines
        var line = ffmpeg.Lines.LastOrDefault(l => l.StartsWith("bench: utime=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"ffmpeg printed no -benchmark line (exit {ffmpeg.Process.ExitCode}): {ffmpeg.Tail()}");
        var m = Regex.Match(line, @"utime=([0-9.]+)s stime=([0-9.]+)s");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
    }

    private static async Task<string?> UntilAsync(Func<string?> found, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (found() is { } value)
            {
                return value;
            }

            await Task.Delay(20);
        }

        return null;
    }

    private static Socket Bind(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 21 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    private static bool IsFree(int port)
    {
        try
        {
            Bind(port).Dispose();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>An even UDP port P with P + 1 free as well (ffmpeg's RTP input takes both).</summary>
    private static int FreeEvenPortPair()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            using var probe = Bind(0);
            int port = ((IPEndPoint)probe.LocalEndPoint!).Port & ~1;
            probe.Dispose();
            if (port > 1024 && port < 65534 && IsFree(port) && IsFree(port + 1))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free UDP port pair on 127.0.0.1.");
    }

    private static string Value(string[] args, string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    private enum Topology
    {
        Mesh,
        Sfu,
        Mcu,
    }

    private sealed record Row(int N, string Topology, double UpKbps, double DownKbps, double ParticipantCpu, double ServerCpu, double ServerOutKbps, double CompositeSeconds, double MediaSeconds);

    /// <summary>A UDP socket of this program that counts the RTP bytes it receives (RTCP, RFC 5761 §4: second byte 192–223, left out).</summary>
    private sealed class Counter(Socket socket) : IDisposable
    {
        private long _bytes;
        private long _first = -1, _last = -1;

        public int Port => ((IPEndPoint)socket.LocalEndPoint!).Port;

        public long Bytes => Interlocked.Read(ref _bytes);

        /// <summary>The media time the RTP received spans: last timestamp − first, at 90 kHz (RFC 6184 §5.1), plus one frame at 25 fps.</summary>
        public double MediaSeconds => _first < 0 ? 0 : ((uint)(Interlocked.Read(ref _last) - Interlocked.Read(ref _first)) / 90000.0) + 0.04;

        /// <summary>Receives and counts (a receiver).</summary>
        public Task SinkAsync(CancellationToken stop) => LoopAsync(null, null, stop);

        /// <summary>Counts and passes each datagram from the sender on: RTP to <paramref name="rtp"/>, RTCP to <paramref name="rtcp"/>; what comes back from there is dropped.</summary>
        public Task RelayAsync(IPEndPoint rtp, IPEndPoint rtcp, CancellationToken stop) => LoopAsync(rtp, rtcp, stop);

        private async Task LoopAsync(IPEndPoint? rtp, IPEndPoint? rtcp, CancellationToken stop)
        {
            var buffer = new byte[65536];
            EndPoint any = new IPEndPoint(IPAddress.Any, 0);
            try
            {
                while (true)
                {
                    SocketReceiveFromResult received;
                    try
                    {
                        received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stop);
                    }
                    catch (SocketException)
                    {
                        continue; // an ICMP error reported on this socket: go on
                    }

                    var from = (IPEndPoint)received.RemoteEndPoint;
                    if (rtp is not null && (from.Port == rtp.Port || from.Port == rtcp!.Port))
                    {
                        continue;
                    }

                    bool isRtcp = received.ReceivedBytes >= 2 && buffer[1] is >= 192 and <= 223;
                    if (!isRtcp && received.ReceivedBytes >= 12)
                    {
                        Interlocked.Add(ref _bytes, received.ReceivedBytes);
                        long timestamp = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4));
                        if (_first < 0)
                        {
                            Interlocked.Exchange(ref _first, timestamp);
                        }

                        Interlocked.Exchange(ref _last, timestamp);
                    }

                    if (rtp is not null)
                    {
                        try
                        {
                            await socket.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, isRtcp ? rtcp! : rtp, stop);
                        }
                        catch (SocketException)
                        {
                            // the far side is gone: the run is ending
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose() => socket.Dispose();
    }
}
