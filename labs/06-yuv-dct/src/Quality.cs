namespace Lab06.YuvDct;

/// <summary>PSNR of each plane and of the frame, as ffmpeg's <c>psnr</c> filter and codec papers report them.</summary>
/// <param name="MseY">Mean squared error of luma.</param>
/// <param name="MseCb">Mean squared error of Cb.</param>
/// <param name="MseCr">Mean squared error of Cr.</param>
/// <param name="PsnrY">PSNR of luma, dB.</param>
/// <param name="PsnrCb">PSNR of Cb, dB.</param>
/// <param name="PsnrCr">PSNR of Cr, dB.</param>
/// <param name="PsnrAverage">PSNR of the MSE over all samples of all planes (each plane weighted by its sample count: 4:1:1 for 4:2:0) — ffmpeg's "average".</param>
/// <param name="Psnr611">(6·PSNR_Y + PSNR_Cb + PSNR_Cr) / 8, the weighting used to compare codecs (JCT-VC common test conditions).</param>
public sealed record PsnrReport(double MseY, double MseCb, double MseCr, double PsnrY, double PsnrCb, double PsnrCr, double PsnrAverage, double Psnr611);

/// <summary>
/// Objective quality (实现简单的视频质量评估): MSE, PSNR and SSIM between a reference and a distorted picture.
/// </summary>
public static class Quality
{
    /// <summary>The largest 8-bit sample value, the "peak" of PSNR.</summary>
    public const double Peak = 255;

    /// <summary>Mean of (a − b)² over every sample.</summary>
    /// <exception cref="YuvException">The planes differ in size.</exception>
    public static double Mse(Plane reference, Plane distorted)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(distorted);
        throw new NotImplementedException("Lab 06 · M3: same size or YuvException; sum the squared differences as a long, divide by the count — README §PSNR");
    }

    /// <summary>10·log10(255² / MSE) in dB; +∞ for identical pictures (MSE 0).</summary>
    public static double Psnr(double mse)
    {
        throw new NotImplementedException("Lab 06 · M3: 10 log10(Peak² / mse), +∞ when mse is 0 — README §PSNR");
    }

    /// <summary>PSNR per plane, pixel-weighted (ffmpeg's "average") and 6:1:1.</summary>
    /// <exception cref="YuvException">The frames differ in size or chroma format.</exception>
    public static PsnrReport Compare(YuvFrame reference, YuvFrame distorted)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(distorted);
        throw new NotImplementedException("Lab 06 · M3: MSE and PSNR per plane; the average is the PSNR of (Σ MSE_p·samples_p) / Σ samples_p; 6:1:1 weights the three PSNRs — README §PSNR");
    }

    /// <summary>
    /// The structural similarity index (Wang, Bovik, Sheikh, Simoncelli 2004) as ffmpeg's <c>ssim</c> filter
    /// (and x264) compute it: 8×8 windows every 4 samples in both directions, the per-window SSIM
    /// <code>  (2·μa·μb + C1)(2·σab + C2) / ((μa² + μb² + C1)(σa² + σb² + C2)),  C1 = (0.01·255)², C2 = (0.03·255)²</code>
    /// averaged over all windows. 1 means identical.
    /// </summary>
    /// <exception cref="YuvException">The planes differ in size, or are smaller than one 8×8 window.</exception>
    public static double Ssim(Plane reference, Plane distorted)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(distorted);
        throw new NotImplementedException("Lab 06 · M3: for every 8×8 window at (4i, 4j) compute the means, variances and covariance, the window's SSIM, and average them — README §SSIM");
    }

    private static void CheckSameSize(Plane reference, Plane distorted)
    {
        if (reference.Width != distorted.Width || reference.Height != distorted.Height)
        {
            throw new YuvException(nameof(distorted), $"{distorted.Width}x{distorted.Height}",
                $"Both pictures must be the same size; the reference is {reference.Width}×{reference.Height}, the other {distorted.Width}×{distorted.Height}.");
        }
    }
}
