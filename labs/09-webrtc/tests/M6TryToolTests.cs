using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lab09.WebRtc.Tests;

/// <summary>`workbook try 09`: your SFU serves its page, answers bad offers with 400 and keeps serving after a client misbehaves.</summary>
public class M6TryToolTests
{
    [Fact(Timeout = 90_000)]
    [Trait("Milestone", "M6 signalling publish and watch")]
    public async Task Try_tool_serves_the_page_and_refuses_a_bad_offer_with_400_while_it_keeps_serving()
    {
        var ct = TestContext.Current.CancellationToken;
        int httpPort = FreePort(SocketType.Stream, ProtocolType.Tcp), mediaPort = FreePort(SocketType.Dgram, ProtocolType.Udp);
        var output = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tool = WebRtcTryTool.RunAsync(["--port", httpPort.ToString(CultureInfo.InvariantCulture), "--media-port", mediaPort.ToString(CultureInfo.InvariantCulture)],
            TextWriter.Synchronized(output), stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(20) };
        string page = "";
        for (int attempt = 0; attempt < 40 && page.Length == 0 && !tool.IsCompleted; attempt++)
        {
            try
            {
                page = await http.GetStringAsync("/", ct);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(250, ct);
            }
        }

        Assert.True(page.Contains("Publish my camera", StringComparison.Ordinal) && page.Contains("Watch stream", StringComparison.Ordinal),
            $"`try 09 --port {httpPort}` must serve the page at http://127.0.0.1:{httpPort}/; got {(page.Length == 0 ? "nothing" : page[..Math.Min(200, page.Length)])}. It printed:\n{output}");

        // A client that sends no HTTP at all, and garbage to the media port: the server goes on.
        using (var rude = new TcpClient())
        {
            await rude.ConnectAsync(IPAddress.Loopback, httpPort, ct);
            await rude.GetStream().WriteAsync("\x16\x03\x01 not http\r\n\r\n"u8.ToArray(), ct);
        }

        using (var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            await udp.SendAsync(new byte[] { 0x00, 0x01, 0x00, 0x00, 0xFF }, new IPEndPoint(IPAddress.Loopback, mediaPort), ct);
        }

        using var bad = await http.PostAsync("/publish/cam", new StringContent("v=0\r\nthis is no offer\r\n", Encoding.UTF8, "application/sdp"), ct);
        string why = await bad.Content.ReadAsStringAsync(ct);
        Assert.True(bad.StatusCode == HttpStatusCode.BadRequest && why.StartsWith("SDP", StringComparison.Ordinal),
            $"a POST /publish with a body that is no SDP offer must be refused with 400 and your parser's WebRtcException (\"SDP <field>: …\"); got {(int)bad.StatusCode}: {why}. See README §Signalling.");
        using var nobody = await http.PostAsync("/watch/nobody", new StringContent(await File.ReadAllTextAsync(Repo.TestData("09-webrtc/chromium-offer.sdp"), ct), Encoding.UTF8, "application/sdp"), ct);
        Assert.True(nobody.StatusCode == HttpStatusCode.NotFound,
            $"watching a stream nobody publishes must be 404; got {(int)nobody.StatusCode}: {await nobody.Content.ReadAsStringAsync(ct)}. See README §Signalling.");
        await stop.CancelAsync();
        int exit = await Deadline.Within(tool, TimeSpan.FromSeconds(20), "workbook try 09 to stop when cancelled");
        Assert.True(exit == 0, $"the tool exits 0 when stopped; got {exit}. It printed:\n{output}");
    }

    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, type, protocol);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
