using Spectre.Console;

namespace Workbook;

/// <summary>Console output shared by the commands: a spinner when a person watches, plain lines in CI.</summary>
public static class Ui
{
    /// <summary>True when output goes to a terminal a person is looking at.</summary>
    public static bool Interactive =>
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null or "" or "false";

    /// <summary>Runs <paramref name="work"/> with a spinner that says what is happening.</summary>
    public static async Task<T> Step<T>(string what, Func<Task<T>> work)
    {
        if (!Interactive)
        {
            AnsiConsole.MarkupLine($"[grey]… {Markup.Escape(what)}[/]");
            return await work();
        }

        T result = default!;
        await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(what) + " …", async _ => result = await work());
        return result;
    }

    public static void Error(string message) => AnsiConsole.MarkupLine($"[red]✘[/] {Markup.Escape(message)}");

    public static void Ok(string message) => AnsiConsole.MarkupLine($"[green]✔[/] {Markup.Escape(message)}");

    public static void Info(string message) => AnsiConsole.MarkupLine(Markup.Escape(message));

    /// <summary>The command a learner types, as the README spells it.</summary>
    public static string Command(string arguments) => "dotnet run --project tools/Workbook -- " + arguments;
}
