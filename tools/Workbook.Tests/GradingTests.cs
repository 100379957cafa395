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
            Assert.Contains("NOT ISOLATED", run.Sandbox.Description, StringComparison.Ordinal);
            return;
        }

        Assert.True(run.Sandbox.IsIsolated, "The grader cannot isolate submissions on this Linux machine: " + run.Sandbox.Description);
        var grade = run.Grade("snoop");

        // The snooping code exits the test run if any attempt succeeds, so a full score proves every attempt failed.
        Assert.True(grade.Status == GradeStatus.Graded, $"The snooping submission escaped: {grade.Reason}");
        Assert.Contains(grade.Flags!, f => f.Contains("module initializer", StringComparison.Ordinal));
        Assert.Contains(grade.Flags!, f => f.Contains("other processes", StringComparison.Ordinal));
        Assert.Equal(run.Lab.Manifest.Milestones.Sum(m => m.Points), grade.Points);
        Assert.False(File.Exists(run.OutsideMarker), "The submission wrote a file outside its work folder.");
        Assert.Equal(0, run.ConnectionsFromSubmissions);
        Assert.Equal(0, run.HostConnections);
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
            Assert.Contains("NOT ISOLATED", run.Sandbox.Description, StringComparison.Ordinal);
            return;
        }

        Assert.True(run.Sandbox.IsIsolated, "The grader cannot contain forks on this Linux machine: " + run.Sandbox.Description);
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
    public void A_report_forged_at_exit_is_flagged_tampered_and_scores_zero()
    {
        var grade = run.Grade("forger");

        Assert.Equal(GradeStatus.Tampered, grade.Status);
        Assert.Equal(0, grade.Points);
        Assert.Contains("must fail passed", grade.Reason, StringComparison.Ordinal);
        Assert.Contains(grade.Flags!, f => f.Contains("ending the test run", StringComparison.Ordinal));
    }

    [Fact]
    public void Tests_patched_in_memory_score_zero_and_the_code_is_flagged()
    {
        var grade = run.Grade("patcher");

        Assert.Equal(0, grade.Points);
        Assert.Contains(grade.Flags!, f => f.Contains("native code", StringComparison.Ordinal));
        Assert.Contains(grade.Flags!, f => f.Contains("reflection", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_files_in_a_submission_never_run_and_its_code_finds_no_reference_build_to_copy()
    {
        var grade = run.Grade("builder");

        Assert.Equal(0, grade.Points);
        Assert.False(File.Exists(run.ExecMarker), "An Exec target from the submission ran.");
        Assert.Empty(Survivors("sleep 4243"));
        Assert.Contains($"filled its {Limits.Words(Limits.Default.DiskBytes)} of disk", grade.Reason, StringComparison.Ordinal);
        long kept = Directory.EnumerateFiles(run.Output, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(kept < 300L << 20, $"The output folder holds {kept >> 20} MB: a submission's disk use reached the machine.");
    }

    [Fact]
    public void A_report_replaced_by_a_fifo_gives_that_student_zero_and_the_run_goes_on()
    {
        var grade = run.Grade("piper");

        Assert.Equal(GradeStatus.Crashed, grade.Status);
        Assert.Equal(0, grade.Points);
        Assert.Contains("not a regular file", grade.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_gigabytes_of_native_memory_are_stopped_at_the_memory_limit()
    {
        if (!run.Sandbox.HasControlGroups)
        {
            // Without a control group the reports must say so (prlimit or nothing), never claim the limit.
            Assert.Contains("control groups not writable here", run.Sandbox.Description + (run.Sandbox.IsIsolated ? "" : "control groups not writable here"), StringComparison.Ordinal);
            return;
        }

        var grade = run.Grade("hog");

        Assert.Equal(0, grade.Points);
        Assert.Contains($"used more than {Limits.Words(Limits.Default.MemoryBytes)} of memory", grade.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fork_bomb_is_held_at_the_process_limit_and_dies_with_the_run()
    {
        if (!run.Sandbox.HasControlGroups)
        {
            // Without a control group the reports must say so (prlimit or nothing), never claim the limit.
            Assert.Contains("control groups not writable here", run.Sandbox.Description + (run.Sandbox.IsIsolated ? "" : "control groups not writable here"), StringComparison.Ordinal);
            return;
        }

        var grade = run.Grade("bomb");

        Assert.Contains($"more than {Limits.Default.Tasks} processes or threads", grade.Reason, StringComparison.Ordinal);
        Assert.Empty(Survivors("b() { b | b & }"));
    }

    [Fact]
    public void A_giant_line_special_files_and_linked_folders_leave_an_otherwise_correct_submission_its_points()
    {
        var grade = run.Grade("noisy");

        Assert.Equal(GradeStatus.Graded, grade.Status);
        Assert.Equal(run.Lab.Manifest.Milestones.Sum(m => m.Points), grade.Points);
        Assert.Contains("more than 8 MB", grade.Reason, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Contains(grade.Flags!, f => f.StartsWith("Fifo.cs is empty or not a regular file", StringComparison.Ordinal));
            Assert.Contains(grade.Flags!, f => f.StartsWith("Zero.cs is a link", StringComparison.Ordinal));
            Assert.Contains(grade.Flags!, f => f.StartsWith("Linked is a link", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Bad_zips_and_a_linked_src_are_rows_with_a_reason_and_nothing_is_written_outside()
    {
        Assert.Contains("points outside", run.Grade("traversal").Reason, StringComparison.Ordinal);
        Assert.Contains("absolute path", run.Grade("absolute").Reason, StringComparison.Ordinal);
        Assert.Contains("more than 200 MB", run.Grade("bomb.zip").Reason, StringComparison.Ordinal);
        Assert.Contains("not a readable zip", run.Grade("notazip").Reason, StringComparison.Ordinal);
        Assert.Contains("is a link", run.Grade("linked").Reason, StringComparison.Ordinal);
        foreach (var name in new[] { "traversal", "absolute", "bomb.zip", "notazip", "linked" })
        {
            Assert.Equal((GradeStatus.Rejected, 0.0), (run.Grade(name).Status, run.Grade(name).Points));
        }

        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "escaped-by-zip.txt")));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(run.OutsideMarker)!, "*-by-zip.txt", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_folder_and_a_zip_of_the_same_name_are_two_students()
    {
        Assert.Equal(run.Lab.Manifest.Milestones.Sum(m => m.Points), run.Grade("perfect").Points);
        Assert.Equal((GradeStatus.Graded, 0.0), (run.Grade("perfect.zip").Status, run.Grade("perfect.zip").Points));
    }

    [Fact]
    public void An_honest_submission_is_not_flagged()
    {
        Assert.Empty(run.Grade("perfect").Flags!);
        Assert.Empty(run.Grade("half").Flags!);
    }

    [Fact]
    public void The_isolation_line_states_what_the_probe_verified()
    {
        string html = Reports.ClassHtml(run.Grades, [(LabId, run.Lab.Manifest.Title)], run.Sandbox.Description, run.Sandbox.IsIsolated);

        if (run.Sandbox.IsIsolated)
        {
            Assert.Contains("verified at run time", html, StringComparison.Ordinal);
            Assert.Equal(8, run.Sandbox.Verified.Count);
        }
        else
        {
            Assert.Contains("NOT ISOLATED", html, StringComparison.Ordinal);
        }

        Assert.Contains("For the instructor to review", html, StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine($"Graded {run.Submissions.Count} submissions in {run.GradingTime.TotalSeconds:0} s; isolation: {run.Sandbox.Description}");
        foreach (var g in run.Grades.OrderBy(g => g.Student, StringComparer.Ordinal))
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{g.Student}: {g.Points}/{g.MaxPoints} {g.Status} build {g.BuildSeconds:0.0} s tests {g.TestSeconds:0.0} s | {g.Reason} | flags: {string.Join("; ", g.Flags ?? [])}");
        }
    }

    [Fact]
    public void No_control_group_of_the_run_is_left_behind()
    {
        Assert.Empty(Directory.Exists("/sys/fs/cgroup")
            ? Directory.EnumerateDirectories("/sys/fs/cgroup", "workbook-grade-*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 6 })
                .Where(d => File.Exists(Path.Combine(d, "cgroup.procs")) && File.ReadAllText(Path.Combine(d, "cgroup.procs")).Length > 0)
            : []);
        Assert.False(File.Exists("/usr/workbook-escape"));
    }

    private static List<string> Survivors(string command) =>
        Directory.GetDirectories("/proc")
            .Select(d => Path.Combine(d, "cmdline"))
            .Where(File.Exists)
            .Select(f => { try { return File.ReadAllText(f).Replace('\0', ' '); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .Where(c => c.Contains(command, StringComparison.Ordinal))
            .ToList();

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
        Assert.Contains("M2 · ` Server_sends_S0_S1_S2_before_C2_and_then_accepts_C2 `", markdown, StringComparison.Ordinal);
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
            .Concat(new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" }.Select(f => Path.Combine(root, f)).Where(File.Exists))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f).Ticks}"));

    /// <summary>Makes the submissions, grades them all once (two at a time), keeps the grades.</summary>
    public sealed class Run : IAsyncLifetime
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "workbook-grading-" + Guid.NewGuid().ToString("n")[..8]);
        private TcpListener? _listener;
        private TcpListener? _hostListener;
        private int _connections;
        private int _hostConnections;

        public Repository Repository { get; } = Repository.Locate();

        public Lab Lab => Repository.Find(LabId);

        public Sandbox Sandbox { get; private set; } = null!;

        public IReadOnlyList<Submission> Submissions { get; private set; } = [];

        public IReadOnlyList<LabGrade> Grades { get; private set; } = [];

        public string RepositoryBefore { get; private set; } = "";

        public string OutsideMarker => Path.Combine(_folder, "outside-marker");

        public int ConnectionsFromSubmissions => Volatile.Read(ref _connections);

        /// <summary>Connections to the machine's own non-loopback address (a listener on every interface).</summary>
        public int HostConnections => Volatile.Read(ref _hostConnections);

        /// <summary>The machine's non-loopback IPv4 address the escaping code tries, or null when it has none.</summary>
        public string? HostAddress { get; } = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up && n.NetworkInterfaceType != System.Net.NetworkInformation.NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))?.ToString();

        /// <summary>Where the Exec of a hostile build file would leave its mark.</summary>
        public string ExecMarker => Path.Combine(_folder, "exec-marker");

        /// <summary>The grading run's output folder.</summary>
        public string Output => Path.Combine(_folder, "out");

        /// <summary>How long grading every submission took (the reference run left out).</summary>
        public TimeSpan GradingTime { get; private set; }

        /// <summary>The control tests of the run.</summary>
        public Canaries Canaries { get; private set; } = null!;

        public LabGrade Grade(string student) => Grades.Single(g => g.Student == student);

        public async ValueTask InitializeAsync()
        {
            RepositoryBefore = Snapshot(Repository.Root);
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _ = CountConnectionsAsync(_listener, () => Interlocked.Increment(ref _connections));
            _hostListener = new TcpListener(IPAddress.Any, 0);
            _hostListener.Start();
            _ = CountConnectionsAsync(_hostListener, () => Interlocked.Increment(ref _hostConnections));
            string submissions = Path.Combine(_folder, "submissions");
            Fabricate(submissions, ((IPEndPoint)_listener.LocalEndpoint).Port, ((IPEndPoint)_hostListener.LocalEndpoint).Port);
            Sandbox = await Sandbox.DetectAsync(CancellationToken.None, mustBeHidden: [Repository.Root, submissions, Output]);
            var options = new GradingOptions(Output, null, submissions, 3, TimeSpan.FromSeconds(40), TimeSpan.FromMinutes(5));
            var grader = new Grader(Repository, Sandbox, options);
            Canaries = grader.Canaries;
            await grader.PrepareAsync(Lab, CancellationToken.None);
            var watch = System.Diagnostics.Stopwatch.StartNew();
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
            GradingTime = watch.Elapsed;
        }

        public ValueTask DisposeAsync()
        {
            _listener?.Stop();
            _hostListener?.Stop();
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

        private static async Task CountConnectionsAsync(TcpListener listener, Action count)
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync();
                    count();
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }

        private void Fabricate(string root, int port, int hostPort)
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

            // Prints 200 MB on one line (no newline at all), and holds a fifo, a link to /dev/zero and a linked folder among its
            // sources: the grader keeps 8 MB of the output, never opens the special files, never follows the links.
            From("noisy", Lab.SolutionDirectory);
            File.WriteAllText(Path.Combine(Src("noisy"), "Noisy.cs"), Initializer(
                "var chunk = new string('x', 1 << 20); for (int i = 0; i < 200; i++) { System.Console.Out.Write(chunk); } System.Console.Out.Flush();"));
            if (!OperatingSystem.IsWindows())
            {
                MakeFifo(Path.Combine(Src("noisy"), "Fifo.cs"));
                File.CreateSymbolicLink(Path.Combine(Src("noisy"), "Zero.cs"), "/dev/zero");
                Directory.CreateSymbolicLink(Path.Combine(Src("noisy"), "Linked"), Lab.SolutionDirectory);
            }

            // Starts a detached process that would outlive the run if nothing stopped it.
            From("forker", Lab.SolutionDirectory);
            File.WriteAllText(Path.Combine(Src("forker"), "Forker.cs"), Initializer(
                "try { System.Diagnostics.Process.Start(\"setsid\", \"sleep 4242\"); } catch (System.Exception) { }"));

            // Tries every way out: read the instructor's solution, another submission, the repository and the home folder;
            // write outside; connect out (loopback listener of the machine, and the machine's own address); unmount the work
            // folder, remount / and /usr writable, a nested user namespace, /proc/sys and the cgroup file system.
            From("snoop", Lab.SolutionDirectory);
            string secret = Path.Combine(Lab.SolutionDirectory, "HandshakeServer.cs");
            string neighbour = Path.Combine(Src("perfect"), "HandshakeServer.cs");
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            File.WriteAllText(Path.Combine(Src("snoop"), "Snoop.cs"), Initializer($$"""
                var escaped = new System.Collections.Generic.List<string>();
                try { System.IO.File.ReadAllText({{Literal(secret)}}); escaped.Add("read the solution"); } catch (System.Exception) { }
                try { System.IO.File.ReadAllText({{Literal(neighbour)}}); escaped.Add("read another submission"); } catch (System.Exception) { }
                if (System.IO.Directory.Exists({{Literal(Repository.Root)}})) { escaped.Add("saw the repository"); }
                if (System.IO.Directory.Exists({{Literal(home)}}) && {{Literal(home)}} != "/") { escaped.Add("saw the home folder"); }
                try { System.IO.File.WriteAllText({{Literal(OutsideMarker)}}, "x"); escaped.Add("wrote outside"); } catch (System.Exception) { }
                try { using var c = new System.Net.Sockets.TcpClient(); c.Connect("127.0.0.1", {{port}}); escaped.Add("connected out"); } catch (System.Exception) { }
                {{(HostAddress is null ? "" : $"try {{ using var c = new System.Net.Sockets.TcpClient(); c.Connect(\"{HostAddress}\", {hostPort}); escaped.Add(\"connected to the machine's address\"); }} catch (System.Exception) {{ }}")}}
                int Run(string command)
                {
                    try
                    {
                        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", new[] { "-c", command + " 2>/dev/null" }) { RedirectStandardOutput = true });
                        p!.WaitForExit(10000);
                        return p.ExitCode;
                    }
                    catch (System.Exception) { return -1; }
                }
                if (Run("umount /w || umount -l /w") == 0) { escaped.Add("unmounted the work folder"); }
                if (Run("mount -o remount,bind,rw /") == 0) { escaped.Add("remounted / writable"); }
                if (Run("mount -o remount,rw /usr && touch /usr/workbook-escape") == 0) { escaped.Add("remounted /usr writable"); }
                if (Run("unshare -U -r true") == 0) { escaped.Add("made a user namespace"); }
                if (Run("echo 1 > /proc/sys/kernel/ns_last_pid") == 0) { escaped.Add("wrote /proc/sys"); }
                if (Run("mkdir /sys/fs/cgroup/pids/workbook-escape || mkdir /sys/fs/cgroup/workbook-escape") == 0) { escaped.Add("wrote the cgroup file system"); }
                if (escaped.Count > 0) { System.Console.Error.WriteLine("ESCAPED: " + string.Join(", ", escaped)); System.Environment.Exit(3); }
                """));

            // The stubs, with build files that run a command (never taken in: only .cs files are), and code that hunts for the
            // reference build to copy over its own assembly, appends an Exec to every build file it can reach, and fills the disk.
            From("builder", Lab.SourceDirectory);
            string exec = $"<Project><Target Name=\"Evil\" BeforeTargets=\"Build\"><Exec Command=\"touch {ExecMarker}; setsid sleep 4243 &amp;\" /></Target></Project>";
            File.WriteAllText(Path.Combine(Src("builder"), "Directory.Build.targets"), exec);
            File.WriteAllText(Path.Combine(root, "builder", "Directory.Build.targets"), exec);
            File.WriteAllText(Path.Combine(root, "builder", "labs", slug, "Directory.Build.props"), exec.Replace("Target Name", "Target Name", StringComparison.Ordinal));
            File.WriteAllText(Path.Combine(Src("builder"), "Builder.cs"), Initializer($$"""
                string me = typeof(Extra).Assembly.Location;
                foreach (var top in new[] { "/w", "/tmp", "/stage", "/pristine", {{Literal(Output)}}, {{Literal(Repository.Root)}} })
                {
                    try
                    {
                        foreach (var dll in System.IO.Directory.EnumerateFiles(top, "Lab01.RtmpHandshake.dll", new System.IO.EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
                        {
                            if (dll != me && !dll.Contains("/src/", System.StringComparison.Ordinal)) { try { System.IO.File.Copy(dll, me, true); } catch (System.Exception) { } }
                        }
                    }
                    catch (System.Exception) { }
                }
                foreach (var targets in new[] { "/w/Directory.Build.targets", "/stage/Directory.Build.targets", {{Literal(Path.Combine(Repository.Root, "Directory.Build.targets"))}} })
                {
                    try { System.IO.File.AppendAllText(targets, {{Literal(exec)}}); } catch (System.Exception) { }
                }
                try
                {
                    using var big = System.IO.File.Create("/w/tmp/big");
                    var block = new byte[1 << 20];
                    for (int i = 0; i < 2048; i++) { big.Write(block); }
                }
                catch (System.Exception) { }
                """));

            // Rewrites the report at exit: every test passed.
            From("forger", Lab.SourceDirectory);
            File.WriteAllText(Path.Combine(Src("forger"), "Forger.cs"), Initializer("""
                System.AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    var args = System.Environment.GetCommandLineArgs();
                    int at = System.Array.IndexOf(args, "-xml");
                    if (at < 0) { return; }
                    string xml = System.IO.File.ReadAllText(args[at + 1]);
                    xml = System.Text.RegularExpressions.Regex.Replace(xml, "result=\"Fail\"", "result=\"Pass\"");
                    xml = System.Text.RegularExpressions.Regex.Replace(xml, "<failure[\\s\\S]*?</failure>", "");
                    xml = System.Text.RegularExpressions.Regex.Replace(xml, "failed=\"\\d+\"", "failed=\"0\"");
                    System.IO.File.WriteAllText(args[at + 1], xml);
                };
                """));

            // Overwrites the compiled entry of every test method it can find with an immediate return.
            From("patcher", Lab.SourceDirectory);
            File.WriteAllText(Path.Combine(Src("patcher"), "Patcher.cs"), """
                namespace Lab01.RtmpHandshake;

                internal static class Patcher
                {
                    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
                    private static extern int mprotect(System.IntPtr address, System.UIntPtr length, int protection);

                    [System.Runtime.CompilerServices.ModuleInitializer]
                    internal static void Start()
                    {
                        foreach (var assembly in System.AppDomain.CurrentDomain.GetAssemblies())
                        {
                            System.Type[] types;
                            try { types = assembly.GetTypes(); } catch (System.Exception) { continue; }
                            foreach (var type in types)
                            {
                                foreach (var method in type.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly))
                                {
                                    if (method.ReturnType != typeof(void) || !System.Linq.Enumerable.Any(method.GetCustomAttributes(false), a => a.GetType().Name == "FactAttribute")) { continue; }
                                    try
                                    {
                                        System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(method.MethodHandle);
                                        System.IntPtr entry = method.MethodHandle.GetFunctionPointer();
                                        long page = entry.ToInt64() & ~0xFFFL;
                                        if (mprotect(new System.IntPtr(page), new System.UIntPtr(0x2000), 7) == 0)
                                        {
                                            System.Runtime.InteropServices.Marshal.WriteByte(entry, 0xC3);
                                        }
                                    }
                                    catch (System.Exception) { }
                                }
                            }
                        }
                    }
                }
                """);

            // Replaces the report with a fifo at exit (the old grader's read of it blocked forever).
            From("piper", Lab.SourceDirectory);
            File.WriteAllText(Path.Combine(Src("piper"), "Piper.cs"), Initializer("""
                System.AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    var args = System.Environment.GetCommandLineArgs();
                    int at = System.Array.IndexOf(args, "-xml");
                    if (at < 0) { return; }
                    try { System.IO.File.Delete(args[at + 1]); System.Diagnostics.Process.Start("mkfifo", args[at + 1])!.WaitForExit(); } catch (System.Exception) { }
                };
                """));

            // 10 GB of native memory, every page touched.
            From("hog", Lab.SolutionDirectory);
            File.WriteAllText(Path.Combine(Src("hog"), "Hog.cs"), Initializer("""
                var blocks = new System.Collections.Generic.List<System.IntPtr>();
                for (long done = 0; done < (10L << 30); done += 64 << 20)
                {
                    var block = System.Runtime.InteropServices.Marshal.AllocHGlobal(64 << 20);
                    for (int offset = 0; offset < (64 << 20); offset += 4096) { System.Runtime.InteropServices.Marshal.WriteByte(block, offset, 1); }
                    blocks.Add(block);
                }
                """));

            // A fork bomb.
            From("bomb", Lab.SolutionDirectory);
            File.WriteAllText(Path.Combine(Src("bomb"), "Bomb.cs"), Initializer("""
                try { System.Diagnostics.Process.Start("sh", new[] { "-c", "b() { b | b & }; b" }); } catch (System.Exception) { }
                System.Threading.Thread.Sleep(5000);
                """));

            // A folder and a zip of the same name are two students; the zip holds the stubs.
            Zip(Path.Combine(root, "perfect.zip"), [("labs/" + slug + "/src/", null)], Lab.SourceDirectory, "labs/" + slug + "/src/");

            // Bad zips: each is its student's row with the reason; none stops the class.
            Zip(Path.Combine(root, "traversal.zip"), [("../../escaped-by-zip.txt", "x")]);
            Zip(Path.Combine(root, "absolute.zip"), [(Path.Combine(_folder, "absolute-by-zip.txt"), "x")]);
            ZipBomb(Path.Combine(root, "bomb.zip"));
            File.WriteAllBytes(Path.Combine(root, "notazip.zip"), System.Text.Encoding.ASCII.GetBytes("this is not a zip"));

            // A src that is a link to the instructor's solution.
            Directory.CreateDirectory(Path.Combine(root, "linked", "labs", slug));
            Directory.CreateSymbolicLink(Src("linked"), Lab.SolutionDirectory);
        }

        private static void MakeFifo(string path)
        {
            using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
            mkfifo.WaitForExit();
        }

        private static void Zip(string zip, IReadOnlyList<(string Name, string? Text)> entries, string? folder = null, string? under = null)
        {
            using var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create);
            foreach (var (name, text) in entries)
            {
                var entry = archive.CreateEntry(name);
                if (text is not null)
                {
                    using var writer = new StreamWriter(entry.Open());
                    writer.Write(text);
                }
            }

            if (folder is not null)
            {
                foreach (var file in Directory.GetFiles(folder, "*.cs"))
                {
                    System.IO.Compression.ZipFileExtensions.CreateEntryFromFile(archive, file, under + Path.GetFileName(file));
                }
            }
        }

        /// <summary>A zip whose one entry inflates to 300 MB of zeros (about 300 kB packed).</summary>
        private static void ZipBomb(string zip)
        {
            using var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create);
            using var stream = archive.CreateEntry("labs/zeros.cs", System.IO.Compression.CompressionLevel.SmallestSize).Open();
            var block = new byte[1 << 20];
            for (int i = 0; i < 300; i++)
            {
                stream.Write(block);
            }
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
