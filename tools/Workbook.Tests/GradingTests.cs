using System.Net;
using System.Net.Sockets;
using Workbook.Grading;
using Workbook.Labs;

namespace Workbook.Tests;

/// <summary>
/// The grader against fabricated submissions of Lab 01, made from the solution and the stubs: the
/// scores and reasons must be exactly as expected, and nothing outside the work folders may change.
/// One grading run serves every test (it builds each submission once).
/// </summary>
public sealed class GradingTests(GradingTests.Run run) : IClassFixture<GradingTests.Run>
{
    private const string LabId = "01";

    [Fact]
    public void A_perfect_submission_gets_every_point_stretch_included()
    {
        var grade = run.Grade("perfect");

        Assert.Equal(GradeStatus.Graded, grade.Status);
        Assert.Equal(run.Lab.Manifest.Milestones.Sum(m => m.Points), grade.Points);
        Assert.Empty(grade.Failures);
    }

    [Fact]
    public void The_untouched_stubs_get_nothing_and_every_failure_is_explained()
    {
        var grade = run.Grade("stubs");

        Assert.Equal(GradeStatus.Graded, grade.Status);
        Assert.Equal(0, grade.Points);
        Assert.All(grade.Failures, f => Assert.False(string.IsNullOrWhiteSpace(f.Message)));
        Assert.Contains(grade.Failures, f => f.Message.Contains("Lab 01 · M1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_half_done_submission_gets_the_points_of_the_milestones_it_passes()
    {
        var grade = run.Grade("half");

        var m1 = grade.Milestones.Single(m => m.Id == "M1");
        Assert.Equal((m1.Total, m1.MaxPoints), (m1.Passed, m1.Points));
        Assert.All(grade.Milestones.Where(m => m.Id is "M2" or "M3"), m => Assert.Equal(0, m.Points));
        Assert.Equal(m1.MaxPoints, grade.Points, precision: 2);
    }

    [Fact]
    public void A_submission_that_does_not_compile_gets_zero_with_the_compiler_error()
    {
        var grade = run.Grade("broken");

        Assert.Equal(GradeStatus.BuildFailed, grade.Status);
        Assert.Equal(0, grade.Points);
        Assert.Contains("does not compile", grade.Reason, StringComparison.Ordinal);
        Assert.Contains("Broken.cs", grade.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_submission_that_never_ends_is_stopped_and_gets_zero()
    {
        var grade = run.Grade("endless");

        Assert.Equal(GradeStatus.TimedOut, grade.Status);
        Assert.Equal(0, grade.Points);
        Assert.Contains("stopped", grade.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_submission_that_allocates_without_bound_runs_out_of_its_memory_and_gets_zero()
    {
        var grade = run.Grade("hungry");

        Assert.Equal(0, grade.Points);
        Assert.Contains("out of memory", grade.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_the_tests_gains_nothing()
    {
        var grade = run.Grade("cheater");

        Assert.Equal(0, grade.Points);
        Assert.DoesNotContain(grade.Failures, f => f.Test == "Everything_passes");
    }

    [Fact]
    public void A_submission_cannot_read_outside_its_folder_write_outside_it_or_reach_the_network()
    {
        if (!OperatingSystem.IsLinux())
        {
            // Namespaces are Linux's: elsewhere the grader must say it runs submissions without them.
            Assert.False(run.Sandbox.IsIsolated);
            Assert.Contains("no namespaces", run.Sandbox.Description, StringComparison.Ordinal);
            return;
        }

        Assert.True(run.Sandbox.IsIsolated, "This Linux machine allows no user namespaces, so the grader cannot isolate submissions: " + run.Sandbox.Description);
        var grade = run.Grade("snoop");

        // The snooping code exits the test run if any attempt succeeds, so a full score proves all three failed.
        Assert.True(grade.Status == GradeStatus.Graded, $"The snooping submission escaped: {grade.Reason}");
        Assert.Equal(run.Lab.Manifest.Milestones.Sum(m => m.Points), grade.Points);
        Assert.False(File.Exists(run.OutsideMarker), "The submission wrote a file outside its work folder.");
        Assert.Equal(0, run.ConnectionsFromSubmissions);
    }

    [Fact]
    public void A_submission_that_prints_megabytes_is_graded_normally()
    {
        var grade = run.Grade("noisy");

        Assert.Equal(GradeStatus.Graded, grade.Status);
        Assert.Equal(run.Lab.Manifest.Milestones.Sum(m => m.Points), grade.Points);
    }

    [Fact]
    public void Processes_a_submission_starts_die_with_its_test_run()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(run.Sandbox.IsIsolated);
            Assert.Contains("no namespaces", run.Sandbox.Description, StringComparison.Ordinal);
            return;
        }

        Assert.True(run.Sandbox.IsIsolated, "This Linux machine allows no user namespaces, so the grader cannot contain forks: " + run.Sandbox.Description);
        var grade = run.Grade("forker");

        Assert.Equal(GradeStatus.Graded, grade.Status);
        var survivors = Directory.GetDirectories("/proc")
            .Select(d => Path.Combine(d, "cmdline"))
            .Where(File.Exists)
            .Select(f => { try { return File.ReadAllText(f).Replace('\0', ' '); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .Where(c => c.Contains("sleep 4242", StringComparison.Ordinal))
            .ToList();
        Assert.True(survivors.Count == 0, $"{survivors.Count} process(es) the submission started outlived its test run.");
    }

    [Fact]
    public void Nothing_outside_the_grading_folders_changed()
    {
        Assert.Equal(run.RepositoryBefore, Snapshot(run.Repository.Root));
    }

    [Fact]
    public void The_class_csv_has_the_documented_columns_and_a_row_per_student()
    {
        var lines = Reports.Csv(run.Grades, [LabId]).TrimEnd('\n').Split('\n');

        Assert.Equal("student,lab01,lab01_status,total,max", lines[0]);
        Assert.Equal(run.Submissions.Count, lines.Length - 1);
        Assert.Contains(lines, l => l.StartsWith("broken,0,BuildFailed,0,", StringComparison.Ordinal));
    }

    [Fact]
    public void The_class_json_holds_every_grade_with_its_milestones()
    {
        using var json = System.Text.Json.JsonDocument.Parse(Reports.Json(run.Grades, run.Sandbox.Description));

        var grades = json.RootElement.GetProperty("grades");
        Assert.Equal(run.Grades.Count, grades.GetArrayLength());
        Assert.Equal(run.Lab.Manifest.Milestones.Count, grades[0].GetProperty("milestones").GetArrayLength());
        Assert.Contains(grades.EnumerateArray(), g => g.GetProperty("status").GetString() == "TimedOut");
    }

    [Fact]
    public void The_student_feedback_names_each_failing_test_and_its_message()
    {
        var grades = run.Grades.Where(g => g.Student == "half").ToList();

        string markdown = Reports.StudentMarkdown("half", grades);

        Assert.Contains("## Lab 01 RTMP handshake", markdown, StringComparison.Ordinal);
        Assert.Contains("M2 · Server_sends_S0_S1_S2_before_C2_and_then_accepts_C2", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_classroom_workflow_has_a_test_per_milestone_with_its_points()
    {
        string yaml = Classroom.Workflow([run.Lab]);

        foreach (var m in run.Lab.Manifest.Milestones)
        {
            Assert.Contains($"command: \"dotnet run --project tools/Workbook -- check 01 --milestone {m.Id}\"", yaml, StringComparison.Ordinal);
        }

        Assert.Contains("runners: lab01-m1,lab01-m2,lab01-m3,lab01-m4,lab01-m5", yaml, StringComparison.Ordinal);
        Assert.Contains("max-score: 35", yaml, StringComparison.Ordinal);
    }

    internal static string Snapshot(string root) =>
        string.Join('\n', new[] { "labs", "solutions", "tools/TestKit", "testdata" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root, d), "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f).Ticks}"));

    /// <summary>Makes the submissions, grades them all once (two at a time), keeps the grades.</summary>
    public sealed class Run : IAsyncLifetime
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "workbook-grading-" + Guid.NewGuid().ToString("n")[..8]);
        private TcpListener? _listener;
        private int _connections;

        public Repository Repository { get; } = Repository.Locate();

        public Lab Lab => Repository.Find(LabId);

        public Sandbox Sandbox { get; private set; } = null!;

        public IReadOnlyList<Submission> Submissions { get; private set; } = [];

        public IReadOnlyList<LabGrade> Grades { get; private set; } = [];

        public string RepositoryBefore { get; private set; } = "";

        public string OutsideMarker => Path.Combine(_folder, "outside-marker");

        public int ConnectionsFromSubmissions => Volatile.Read(ref _connections);

        public LabGrade Grade(string student) => Grades.Single(g => g.Student == student);

        public async ValueTask InitializeAsync()
        {
            RepositoryBefore = Snapshot(Repository.Root);
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _ = CountConnectionsAsync(_listener);
            string submissions = Path.Combine(_folder, "submissions");
            Fabricate(submissions, ((IPEndPoint)_listener.LocalEndpoint).Port);
            Sandbox = await Sandbox.DetectAsync(CancellationToken.None);
            var options = new GradingOptions(Path.Combine(_folder, "out"), null, submissions, 2, TimeSpan.FromSeconds(40), TimeSpan.FromMinutes(5));
            var grader = new Grader(Repository, Sandbox, options);
            await grader.PrepareAsync(Lab, CancellationToken.None);
            Submissions = Workbook.Grading.Submissions.Find(submissions, Path.Combine(_folder, "unpacked"));
            using var gate = new SemaphoreSlim(options.Jobs);
            Grades = await Task.WhenAll(Submissions.Select(async s =>
            {
                await gate.WaitAsync();
                try
                {
                    return await grader.GradeAsync(s, Lab, CancellationToken.None);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        public ValueTask DisposeAsync()
        {
            _listener?.Stop();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // a test run's leftovers in /tmp are harmless
            }

            return ValueTask.CompletedTask;
        }

        private async Task CountConnectionsAsync(TcpListener listener)
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref _connections);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }

        private void Fabricate(string root, int port)
        {
            string slug = Lab.Manifest.Slug;
            string Src(string student) => Path.Combine(root, student, "labs", slug, "src");
            void From(string student, string folder)
            {
                Directory.CreateDirectory(Src(student));
                foreach (var file in Directory.GetFiles(folder, "*.cs"))
                {
                    File.Copy(file, Path.Combine(Src(student), Path.GetFileName(file)));
                }
            }

            From("perfect", Lab.SolutionDirectory);
            From("stubs", Lab.SourceDirectory);

            From("half", Lab.SourceDirectory);
            foreach (var packet in new[] { "C1S1Packet.cs", "C2S2Packet.cs" })
            {
                File.Copy(Path.Combine(Lab.SolutionDirectory, packet), Path.Combine(Src("half"), packet), overwrite: true);
            }

            From("broken", Lab.SolutionDirectory);
            File.WriteAllText(Path.Combine(Src("broken"), "Broken.cs"), "namespace Lab01.RtmpHandshake; public class Broken { int x = ; }");

            From("endless", Lab.SolutionDirectory);
            File.WriteAllText(Path.Combine(Src("endless"), "Endless.cs"), Initializer("while (true) { }"));

            From("hungry", Lab.SolutionDirectory);
            File.WriteAllText(Path.Combine(Src("hungry"), "Hungry.cs"), Initializer(
                "var hoard = new System.Collections.Generic.List<byte[]>(); while (true) { var b = new byte[1 << 20]; b[0] = 1; hoard.Add(b); }"));

            // Stubs, plus tests rewritten to pass and a project file that points elsewhere: all ignored.
            From("cheater", Lab.SourceDirectory);
            string tests = Path.Combine(root, "cheater", "labs", slug, "tests");
            Directory.CreateDirectory(tests);
            foreach (var file in Directory.GetFiles(Lab.TestsDirectory, "*.cs"))
            {
                File.WriteAllText(Path.Combine(tests, Path.GetFileName(file)), "");
            }

            File.WriteAllText(Path.Combine(tests, "Pass.cs"), "public class Pass { [Xunit.Fact] public void Everything_passes() { } }");
            File.WriteAllText(Path.Combine(Src("cheater"), "Lab01.RtmpHandshake.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><AssemblyName>Nothing</AssemblyName></PropertyGroup></Project>");

            // Prints 20 MB: the grader keeps a bounded part of it.
            From("noisy", Lab.SolutionDirectory);
            File.WriteAllText(Path.Combine(Src("noisy"), "Noisy.cs"), Initializer(
                "var line = new string('x', 1000); for (int i = 0; i < 20_000; i++) { System.Console.Out.WriteLine(line); }"));

            // Starts a detached process that would outlive the run if nothing stopped it.
            From("forker", Lab.SolutionDirectory);
            File.WriteAllText(Path.Combine(Src("forker"), "Forker.cs"), Initializer(
                "try { System.Diagnostics.Process.Start(\"setsid\", \"sleep 4242\"); } catch (System.Exception) { }"));

            // Tries to read the instructor's solution and another student's work, to write outside, and to connect out.
            From("snoop", Lab.SolutionDirectory);
            string secret = Path.Combine(Lab.SolutionDirectory, "HandshakeServer.cs");
            string neighbour = Path.Combine(Src("perfect"), "HandshakeServer.cs");
            File.WriteAllText(Path.Combine(Src("snoop"), "Snoop.cs"), Initializer($$"""
                var escaped = new System.Collections.Generic.List<string>();
                try { System.IO.File.ReadAllText({{Literal(secret)}}); escaped.Add("read the solution"); } catch (System.Exception) { }
                try { System.IO.File.ReadAllText({{Literal(neighbour)}}); escaped.Add("read another submission"); } catch (System.Exception) { }
                try { System.IO.File.WriteAllText({{Literal(OutsideMarker)}}, "x"); escaped.Add("wrote outside"); } catch (System.Exception) { }
                try { using var c = new System.Net.Sockets.TcpClient(); c.Connect("127.0.0.1", {{port}}); escaped.Add("connected out"); } catch (System.Exception) { }
                if (escaped.Count > 0) { System.Console.Error.WriteLine("ESCAPED: " + string.Join(", ", escaped)); System.Environment.Exit(3); }
                """));
        }

        private static string Initializer(string body) => $$"""
            namespace Lab01.RtmpHandshake;

            internal static class Extra
            {
                [System.Runtime.CompilerServices.ModuleInitializer]
                internal static void Start()
                {
                    {{body}}
                }
            }
            """;

        private static string Literal(string text) => "@\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
