using System.Text.Json;
using System.Text.RegularExpressions;
using Workbook.Running;

namespace Workbook.Setup;

/// <summary>One command <c>setup --yes</c> runs to install something.</summary>
/// <param name="File">The program: apt-get, sudo, brew, dotnet.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Environment">Extra environment variables (e.g. PATH with the .NET tools folder).</param>
public sealed record InstallStep(string File, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string>? Environment = null)
{
    /// <summary>True for an apt-get install, which wants an apt-get update first.</summary>
    public bool IsApt => File.EndsWith("apt-get", StringComparison.Ordinal) || (File == "sudo" && Arguments.FirstOrDefault() == "apt-get");

    public override string ToString() => string.Join(' ', [File, .. Arguments]);
}

/// <summary>Where <see cref="NotebookTools"/> looks: this machine by default; tests inject fakes.</summary>
public sealed class ToolProbe
{
    /// <summary>The real machine.</summary>
    public static ToolProbe Machine { get; } = new();

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public Func<string, string?> FindTool { get; init; } = Prerequisites.RealTool;

    /// <summary>Runs a program with a time limit; null when it cannot be started.</summary>
    public Func<string, IReadOnlyList<string>, CancellationToken, Task<ProcessResult?>> Run { get; init; } = RunReal;

    /// <summary>Whether a file exists.</summary>
    public Func<string, bool> FileExists { get; init; } = File.Exists;

    /// <summary>The Python interpreters to ask about Jupyter's packages, in order.</summary>
    public Func<IReadOnlyList<string>> Pythons { get; init; } = NotebookSchema.PythonCandidates;

    /// <summary>The user's home folder (the .NET global tools live in its .dotnet/tools).</summary>
    public string Home { get; init; } = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>The PATH the tools will see.</summary>
    public string PathVariable { get; init; } = Environment.GetEnvironmentVariable("PATH") ?? "";

    /// <summary>"linux", "macos" or "windows".</summary>
    public string Os { get; init; } = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "linux";

    /// <summary>True when commands run as root (no sudo in front of apt-get).</summary>
    public bool IsRoot { get; init; } = !OperatingSystem.IsWindows() && Environment.UserName == "root";

    /// <summary>Debian, Ubuntu and friends: apt-get is here.</summary>
    public bool HasApt => Os == "linux" && FindTool("apt-get") is not null;

    private static async Task<ProcessResult?> RunReal(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await ProcessRunner.RunAsync(file, arguments, Environment.CurrentDirectory, TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (WorkbookException)
        {
            return null;
        }
    }
}

/// <summary>
/// What a learner needs to open and run the notebooks outside the workbook, and what the rendering needs:
/// Jupyter, the real .NET Interactive kernel (installed the way a learner does it), and a CJK font for the
/// Chinese terms in the HTML pages and chart pictures. None of them is needed by a lab's tests or by
/// <c>workbook run --html</c>, so a missing one is a warning, never an error.
/// </summary>
public static partial class NotebookTools
{
    /// <summary>The kernel tool version the notebooks are run with (README, issue 16).</summary>
    public const string KernelVersion = "1.0.712001";

    /// <summary>Debian's packages for Jupyter, its notebook runner and the nbformat check.</summary>
    public static readonly string[] JupyterAptPackages = ["jupyter-nbconvert", "python3-nbclient", "jupyter-client", "python3-ipykernel", "python3-nbformat"];

    /// <summary>The Python modules behind those packages.</summary>
    public static readonly string[] JupyterModules = ["nbconvert", "nbclient", "jupyter_client", "ipykernel", "nbformat"];

    [GeneratedRegex(@"(\d+)\.(\d+)\.(\d+)")]
    private static partial Regex DottedVersion();

    /// <summary>Checks Jupyter, the .NET Interactive kernel and the CJK font, all at once.</summary>
    public static async Task<IReadOnlyList<Prerequisite>> CheckAsync(ToolProbe probe, CancellationToken cancellationToken)
    {
        var jupyter = JupyterAsync(probe, cancellationToken);
        var kernel = KernelAsync(probe, cancellationToken);
        var font = CjkFontAsync(probe, cancellationToken);
        return [await jupyter, await kernel, await font];
    }

