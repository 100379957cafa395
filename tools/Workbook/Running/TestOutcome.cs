namespace Workbook.Running;

/// <summary>One test's result, as the xunit v3 runner reported it.</summary>
public sealed partial record TestOutcome(
    string Name,
    string Method,
    string? MilestoneTrait,
    TestResultKind Result,
    string? Message,
    string? ExceptionType,
    double Seconds)
{
    /// <summary>
    /// True when the test failed only because the learner's code is still a stub: it threw the stub's
    /// NotImplementedException, or its message quotes one ("not written yet: Lab 01 · M2: …", as a try tool or a
    /// test that catches the exception reports it).
    /// </summary>
    public bool IsNotImplemented =>
        Result == TestResultKind.Fail &&
        (ExceptionType == typeof(NotImplementedException).FullName ||
         (Message?.Contains("NotImplementedException", StringComparison.Ordinal) ?? false) ||
         StubMessage().IsMatch(Message ?? ""));

    /// <summary>The text a generated stub throws: "Lab 01 · M2: what to do".</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\bLab \d\d · M\d+: ")]
    private static partial System.Text.RegularExpressions.Regex StubMessage();
}

public enum TestResultKind
{
    Pass,
    Fail,
    Skip,
    NotRun,
}

/// <summary>A run of one lab's tests against the learner's code or the solution.</summary>
public sealed record LabRun(string LabId, string Target, DateTimeOffset When, IReadOnlyList<TestOutcome> Tests, string? BuildError, bool OnSolutions = false)
{
    /// <summary>Tests of one milestone.</summary>
    public IEnumerable<TestOutcome> Of(string milestoneId) =>
        Tests.Where(t => (t.MilestoneTrait?.Split(' ', 2)[0] ?? "").Equals(milestoneId, StringComparison.OrdinalIgnoreCase));
}
