using System.Net.Sockets;
using System.Text;

namespace Lab04.LiveServer.Tests;

/// <summary>An answer read by <see cref="RawHttp"/>: status, header fields, body (by Content-Length, or to the close).</summary>
internal sealed record RawAnswer(int Status, Dictionary<string, string> Headers, byte[] Body)
{
    public string? this[string name] => Headers.GetValueOrDefault(name);
}

/// <summary>
/// One HTTP/1.1 request written byte for byte (so that a target like "/recordings/../x" reaches the server
/// as it is, which HttpClient would normalize), and the whole answer read until the server closes.
/// </summary>
internal static class RawHttp
{
    public static async Task<RawAnswer> GetAsync(int port, string target, params string[] fields)
    {
        using var deadline = Deadline.After(TimeSpan.FromSeconds(15));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, deadline.Token);
        var stream = client.GetStream();
        var request = new StringBuilder($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
        foreach (var field in fields)
        {
            request.Append(field).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()), deadline.Token);
        var all = new MemoryStream();
        try
        {
            await stream.CopyToAsync(all, deadline.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"GET {target}: the server did not answer and close within 15 s (it sent {all.Length} bytes). See README §Recording.");
        }
        catch (IOException)
        {
            // a reset after the answer
        }

        var bytes = all.ToArray();
        int end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(end > 0, $"GET {target}: the answer has no complete head; got {bytes.Length} bytes: \"{Encoding.ASCII.GetString(bytes.AsSpan(0, Math.Min(200, bytes.Length)))}\".");
        var lines = Encoding.ASCII.GetString(bytes, 0, end).Split("\r\n");
        var status = lines[0].Split(' ');
        Assert.True(status.Length >= 2 && int.TryParse(status[1], out _), $"GET {target}: the status line \"{lines[0]}\" is not \"HTTP/1.1 CODE REASON\".");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        var body = bytes[(end + 4)..];
        if (headers.TryGetValue("Content-Length", out var length) && long.TryParse(length, out long n) && n < body.Length)
        {
            body = body[..(int)n];
        }

        return new RawAnswer(int.Parse(status[1], System.Globalization.CultureInfo.InvariantCulture), headers, body);
    }
}
