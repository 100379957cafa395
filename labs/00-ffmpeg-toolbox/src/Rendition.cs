namespace Lab00.FfmpegToolbox;

/// <summary>One rung of an ABR ladder (自适应码率阶梯): a picture size and the bit rate it gets.</summary>
/// <param name="Name">A short name, used for the output file: "360p".</param>
/// <param name="Width">Picture width in pixels (even, for 4:2:0).</param>
/// <param name="Height">Picture height in pixels (even).</param>
/// <param name="BitrateKbps">Target and maximum video bit rate.</param>
public sealed record Rendition(string Name, int Width, int Height, int BitrateKbps);
