using Workbook.Labs;
using Workbook.Running;
using Workbook.Stubs;

namespace Workbook.Commands;

/// <summary>Where a learner stands on one milestone.</summary>
public enum MilestoneState
{
    /// <summary>The learner's code is still the stub.</summary>
    NotStarted,

    /// <summary>Code changed since the last check: run check to know.</summary>
    NotChecked,

    /// <summary>Some tests fail.</summary>
    Failing,

    /// <summary>Every test passes.</summary>
    Passed,
}

/// <summary>
/// One milestone's standing, with its test counts. <paramref name="OnSolutions"/>: it passed only when the lab was
/// built on the reference versions of earlier labs (<c>check NN --depend-on-solutions</c>), not on the learner's own.
/// </summary>
public sealed record MilestoneProgress(Milestone Milestone, MilestoneState State, int Passed, int Total, bool OnSolutions = false);

/// <summary>Works out a lab's progress from the learner's files and the last saved checks.</summary>
public static class Progress
{
    public static IReadOnlyList<MilestoneProgress> Of(Lab lab, LabRunner runner)
    {
        bool untouched = StubGenerator.Drift(lab).Count == 0;
        return Of(lab.Manifest, untouched, Fresh(lab, runner.Last(lab, Target.Student)), Fresh(lab, runner.Last(lab, Target.Student, onSolutions: true)));
    }

    /// <summary>
    /// A lab's progress from its last plain check and its last check on the reference versions of earlier labs
    /// (each null when there is none or the learner's files changed since).
    /// </summary>
    public static IReadOnlyList<MilestoneProgress> Of(LabManifest manifest, bool untouched, LabRun? plain, LabRun? onSolutions)
    {
        plain = plain is { BuildError: null } ? plain : null;
        onSolutions = onSolutions is { BuildError: null } ? onSolutions : null;
        return manifest.Milestones.Select(m =>
        {
            if (untouched)
            {
                return new MilestoneProgress(m, MilestoneState.NotStarted, 0, (plain ?? onSolutions)?.Of(m.Id).Count() ?? 0);
            }

            var own = plain is null ? null : Measure(m, plain, false);
            var borrowed = onSolutions is null ? null : Measure(m, onSolutions, true);
            if (own is { State: MilestoneState.Passed } || (own is not null && borrowed is not { State: MilestoneState.Passed }))
            {
                return own;
            }

            return borrowed ?? own ?? new MilestoneProgress(m, MilestoneState.NotChecked, 0, 0);
        }).ToList();
    }

    /// <summary>A milestone's state from its tests: passed when all pass, not started when every failure is a stub's.</summary>
    public static MilestoneState StateOf(IReadOnlyCollection<TestOutcome> tests)
    {
        int passed = tests.Count(t => t.Result == TestResultKind.Pass);
        return tests.Count > 0 && passed == tests.Count ? MilestoneState.Passed
            : passed == 0 && tests.All(t => t.IsNotImplemented) ? MilestoneState.NotStarted
            : MilestoneState.Failing;
    }

    /// <summary>
    /// When the learner last worked on a lab: their last check of it (even on the untouched stubs: that is how a lab
    /// starts) or their last save in it, whichever came later; null when neither happened.
    /// </summary>
    public static DateTimeOffset? LastActivity(Lab lab, LabRunner runner)
    {
        var runs = new[] { runner.Last(lab, Target.Student), runner.Last(lab, Target.Student, onSolutions: true) }.OfType<LabRun>().ToList();
        bool untouched = StubGenerator.Drift(lab).Count == 0;
        if (untouched && runs.Count == 0)
        {
            return null;
        }

        var saved = untouched ? (DateTimeOffset?)null : lab.SourceFiles().Max(f => (DateTimeOffset?)new DateTimeOffset(File.GetLastWriteTimeUtc(Path.Combine(lab.SourceDirectory, f)), TimeSpan.Zero));
        return runs.Select(r => (DateTimeOffset?)r.When).Append(saved).Max();
    }

    /// <summary>True when a file of the learner's lab changed after <paramref name="when"/>.</summary>
    public static bool ChangedSince(Lab lab, DateTimeOffset when) =>
        lab.SourceFiles().Any(f => File.GetLastWriteTimeUtc(Path.Combine(lab.SourceDirectory, f)) > when.UtcDateTime);

    private static LabRun? Fresh(Lab lab, LabRun? run) => run is null || ChangedSince(lab, run.When) ? null : run;

    private static MilestoneProgress Measure(Milestone milestone, LabRun run, bool onSolutions)
    {
        var tests = run.Of(milestone.Id).ToList();
        var state = StateOf(tests);
        return new MilestoneProgress(milestone, state, tests.Count(t => t.Result == TestResultKind.Pass), tests.Count, onSolutions && state == MilestoneState.Passed);
    }
}
