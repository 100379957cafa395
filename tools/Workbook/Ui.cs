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

    /// <summary>
    /// Runs <paramref name="work"/>, which reports what it is doing ("building Lab 03", "running Lab 03's tests: 12 done")
    /// through the action it is given: a person sees the spinner's text change, with the seconds so far; CI gets a line per
    /// phase (the text up to a colon), so a slow first build never looks like a hang.
    /// </summary>
    public static async Task<T> Step<T>(string what, Func<Action<string>, Task<T>> work) => await Step(AnsiConsole.Console, Interactive, what, work);

    internal static async Task<T> Step<T>(IAnsiConsole console, bool interactive, string what, Func<Action<string>, Task<T>> work)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (!interactive)
        {
            string? phase = null;
            object gate = new();
            console.MarkupLine($"[grey]… {Markup.Escape(what)}[/]");
            return await work(text =>
            {
                string head = text.Split(':', 2)[0];
                lock (gate)
                {
                    if (head != phase)
                    {
                        phase = head;
                        console.MarkupLine($"[grey]  {Markup.Escape(head)} … ({clock.Elapsed.TotalSeconds:0} s)[/]");
                    }
                }
            });
        }

        T result = default!;
        await console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(what) + " …", async context =>
        {
            string current = what;
            using var timer = new Timer(_ => context.Status($"{Markup.Escape(current)} … [grey]{clock.Elapsed.TotalSeconds:0} s[/]"), null, 1000, 1000);
            result = await work(text =>
            {
                current = text;
                context.Status($"{Markup.Escape(text)} … [grey]{clock.Elapsed.TotalSeconds:0} s[/]");
            });
        });
        return result;
    }

    public static void Error(string message) => AnsiConsole.MarkupLine($"[red]✘[/] {Markup.Escape(message)}");

    public static void Ok(string message) => AnsiConsole.MarkupLine($"[green]✔[/] {Markup.Escape(message)}");

    public static void Info(string message) => AnsiConsole.MarkupLine(Markup.Escape(message));

    /// <summary>The command a learner types, as the README spells it.</summary>
    public static string Command(string arguments) => "dotnet run --project tools/Workbook -- " + arguments;
}
