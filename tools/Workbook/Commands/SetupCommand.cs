using Spectre.Console;
using Workbook.Labs;
using Workbook.Running;
using Workbook.Setup;

namespace Workbook.Commands;

/// <summary>
/// Checks the tools the labs need and those the notebooks want (Jupyter, the .NET Interactive kernel, a CJK
/// font) and, with --yes, installs what is missing. Only what the labs need can fail it.
/// </summary>
public static class SetupCommand
{
    public static async Task<int> RunAsync(Repository repository, bool install, CancellationToken cancellationToken)
    {
        var labs = repository.Labs();
        var tools = await Prerequisites.CheckAsync(labs, repository.Root, cancellationToken);
        Show(tools);
        var missing = tools.Where(t => !t.Ok && t.Required && t.Name != ".NET SDK").ToList();
        var wanted = tools.Where(t => !t.Ok && !t.Required && t.Recommended).ToList();
        if (missing.Count == 0 && wanted.Count == 0)
        {
            Ui.Ok("Everything the labs and the notebooks need is here.");
            return 0;
        }

        var steps = Plan(missing, wanted);
        if (!install)
        {
            AnsiConsole.MarkupLine(missing.Count > 0 ? "[yellow]To install what is missing:[/]" : "[yellow]Recommended for the notebooks (warnings, the labs do not need them):[/]");
            foreach (var (_, display, _) in steps)
            {
                AnsiConsole.MarkupLine($"  {Markup.Escape(display)}");
            }

            if (steps.Any(s => s.Step is not null))
            {
                AnsiConsole.MarkupLine($"or let the workbook do it: [bold]{Markup.Escape(Ui.Command("setup --yes"))}[/]");
            }

            if (missing.Any(t => t.Name is "ffmpeg" or "ffprobe"))
            {
                AnsiConsole.MarkupLine("[grey]Elsewhere: Linux `dnf install ffmpeg` / `pacman -S ffmpeg`; macOS `brew install ffmpeg`; Windows `winget install --id Gyan.FFmpeg -e`.[/]");
            }

            // Only what the labs need fails set-up; Jupyter, the kernel and the font are warnings.
            return missing.Count > 0 ? 1 : 0;
        }

        bool updated = false;
        foreach (var (tool, display, step) in steps)
        {
            if (step is null)
            {
                Ui.Error($"The workbook cannot install {tool.Name} here; install it by hand: {display}");
                if (tool.Required)
                {
                    return 1;
                }

                continue;
            }

            AnsiConsole.MarkupLine($"[bold]$ {Markup.Escape(step.ToString())}[/]");
            if (step.IsApt && !updated)
            {
                var update = step.File == "sudo" ? ("sudo", new[] { "apt-get", "update" }) : ("apt-get", new[] { "update" });
                await ProcessRunner.RunAsync(update.Item1, update.Item2, repository.Root, TimeSpan.FromMinutes(10), cancellationToken, Console.WriteLine);
                updated = true;
            }

            var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            foreach (var (key, value) in step.Environment ?? new Dictionary<string, string>())
            {
                environment[key] = value;
            }

            var result = await ProcessRunner.RunAsync(step.File, step.Arguments, repository.Root, TimeSpan.FromMinutes(20), cancellationToken, Console.WriteLine, environment);
            if (result.ExitCode != 0)
            {
                Ui.Error($"Installing {tool.Name} failed (exit code {result.ExitCode}). Run the command above yourself to see why.");
                return 1;
            }
        }

        tools = await Prerequisites.CheckAsync(labs, repository.Root, cancellationToken);
        Show(tools);
        bool ok = tools.Where(t => t.Required).All(t => t.Ok);
        if (ok)
        {
            Ui.Ok("Everything the labs need is here.");
        }

        foreach (var tool in tools.Where(t => t.Recommended && !t.Ok))
        {
            AnsiConsole.MarkupLine($"[yellow]![/] {Markup.Escape(tool.Name)}: {Markup.Escape(tool.Problem ?? "missing")} — {Markup.Escape(tool.Install)}");
        }

        return ok ? 0 : 1;
    }

    /// <summary>
    /// The commands that install what is missing, in order: the labs' OS packages (one per package), then
    /// Jupyter, the .NET Interactive kernel (which registers itself with Jupyter) and the CJK font. A null
    /// step is one the workbook cannot run here; its display is the by-hand hint.
    /// </summary>
    internal static IReadOnlyList<(Prerequisite Tool, string Display, InstallStep? Step)> Plan(IReadOnlyList<Prerequisite> missing, IReadOnlyList<Prerequisite> wanted)
    {
        var plan = new List<(Prerequisite, string, InstallStep?)>();
        var packages = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tool in missing.Concat(wanted))
        {
            if (tool.Steps is { } steps)
            {
                if (steps.Count == 0)
                {
                    plan.Add((tool, tool.Install, null));
                }

                plan.AddRange(steps.Select(s => (tool, s.ToString(), (InstallStep?)s)));
                continue;
            }

            string package = tool.Name switch { "ffprobe" => "ffmpeg", "node" => "nodejs", _ => tool.Name };
            if (!packages.Add(package))
            {
                continue;
            }

            plan.Add(Prerequisites.Installer(package) is { } installer
                ? (tool, Prerequisites.InstallCommand(package), new InstallStep(installer.File, installer.Arguments))
                : (tool, Prerequisites.InstallCommand(package), null));
        }

        return plan;
    }

    private static void Show(IReadOnlyList<Prerequisite> tools)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Tool").AddColumn("Needed by").AddColumn("Found").AddColumn("");
        foreach (var tool in tools)
        {
            string state = tool.Ok ? "[green]✔ ok[/]"
                : tool.Recommended ? $"[yellow]! {Markup.Escape(tool.Problem ?? (tool.Path is null ? "missing" : "too old"))}[/]"
                : tool.Path is not null ? "[red]✘ too old[/]"
                : tool.Required ? "[red]✘ missing[/]" : "[grey]○ optional for now[/]";
            string found = tool.Path is null ? "—" : $"{tool.Version} [grey]{Markup.Escape(tool.Path)}[/]";
            table.AddRow(Markup.Escape(tool.Name), Markup.Escape(tool.Why), found, state);
        }

        AnsiConsole.Write(table);
    }
}
