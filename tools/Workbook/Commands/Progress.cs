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

/// <summary>One milestone's standing, with its test counts.</summary>
public sealed record MilestoneProgress(Milestone Milestone, MilestoneState State, int Passed, int Total);

/// <summary>Works out a lab's progress from the learner's files and the last saved check.</summary>
public static class Progress
{
    public static IReadOnlyList<MilestoneProgress> Of(Lab lab, LabRunner runner)
    {
        bool untouched = StubGenerator.Drift(lab).Count == 0;
        var last = runner.Last(lab, Target.Student);
        bool stale = last is null || ChangedSince(lab, last.When);
        return lab.Manifest.Milestones.Select(m =>
        {
            if (untouched)
            {
                return new MilestoneProgress(m, MilestoneState.NotStarted, 0, last?.Of(m.Id).Count() ?? 0);
            }

            if (last is not null && !stale && last.BuildError is null)
            {
                var tests = last.Of(m.Id).ToList();
                int passed = tests.Count(t => t.Result == TestResultKind.Pass);
                var state = tests.Count > 0 && passed == tests.Count ? MilestoneState.Passed
                    : passed == 0 && tests.All(t => t.IsNotImplemented) ? MilestoneState.NotStarted
                    : MilestoneState.Failing;
                return new MilestoneProgress(m, state, passed, tests.Count);
            }

            return new MilestoneProgress(m, MilestoneState.NotChecked, 0, 0);
        }).ToList();
    }

    /// <summary>True when a file of the learner's lab changed after <paramref name="when"/>.</summary>
    public static bool ChangedSince(Lab lab, DateTimeOffset when) =>
        lab.SourceFiles().Any(f => File.GetLastWriteTimeUtc(Path.Combine(lab.SourceDirectory, f)) > when.UtcDateTime);
}
