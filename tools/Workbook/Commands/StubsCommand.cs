using Spectre.Console;
using Workbook.Labs;
using Workbook.Running;
using Workbook.Stubs;

namespace Workbook.Commands;

/// <summary>
/// Maintainers' command: shows where labs/NN/src differs from the stubs generated from solutions/NN,
/// and with --write regenerates them. It never overwrites a learner's work: a file is replaced only
/// when it is missing or still equals the stub of the committed solution (git HEAD), unless --force.
/// </summary>
public static class StubsCommand
{
    public static async Task<int> RunAsync(Repository repository, string? labName, bool write, bool force, CancellationToken cancellationToken)
    {
        var labs = labName is null ? repository.Labs() : [repository.Find(labName)];
        int problems = 0;
        foreach (var lab in labs)
        {
            var drift = StubGenerator.Drift(lab);
            if (drift.Count == 0)
            {
                Ui.Ok($"{lab.Name}: src/ is exactly the stubs of solutions/{lab.Manifest.Slug}.");
                continue;
            }

            if (!write)
            {
                problems += drift.Count;
                foreach (var line in drift)
                {
                    Ui.Error(line);
                }

                continue;
            }

            if (!force)
            {
                var edited = await LearnerEditedAsync(repository, lab, cancellationToken);
                if (edited.Count > 0)
                {
                    Ui.Error($"{lab.Name}: not regenerating, these files hold edits that are not the committed stubs (someone's work?): {string.Join(", ", edited)}. Use --force to overwrite them.");
                    problems++;
                    continue;
                }
            }

            foreach (var file in StubGenerator.Write(lab))
            {
                AnsiConsole.MarkupLine($"  wrote labs/{Markup.Escape(lab.Manifest.Slug)}/src/{Markup.Escape(file)}");
            }
        }

        if (!write && problems > 0)
        {
            AnsiConsole.MarkupLine($"Regenerate with [bold]{Markup.Escape(Ui.Command("stubs --write"))}[/].");
        }

        return problems == 0 ? 0 : 1;
    }

    /// <summary>Files of labs/NN/src that exist and differ from the stub of the solution as committed at HEAD.</summary>
    private static async Task<IReadOnlyList<string>> LearnerEditedAsync(Repository repository, Lab lab, CancellationToken cancellationToken)
    {
        var edited = new List<string>();
        foreach (var relative in lab.SourceFiles())
        {
            string current = File.ReadAllText(Path.Combine(lab.SourceDirectory, relative)).Replace("\r\n", "\n", StringComparison.Ordinal);
            string solutionPath = $"solutions/{lab.Manifest.Slug}/{relative}";
            var committed = await ProcessRunner.RunAsync("git", ["show", "HEAD:" + solutionPath], repository.Root, TimeSpan.FromSeconds(30), cancellationToken);
            if (committed.ExitCode != 0)
            {
                edited.Add(relative);
                continue;
            }

            string text = committed.Output;
            string stub = relative.EndsWith(".cs", StringComparison.Ordinal) ? StubGenerator.Transform(lab.Id, text, solutionPath) : text;
            if (Normalise(stub) != Normalise(current))
            {
                edited.Add(relative);
            }
        }

        return edited;
    }

    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
}
