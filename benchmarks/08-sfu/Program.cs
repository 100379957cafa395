using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Lab08.Sfu;
using Workbook.Benchmarks;

// dotnet run -c Release --project benchmarks/08-sfu -- [--consumers 100] [--rate 500] [--seconds 6] [--runs 3] [--only router|bare] [--rtcp-loops]
//
// One producer, N consumers on 127.0.0.1, fed ffmpeg's captured RTP (testdata/08-sfu/clip.rtpcap) at a steady packet
// rate; beside it, in the same run, a bare UDP relay that receives each packet and sends it to the same N destinations
// unchanged (the machine's socket-path limit). Both modes alternate; the medians are printed, and the ratio
// router ÷ bare of CPU time per forwarded packet (with each pair's ratio, so the spread shows), user and system time
// apart. --only runs one mode alone (to profile it, e.g. under perf). --rtcp-loops gives the router's consumers a receive
// loop each (RouterOptions.PollConsumerSockets false, the simple version) instead of the one polling thread. The receivers' sockets are never read: the kernel drops what
// overflows them, the same for both modes.
// dotnet run -c Release --project benchmarks/08-sfu -- --topologies [--participants 2,4,6] [--loops 1] [--csv file]
// Mesh vs SFU vs MCU with real ffmpeg participants: Topologies.cs.
if (args.Contains("--sfu-serve"))
{
    return await Lab08.Benchmarks.Topologies.ServeSfuAsync(args);
}

if (args.Contains("--topologies"))
{
    return await Lab08.Benchmarks.Topologies.RunAsync(args);
}

