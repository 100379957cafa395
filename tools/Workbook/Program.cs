using System.CommandLine;
using Spectre.Console;
using Workbook;
using Workbook.Commands;
using Workbook.Labs;

// The `workbook` command. With no arguments it shows the set-up state and the progress board.

// `workbook try NN file …` is often a quick one-shot on a file, and System.CommandLine (JIT-compiled at every start)
// costs ~50 ms to build and parse: the plain form of try is read directly, with the same meaning (TryCommand.Plain).
if (TryCommand.Plain(args) is { } plain)
{
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    return await Guard(repo => TryCommand.RunAsync(repo, plain.Lab, plain.Arguments, plain.Solution, plain.DependOnSolutions, stop.Token));
}

var labArgument = new Argument<string>("lab") { Description = "The lab: 01, 1 or 01-rtmp-handshake" };
var optionalLab = new Argument<string?>("lab") { Description = "One lab (all labs when left out)", Arity = ArgumentArity.ZeroOrOne };
var milestoneOption = new Option<string?>("--milestone", "-m") { Description = "Only this milestone: M2 or 2" };
var milestoneArgument = new Argument<string?>("milestone") { Description = "Only this milestone (same as --milestone): M2 or 2", Arity = ArgumentArity.ZeroOrOne };
string? MilestoneOf(ParseResult p) => p.GetValue(milestoneOption) ?? p.GetValue(milestoneArgument);
var solutionOption = new Option<bool>("--solution") { Description = "Use the reference solution instead of your code" };
var dependOption = new Option<bool>("--depend-on-solutions") { Description = "Build on the reference versions of earlier labs (when you are stuck on one)" };

var root = new RootCommand("The streaming-media workbook: your progress, your labs' tests, hints, and the labs' tools.");

var status = new Command("status", "The set-up state and a board of every lab and milestone (the default).");
status.SetAction((_, ct) => Guard(repo => StatusCommand.RunAsync(repo, ct)));
root.Subcommands.Add(status);
root.SetAction((_, ct) => Guard(repo => StatusCommand.RunAsync(repo, ct)));

var yesOption = new Option<bool>("--yes", "-y") { Description = "Install what is missing with the OS package manager (apt-get, brew, winget) and dotnet tool" };
var setup = new Command("setup", "Check the .NET SDK, ffmpeg/ffprobe and the browser tools the labs need, and Jupyter, the .NET Interactive kernel and a CJK font for the notebooks; --yes installs what is missing.") { yesOption };
setup.Aliases.Add("doctor");
setup.SetAction((p, ct) => Guard(repo => SetupCommand.RunAsync(repo, p.GetValue(yesOption), ct)));
root.Subcommands.Add(setup);

var check = new Command("check", "Build and test one lab; show what passes per milestone, why the rest fails, and what to do next.")
{
    labArgument, milestoneArgument, milestoneOption, solutionOption, dependOption,
};
check.SetAction((p, ct) => Guard(repo => CheckCommand.RunAsync(repo, p.GetValue(labArgument)!, MilestoneOf(p), p.GetValue(solutionOption), p.GetValue(dependOption), ct)));
root.Subcommands.Add(check);

var watch = new Command("watch", "Run check again each time you save a file of the lab.") { labArgument, milestoneArgument, milestoneOption };
watch.SetAction((p, ct) => Guard(repo => WatchCommand.RunAsync(repo, p.GetValue(labArgument)!, MilestoneOf(p), ct)));
root.Subcommands.Add(watch);

var resetOption = new Option<bool>("--reset") { Description = "Start the hints of this milestone over" };
var hint = new Command("hint", "The next hint for the first milestone that does not pass yet (or the one named).") { labArgument, milestoneArgument, milestoneOption, resetOption };
hint.SetAction((p, _) => Guard(repo => Task.FromResult(HintCommand.Run(repo, p.GetValue(labArgument)!, MilestoneOf(p), p.GetValue(resetOption)))));
root.Subcommands.Add(hint);

