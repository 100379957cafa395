namespace Lab00.FfmpegToolbox;

/// <summary>How close an encode is to its source, by ffmpeg's own metrics (README §Experiment).</summary>
/// <param name="Psnr">Peak signal-to-noise ratio (峰值信噪比) in dB, ffmpeg's psnr filter "average" (all planes, pixel-weighted); +∞ for identical pictures.</param>
/// <param name="Ssim">Structural similarity (结构相似性), ffmpeg's ssim filter "All": 1 is identical.</param>
/// <param name="Vmaf">Netflix's VMAF score, 0–100, when this ffmpeg has the libvmaf filter; null otherwise.</param>
public sealed record Quality(double Psnr, double Ssim, double? Vmaf);
