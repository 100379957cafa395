using System.Net;
using System.Net.Sockets;

namespace Lab08.Sfu.Tests;

/// <summary>M3: <c>workbook try 08</c> runs the learner's router and writes an SDP per consumer.</summary>
public class M3TryToolTests
{
    [Fact(Timeout = 60_000)]
    [Trait("Milestone", "M3 router, producers and consumers")]
    public async Task The_try_tool_writes_an_sdp_per_consumer_and_forwards()
    {
        string dir = Directory.CreateTempSubdirectory("lab08-try-").FullName;
        int producerPort = Udp.FreePortPair();
        int receiverPort = Udp.FreePortPair();
        using var stop = Deadline.After(TimeSpan.FromSeconds(40));
        var output = new StringWriter();
        var tool = Task.Run(() => SfuTryTool.RunAsync(["--port", producerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--consumers", "1", "--receiver-port", receiverPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--sdp-dir", dir], TextWriter.Synchronized(output), stop.Token));
        try
        {
            string sdp = Path.Combine(dir, "consumer-1.sdp");
            Assert.True(await Udp.UntilAsync(() => File.Exists(sdp) && !Udp.IsFree(producerPort) || tool.IsCompleted, TimeSpan.FromSeconds(20)) && !tool.IsCompleted,
                $"workbook try 08 --port {producerPort} --consumers 1 --receiver-port {receiverPort} --sdp-dir DIR must bind the producer port and write DIR/consumer-1.sdp. It printed:\n{output}");
            await Task.Delay(200, TestContext.Current.CancellationToken); // the file is written in one call; let it finish
            string text = await File.ReadAllTextAsync(sdp, TestContext.Current.CancellationToken);
            Assert.True(text.Contains($"m=video {receiverPort} RTP/AVP 96", StringComparison.Ordinal), $"consumer-1.sdp must name the receiver port {receiverPort}:\n{text}");

            using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            receiver.Bind(new IPEndPoint(IPAddress.Loopback, receiverPort));
            using var sender = Udp.Bound();
            await sender.SendToAsync(M3RouterTests.Rtp(1, 0, 0x33333333, [0x41, 7]), SocketFlags.None, new IPEndPoint(IPAddress.Loopback, producerPort));
            var got = await receiver.ReceiveAsync(TimeSpan.FromSeconds(10));
            Assert.True(got is not null && got[^1] == 7, $"A packet sent to the try tool's producer port must reach the receiver port {receiverPort}. It printed:\n{output}");
        }
        finally
        {
            await stop.CancelAsync();
            int code = await tool.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.True(code == 0, $"The try tool exits with 0 when stopped; got {code}. It printed:\n{output}");
            Directory.Delete(dir, recursive: true);
        }
    }
}
