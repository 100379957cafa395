using Workbook.Labs;
using Workbook.Running;

namespace Workbook.Grading;

/// <summary>How one milestone's points are earned: in proportion to passed tests, or all or nothing.</summary>
public enum Credit
{
    Partial,
    AllOrNothing,
}

/// <summary>The score of one milestone for one submission.</summary>
public sealed record MilestoneScore(string Id, string Title, bool Stretch, int Passed, int Total, double Points, double MaxPoints);

/// <summary>Scores milestones from test outcomes, as a lab's lab.json says.</summary>
public static class GradingPlan
{
    /// <summary>
    /// Scores each milestone. <paramref name="expected"/> are the tests the pristine project holds (from the
    /// reference run): a test missing from the submission's report counts as failed.
    /// </summary>
    public static IReadOnlyList<MilestoneScore> Score(Lab lab, IReadOnlyList<TestOutcome> expected, IReadOnlyList<TestOutcome> outcomes)
    {
        var byName = outcomes.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());
        return lab.Manifest.Milestones.Select(m =>
        {
            var tests = expected.Where(t => lab.MilestoneOf(t.MilestoneTrait)?.Id == m.Id).ToList();
            int passed = tests.Count(t => byName.TryGetValue(t.Name, out var o) && o.Result == TestResultKind.Pass);
            var credit = m.Credit?.Equals("all-or-nothing", StringComparison.OrdinalIgnoreCase) == true ? Credit.AllOrNothing : Credit.Partial;
            double points = tests.Count == 0 ? 0
                : credit == Credit.AllOrNothing ? (passed == tests.Count ? m.Points : 0)
                : Math.Round(m.Points * (double)passed / tests.Count, 2);
            return new MilestoneScore(m.Id, m.Title, m.Stretch, passed, tests.Count, points, m.Points);
        }).ToList();
    }
}
