namespace Lab00.FfmpegToolbox;

/// <summary>
/// The one exception the toolbox throws for bad input or a missing tool: a file that is not there, a
/// file that is not media, no ffmpeg, or an ffmpeg run that failed. The message says what to do.
/// </summary>
/// <remarks>
/// Cancellation (a deadline, Ctrl+C) is not a toolbox error: it surfaces as
/// <see cref="OperationCanceledException"/>, as everywhere in .NET.
/// </remarks>
public sealed class ToolboxException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problem">What kind of problem it is.</param>
    /// <param name="path">The file (or, for a missing ffmpeg, the folder) the problem is about.</param>
    /// <param name="message">What went wrong and what to do about it.</param>
    /// <param name="toolOutput">The last lines ffmpeg or ffprobe printed, when one ran.</param>
    public ToolboxException(ToolboxProblem problem, string path, string message, IReadOnlyList<string>? toolOutput = null)
        : base(message)
    {
        Problem = problem;
        Path = path;
        ToolOutput = toolOutput ?? [];
    }

    /// <summary>What kind of problem it is.</summary>
    public ToolboxProblem Problem { get; }

    /// <summary>The file (or, for <see cref="ToolboxProblem.FfmpegMissing"/>, the folder searched) the problem is about.</summary>
    public string Path { get; }

    /// <summary>The last lines ffmpeg or ffprobe printed (empty when no tool ran).</summary>
    public IReadOnlyList<string> ToolOutput { get; }
}
