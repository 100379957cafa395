namespace Lab00.FfmpegToolbox;

/// <summary>Runs the recipes: checks the tools and the input, then runs the command (given code).</summary>
public static class Encoder
{
    /// <summary>Encodes <paramref name="input"/> with the VOD recipe.</summary>
    public static async Task EncodeVodAsync(string input, string output, VodRecipe recipe, ToolboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        var ffOptions = FfmpegTools.Locate(options);
        FfmpegTools.RequireInput(input);
        await FfmpegTools.RunAsync(Recipes.Vod(input, output, recipe), ffOptions, output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Encodes <paramref name="input"/> with the low-latency live recipe (to a file; a URL works the same way).</summary>
    public static async Task EncodeLiveAsync(string input, string output, LiveRecipe recipe, ToolboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        var ffOptions = FfmpegTools.Locate(options);
        FfmpegTools.RequireInput(input);
        await FfmpegTools.RunAsync(Recipes.Live(input, output, recipe), ffOptions, output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Encodes every rendition of <paramref name="ladder"/> into <paramref name="folder"/> as <c>{Name}.mp4</c>, one after another.</summary>
    /// <returns>The output file of each rendition, in the ladder's order.</returns>
    public static async Task<IReadOnlyList<string>> EncodeLadderAsync(string input, string folder, AbrLadder ladder, ToolboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ladder);
        var ffOptions = FfmpegTools.Locate(options);
        FfmpegTools.RequireInput(input);
        Directory.CreateDirectory(folder);
        var outputs = new List<string>();
        foreach (var rendition in ladder.Renditions)
        {
            string output = Path.Combine(folder, rendition.Name + ".mp4");
            await FfmpegTools.RunAsync(Recipes.Rendition(input, output, rendition, ladder), ffOptions, output, cancellationToken).ConfigureAwait(false);
            outputs.Add(output);
        }

        return outputs;
    }
}