    /// <summary>Jupyter: the <c>jupyter</c> command and the Python packages nbconvert, nbclient, jupyter_client, ipykernel and nbformat.</summary>
    public static async Task<Prerequisite> JupyterAsync(ToolProbe probe, CancellationToken cancellationToken)
    {
        string? jupyter = probe.FindTool("jupyter");
        var modules = await PythonModulesAsync(probe, cancellationToken);
        var missing = JupyterModules.Where(m => modules.GetValueOrDefault(m) is null).ToList();
        string? version = modules.GetValueOrDefault("nbconvert") is { } v ? "nbconvert " + v : jupyter is null ? null : "found";
        string? problem = jupyter is null ? null : missing.Count > 0 ? "missing " + string.Join(", ", missing) : null;

        IReadOnlyList<InstallStep> steps;
        string install;
        if (probe.HasApt)
        {
            var apt = Apt(probe, JupyterAptPackages);
            steps = [apt];
            install = apt.ToString();
        }
        else if (probe.Os == "macos" && probe.FindTool("brew") is not null)
        {
            steps = [new InstallStep("brew", ["install", "jupyterlab"])];
            install = "brew install jupyterlab";
        }
        else
        {
            steps = [];
            install = (probe.Os == "windows" ? "py" : "python3") + " -m pip install --user " + string.Join(' ', JupyterModules);
        }

        return new Prerequisite("jupyter", "the notebooks in Jupyter and VS Code; verify's nbformat check", false,
            jupyter, version, missing.Count == 0, install)
        {
            Recommended = true,
            Problem = problem,
            Steps = steps,
        };
    }

    /// <summary>
    /// The real .NET Interactive kernel as a learner installs it: the Microsoft.dotnet-interactive global tool,
    /// registered with Jupyter as ".NET (C#)", and reachable on PATH (Jupyter starts it as <c>dotnet interactive</c>).
    /// </summary>
    public static async Task<Prerequisite> KernelAsync(ToolProbe probe, CancellationToken cancellationToken)
    {
        string toolsFolder = Path.Combine(probe.Home, ".dotnet", "tools");
        string executable = probe.Os == "windows" ? "dotnet-interactive.exe" : "dotnet-interactive";
        string? onPath = probe.FindTool("dotnet-interactive");
        string? tool = onPath ?? (probe.FileExists(Path.Combine(toolsFolder, executable)) ? Path.Combine(toolsFolder, executable) : null);

        string? version = null;
        bool current = false;
        if (tool is not null)
        {
            var result = await probe.Run(tool, ["--version"], cancellationToken);
            var match = result is null ? Match.Empty : DottedVersion().Match(result.Output);
            version = match.Success ? match.Value : "unknown";
            current = match.Success && new Version(match.Value) >= new Version(KernelVersion);
        }

        bool registered = false;
        if (probe.FindTool("jupyter") is { } jupyter)
        {
            var list = await probe.Run(jupyter, ["kernelspec", "list", "--json"], cancellationToken);
            registered = list is { ExitCode: 0 } && list.Output.Contains("\".net-csharp\"", StringComparison.Ordinal);
        }

        string pathNote = probe.Os == "windows"
            ? $"add {toolsFolder} to PATH"
            : "add the .NET tools to PATH: echo 'export PATH=\"$PATH:$HOME/.dotnet/tools\"' >> ~/.profile (then log in again)";
        string? problem =
            tool is null ? null
            : !current ? $"{version} is older than {KernelVersion}"
            : !registered ? "not registered with Jupyter (dotnet interactive jupyter install)"
            : onPath is null ? "not on PATH, so Jupyter cannot start it"
            : null;

        var steps = new List<InstallStep>();
        if (tool is null)
        {
            steps.Add(new InstallStep("dotnet", ["tool", "install", "-g", "Microsoft.dotnet-interactive", "--version", KernelVersion]));
        }
        else if (!current)
        {
            steps.Add(new InstallStep("dotnet", ["tool", "update", "-g", "Microsoft.dotnet-interactive", "--version", KernelVersion]));
        }

        if (steps.Count > 0 || !registered)
        {
            // `dotnet interactive` finds the tool on PATH, which may not hold the tools folder yet.
            steps.Add(new InstallStep("dotnet", ["interactive", "jupyter", "install"],
                new Dictionary<string, string> { ["PATH"] = toolsFolder + Path.PathSeparator + probe.PathVariable }));
        }

        string install = steps.Count == 0 && onPath is null
            ? pathNote
            : $"dotnet tool install -g Microsoft.dotnet-interactive --version {KernelVersion} && dotnet interactive jupyter install"
              + (onPath is null ? $"; then {pathNote}" : "");
        return new Prerequisite(".NET Interactive kernel", "running the notebooks in Jupyter and VS Code (kernel \".NET (C#)\")", false,
            tool, version, current && registered && onPath is not null, install)
        {
            Recommended = true,
            Problem = problem,
            Steps = steps,
        };
    }

