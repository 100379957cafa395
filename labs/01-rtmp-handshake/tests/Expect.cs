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
}
