using Spectre.Console;
using Workbook.Labs;
using Workbook.Running;
using Workbook.Setup;

namespace Workbook.Commands;

/// <summary>Checks the tools the labs need and, with --yes, installs what is missing.</summary>
public static class SetupCommand
{
    public static async Task<int> RunAsync(Repository repository, bool install, CancellationToken cancellationToken)
    {
        var labs = repository.Labs();
        var tools = await Prerequisites.CheckAsync(labs, cancellationToken);
        Show(tools);
        var missing = tools.Where(t => !t.Ok && t.Required && t.Name != ".NET SDK").ToList();
        if (missing.Count == 0)
        {
            Ui.Ok("Everything the labs need is here.");
            return 0;
        }

        var packages = missing.Select(t => t.Name switch { "ffprobe" => "ffmpeg", "node" => "nodejs", _ => t.Name }).Distinct().ToList();
        if (!install)
        {
            AnsiConsole.MarkupLine("[yellow]To install what is missing:[/]");
            foreach (var package in packages)
            {
                AnsiConsole.MarkupLine($"  {Markup.Escape(Prerequisites.InstallCommand(package))}");
            }

            AnsiConsole.MarkupLine($"or let the workbook do it: [bold]{Markup.Escape(Ui.Command("setup --yes"))}[/]");
            AnsiConsole.MarkupLine("[grey]Elsewhere: Linux `dnf install ffmpeg` / `pacman -S ffmpeg`; macOS `brew install ffmpeg`; Windows `winget install --id Gyan.FFmpeg -e`.[/]");
            return 1;
        }

        foreach (var package in packages)
        {
            if (Prerequisites.Installer(package) is not { } installer)
            {
                Ui.Error($"No package manager the workbook knows is here; install {package} by hand: {Prerequisites.InstallCommand(package)}");
                return 1;
            }

            AnsiConsole.MarkupLine($"[bold]$ {Markup.Escape(installer.File + " " + string.Join(' ', installer.Arguments))}[/]");
            if (installer.File.EndsWith("apt-get", StringComparison.Ordinal) || installer.Arguments.FirstOrDefault() == "apt-get")
            {
                var update = installer.File == "sudo" ? ("sudo", new[] { "apt-get", "update" }) : ("apt-get", new[] { "update" });
                await ProcessRunner.RunAsync(update.Item1, update.Item2, repository.Root, TimeSpan.FromMinutes(10), cancellationToken, Console.WriteLine);
            }

            var result = await ProcessRunner.RunAsync(installer.File, installer.Arguments, repository.Root, TimeSpan.FromMinutes(20), cancellationToken, Console.WriteLine,
                new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
            if (result.ExitCode != 0)
            {
                Ui.Error($"Installing {package} failed (exit code {result.ExitCode}). Run the command above yourself to see why.");
                return 1;
            }
        }

        tools = await Prerequisites.CheckAsync(labs, cancellationToken);
        Show(tools);
        bool ok = tools.Where(t => t.Required).All(t => t.Ok);
        if (ok)
        {
            Ui.Ok("Everything the labs need is here.");
        }

        return ok ? 0 : 1;
    }

    private static void Show(IReadOnlyList<Prerequisite> tools)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Tool").AddColumn("Needed by").AddColumn("Found").AddColumn("");
        foreach (var tool in tools)
        {
            string state = tool.Ok ? "[green]✔ ok[/]"
                : tool.Path is not null ? "[red]✘ too old[/]"
                : tool.Required ? "[red]✘ missing[/]" : "[grey]○ optional for now[/]";
            string found = tool.Path is null ? "—" : $"{tool.Version} [grey]{Markup.Escape(tool.Path)}[/]";
            table.AddRow(Markup.Escape(tool.Name), Markup.Escape(tool.Why), found, state);
        }

        AnsiConsole.Write(table);
    }
}
