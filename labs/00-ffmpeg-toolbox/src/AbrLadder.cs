namespace Lab00.FfmpegToolbox;

/// <summary>
/// An ABR ladder: several renditions of the same video. A player switches between them only at keyframes, so every
/// rendition has the same fixed GOP, and its keyframes fall on the same frames (README §Recipes).
/// </summary>
/// <param name="Renditions">The rungs, largest first by convention.</param>
/// <param name="GopFrames">The GOP every rendition shares, in frames (a segment of HLS or DASH holds whole GOPs).</param>
/// <param name="Preset">libx264's preset for every rendition.</param>
public sealed record AbrLadder(IReadOnlyList<Rendition> Renditions, int GopFrames = 50, string Preset = "veryfast");
