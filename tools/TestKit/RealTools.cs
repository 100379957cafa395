using System.Runtime.InteropServices;

namespace Workbook.TestKit;

/// <summary>
/// Finds the real tools the tests use as oracles (ffmpeg, ffprobe). A missing tool fails the test with
/// the command that installs it: a test never skips or silently passes because a tool is absent.
/// </summary>
public static class RealTools
{
    /// <summary>The path of ffmpeg, or a failure that says how to install it.</summary>
    public static string Ffmpeg() => Require("ffmpeg");

    /// <summary>The path of ffprobe, or a failure that says how to install it.</summary>
    public static string Ffprobe() => Require("ffprobe");

    /// <summary>The path of <paramref name="tool"/> on PATH, or a failure that says how to install it.</summary>
    public static string Require(string tool) =>
        Find(tool) ?? throw new Xunit.Sdk.XunitException(
            $"This test runs the real `{tool}`, and it is not on your PATH. Install it, then run the test again:\n" +
            $"  {InstallCommand(tool)}\n" +
            "or let the workbook do it: dotnet run --project tools/Workbook -- setup --yes");

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? Find(string tool)
    {
        string[] names = OperatingSystem.IsWindows() ? [tool + ".exe", tool + ".cmd", tool] : [tool];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The command that installs a tool on this operating system.</summary>
    public static string InstallCommand(string tool)
    {
        string package = tool is "ffprobe" ? "ffmpeg" : tool;
        if (OperatingSystem.IsWindows())
        {
            return package == "ffmpeg" ? "winget install --id Gyan.FFmpeg -e" : $"winget install {package}";
        }

        if (OperatingSystem.IsMacOS())
        {
            return $"brew install {package}";
        }

        return RuntimeInformation.OSArchitecture is Architecture.X64 or Architecture.Arm64
            ? $"sudo apt-get install -y {package}   (Debian/Ubuntu; dnf or pacman elsewhere)"
            : $"sudo apt-get install -y {package}";
    }
}