var fileOption = new Option<string?>("--file") { Description = "Only the file whose path ends with this" };
var compare = new Command("compare", "Your code beside the reference solution, as a diff.") { labArgument, fileOption };
compare.SetAction((p, _) => Guard(repo => Task.FromResult(CompareCommand.Run(repo, p.GetValue(labArgument)!, p.GetValue(fileOption)))));
root.Subcommands.Add(compare);

var tryCommand = new Command("try", "Run a lab's code as a tool on your own input: a port, a file. Everything after the lab goes to the lab's tool, in order (see the lab's README).")
{
    labArgument, solutionOption, dependOption,
};
tryCommand.TreatUnmatchedTokensAsErrors = false;
// `serve 04` reads better for the labs whose tool is a server (Lab 04's live server and its page).
tryCommand.Aliases.Add("serve");
tryCommand.SetAction((p, ct) => Guard(repo => TryCommand.RunAsync(
    repo, p.GetValue(labArgument)!, [.. p.UnmatchedTokens], p.GetValue(solutionOption), p.GetValue(dependOption), ct)));
root.Subcommands.Add(tryCommand);

var writeOption = new Option<bool>("--write") { Description = "Regenerate labs/NN/src from solutions/NN" };
var forceOption = new Option<bool>("--force") { Description = "Overwrite files that hold someone's edits" };
var stubs = new Command("stubs", "Maintainers: check (or --write) the learner's stubs generated from the solutions.") { optionalLab, writeOption, forceOption };
stubs.SetAction((p, ct) => Guard(repo => StubsCommand.RunAsync(repo, p.GetValue(optionalLab), p.GetValue(writeOption), p.GetValue(forceOption), ct)));
root.Subcommands.Add(stubs);

var submissionsArgument = new Argument<string?>("submissions") { Description = "A folder of submissions, one submission's folder, or a zip", Arity = ArgumentArity.ZeroOrOne };
var labsOption = new Option<string?>("--labs") { Description = "Only these labs: 01,03" };
var outOption = new Option<string>("--out") { Description = "Where the reports and work folders go", DefaultValueFactory = _ => "grading" };
var hiddenOption = new Option<string?>("--hidden") { Description = "Extra tests students never saw: DIR/NN-topic/*.cs" };
var jobsOption = new Option<int>("--jobs") { Description = "Labs graded at once", DefaultValueFactory = _ => 1 };
var labMinutesOption = new Option<int>("--lab-timeout") { Description = "Minutes one lab's tests may run", DefaultValueFactory = _ => 5 };
var classroomOption = new Option<bool>("--classroom") { Description = "Write .github/workflows/classroom.yml for GitHub Classroom autograding" };
var grade = new Command("grade", "Instructors: grade students' copies by the pristine tests, with points per milestone, isolation and reports.")
{
    submissionsArgument, labsOption, outOption, hiddenOption, jobsOption, labMinutesOption, classroomOption,
};
grade.SetAction((p, ct) => Guard(repo => GradeCommand.RunAsync(repo, p.GetValue(submissionsArgument), p.GetValue(labsOption), p.GetValue(outOption)!,
    p.GetValue(hiddenOption), p.GetValue(jobsOption), p.GetValue(labMinutesOption), p.GetValue(classroomOption), ct)));
root.Subcommands.Add(grade);

root.Subcommands.Add(Workbook.Notebooks.RunCommand.Create());

var verify = new Command("verify", "Maintainers and CI: solutions pass every test, stubs fail every test, no drift, same public API.") { optionalLab };
verify.SetAction((p, ct) => Guard(repo => VerifyCommand.RunAsync(repo, p.GetValue(optionalLab), ct)));
root.Subcommands.Add(verify);

return await root.Parse(args).InvokeAsync();

// One-line errors for the things a learner can fix; a stack trace only for a bug in the workbook.
static async Task<int> Guard(Func<Repository, Task<int>> command)
{
    try
    {
        return await command(Repository.Locate());
    }
    catch (WorkbookException e)
    {
        Ui.Error(e.Message);
        return 2;
    }
    catch (OperationCanceledException)
    {
        AnsiConsole.MarkupLine("[grey]Stopped.[/]");
        return 130;
    }
}
