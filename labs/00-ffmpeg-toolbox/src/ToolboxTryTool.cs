namespace Lab00.FfmpegToolbox;

/// <summary>
/// <c>workbook try 00 &lt;media file&gt;</c>: prints the probe summary of the learner's own file (GOP and B-frames
/// measured from its packets). Given code: it calls your <see cref="Probe.SummarizeAsync"/>.
/// </summary>
public static class ToolboxTryTool
{
    /// <summary>How to call it.</summary>
    public const string Usage = "usage: workbook try 00 <media file>";

    /// <summary>Runs the tool. Returns the exit code: 0 done, 1 the file or ffmpeg is the problem, 2 bad arguments.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        string? file = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal) || file is not null)
            {
                await output.WriteLineAsync($"{Usage}   (unexpected argument '{arg}')").ConfigureAwait(false);
                return 2;
            }

            file = arg;
        }

        if (file is null)
        {
            await output.WriteLineAsync(Usage + "   (for example testdata/00-ffmpeg-toolbox/bframes.mp4)").ConfigureAwait(false);
            return 2;
        }

        try
        {
            var summary = await Probe.SummarizeAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(summary.Describe()).ConfigureAwait(false);
            return 0;
        }
        catch (ToolboxException e)
        {
            await output.WriteLineAsync($"{e.Problem}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (NotImplementedException e)
        {
            await output.WriteLineAsync($"not written yet: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
