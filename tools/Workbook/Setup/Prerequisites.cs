using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Workbook.Labs;
using Workbook.Running;

namespace Workbook.Setup;

/// <summary>A tool the workbook or a lab needs, whether it is here, and how to get it.</summary>
public sealed record Prerequisite(string Name, string Why, bool Required, string? Path, string? Version, bool VersionOk, string Install)
{
    public bool Ok => Path is not null && VersionOk;

    /// <summary>Wanted for the notebooks outside the workbook or for their rendering, by no lab's tests: when missing, a warning, never an error.</summary>
    public bool Recommended { get; init; }

    /// <summary>What is wrong when it is found but not usable ("not registered with Jupyter"); null means too old.</summary>
    public string? Problem { get; init; }

    /// <summary>What <c>setup --yes</c> runs, in order; null: the OS package of <see cref="Name"/>; empty: by hand (<see cref="Install"/>).</summary>
    public IReadOnlyList<InstallStep>? Steps { get; init; }
}

/// <summary>
/// Finds the tools the labs need: the .NET SDK, ffmpeg and ffprobe ≥ 5, Chromium and Node.js; and those the
/// notebooks want outside the workbook (Jupyter, the .NET Interactive kernel, a CJK font: <see cref="NotebookTools"/>).
/// </summary>
public static partial class Prerequisites
{
    [GeneratedRegex(@"version\s+n?(\d+)\.(\d+)(?:\.(\d+))?")]
    private static partial Regex FfmpegVersion();

    [GeneratedRegex(@"(\d+)\.(\d+)\.(\d+)")]
    private static partial Regex DottedVersion();

    /// <summary>Checks every tool; a tool no lab needs yet is shown as optional.</summary>
    public static async Task<IReadOnlyList<Prerequisite>> CheckAsync(IReadOnlyList<Lab> labs, string repositoryRoot, CancellationToken cancellationToken)
    {
        var notebookTools = NotebookTools.CheckAsync(ToolProbe.Machine, cancellationToken);
        string NeededBy(string tool)
        {
            var users = labs.Where(l => l.Manifest.Needs.Contains(tool, StringComparer.OrdinalIgnoreCase)).Select(l => l.Manifest.Id).ToList();
            return users.Count == 0 ? "" : (users.Count == 1 ? "lab " : "labs ") + string.Join(", ", users);
        }

        var list = new List<Prerequisite>();
        var sdk = await VersionOf("dotnet", ["--version"], DottedVersion(), cancellationToken);
        list.Add(new Prerequisite(".NET SDK", "builds everything", true, sdk.Path, sdk.Version,
            sdk.Major >= 10, "https://dot.net/download (the .NET 10 SDK)"));
        foreach (var tool in new[] { "ffmpeg", "ffprobe" })
        {
            var found = await VersionOf(tool, ["-hide_banner", "-version"], FfmpegVersion(), cancellationToken);
            string users = NeededBy("ffmpeg");
            list.Add(new Prerequisite(tool, users.Length > 0 ? users + " (real client, oracle)" : "not needed yet", users.Length > 0,
                found.Path, found.Version, found.Major >= 5, InstallCommand("ffmpeg")));
        }

        var chromium = FindBrowser();
        string browserUsers = NeededBy("chromium");
        // Needed by every notebook's chart pictures (`workbook run`, so `verify`) and the grading report's test.
        list.Add(new Prerequisite("chromium", (browserUsers.Length > 0 ? browserUsers + " (browser players), " : "") + "notebook charts (run, verify)",
            true, chromium, chromium is null ? null : "found", true, InstallCommand("chromium")));
        var node = await VersionOf("node", ["--version"], DottedVersion(), cancellationToken);
        string nodeUsers = NeededBy("node");
        list.Add(new Prerequisite("node", nodeUsers.Length > 0 ? nodeUsers + " (npm players, peers)" : "not needed yet",
            nodeUsers.Length > 0, node.Path, node.Version, node.Major >= 18, InstallCommand("nodejs")));
        list.Add(BrowserPlayers.Check(repositoryRoot, nodeUsers, RealTool("npm") is not null, Installer("npm")));
        list.AddRange(await notebookTools);
        return list;
    }

    /// <summary>The package-manager command that installs <paramref name="package"/> here, if there is one.</summary>
    public static string InstallCommand(string package)
    {
        if (OperatingSystem.IsWindows())
        {
            return package switch
            {
                "ffmpeg" => "winget install --id Gyan.FFmpeg -e",
                "chromium" => "winget install --id Google.Chrome -e",
                "nodejs" => "winget install --id OpenJS.NodeJS.LTS -e",
                _ => "winget install " + package,
            };
        }

        if (OperatingSystem.IsMacOS())
        {
            return package switch
            {
                "chromium" => "brew install --cask chromium",
                "nodejs" => "brew install node",
                _ => "brew install " + package,
            };
        }

        string sudo = IsRoot() ? "" : "sudo ";
        return $"{sudo}apt-get install -y {package}";
    }

    /// <summary>The command line that installs <paramref name="package"/> with the OS package manager, split for running.</summary>
    public static (string File, string[] Arguments)? Installer(string package)
    {
        if (OperatingSystem.IsWindows())
        {
            string command = InstallCommand(package);
            var parts = command.Split(' ');
            return (parts[0], parts[1..].Append("--accept-package-agreements").Append("--accept-source-agreements").ToArray());
        }

        if (OperatingSystem.IsMacOS())
        {
            var parts = InstallCommand(package).Split(' ');
            return (parts[0], parts[1..]);
        }

        if (RealTool("apt-get") is null)
        {
            return null;
        }

        return IsRoot()
            ? ("apt-get", ["install", "-y", package])
            : ("sudo", ["apt-get", "install", "-y", package]);
    }

    /// <summary>A browser the browser-player labs can drive (Chromium, or Chrome).</summary>
    public static string? FindBrowser()
    {
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
        {
            if (RealTool(name) is { } path)
            {
                return path;
            }
        }

        string[] known = OperatingSystem.IsMacOS()
            ? ["/Applications/Chromium.app/Contents/MacOS/Chromium", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"]
            : OperatingSystem.IsWindows()
                ? [System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "Google", "Chrome", "Application", "chrome.exe")]
                : [];
        return known.FirstOrDefault(File.Exists);
    }

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? RealTool(string tool)
    {
        string[] names = OperatingSystem.IsWindows() ? [tool + ".exe", tool + ".cmd", tool] : [tool];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                string candidate = System.IO.Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static bool IsRoot() => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    private static async Task<(string? Path, string? Version, int Major)> VersionOf(string tool, string[] arguments, Regex pattern, CancellationToken cancellationToken)
    {
        string? path = RealTool(tool);
        if (path is null)
        {
            return (null, null, 0);
        }

        try
        {
            var result = await ProcessRunner.RunAsync(path, arguments, Environment.CurrentDirectory, TimeSpan.FromSeconds(20), cancellationToken);
            var match = pattern.Match(result.Output);
            if (!match.Success)
            {
                return (path, "unknown", 0);
            }

            string version = match.Value.Replace("version", "", StringComparison.Ordinal).Trim().TrimStart('n');
            return (path, version, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (WorkbookException)
        {
            return (path, null, 0);
        }
    }

    /// <summary>The machine, for the board's header.</summary>
    public static string Platform() => $"{RuntimeInformation.OSDescription.Trim()} {RuntimeInformation.OSArchitecture}".ToLowerInvariant();
}
