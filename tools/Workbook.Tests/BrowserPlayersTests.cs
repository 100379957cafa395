using Workbook.Setup;

namespace Workbook.Tests;

/// <summary>
/// `setup` says whether tools/players is installed at the versions its npm lock file pins, and installs it with
/// `npm ci` (npm first where it is missing). The lock file format is npm's (lockfileVersion 3, "packages").
/// </summary>
public sealed class BrowserPlayersTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("players-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private void Lock(params (string Name, string Version)[] packages)
    {
        Directory.CreateDirectory(Path.Combine(root, "tools", "players"));
        string entries = string.Join(",\n", packages.Select(p => $"    \"node_modules/{p.Name}\": {{ \"version\": \"{p.Version}\" }}"));
        File.WriteAllText(Path.Combine(root, "tools", "players", "package-lock.json"),
            $"{{\n  \"lockfileVersion\": 3,\n  \"packages\": {{\n    \"\": {{ \"name\": \"workbook-players\" }},\n{entries}\n  }}\n}}");
    }

    private void Install(string name, string version)
    {
        string folder = Path.Combine(root, "tools", "players", "node_modules", name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "package.json"), $"{{ \"name\": \"{name}\", \"version\": \"{version}\" }}");
    }

    [Fact]
    public void Players_are_missing_until_every_pinned_package_is_installed_at_its_version()
    {
        Lock(("mpegts.js", "1.8.2"), ("hls.js", "1.7.4"));
        Assert.Equal(["mpegts.js 1.8.2", "hls.js 1.7.4"], BrowserPlayers.Missing(root));

        Install("mpegts.js", "1.8.2");
        Install("hls.js", "1.6.0");
        Assert.Equal(["hls.js 1.7.4"], BrowserPlayers.Missing(root));

        Install("hls.js", "1.7.4");
        Assert.Empty(BrowserPlayers.Missing(root));
        Assert.True(BrowserPlayers.Check(root, "lab 04", npmFound: true, npmInstaller: null).Ok);
    }

    [Fact]
    public void Setup_installs_npm_first_when_it_is_missing_then_runs_npm_ci_in_tools_players()
    {
        Lock(("mpegts.js", "1.8.2"));
        var players = BrowserPlayers.Check(root, "lab 04", npmFound: false, npmInstaller: ("apt-get", ["install", "-y", "npm"]));

        Assert.False(players.Ok);
        Assert.True(players.Required, "Lab 04 needs the players, so a missing one fails set-up.");
        Assert.Equal("missing mpegts.js 1.8.2", players.Problem);
        Assert.Equal(2, players.Steps!.Count);
        Assert.Equal("apt-get install -y npm", players.Steps[0].ToString());
        Assert.Contains("ci --prefix " + Path.Combine("tools", "players"), players.Steps[1].ToString(), StringComparison.Ordinal);

        var withNpm = BrowserPlayers.Check(root, "", npmFound: true, npmInstaller: null);
        Assert.Single(withNpm.Steps!);
        Assert.False(withNpm.Required, "No lab needs the players: optional.");
    }
}
