using System.Text.Json;

namespace Workbook.Setup;

/// <summary>
/// The browser players (mpegts.js, hls.js) that the browser tests and the try pages serve to Chromium: the committed
/// npm package <c>tools/players</c>, installed by <c>npm ci</c> into its node_modules (never a CDN). Installed means
/// every package the lock file pins is in node_modules at the pinned version.
/// </summary>
public static class BrowserPlayers
{
    /// <summary>tools/players under the repository root.</summary>
    public static string Folder(string repositoryRoot) => Path.Combine(repositoryRoot, "tools", "players");

    /// <summary>The packages the lock file pins that are missing from node_modules or at another version ("mpegts.js 1.8.2").</summary>
    public static IReadOnlyList<string> Missing(string repositoryRoot)
    {
        string folder = Folder(repositoryRoot);
        string lockFile = Path.Combine(folder, "package-lock.json");
        if (!File.Exists(lockFile))
        {
            return [];
        }

        using var lockJson = JsonDocument.Parse(File.ReadAllText(lockFile));
        var missing = new List<string>();
        // npm's lock file, version 3: "packages" maps "node_modules/<name>" to the pinned "version".
        foreach (var entry in lockJson.RootElement.GetProperty("packages").EnumerateObject())
        {
            if (!entry.Name.StartsWith("node_modules/", StringComparison.Ordinal) || !entry.Value.TryGetProperty("version", out var pinned))
            {
                continue;
            }

            string name = entry.Name["node_modules/".Length..];
            string manifest = Path.Combine(folder, entry.Name, "package.json");
            string? installed = null;
            if (File.Exists(manifest))
            {
                using var json = JsonDocument.Parse(File.ReadAllText(manifest));
                installed = json.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
            }

            if (installed != pinned.GetString())
            {
                missing.Add($"{name} {pinned.GetString()}");
            }
        }

        return missing;
    }

    /// <summary>The install command as a learner types it, from the repository root.</summary>
    public const string InstallCommand = "cd tools/players && npm ci";

    /// <summary>
    /// The prerequisite line: required when a lab needs Chromium to play a stream (lab.json "needs" node); <c>setup --yes</c>
    /// installs npm first when it is missing (Debian's nodejs package has no npm), then runs <c>npm ci</c>.
    /// </summary>
    public static Prerequisite Check(string repositoryRoot, string users, bool npmFound, (string File, string[] Arguments)? npmInstaller)
    {
        var missing = Missing(repositoryRoot);
        string npm = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";
        var steps = new List<InstallStep>();
        if (!npmFound && npmInstaller is { } installer)
        {
            steps.Add(new InstallStep(installer.File, installer.Arguments));
        }

        steps.Add(new InstallStep(npm, ["ci", "--prefix", Path.Combine("tools", "players"), "--no-audit", "--no-fund"]));
        return new Prerequisite("browser players", users.Length > 0 ? users + " (mpegts.js, hls.js in Chromium)" : "not needed yet",
            users.Length > 0, missing.Count == 0 ? Folder(repositoryRoot) : null, missing.Count == 0 ? "pinned" : null, true, InstallCommand)
        {
            Problem = missing.Count == 0 ? null : "missing " + string.Join(", ", missing),
            Steps = steps,
        };
    }
}