int consumers = Arg("--consumers", 100), rate = Arg("--rate", 500), seconds = Arg("--seconds", 6), runs = Arg("--runs", 3);
string repo = SideBySide.FindRepo();
var capture = ReadCapture(Path.Combine(repo, "testdata", "08-sfu", "clip.rtpcap"));
Console.WriteLine($"Lab 08 forwarding ({(args.Contains("--rtcp-loops") ? "a receive loop per consumer" : "consumers' sockets polled by one thread")}): 1 producer → {consumers} consumers, {rate} packets/s for {seconds} s ({capture.Average(p => p.Length):0} bytes a packet on average, {rate * capture.Average(p => p.Length) * 8 / 1e6:0.0} Mbit/s in), {runs} runs each; load: {SideBySide.Uptime()}");

var routerRuns = new List<Result>();
var bareRuns = new List<Result>();
string? only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
await RunOnce(Mode.Router); // warm-up: JIT, sockets
for (int run = 0; run < runs; run++)
{
    if (only is null or "router")
    {
        routerRuns.Add(await RunOnce(Mode.Router));
    }

    if (only is null or "bare")
    {
        bareRuns.Add(await RunOnce(Mode.Bare));
    }

    if (only is null)
    {
        var (r, b) = (routerRuns[^1], bareRuns[^1]);
        Console.WriteLine($"run {run + 1}: router {r.CpuMicrosecondsPerForward:0.00} µs ({r.UserMicrosecondsPerForward:0.00} user), bare {b.CpuMicrosecondsPerForward:0.00} µs ({b.UserMicrosecondsPerForward:0.00} user), ratio {r.CpuMicrosecondsPerForward / b.CpuMicrosecondsPerForward:0.00}×");
    }
}

if (only is not null)
{
    var list = only == "router" ? routerRuns : bareRuns;
    Console.WriteLine($"{only}: {SideBySide.Median(list.Select(r => r.CpuMicrosecondsPerForward)):0.00} µs CPU per forwarded packet ({SideBySide.Median(list.Select(r => r.UserMicrosecondsPerForward)):0.00} user)");
    return 0;
}

foreach (var (name, list) in new[] { ("router", routerRuns), ("bare relay", bareRuns) })
{
    Console.WriteLine($"{name,-10}: {SideBySide.Median(list.Select(r => r.Forwarded / r.Seconds)),10:0} forwarded/s, {SideBySide.Median(list.Select(r => r.CpuMicrosecondsPerForward)),6:0.00} µs CPU per forwarded packet ({SideBySide.Median(list.Select(r => r.UserMicrosecondsPerForward)):0.00} user, {SideBySide.Median(list.Select(r => r.CpuMicrosecondsPerForward - r.UserMicrosecondsPerForward)):0.00} system), {SideBySide.Median(list.Select(r => r.BytesAllocatedPerForward)),6:0.00} bytes allocated per forwarded packet ({SideBySide.Median(list.Select(r => r.BytesAllocatedPerReceived)),5:0} per received), {SideBySide.Median(list.Select(r => r.Forwarded / (double)r.Expected)) * 100:0.0} % of the expected forwards");
}

double ratio = SideBySide.Median(routerRuns.Select(r => r.CpuMicrosecondsPerForward)) / SideBySide.Median(bareRuns.Select(r => r.CpuMicrosecondsPerForward));
var pairs = routerRuns.Zip(bareRuns, (r, b) => r.CpuMicrosecondsPerForward / b.CpuMicrosecondsPerForward).Order().ToList();
Console.WriteLine($"ratio router ÷ bare relay, CPU per forwarded packet: {ratio:0.00}× (goal: within 1.5×); run by run {pairs[0]:0.00}–{pairs[^1]:0.00}×, median {SideBySide.Median(pairs):0.00}×; load: {SideBySide.Uptime()}");
return 0;

async Task<Result> RunOnce(Mode mode)
{
    var sinks = Enumerable.Range(0, consumers).Select(_ => Bind()).ToList();
    var destinations = sinks.Select(s => (IPEndPoint)s.LocalEndPoint!).ToList();
    var addresses = destinations.Select(d => d.Serialize()).ToList(); // as the router does: no allocation per sendto
    Router? router = null;
    IPEndPoint input;
    Func<long> forwarded;
    using var stop = new CancellationTokenSource();
    Task? bare = null;
    Socket? bareIn = null;
    var bareOut = new List<Socket>();
    long bareCount = 0;
    if (mode == Mode.Router)
    {
        router = new Router(new RouterOptions { PollConsumerSockets = !args.Contains("--rtcp-loops") });
        var producer = router.CreateProducer();
        var list = destinations.Select(d => router.CreateConsumer(producer, new ConsumerOptions(d))).ToList();
        input = producer.LocalEndPoint;
        forwarded = () =>
        {
            long sum = 0; // a loop, not LINQ's Sum: the benchmark's own polling must not allocate either
            for (int i = 0; i < list.Count; i++)
            {
                sum += list[i].Stats.PacketsSent;
            }

            return sum;
        };
    }
    else
    {
        bareIn = Bind();
        bareOut.AddRange(destinations.Select(_ => Bind()));
        input = (IPEndPoint)bareIn.LocalEndPoint!;
        forwarded = () => Interlocked.Read(ref bareCount);
        bare = Task.Run(async () =>
        {
            var buffer = new byte[65536];
            var from = new SocketAddress(AddressFamily.InterNetwork); // as the router does: no allocation per receive
            try
            {
                while (true)
                {
                    int received = await bareIn.ReceiveFromAsync(buffer, SocketFlags.None, from, stop.Token);
                    var packet = buffer.AsSpan(0, received);
                    for (int i = 0; i < bareOut.Count; i++)
                    {
                        bareOut[i].SendTo(packet, SocketFlags.None, addresses[i]);
                    }

                    Interlocked.Add(ref bareCount, bareOut.Count);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    using var sender = Bind();
    var inputAddress = input.Serialize();
    var scratch = new byte[65536];
    int total = rate * seconds;
    var clock = Stopwatch.StartNew();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var user = Process.GetCurrentProcess().UserProcessorTime;
    long allocated = GC.GetTotalAllocatedBytes(precise: true);
    for (int i = 0; i < total; i++)
    {
        var packet = scratch.AsSpan(0, capture[i % capture.Count].Length); // the sender allocates nothing either
        capture[i % capture.Count].CopyTo(packet);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)i);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], (uint)(i / 2 * 3600));
        sender.SendTo(packet, SocketFlags.None, inputAddress);
        double due = (i + 1) / (double)rate;
        while (clock.Elapsed.TotalSeconds < due)
        {
            Thread.Sleep(1);
        }
    }

    long expected = (long)total * consumers;
    var settle = Stopwatch.StartNew();
    while (forwarded() < expected && settle.Elapsed < TimeSpan.FromSeconds(3))
    {
        Thread.Sleep(5);
    }

    double elapsed = clock.Elapsed.TotalSeconds;
    double cpuMicroseconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds * 1000;
    double userMicroseconds = (Process.GetCurrentProcess().UserProcessorTime - user).TotalMilliseconds * 1000;
    long bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated; // everything the process allocated while forwarding
    long done = forwarded();
    await stop.CancelAsync();
    if (bare is not null)
    {
        await bare;
    }

    if (router is not null)
    {
        await router.DisposeAsync();
    }

    bareIn?.Dispose();
    foreach (var s in bareOut.Concat(sinks))
    {
        s.Dispose();
    }

    return new Result(done, expected, elapsed, cpuMicroseconds / Math.Max(1, done), userMicroseconds / Math.Max(1, done), bytes / (double)Math.Max(1, done), bytes / (double)total);
}

static Socket Bind()
{
    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
    socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    return socket;
}

static List<byte[]> ReadCapture(string path)
{
    var bytes = File.ReadAllBytes(path);
    var list = new List<byte[]>();
    for (int at = 0; at < bytes.Length; at += 2 + BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at)))
    {
        list.Add(bytes.AsSpan(at + 2, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at))).ToArray());
    }

    return list;
}

int Arg(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out int value) ? value : fallback;
}

internal enum Mode
{
    Router,
    Bare,
}

internal sealed record Result(long Forwarded, long Expected, double Seconds, double CpuMicrosecondsPerForward, double UserMicrosecondsPerForward, double BytesAllocatedPerForward, double BytesAllocatedPerReceived);
