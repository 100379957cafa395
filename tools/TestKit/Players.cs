namespace Workbook.TestKit;

/// <summary>
/// The browser players the tests serve to Chromium (mpegts.js, hls.js), from the committed npm package
/// <c>tools/players</c> (package.json + package-lock.json, installed by <c>npm ci</c>; never a CDN). A test
/// that needs a missing player fails with the command that installs it.
/// </summary>
public static class Players
{
    /// <summary>The command that installs the players, from the repository root.</summary>
    public const string InstallCommand = "cd tools/players && npm ci";

    /// <summary>tools/players.</summary>
    public static string Folder => Path.Combine(Repo.Root, "tools", "players");

    /// <summary>mpegts.js's browser build (HTTP-FLV and MPEG-TS over MSE), or a failure that says how to install it.</summary>
    public static string MpegtsJs() => Require(Path.Combine("mpegts.js", "dist", "mpegts.js"), "mpegts.js");

    /// <summary>hls.js's browser build, or a failure that says how to install it.</summary>
    public static string HlsJs() => Require(Path.Combine("hls.js", "dist", "hls.min.js"), "hls.js");

    private static string Require(string relative, string name)
    {
        var path = Path.Combine(Folder, "node_modules", relative);
        if (File.Exists(path))
        {
            return path;
        }

        string npm = RealTools.Find("npm") is null ? $"Install Node.js and npm first ({RealTools.InstallCommand("npm")}), then: " : "";
        throw new Xunit.Sdk.XunitException(
            $"This test plays the stream in Chromium with {name}, which is not installed in tools/players/node_modules. {npm}\n  {InstallCommand}\n" +
            "(the versions are pinned in tools/players/package-lock.json; nothing is loaded from a CDN).");
    }
}
