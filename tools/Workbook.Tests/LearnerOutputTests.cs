using Spectre.Console;
using Workbook.Commands;
using Workbook.Labs;
using Workbook.Running;
using Progress = Workbook.Commands.Progress;

namespace Workbook.Tests;

/// <summary>What check, the board, hint and watch show a learner (issue 19 §4), rendered at 80 columns without colour.</summary>
public class LearnerOutputTests
{
    private static (IAnsiConsole Console, StringWriter Text) Console80()
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = 80;
        return (console, text);
    }

    private static Milestone M(int n, bool stretch = false) => new() { Id = "M" + n, Title = "step " + n, Points = 10, Stretch = stretch };

    private static Lab LabOf(string id, params Milestone[] milestones) => new(Repository.At(Path.GetTempPath()), new LabManifest
    {
        Id = id, Slug = id + "-topic", Title = "Topic " + id, Project = "Lab" + id + ".Topic", Milestones = milestones,
    });

    private static TestOutcome Pass(string milestone, string name) =>
        new($"Ns.Tests.{name}", name.Split('(')[0], milestone + " x", TestResultKind.Pass, null, null, 0);

    private static TestOutcome Fail(string milestone, string name, string message = "expected 1; got 2", string type = "Xunit.Sdk.XunitException") =>
        new($"Ns.Tests.{name}", name.Split('(')[0], milestone + " x", TestResultKind.Fail, message, type, 0);

    private static LabRun RunOf(params TestOutcome[] tests) => new("01", "student", DateTimeOffset.Now, tests, null);

    [Fact]
    public void Quotes_backslashes_and_tabs_come_out_as_the_test_wrote_them()
    {
        // What the xunit v3 3.2.2 in-process runner wrote for Assert.Fail("must be \"C2\" path C:\\x tab\there") and a theory
        // row whose string argument is "RTMPE" (seen in a real -xml report).
        const string report = """
            <assemblies><assembly><collection>
              <test name="Ns.T.Rejects(version: 6, kind: \&quot;RTMPE\&quot;)" method="Rejects" result="Fail" time="0">
                <failure exception-type="Xunit.Sdk.XunitException"><message><![CDATA[must be \"C2\" path C:\\x tab\there nul\x01]]></message></failure>
              </test>
            </collection></assembly></assemblies>
            """;

        var test = Assert.Single(XunitXml.Parse(report));

        Assert.Equal("must be \"C2\" path C:\\x tab\there nul\u0001", test.Message);
        Assert.Equal("Ns.T.Rejects(version: 6, kind: \"RTMPE\")", test.Name);
    }

    [Fact]
    public void A_theory_is_listed_once_and_the_more_line_names_as_many_tests_as_it_counts()
    {
        var run = RunOf(
            Fail("M1", "Rejects(version: 6)"), Fail("M1", "Rejects(version: 71)"), Pass("M1", "Rejects(version: 3)"),
            Fail("M1", "A"), Fail("M1", "B"), Fail("M1", "C"), Fail("M1", "D"), Fail("M1", "E"));
        var (console, text) = Console80();

        CheckCommand.Report(console, LabOf("01", M(1)), run, null, solution: false, dependOnSolutions: false);

        string output = text.ToString();
        Assert.Contains("6 test(s) to make pass (7 cases)", output, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(output, @"✘ Rejects\b"));
        Assert.Contains("2 of 3 cases fail", output, StringComparison.Ordinal);
        var more = System.Text.RegularExpressions.Regex.Match(output.Replace("\n", " ", StringComparison.Ordinal), @"… and (\d+) more: (.*?)\s{2,}");
        Assert.True(more.Success, output);
        Assert.Equal(int.Parse(more.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), more.Groups[2].Value.Split(", ").Length);
    }

    [Fact]
    public void A_milestone_whose_tests_fail_only_on_stubs_is_not_started()
    {
        // Lab 01 M4 on untouched stubs: the tests catch the stub's exception and report it in their own words.
        var tests = new[]
        {
            Fail("M4", "Try_tool_reports_ffmpeg", "The report must show C0's version 3:\n--- client\nnot written yet: Lab 01 · M2: read C0+C1, send S0+S1+S2", "Xunit.Sdk.TrueException"),
            Fail("M4", "Client_handshakes_with_ffmpeg", "NotImplementedException: Lab 01 · M3: send C0+C1"),
        };

        Assert.Equal(MilestoneState.NotStarted, Progress.StateOf(tests));
        Assert.Equal(MilestoneState.Failing, Progress.StateOf([.. tests, Fail("M4", "Real", "S1 must be 1536 bytes; you sent 1535")]));
    }

    [Fact]
    public void Compare_is_offered_only_when_every_required_milestone_passes()
    {
        var lab = LabOf("01", M(1), M(2), M(3, stretch: true));
        var midway = RunOf(Pass("M1", "A"), Fail("M2", "B"), Fail("M3", "C"));
        var required = RunOf(Pass("M1", "A"), Pass("M2", "B"), Fail("M3", "C"));

        var (console, text) = Console80();
        CheckCommand.Report(console, lab, midway, lab.FindMilestone("M1"), false, false);
        Assert.DoesNotContain("compare", text.ToString(), StringComparison.Ordinal);

        (console, text) = Console80();
        CheckCommand.Report(console, lab, midway, null, false, false);
        Assert.DoesNotContain("compare", text.ToString(), StringComparison.Ordinal);

        (console, text) = Console80();
        CheckCommand.Report(console, lab, required, null, false, false);
        Assert.Contains("-- compare 01", text.ToString(), StringComparison.Ordinal);
    }

    private static IReadOnlyList<MilestoneProgress> Row(Lab lab, params MilestoneState[] states) =>
        lab.Manifest.Milestones.Select((m, i) => new MilestoneProgress(m, states[i], states[i] == MilestoneState.Passed ? 3 : 0, 3)).ToList();

    [Fact]
    public void Next_follows_the_lab_the_learner_worked_on_last()
    {
        var labs = new[] { LabOf("00", M(1), M(2)), LabOf("01", M(1), M(2)), LabOf("03", M(1), M(2), M(3)) };
        var progress = new[]
        {
            Row(labs[0], MilestoneState.NotStarted, MilestoneState.NotStarted),
            Row(labs[1], MilestoneState.Passed, MilestoneState.Passed),
            Row(labs[2], MilestoneState.Passed, MilestoneState.Failing, MilestoneState.NotStarted),
        };

        Assert.Equal((2, "M2"), StatusCommand.Next(progress, recent: 2) is var (l, m) ? (l, m.Milestone.Id) : default);
        Assert.Equal((0, "M1"), StatusCommand.Next(progress, recent: null) is var (l2, m2) ? (l2, m2.Milestone.Id) : default);
        // A finished lab sends the learner on to the next one, not back to Lab 00.
        Assert.Equal((2, "M2"), StatusCommand.Next(progress, recent: 1) is var (l3, m3) ? (l3, m3.Milestone.Id) : default);

        var (console, text) = Console80();
        StatusCommand.Board(console, Repository.At(Path.GetTempPath()), labs, progress, recent: 2);
        Assert.Contains("Next: Continue Lab 03 · M2", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_milestone_passed_only_on_the_reference_of_earlier_labs_is_marked()
    {
        var lab = LabOf("03", M(1), M(2));
        var plain = RunOf(Pass("M1", "A"), Fail("M2", "B", "not written yet: Lab 02 · M3: read an AMF0 value"));
        var borrowed = RunOf(Pass("M1", "A"), Pass("M2", "B")) with { OnSolutions = true };

        var progress = Progress.Of(lab.Manifest, untouched: false, plain, borrowed);

        Assert.Equal((MilestoneState.Passed, false), (progress[0].State, progress[0].OnSolutions));
        Assert.Equal((MilestoneState.Passed, true), (progress[1].State, progress[1].OnSolutions));
        var (console, text) = Console80();
        StatusCommand.Board(console, Repository.At(Path.GetTempPath()), [lab], [progress], recent: 0);
        Assert.Contains("1/1†", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("† passed only on the reference versions of earlier labs", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void At_80_columns_the_chinese_topic_names_break_only_between_phrases()
    {
        var labs = Repository.Locate().Labs();
        // Busy cells make the milestone columns as wide as a learner's board gets.
        var progress = labs.Select(l => (IReadOnlyList<MilestoneProgress>)l.Manifest.Milestones
            .Select(m => new MilestoneProgress(m, MilestoneState.Failing, 10, 46)).ToList()).ToList();
        var (console, text) = Console80();

        StatusCommand.Board(console, Repository.Locate(), labs, progress, recent: null);

        var lines = text.ToString().Split('\n');
        Assert.All(lines, l => Assert.True(StatusCommand.CellWidth(l.TrimEnd()) <= 80, l));
        foreach (var lab in labs.Where(l => l.Manifest.TitleZh is not null))
        {
            foreach (string phrase in StatusCommand.Phrases(lab.Manifest.TitleZh!).Select(p => p.Trim()))
            {
                Assert.True(lines.Any(l => l.Contains(phrase, StringComparison.Ordinal)), $"\"{phrase}\" of {lab.Manifest.TitleZh} is broken:\n{text}");
            }
        }
    }

    [Fact]
    public void Hint_has_nothing_to_serve_when_every_milestone_passes()
    {
        var lab = LabOf("07", M(1), M(2, stretch: true));

        Assert.Null(HintCommand.Pick(Row(lab, MilestoneState.Passed, MilestoneState.Passed)));
        Assert.Equal("M2", HintCommand.Pick(Row(lab, MilestoneState.Passed, MilestoneState.NotStarted))?.Id);
    }

    [Fact]
    public void Hint_wrapping_never_breaks_inline_code()
    {
        const string text = "Test `data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1` for each `i`, then call "
                            + "`BinaryPrimitives.WriteUInt32BigEndian(destination, time)` and `ReadUInt32BigEndian`.";

        var lines = HintCommand.Wrap(text, 40).ToList();

        Assert.True(lines.Count > 1);
        Assert.All(lines, l => Assert.True(l.Count(c => c == '`') % 2 == 0, $"a code span is cut: {l}"));
        Assert.All(lines, l => Assert.True(l.Length <= 40 || !l.Contains(' ', StringComparison.Ordinal) || l.Count(c => c == '`') == 2, l));
        Assert.Equal(text, string.Join(' ', lines));
    }

    [Fact]
    public async Task A_step_says_what_it_is_doing_before_it_ends()
    {
        var (console, text) = Console80();
        var building = new TaskCompletionSource();
        var finish = new TaskCompletionSource();

        var step = Ui.Step(console, interactive: false, "Building and testing Lab 03", async progress =>
        {
            progress("building Lab 03");
            progress("running Lab 03's tests: 1 done");
            building.SetResult();
            await finish.Task;
            return 0;
        });
        await building.Task;

        Assert.Contains("building Lab 03", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("running Lab 03's tests", text.ToString(), StringComparison.Ordinal);
        finish.SetResult();
        await step;
        // The line that ends a test in the runner's verbose report, as xunit v3 3.2.2 prints it.
        Assert.True(LabRunner.IsTestFinished("    Lab01.RtmpHandshake.Tests.M1PacketTests.C1_rejects_short_buffers [FINISHED] Time: 0.0024448s"));
        Assert.False(LabRunner.IsTestFinished("    Lab01.RtmpHandshake.Tests.M1PacketTests.C1_rejects_short_buffers [STARTING]"));
    }
}

public sealed class TryBuildTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("wb-try-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string text, DateTime when)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, when);
        return path;
    }

    [Fact]
    public void Try_skips_the_build_only_while_every_lab_in_the_chain_is_older_than_its_assembly()
    {
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Write("Directory.Build.props", "<Project />", t0);
        Write("labs/02-b/src/Lab02.B.csproj", "<Project />", t0);
        string earlier = Write("labs/02-b/src/Reader.cs", "class R { }", t0);
        string project = Write("labs/03-c/src/Lab03.C.csproj", """<Project><ItemGroup><LabReference Include="02-b" Assembly="Lab02.B" /></ItemGroup></Project>""", t0);
        Write("labs/03-c/src/Tool.cs", "class T { }", t0);
        Write("solutions/02-b/Lab02.B.csproj", "<Project />", t0);
        string reference = Write("solutions/02-b/Reader.cs", "class R { }", t0);
        string bin = Path.Combine(_root, "labs/03-c/src/bin/student/Debug/net10.0");
        Write(Path.Combine(bin, "Lab03.C.dll"), "", t0.AddMinutes(1));
        string copy = Write(Path.Combine(bin, "Lab02.B.dll"), "", t0.AddMinutes(1));
        var repository = Workbook.Labs.Repository.At(_root);

        Assert.True(TryCommand.UpToDate(repository, project, bin, fromSolutions: false));

        // A save in the earlier lab the tool runs on means a build.
        File.SetLastWriteTimeUtc(earlier, t0.AddMinutes(2));
        Assert.False(TryCommand.UpToDate(repository, project, bin, fromSolutions: false));
        File.SetLastWriteTimeUtc(copy, t0.AddMinutes(3));
        Assert.True(TryCommand.UpToDate(repository, project, bin, fromSolutions: false));

        // Built on the reference of Lab 02 (--depend-on-solutions), the reference's files count instead.
        File.SetLastWriteTimeUtc(reference, t0.AddMinutes(4));
        Assert.False(TryCommand.UpToDate(repository, project, bin, fromSolutions: true));

        // The shared build files count for every project; a missing assembly means a build.
        File.SetLastWriteTimeUtc(Path.Combine(_root, "Directory.Build.props"), t0.AddMinutes(5));
        Assert.False(TryCommand.UpToDate(repository, project, bin, fromSolutions: false));
        Assert.False(TryCommand.UpToDate(repository, project, Path.Combine(_root, "nowhere"), fromSolutions: false));
    }
}

public class TryAdviceTests
{
    [Fact]
    public void A_stub_of_an_earlier_lab_points_to_depend_on_solutions()
    {
        var lab = new Workbook.Labs.Lab(Workbook.Labs.Repository.At(Path.GetTempPath()), new Workbook.Labs.LabManifest
        {
            Id = "03", Slug = "03-flv", Title = "FLV", Project = "Lab03.Flv", Milestones = [],
        });

        string earlier = TryCommand.Advice(lab, "Lab 02 · M3: read an AMF0 value", ["my.flv", "--tags"]);
        string own = TryCommand.Advice(lab, "Lab 03 · M2: check the 3-byte signature", ["my.flv"]);

        Assert.Contains("try 03 --depend-on-solutions my.flv --tags", earlier, StringComparison.Ordinal);
        Assert.Contains("check 02", earlier, StringComparison.Ordinal);
        Assert.DoesNotContain("--depend-on-solutions", own, StringComparison.Ordinal);
        Assert.Contains("try 03 --solution my.flv", own, StringComparison.Ordinal);
    }
}

public class TryCommandLineTests
{
    [Fact]
    public void The_plain_try_line_means_what_the_full_parser_makes_of_it()
    {
        var plain = TryCommand.Plain(["try", "03", "--tags", "my.flv", "--depend-on-solutions", "--rebuild", "out.flv"]);

        Assert.NotNull(plain);
        Assert.Equal(("03", false, true), (plain.Lab, plain.Solution, plain.DependOnSolutions));
        Assert.Equal(["--tags", "my.flv", "--rebuild", "out.flv"], plain.Arguments);
        Assert.True(TryCommand.Plain(["try", "07", "--solution", "a.h264"]) is { Solution: true, Arguments: ["a.h264"] });

        // Everything else goes to the full parser: help, no lab, another command.
        Assert.Null(TryCommand.Plain(["try", "--help"]));
        Assert.Null(TryCommand.Plain(["try", "03", "-h"]));
        Assert.Null(TryCommand.Plain(["try"]));
        Assert.Null(TryCommand.Plain(["check", "03"]));
    }

    [Fact]
    public void Serve_is_try_under_the_name_a_server_lab_reads_better_with()
    {
        Assert.True(TryCommand.Plain(["serve", "04", "--http-port", "8080"]) is { Lab: "04", Solution: false, Arguments: ["--http-port", "8080"] },
            "`serve 04 --http-port 8080` must run Lab 04's tool with --http-port 8080, as `try 04 --http-port 8080` does.");
    }
}
