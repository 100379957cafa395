using Spectre.Console;
using Workbook.Labs;

namespace Workbook.Commands;

/// <summary>The learner's code beside the reference solution, file by file, as a coloured diff.</summary>
public static class CompareCommand
{
    public static int Run(Repository repository, string labName, string? file)
    {
        var lab = repository.Find(labName);
        var files = lab.SolutionFiles().Union(lab.SourceFiles())
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => file is null || f.EndsWith(file, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new WorkbookException(file is null ? $"{lab.Name} has no C# files to compare." : $"{lab.Name} has no file matching \"{file}\".");
        }

        AnsiConsole.MarkupLine($"[red]- yours[/] (labs/{Markup.Escape(lab.Manifest.Slug)}/src)   [green]+ reference[/] (solutions/{Markup.Escape(lab.Manifest.Slug)})");
        int same = 0;
        foreach (var relative in files)
        {
            var mine = Lines(Path.Combine(lab.SourceDirectory, relative));
            var reference = Lines(Path.Combine(lab.SolutionDirectory, relative), stripMarkers: true);
            var diff = LineDiff.Compute(mine, reference);
            if (diff.All(d => d.Kind == ' '))
            {
                same++;
                continue;
            }

            AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(relative)}[/]").LeftJustified());
            foreach (var line in LineDiff.WithContext(diff))
            {
                string text = Markup.Escape(line.Text);
                AnsiConsole.MarkupLine(line.Kind switch
                {
                    '-' => $"[red]-{text}[/]",
                    '+' => $"[green]+{text}[/]",
                    '…' => "[grey]  …[/]",
                    _ => $"[grey] {text}[/]",
                });
            }
        }

        AnsiConsole.MarkupLine($"[grey]{same} of {files.Count} file(s) identical.[/]");
        return 0;
    }

    private static List<string> Lines(string path, bool stripMarkers = false)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        string text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        return (stripMarkers ? Stubs.StubGenerator.StripMarkers(text) : text).Split('\n').ToList();
    }
}
