using System.Diagnostics;
using Spectre.Console;
using Workbook.Grading;
using Workbook.Labs;

namespace Workbook.Commands;

/// <summary>
/// Grades students' copies of the workbook by the instructor's pristine tests, with points per
/// milestone, limits and isolation for untrusted code, and reports for each student and the class.
/// </summary>
public static class GradeCommand
{
    public static async Task<int> RunAsync(
        Repository repository, string? submissionsPath, string? labList, string output, string? hidden, int jobs,
        int labMinutes, bool classroom, CancellationToken cancellationToken)
    {
        var labs = string.IsNullOrWhiteSpace(labList)
            ? repository.Labs()
            : labList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(repository.Find).ToList();
        if (classroom)
        {
            string path = Path.Combine(repository.Root, ".github", "workflows", "classroom.yml");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Classroom.Workflow(labs));
            Ui.Ok($"Wrote {Path.GetRelativePath(repository.Root, path)}: {labs.Sum(l => l.Manifest.Milestones.Count)} autograding tests, {labs.Sum(l => l.Manifest.Milestones.Sum(m => m.Points))} points.");
            if (submissionsPath is null)
            {
                return 0;
            }
        }

        if (submissionsPath is null)
        {
            throw new WorkbookException("Say what to grade: workbook grade <folder of submissions | one submission | a zip>.");
        }

        output = Path.GetFullPath(output);
        Directory.CreateDirectory(output);
        jobs = Math.Clamp(jobs, 1, Math.Max(1, Environment.ProcessorCount));
        var submissions = Submissions.Find(submissionsPath, Path.Combine(output, "unpacked"));
        var sandbox = await Sandbox.DetectAsync(cancellationToken, mustBeHidden: [repository.Root, output, Path.GetFullPath(submissionsPath), .. hidden is null ? Array.Empty<string>() : [Path.GetFullPath(hidden)]]);
        AnsiConsole.MarkupLine($"Grading {submissions.Count} submission(s) × {labs.Count} lab(s) → [blue]{Markup.Escape(output)}[/]");
        AnsiConsole.MarkupLine(sandbox.IsIsolated ? $"[grey]Isolation: {Markup.Escape(sandbox.Description)}[/]" : $"[red bold]{Markup.Escape(sandbox.Description)}[/]");
        var options = new GradingOptions(output, hidden is null ? null : Path.GetFullPath(hidden), Path.GetFullPath(submissionsPath), jobs,
            TimeSpan.FromMinutes(labMinutes), TimeSpan.FromMinutes(5));
        var grader = new Grader(repository, sandbox, options);
        var watch = Stopwatch.StartNew();
        foreach (var lab in labs)
        {
            await Ui.Step($"{lab.Name}: checking the pristine tests against the reference solution", () => grader.PrepareAsync(lab, cancellationToken));
        }

        var work = submissions.SelectMany(s => labs.Select(l => (Submission: s, Lab: l))).ToList();
        var grades = new LabGrade[work.Count];
        using var gate = new SemaphoreSlim(jobs);
        async Task GradeAll(Action<string>? advance)
        {
            await Task.WhenAll(work.Select(async (item, index) =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    grades[index] = await grader.GradeAsync(item.Submission, item.Lab, cancellationToken);
                    advance?.Invoke($"{item.Submission.Name} · {item.Lab.Name}: {grades[index].Points:0.##}/{grades[index].MaxPoints:0.##} {grades[index].Reason}");
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        if (Ui.Interactive)
        {
            await AnsiConsole.Progress().StartAsync(async context =>
            {
                var task = context.AddTask("grading", maxValue: work.Count);
                await GradeAll(_ => task.Increment(1));
            });
        }
        else
        {
            await GradeAll(line => Console.WriteLine("  " + line));
        }

        WriteReports(output, grades, labs, sandbox);
        ShowTable(grades, labs);
        double build = grades.Sum(g => g.BuildSeconds), test = grades.Sum(g => g.TestSeconds);
        AnsiConsole.MarkupLine($"[grey]{work.Count} lab(s) graded in {watch.Elapsed.TotalSeconds:0} s with {jobs} job(s): build {build:0} s, tests {test:0} s in all.[/]");
        AnsiConsole.MarkupLine($"Reports: [blue]{Markup.Escape(Path.Combine(output, "class.html"))}[/], class.csv, class.json, students/");
        return 0;
    }

    /// <summary>Writes every report; one student's bad page never keeps the others from being written.</summary>
    public static void WriteReports(string output, IReadOnlyList<LabGrade> grades, IReadOnlyList<Lab> labs, Sandbox sandbox)
    {
        var ids = labs.Select(l => l.Id).ToList();
        File.WriteAllText(Path.Combine(output, "class.csv"), Reports.Csv(grades, ids));
        File.WriteAllText(Path.Combine(output, "class.json"), Reports.Json(grades, sandbox.Description));
        File.WriteAllText(Path.Combine(output, "class.html"), Reports.ClassHtml(grades, labs.Select(l => (l.Id, l.Manifest.Title)).ToList(), sandbox.Description, sandbox.IsIsolated));
        string students = Path.Combine(output, "students");
        Directory.CreateDirectory(students);
        var names = Reports.FileNames(grades.Select(g => g.Student));
        foreach (var student in grades.GroupBy(g => g.Student))
        {
            string name = names[student.Key];
            try
            {
                File.WriteAllText(Path.Combine(students, name + ".md"), Reports.StudentMarkdown(student.Key, student.ToList()));
                File.WriteAllText(Path.Combine(students, name + ".html"), Reports.StudentHtml(student.Key, student.ToList()));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Ui.Error($"Could not write the feedback of {student.Key}: {e.Message}");
            }
        }
    }

    private static void ShowTable(IReadOnlyList<LabGrade> grades, IReadOnlyList<Lab> labs)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Student");
        foreach (var lab in labs)
        {
            table.AddColumn(new TableColumn(lab.Name).RightAligned());
        }

        table.AddColumn(new TableColumn("Total").RightAligned());
        foreach (var student in grades.GroupBy(g => g.Student).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var cells = new List<string> { Markup.Escape(student.Key) };
            cells.AddRange(labs.Select(l => student.FirstOrDefault(g => g.LabId == l.Id) is { } g
                ? $"{g.Points:0.##}" + (g.Status == GradeStatus.Graded ? "" : $" [yellow]{g.Status}[/]")
                : "—"));
            cells.Add($"{student.Sum(g => g.Points):0.##}/{student.Sum(g => g.MaxPoints):0.##}");
            table.AddRow(cells.ToArray());
        }

        AnsiConsole.Write(table);
    }
}
