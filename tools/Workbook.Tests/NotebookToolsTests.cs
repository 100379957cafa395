using Workbook.Commands;
using Workbook.Running;
using Workbook.Setup;

namespace Workbook.Tests;

/// <summary>`workbook setup` and the board on Jupyter, the .NET Interactive kernel and the CJK font, with injected probes.</summary>
public sealed class NotebookToolsTests
{
    private static ProcessResult Output(string text) => new(0, text, false, TimeSpan.Zero);

    /// <summary>A Debian machine (apt-get, not root) with only the tools named in <paramref name="tools"/>.</summary>
    private static ToolProbe Machine(Dictionary<string, string>? tools = null, Func<string, IReadOnlyList<string>, ProcessResult?>? run = null,
        string os = "linux", string[]? files = null, string[]? pythons = null) => new()
    {
        FindTool = name => tools?.GetValueOrDefault(name) ?? (name == "apt-get" && os == "linux" ? "/usr/bin/apt-get" : null),
        Run = (file, arguments, _) => Task.FromResult(run?.Invoke(file, arguments)),
        FileExists = path => files?.Contains(path) ?? false,
        Pythons = () => pythons ?? [],
        Home = "/home/learner",
        PathVariable = "/usr/bin:/bin",
        Os = os,
        IsRoot = false,
    };

    private const string AllModules = """@@modules {"nbconvert": "6.5.3", "nbclient": "0.7.2", "jupyter_client": "7.4.9", "ipykernel": "6.17.0", "nbformat": "5.5.0"}""";

    private static ProcessResult? Everything(string file, IReadOnlyList<string> arguments) => (file, arguments.FirstOrDefault()) switch
    {
        ("/usr/bin/python3", _) => Output(AllModules + "\n"),
        (_, "--version") when file.EndsWith("dotnet-interactive", StringComparison.Ordinal) => Output("1.0.712001+df4e5cbcbe1b5d0ea85247226b7b896765a54611\n"),
        ("/usr/bin/jupyter", "kernelspec") => Output("""{"kernelspecs": {".net-csharp": {}, "python3": {}}}"""),
        ("/usr/bin/fc-list", _) => Output("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc: Noto Sans CJK SC,Noto Sans CJK SC Regular\n"),
        _ => null,
    };

    private static readonly Dictionary<string, string> AllTools = new()
    {
        ["jupyter"] = "/usr/bin/jupyter",
        ["dotnet-interactive"] = "/home/learner/.dotnet/tools/dotnet-interactive",
        ["fc-list"] = "/usr/bin/fc-list",
    };

    [Fact]
    public async Task On_a_machine_with_everything_all_three_are_ok_and_the_board_warns_of_nothing()
    {
        var tools = await NotebookTools.CheckAsync(Machine(AllTools, Everything, pythons: ["/usr/bin/python3"]), TestContext.Current.CancellationToken);

        Assert.All(tools, t => Assert.True(t.Ok, $"{t.Name}: {t.Problem}"));
        Assert.Equal(["jupyter", ".NET Interactive kernel", "CJK font"], tools.Select(t => t.Name));
        Assert.Equal("1.0.712001", tools[1].Version);
        Assert.Equal("Noto Sans CJK SC", tools[2].Version);
        Assert.Null(StatusCommand.Warning(tools));
        Assert.Empty(SetupCommand.Plan([], [.. tools.Where(t => !t.Ok)]));
    }

