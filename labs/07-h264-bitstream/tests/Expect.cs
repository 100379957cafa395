namespace Lab07.H264Bitstream.Tests;

/// <summary>Bad input that must fail with the lab's one exception type, with a message for the learner.</summary>
internal static class Expect
{
    /// <summary>
    /// The <see cref="H264FormatException"/> <paramref name="act"/> throws; a test failure that says what was
    /// given, what came instead and where to read (<paramref name="readme"/>) when it throws anything else or nothing.
    /// </summary>
    public static H264FormatException FormatError(Action act, string given, string readme)
    {
        var error = Record.Exception(act);
        return error as H264FormatException ?? throw new Xunit.Sdk.XunitException(
            $"Given {given}, expected an H264FormatException carrying the NAL index, bit offset and field; " +
            (error is null ? "nothing was thrown" : $"got {error.GetType().Name}: {error.Message}") + $". See README {readme}.");
    }
}
