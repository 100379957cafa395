namespace Lab00.FfmpegToolbox.Tests;

/// <summary>Waiting for a toolbox call that must fail, with messages for the learner.</summary>
internal static class Expect
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>The <see cref="ToolboxException"/> <paramref name="task"/> fails with; a test failure when it succeeds, takes too long or throws anything else.</summary>
    public static async Task<ToolboxException> ToolboxErrorAsync(Task task, string given)
    {
        try
        {
            await Deadline.Within(task, Limit, $"your code to reject {given}");
        }
        catch (ToolboxException e)
        {
            return e;
        }
        catch (Xunit.Sdk.XunitException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"Given {given}, throw ToolboxException; yours threw {e.GetType().Name}: {e.Message}. See README §Errors.");
        }

        throw new Xunit.Sdk.XunitException($"Given {given}, throw ToolboxException; yours returned normally. See README §Errors.");
    }
}