    /// <summary>A font with Chinese glyphs, for the roadmap's terms in the HTML pages and chart pictures (Chromium uses fontconfig).</summary>
    public static async Task<Prerequisite> CjkFontAsync(ToolProbe probe, CancellationToken cancellationToken)
    {
        const string Why = "Chinese terms in the notebooks' HTML pages and chart pictures";
        if (probe.Os != "linux")
        {
            // Windows and macOS ship CJK fonts (Microsoft YaHei, PingFang).
            return new Prerequisite("CJK font", Why, false, "system fonts", "found", true, "") { Recommended = true, Steps = [] };
        }

        string? fcList = probe.FindTool("fc-list");
        (string File, string Family)? font = null;
        if (fcList is not null)
        {
            // Lines such as "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc: Noto Sans CJK SC,Noto Sans CJK SC Regular".
            var result = await probe.Run(fcList, [":lang=zh", "file", "family"], cancellationToken);
            font = result?.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => l.Split(": ", 2))
                .Where(parts => parts.Length == 2)
                .Select(parts => (File: parts[0], Family: parts[1].Split(',')[0]))
                .OrderBy(f => f.Family.Contains(" SC", StringComparison.Ordinal) ? 0 : 1)
                .ThenBy(f => f.File, StringComparer.Ordinal)
                .Select(f => ((string File, string Family)?)f)
                .FirstOrDefault();
        }

        string[] packages = fcList is null ? ["fontconfig", "fonts-noto-cjk"] : ["fonts-noto-cjk"];
        IReadOnlyList<InstallStep> steps = probe.HasApt ? [Apt(probe, packages)] : [];
        string install = probe.HasApt ? steps[0].ToString() : "install a Noto CJK font: dnf install google-noto-sans-cjk-fonts, or pacman -S noto-fonts-cjk";
        return new Prerequisite("CJK font", Why, false, font?.File, font?.Family, true, install)
        {
            Recommended = true,
            Problem = fcList is null ? "fontconfig (fc-list) is missing" : null,
            Steps = steps,
        };
    }

    private static InstallStep Apt(ToolProbe probe, IEnumerable<string> packages) =>
        probe.IsRoot
            ? new InstallStep("apt-get", ["install", "-y", .. packages])
            : new InstallStep("sudo", ["apt-get", "install", "-y", .. packages]);

    /// <summary>The version of each of <see cref="JupyterModules"/> (null: missing) in the Python that has most of them.</summary>
    private static async Task<Dictionary<string, string?>> PythonModulesAsync(ToolProbe probe, CancellationToken cancellationToken)
    {
        const string Script = """
            import importlib.util, json
            try:
                from importlib import metadata
            except ImportError:
                metadata = None
            found = {}
            for name in NAMES:
                try:
                    spec = importlib.util.find_spec(name)
                except Exception:
                    spec = None
                version = None
                if spec is not None:
                    try:
                        version = metadata.version(name) if metadata else "found"
                    except Exception:
                        version = "found"
                found[name] = version
            print("@@modules " + json.dumps(found))
            """;
        string script = Script.Replace("NAMES", JsonSerializer.Serialize(JupyterModules), StringComparison.Ordinal);
        var best = new Dictionary<string, string?>();
        foreach (var python in probe.Pythons())
        {
            var result = await probe.Run(python, ["-c", script], cancellationToken);
            string? line = result?.Output.Split('\n').FirstOrDefault(l => l.StartsWith("@@modules ", StringComparison.Ordinal));
            if (line is null)
            {
                continue;
            }

            var found = JsonSerializer.Deserialize<Dictionary<string, string?>>(line["@@modules ".Length..]) ?? [];
            if (found.Count(f => f.Value is not null) > best.Count(f => f.Value is not null))
            {
                best = found;
            }

            if (JupyterModules.All(m => best.GetValueOrDefault(m) is not null))
            {
                break;
            }
        }

        return best;
    }
}
