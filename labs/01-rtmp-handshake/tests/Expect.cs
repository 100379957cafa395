namespace Lab01.RtmpHandshake.Tests;

/// <summary>Waiting for a handshake that must fail, with messages for the learner.</summary>
internal static class Expect
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>The exception <paramref name="task"/> fails with; a test failure when it succeeds or takes too long.</summary>
    public static async Task<Exception> FailureAsync(Task task, string waitingFor)
    {
        try
        {
            await Deadline.Within(task, Limit, waitingFor);
        }
        catch (Xunit.Sdk.XunitException)
        {
            throw;
        }
        catch (Exception e)
        {
            return e;
        }

        throw new Xunit.Sdk.XunitException($"Expected the handshake to fail ({waitingFor}), but it succeeded. See README §Errors.");
    }

    /// <summary>The <see cref="HandshakeException"/> <paramref name="task"/> fails with.</summary>
    public static async Task<HandshakeException> HandshakeErrorAsync(Task task, string waitingFor)
    {
        var error = await FailureAsync(task, waitingFor);
        return error as HandshakeException ?? throw new Xunit.Sdk.XunitException(
            $"Expected a HandshakeException ({waitingFor}); got {error.GetType().Name}: {error.Message}. See README §Errors.");
    }

    /// <summary>
    /// Awaits a step of the scripted peer (<paramref name="step"/>), but fails at once with the code's own exception
    /// when <paramref name="underTest"/> fails first, instead of waiting out the limit for bytes that will never come.
    /// </summary>
    public static async Task<T> PeerStepAsync<T>(Task<T> step, Task underTest, string waitingFor)
    {
        var started = DateTime.UtcNow;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var limit = Task.Delay(Limit, stop.Token);
        var first = await Task.WhenAny(step, underTest, limit);
        stop.Cancel();
        if (first == underTest && underTest.IsFaulted && !step.IsCompleted)
        {
            var error = underTest.Exception!.GetBaseException();
            throw new Xunit.Sdk.XunitException($"Your code failed while the test waited for {waitingFor}:\n{error.GetType().Name}: {error.Message}");
        }

        // Whatever is left of the same limit, not a second one: the test must fail inside its own Timeout, because a
        // test that only times out is not reported as a failure by every runner (Stryker's MTP runner counts it as passed).
        var left = Limit - (DateTime.UtcNow - started);
        return await Deadline.Within(step, left > TimeSpan.Zero ? left : TimeSpan.Zero, waitingFor);
    }
}