    [Fact]
    public async Task On_a_bare_Debian_machine_all_three_are_warnings_that_setup_yes_installs_like_a_learner()
    {
        var tools = await NotebookTools.CheckAsync(Machine(), TestContext.Current.CancellationToken);

        Assert.All(tools, t => Assert.False(t.Ok, t.Name));
        Assert.All(tools, t => Assert.True(t.Recommended && !t.Required, $"{t.Name} must be a warning, not an error"));
        Assert.All(tools, t => Assert.StartsWith("[yellow]!", StatusCommand.Badge(t), StringComparison.Ordinal));
        string warning = StatusCommand.Warning(tools)!;
        Assert.Contains("jupyter", warning, StringComparison.Ordinal);
        Assert.Contains("CJK font", warning, StringComparison.Ordinal);
        Assert.Contains("run NN --html", warning, StringComparison.Ordinal);

        var plan = SetupCommand.Plan([], tools);
        Assert.Equal(
            [
                "sudo apt-get install -y jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel python3-nbformat",
                "dotnet tool install -g Microsoft.dotnet-interactive --version 1.0.712001",
                "dotnet interactive jupyter install",
                "sudo apt-get install -y fontconfig fonts-noto-cjk",
            ],
            plan.Select(p => p.Display));
        Assert.All(plan, p => Assert.NotNull(p.Step));
        // The kernel registers itself through `dotnet interactive`, which needs the tools folder on PATH.
        Assert.StartsWith("/home/learner/.dotnet/tools" + Path.PathSeparator, plan[2].Step!.Environment!["PATH"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jupyter_without_some_of_its_packages_names_them()
    {
        var tool = await NotebookTools.JupyterAsync(
            Machine(new() { ["jupyter"] = "/usr/bin/jupyter" },
                (_, _) => Output("""@@modules {"nbconvert": "6.5.3", "nbclient": null, "jupyter_client": "7.4.9", "ipykernel": null, "nbformat": "5.5.0"}"""),
                pythons: ["/usr/bin/python3"]),
            TestContext.Current.CancellationToken);

        Assert.False(tool.Ok);
        Assert.Equal("missing nbclient, ipykernel", tool.Problem);
    }

    [Fact]
    public async Task A_kernel_tool_off_PATH_an_old_one_and_an_unregistered_one_are_each_explained()
    {
        var ct = TestContext.Current.CancellationToken;
        string inTools = "/home/learner/.dotnet/tools/dotnet-interactive";
        var offPath = await NotebookTools.KernelAsync(
            Machine(new() { ["jupyter"] = "/usr/bin/jupyter" }, Everything, files: [inTools]), ct);
        Assert.False(offPath.Ok);
        Assert.Equal(inTools, offPath.Path);
        Assert.Contains("not on PATH", offPath.Problem, StringComparison.Ordinal);
        Assert.Contains(".dotnet/tools", offPath.Install, StringComparison.Ordinal);
        Assert.Empty(offPath.Steps!);

        var old = await NotebookTools.KernelAsync(
            Machine(AllTools, (file, args) => args.FirstOrDefault() == "--version" ? Output("1.0.522904+abc") : Everything(file, args)), ct);
        Assert.False(old.Ok);
        Assert.Equal("1.0.522904 is older than 1.0.712001", old.Problem);
        Assert.Equal(["dotnet tool update -g Microsoft.dotnet-interactive --version 1.0.712001", "dotnet interactive jupyter install"], old.Steps!.Select(s => s.ToString()));

        var unregistered = await NotebookTools.KernelAsync(
            Machine(AllTools, (file, args) => args.FirstOrDefault() == "kernelspec" ? Output("""{"kernelspecs": {"python3": {}}}""") : Everything(file, args)), ct);
        Assert.False(unregistered.Ok);
        Assert.Contains("not registered with Jupyter", unregistered.Problem, StringComparison.Ordinal);
        Assert.Equal(["dotnet interactive jupyter install"], unregistered.Steps!.Select(s => s.ToString()));
    }

    [Fact]
    public async Task Elsewhere_setup_gives_pip_and_font_hints_instead_of_apt()
    {
        var ct = TestContext.Current.CancellationToken;
        var mac = await NotebookTools.CheckAsync(Machine(os: "macos"), ct);
        Assert.Equal("python3 -m pip install --user nbconvert nbclient jupyter_client ipykernel nbformat", mac[0].Install);
        Assert.True(mac[2].Ok, "macOS ships CJK fonts");

        var brew = await NotebookTools.JupyterAsync(Machine(new() { ["brew"] = "/opt/homebrew/bin/brew" }, os: "macos"), ct);
        Assert.Equal(["brew install jupyterlab"], brew.Steps!.Select(s => s.ToString()));

        var fedora = await NotebookTools.CheckAsync(new ToolProbe
        {
            FindTool = _ => null, // no apt-get, no jupyter, no fc-list
            Run = (_, _, _) => Task.FromResult<ProcessResult?>(null),
            FileExists = _ => false,
            Pythons = () => [],
            Home = "/home/learner",
            Os = "linux",
        }, ct);
        var plan = SetupCommand.Plan([], fedora);
        Assert.Contains(plan, p => p.Step is null && p.Display.Contains("noto", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(plan, p => p.Step is null && p.Display.Contains("pip install", StringComparison.Ordinal));
    }
}
