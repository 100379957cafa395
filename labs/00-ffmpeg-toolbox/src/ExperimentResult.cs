namespace Lab00.FfmpegToolbox;

/// <summary>One cell of the preset × CRF grid, ready to plot (README §Experiment).</summary>
/// <param name="Preset">libx264's preset.</param>
/// <param name="Crf">The CRF.</param>
/// <param name="Bytes">The encoded file's size.</param>
/// <param name="BitrateKbps">Its video bit rate: bytes × 8 ÷ the source's duration, in kb/s.</param>
/// <param name="EncodeCpuSeconds">CPU time ffmpeg used for the encode (its <c>-benchmark</c> "utime": user time over all threads).</param>
/// <param name="SpeedRatio">This preset's mean CPU time ÷ the fastest preset's mean CPU time in the same run: 1 for the fastest.</param>
/// <param name="Psnr">PSNR against the source, dB.</param>
/// <param name="Ssim">SSIM against the source.</param>
/// <param name="Vmaf">VMAF against the source, when ffmpeg has libvmaf.</param>
/// <param name="OutputPath">The encoded file, kept for a look or a second opinion.</param>
public sealed record ExperimentResult(
    string Preset,
    int Crf,
    long Bytes,
    double BitrateKbps,
    double EncodeCpuSeconds,
    double SpeedRatio,
    double Psnr,
    double Ssim,
    double? Vmaf,
    string OutputPath);
