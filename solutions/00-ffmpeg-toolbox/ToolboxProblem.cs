namespace Lab00.FfmpegToolbox;

/// <summary>What went wrong, as far as the learner needs to know to fix it (README §Errors).</summary>
public enum ToolboxProblem
{
    /// <summary>The input file does not exist.</summary>
    InputMissing,

    /// <summary>ffprobe cannot open the input as media, or it holds no audio or video stream.</summary>
    NotMedia,

    /// <summary>ffmpeg or ffprobe is not on PATH, or not in the binary folder the options name.</summary>
    FfmpegMissing,

    /// <summary>ffmpeg ran and failed (a filter or option it rejects, an output it cannot write).</summary>
    FfmpegFailed,
}
