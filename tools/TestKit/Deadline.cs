namespace Workbook.TestKit;

/// <summary>
/// Time limits for code under test. A learner's unfinished or looping code fails one test with a
/// message that says what it was waiting for, instead of hanging the whole run.
/// </summary>
public static class Deadline
{
    /// <summary>The default limit for one network step in a test.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(5);

    /// <summary>A token cancelled after <paramref name="limit"/> or when the test is cancelled.</summary>
    public static CancellationTokenSource After(TimeSpan limit)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(Xunit.TestContext.Current.CancellationToken);
        source.CancelAfter(limit);
        return source;
    }

    /// <summary>Awaits <paramref name="task"/>, failing with <paramref name="waitingFor"/> when it takes longer than <paramref name="limit"/>.</summary>
    public static async Task<T> Within<T>(Task<T> task, TimeSpan limit, string waitingFor)
    {
        try
        {
            return await task.WaitAsync(limit, Xunit.TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {waitingFor}.");
        }
    }

    /// <summary>Awaits <paramref name="task"/>, failing with <paramref name="waitingFor"/> when it takes longer than <paramref name="limit"/>.</summary>
    public static async Task Within(Task task, TimeSpan limit, string waitingFor)
    {
        try
        {
            await task.WaitAsync(limit, Xunit.TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {waitingFor}.");
        }
    }
}
