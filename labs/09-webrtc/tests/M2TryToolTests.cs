using System.Net;
using System.Net.Sockets;

namespace Lab09.WebRtc.Tests;

/// <summary>`workbook try 09 --ice`: the tool sorts what arrives on its port with your demultiplexer and answers checks with your agent.</summary>
public class M2TryToolTests
{
    [Fact(Timeout = 60_000)]
    [Trait("Milestone", "M2 demultiplexing one port")]
    public async Task Try_tool_answers_a_connectivity_check()
    {
        var ct = TestContext.Current.CancellationToken;
        int port = FreeUdpPort();
        var output = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(TimeSpan.FromSeconds(40));
        var tool = WebRtcTryTool.RunAsync(["--ice", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--ufrag", "sfu9", "--pwd", "try-tool-password-0123", "--once"], TextWriter.Synchronized(output), stop.Token);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var check = StunSpec.Check("sfu9:brw1", "try-tool-password-0123", useCandidate: true, seed: 11);
        byte[]? response = null;
        for (int attempt = 0; attempt < 20 && response is null && !tool.IsCompleted; attempt++)
        {
            await client.SendAsync(check, new IPEndPoint(IPAddress.Loopback, port), ct);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                response = (await client.ReceiveAsync(wait.Token)).Buffer;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
            }
        }

        int exit = await Deadline.Within(tool, TimeSpan.FromSeconds(30), "workbook try 09 --once to end after one datagram");
        string text = output.ToString();
        Assert.True(response is not null && StunSpec.IntegrityIsValid(response, "try-tool-password-0123") && StunSpec.FingerprintIsValid(response),
            $"`try 09` must answer a check for --ufrag sfu9 --pwd try-tool-password-0123 with a success response (MESSAGE-INTEGRITY, FINGERPRINT). It printed:\n{text}");
        Assert.True(exit == 0 && text.Contains("answered", StringComparison.Ordinal) && text.Contains("USE-CANDIDATE", StringComparison.Ordinal),
            $"the tool prints a line per datagram (\"… answered\", with USE-CANDIDATE) and exits 0 after --once; exit {exit}, output:\n{text}");
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
