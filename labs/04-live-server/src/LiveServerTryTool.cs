using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Lab04.LiveServer;

/// <summary>
/// <c>workbook try 04 [--rtmp-port N] [--http-port N] [--listen ADDRESS] [--secret S] [--record DIR]</c>: your <see cref="LiveServer"/>,
/// with the page at http://127.0.0.1:8080/ that lists the live streams and plays them with mpegts.js.
/// Given code.
/// </summary>
public static class LiveServerTryTool
{
    /// <summary>The standard RTMP port.</summary>
    public const int DefaultRtmpPort = 1935;

    /// <summary>The HTTP port the page and the streams are on.</summary>
    public const int DefaultHttpPort = 8080;

    /// <summary>Runs the server until <paramref name="cancellationToken"/> is cancelled. Returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        int rtmpPort = DefaultRtmpPort, httpPort = DefaultHttpPort;
        var address = IPAddress.Loopback;
        string? secret = null;
        string? record = null;
        const string usage = "usage: workbook try 04 [--rtmp-port N] [--http-port N] [--listen ADDRESS] [--secret S] [--record DIR]";
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rtmp-port" or "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out rtmpPort):
                case "--http-port" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out httpPort):
                case "--listen" when i + 1 < args.Length && IPAddress.TryParse(args[i + 1], out address!):
                    i++;
                    break;
                case "--secret" when i + 1 < args.Length:
                    secret = args[++i];
                    break;
                case "--record" when i + 1 < args.Length:
                    record = args[++i];
                    break;
                default:
                    await output.WriteLineAsync($"{usage}   (unknown argument '{args[i]}')").ConfigureAwait(false);
                    return 2;
            }
        }

        var log = TextWriter.Synchronized(output);
        string? players = FindPlayersFolder();
        await using var server = new LiveServer(new LiveServerOptions { Address = address, RtmpPort = rtmpPort, HttpPort = httpPort, PlayersFolder = players, AuthSecret = secret, RecordFolder = record })
        {
            Log = line => log.WriteLine($"{DateTime.Now:HH:mm:ss} {line}"),
        };
        try
        {
            server.Start();
        }
        catch (SocketException e)
        {
            await output.WriteLineAsync($"Cannot listen on {address} ports {rtmpPort} and {httpPort}: {e.Message}. Choose others with --rtmp-port N --http-port N.").ConfigureAwait(false);
            return 1;
        }

        string host = address.Equals(IPAddress.Any) ? "THIS-MACHINE'S-ADDRESS" : address.ToString();
        string sign = "";
        if (secret is not null)
        {
            try
            {
                sign = "?sign=" + SignedUrl.Sign("/live/test", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), secret);
            }
            catch (NotImplementedException)
            {
                sign = "?sign=EXPIRY-HASH   (SignedUrl.Sign is not written yet: M5)";
            }
        }

        await output.WriteLineAsync($"""
            Live server on {address}: RTMP port {server.RtmpPort}, HTTP port {server.HttpPort}.
              publish:  ffmpeg -re -stream_loop -1 -i testdata/clip-2s.flv -c copy -f flv rtmp://{host}:{server.RtmpPort}/live/test{sign}
                        (OBS: Server rtmp://{host}:{server.RtmpPort}/live, Stream Key test{sign})
              watch:    http://{host}:{server.HttpPort}/   (or ffplay http://{host}:{server.HttpPort}/live/test.flv)
            {(players is null ? "  The page needs mpegts.js: run `cd tools/players && npm ci` once, then start again.\n" : "")}Ctrl+C stops.
            """).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C
        }

        await output.WriteLineAsync("Stopping: every player gets a clean end.").ConfigureAwait(false);
        return 0;
    }

    /// <summary>tools/players with mpegts.js installed, looked for above the current folder and the program's; null when missing.</summary>
    public static string? FindPlayersFolder()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tools", "players");
                if (File.Exists(Path.Combine(candidate, "node_modules", "mpegts.js", "dist", "mpegts.js")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
