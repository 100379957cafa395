using System.Diagnostics;
using System.Globalization;

namespace Lab05.Hls;

/// <summary>
/// <c>workbook try 05 in.flv|in.mp4 --out DIR [--hls-time S]</c>: the roadmap's "ffmpeg -i input.mp4 -hls_time 6 … output.m3u8"
/// done by your code — segments and a VOD playlist that any HLS player (hls.js, Safari, VLC, ffplay) plays. An MP4 is
/// first remuxed to FLV by ffmpeg (-c copy: no re-encoding). Given code: it calls your FLV reader, muxer, segmenter
/// and playlist writer.
/// </summary>
public static class HlsTryTool
{
    private const string Usage = "usage: workbook try 05 <in.flv|in.mp4> --out DIR [--hls-time S]   or   workbook try 05 --live --out DIR [--hls-time S] [--part-target S] [--rtmp-port N] [--hls-port N]   or   workbook try 05 <in> --abr --out DIR [--hls-time S]";

    /// <summary>Runs the tool; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        string? input = null, folder = null;
        double hlsTime = 2, partTarget = 0;
        bool live = false, abr = false;
        int rtmpPort = 1935, hlsPort = 8081;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--live":
                    live = true;
                    break;
                case "--abr":
                    abr = true;
                    break;
                case "--rtmp-port" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out rtmpPort):
                case "--hls-port" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out hlsPort):
                    i++;
                    break;
                case "--out" when i + 1 < args.Length:
                    folder = args[++i];
                    break;
                case "--part-target" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out partTarget) && partTarget > 0:
                    i++;
                    break;
                case "--hls-time" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out hlsTime) && hlsTime > 0:
                    i++;
                    break;
                default:
                    if (input is null && !args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        input = args[i];
                        break;
                    }

                    await output.WriteLineAsync($"{Usage}   (unknown argument '{args[i]}')").ConfigureAwait(false);
                    return 2;
            }
        }

        if (live && folder is not null)
        {
            return await RunLiveAsync(folder, hlsTime, partTarget, rtmpPort, hlsPort, output, cancellationToken).ConfigureAwait(false);
        }

        if (input is null || folder is null)
        {
            await output.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        if (!File.Exists(input))
        {
            await output.WriteLineAsync($"{input}: no such file").ConfigureAwait(false);
            return 1;
        }

        if (abr)
        {
            return await RunAbrAsync(input, folder, hlsTime, output, cancellationToken).ConfigureAwait(false);
        }

        string flv = input;
        string? temporary = null;
        try
        {
            if (!input.EndsWith(".flv", StringComparison.OrdinalIgnoreCase))
            {
                temporary = Path.Combine(Path.GetTempPath(), $"workbook-try05-{Guid.NewGuid():N}.flv");
                await output.WriteLineAsync($"remuxing {input} to FLV with ffmpeg -c copy …").ConfigureAwait(false);
                if (!await RemuxToFlvAsync(input, temporary, output, cancellationToken).ConfigureAwait(false))
                {
                    return 1;
                }

                flv = temporary;
            }

            var written = HlsWriter.WriteVod(await File.ReadAllBytesAsync(flv, cancellationToken).ConfigureAwait(false), folder, hlsTime);
            var playlist = written.Playlist;
            await output.WriteLineAsync($"{input}: {written.VideoFrames} video frames, {written.AudioFrames} audio frames").ConfigureAwait(false);
            foreach (var segment in playlist.Segments)
            {
                long size = new FileInfo(Path.Combine(folder, segment.Uri)).Length;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {segment.Uri,-10} {segment.Duration,9:0.000} s {size,10} bytes")).ConfigureAwait(false);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {Path.Combine(folder, HlsWriter.PlaylistName)}: {playlist.Segments.Count} segments, target duration {playlist.TargetDuration} s, {playlist.Duration:0.000} s in all")).ConfigureAwait(false);
            await output.WriteLineAsync($"play it: ffplay {Path.Combine(folder, HlsWriter.PlaylistName)}   or check it: ffmpeg -v error -i {Path.Combine(folder, HlsWriter.PlaylistName)} -f null -").ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is HlsFormatException or Lab03.Flv.FlvFormatException)
        {
            await output.WriteLineAsync($"{input}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            if (temporary is not null && File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static async Task<int> RunLiveAsync(string folder, double hlsTime, double partTarget, int rtmpPort, int hlsPort, TextWriter output, CancellationToken cancellationToken)
    {
        var options = new Lab04.LiveServer.LiveServerOptions { RtmpPort = rtmpPort, HttpPort = 0 };
        await using var server = new HlsLiveServer(options, folder, hlsPort, hlsTime, partTarget: partTarget);
        server.Live.Log = line => output.WriteLine(line);
        server.Start();
        await output.WriteLineAsync($"RTMP in on rtmp://127.0.0.1:{server.Live.RtmpPort}/live/test (publish: ffmpeg -re -i clip.flv -c copy -f flv rtmp://127.0.0.1:{server.Live.RtmpPort}/live/test)").ConfigureAwait(false);
        await output.WriteLineAsync($"{(partTarget > 0 ? string.Create(CultureInfo.InvariantCulture, $"low-latency HLS (parts of {partTarget} s)") : "HLS")} out on {server.PlaylistUrl("live/test")} (play: ffplay {server.PlaylistUrl("live/test")}); HTTP-FLV on http://127.0.0.1:{server.Live.HttpPort}/live/test.flv; files in {server.Folder}").ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C
        }

        return 0;
    }

    private static async Task<bool> RemuxToFlvAsync(string input, string flv, TextWriter output, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-hide_banner", "-v", "error", "-y", "-i", input, "-c", "copy", "-f", "flv", flv })
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            await output.WriteLineAsync("An MP4 is remuxed to FLV by ffmpeg, which is not on your PATH: `dotnet run --project tools/Workbook -- setup --yes` installs it.").ConfigureAwait(false);
            return false;
        }

        using var _ = process;
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            await output.WriteLineAsync($"ffmpeg could not remux {input} to FLV (H.264 + AAC only): {(await errors.ConfigureAwait(false)).Trim()}").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>
    /// <c>--abr</c>: a two-rung 16:9 ladder of the input, 640×360 at 800 and 320×180 at 300 kbit/s, with a GOP of
    /// hlsTime seconds at the input's frame rate (ffprobe's avg_frame_rate, through FFMpegCore; the GOP is counted in
    /// frames), by your <see cref="AbrLadder"/>.
    /// </summary>
    private static async Task<int> RunAbrAsync(string input, string folder, double hlsTime, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            var probe = await FFMpegCore.FFProbe.AnalyseAsync(input, cancellationToken: cancellationToken).ConfigureAwait(false);
            double fps = probe.PrimaryVideoStream is { } video ? (video.AverageFrameRate > 0 ? video.AverageFrameRate : video.RealFrameRate) : 0;
            if (!(fps > 0))
            {
                await output.WriteLineAsync($"{input}: ffprobe finds no video stream with a frame rate; an ABR ladder needs video.").ConfigureAwait(false);
                return 1;
            }

            int gop = Math.Max(1, (int)Math.Round(fps * hlsTime));
            AbrRendition[] ladder = [new("360p", 640, 360, 800), new("180p", 320, 180, 300)];
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"transcoding {input} into {ladder.Length} renditions with ffmpeg (GOP {gop} frames: {hlsTime} s at the input's {fps:0.###} fps) …")).ConfigureAwait(false);
            var master = await AbrLadder.WriteAsync(input, folder, ladder, gop, hlsTime, cancellationToken).ConfigureAwait(false);
            foreach (var variant in master.Variants)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {variant.Uri,-16} {variant.Width}x{variant.Height}  BANDWIDTH={variant.Bandwidth}  AVERAGE-BANDWIDTH={variant.AverageBandwidth}  CODECS=\"{variant.Codecs}\"")).ConfigureAwait(false);
            }

            string path = Path.Combine(folder, AbrLadder.MasterName);
            await output.WriteLineAsync($"wrote {path}; play it: ffplay {path}").ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is HlsFormatException or Lab03.Flv.FlvFormatException or FFMpegCore.Exceptions.FFMpegException or System.ComponentModel.Win32Exception)
        {
            await output.WriteLineAsync($"{input}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
