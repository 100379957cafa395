using FFMpegCore;
using FFMpegCore.Exceptions;

namespace Lab00.FfmpegToolbox;

/// <summary>
/// Finding ffmpeg and ffprobe, checking inputs, and running an FFMpegCore command so that every failure
/// becomes a <see cref="ToolboxException"/> that says what to do (README §Errors).
/// </summary>
public static class FfmpegTools
{
    /// <summary>The install command shown when ffmpeg is missing.</summary>
    public const string InstallHint =
        "Install ffmpeg (it brings ffprobe): sudo apt-get install -y ffmpeg (Debian/Ubuntu), brew install ffmpeg (macOS), " +
        "winget install --id Gyan.FFmpeg -e (Windows), or: dotnet run --project tools/Workbook -- setup --yes";

    /// <summary>
    /// FFMpegCore's options with <c>BinaryFolder</c> set to the folder that really holds both ffmpeg and ffprobe:
    /// <paramref name="options"/>' folder when it names one, else the first PATH folder that has them.
    /// </summary>
    /// <exception cref="ToolboxException"><see cref="ToolboxProblem.FfmpegMissing"/>, with the install command.</exception>
    public static FFOptions Locate(ToolboxOptions? options)
    {
        throw new NotImplementedException("Lab 00 · M1: find ffmpeg and ffprobe in options.BinaryFolder, or on PATH when it is null; throw ToolboxException(FfmpegMissing, folder, message with InstallHint) when either is missing; return new FFOptions { BinaryFolder = folder } — README §Errors");
    }

    /// <summary>Throws <see cref="ToolboxProblem.InputMissing"/> when <paramref name="path"/> is not an existing file.</summary>
    public static void RequireInput(string path)
    {
        throw new NotImplementedException("Lab 00 · M1: throw ToolboxException(InputMissing, path, message) when the file does not exist: say which file, and where we looked (the full path) — README §Errors");
    }

    /// <summary>
    /// Runs a command built with FFMpegCore's fluent API. A failure becomes <see cref="ToolboxProblem.FfmpegFailed"/>
    /// carrying ffmpeg's last lines; cancellation stays <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <returns>Everything ffmpeg printed on standard error (filters such as psnr report there).</returns>
    public static async Task<IReadOnlyList<string>> RunAsync(FFMpegArgumentProcessor command, FFOptions ffOptions, string output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        FFMpegResult result;
        try
        {
            result = await command.ProcessAsynchronously(throwOnError: false, ffOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (FFMpegException e)
        {
            throw new ToolboxException(ToolboxProblem.FfmpegFailed, output, $"ffmpeg could not run: {e.Message}", []);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!result.Success)
        {
            var tail = result.StandardError.TakeLast(12).ToList();
            throw new ToolboxException(ToolboxProblem.FfmpegFailed, output,
                $"ffmpeg exited with {result.ExitCode} writing '{output}'. Its last words: {tail.LastOrDefault() ?? "(nothing)"}\nThe command was: ffmpeg {command.Arguments}",
                tail);
        }

        return result.StandardError;
    }

    private static bool HasBoth(string folder) =>
        Exists(folder, "ffmpeg") && Exists(folder, "ffprobe");

    private static bool Exists(string folder, string tool) =>
        File.Exists(Path.Combine(folder, tool)) || (OperatingSystem.IsWindows() && File.Exists(Path.Combine(folder, tool + ".exe")));
}
