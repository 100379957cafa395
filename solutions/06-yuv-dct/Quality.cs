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
        #region lab M3: same size or YuvException; sum the squared differences as a long, divide by the count — README §PSNR
        CheckSameSize(reference, distorted);
        long sum = 0;
        for (int i = 0; i < reference.Samples.Length; i++)
        {
            int d = reference.Samples[i] - distorted.Samples[i];
            sum += d * d;
        }

        return (double)sum / reference.Samples.Length;
        #endregion
    }

    /// <summary>10·log10(255² / MSE) in dB; +∞ for identical pictures (MSE 0).</summary>
    public static double Psnr(double mse)
    {
        #region lab M3: 10 log10(Peak² / mse), +∞ when mse is 0 — README §PSNR
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(Peak * Peak / mse);
        #endregion
    }

    /// <summary>PSNR per plane, pixel-weighted (ffmpeg's "average") and 6:1:1.</summary>
    /// <exception cref="YuvException">The frames differ in size or chroma format.</exception>
    public static PsnrReport Compare(YuvFrame reference, YuvFrame distorted)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(distorted);
        #region lab M3: MSE and PSNR per plane; the average is the PSNR of (Σ MSE_p·samples_p) / Σ samples_p; 6:1:1 weights the three PSNRs — README §PSNR
        if (reference.Format != distorted.Format)
        {
            throw new YuvException(nameof(distorted), distorted.Format, $"Both frames must have the same chroma format; the reference is {reference.Format}, the other {distorted.Format}.");
        }

        double y = Mse(reference.Y, distorted.Y), cb = Mse(reference.Cb, distorted.Cb), cr = Mse(reference.Cr, distorted.Cr);
        double lumaCount = reference.Y.Samples.Length, chromaCount = reference.Cb.Samples.Length;
        double average = (y * lumaCount + (cb + cr) * chromaCount) / (lumaCount + 2 * chromaCount);
        double py = Psnr(y), pcb = Psnr(cb), pcr = Psnr(cr);
        return new PsnrReport(y, cb, cr, py, pcb, pcr, Psnr(average), (6 * py + pcb + pcr) / 8);
        #endregion
    }

    /// <summary>
    /// The structural similarity index (Wang, Bovik, Sheikh, Simoncelli 2004) exactly as ffmpeg's <c>ssim</c> filter
    /// (after x264) computes it for 8-bit planes: 8×8 windows at every 4th sample in both directions, floor(W/4) − 1
    /// across and floor(H/4) − 1 down; in each window the raw sums s_a = Σa, s_b = Σb, ss = Σa² + Σb², s_ab = Σa·b
    /// over the 64 samples, then
    /// <code>  (2·s_a·s_b + c1)(2·(64·s_ab − s_a·s_b) + c2) / ((s_a² + s_b² + c1)(64·ss − s_a² − s_b² + c2)),
    ///   c1 = round(0.01²·255²·64) = 416,  c2 = round(0.03²·255²·64·63) = 235964</code>
    /// in single precision (each of the four factors is exact as an integer, rounded to float, the products and
    /// the quotient in float), averaged over all windows. 1 means identical. With means this is the textbook
    /// formula with C1/64 and 63·C2/64 in place of C1 = (0.01·255)² and C2 = (0.03·255)².
    /// </summary>
    /// <exception cref="YuvException">The planes differ in size, or are smaller than one 8×8 window.</exception>
    public static double Ssim(Plane reference, Plane distorted)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(distorted);
        #region lab M3: for every 8×8 window at (4i, 4j) take the raw sums Σa, Σb, Σa²+Σb², Σab, the window's SSIM with c1 = 416 and c2 = 235964 in float, and average them — README §SSIM
        CheckSameSize(reference, distorted);
        if (reference.Width < 8 || reference.Height < 8)
        {
            throw new YuvException(nameof(reference), $"{reference.Width}x{reference.Height}", $"SSIM needs at least one 8×8 window; the planes are {reference.Width}×{reference.Height}.");
        }

        const long C1 = 416, C2 = 235964;
        double total = 0;
        int windows = 0;
        for (int top = 0; top + 8 <= reference.Height; top += 4)
        {
            for (int left = 0; left + 8 <= reference.Width; left += 4)
            {
                long sa = 0, sb = 0, ss = 0, sab = 0;
                for (int y = top; y < top + 8; y++)
                {
                    for (int x = left; x < left + 8; x++)
                    {
                        int a = reference[x, y], b = distorted[x, y];
                        sa += a;
                        sb += b;
                        ss += a * a + b * b;
                        sab += a * b;
                    }
                }

                long variances = 64 * ss - sa * sa - sb * sb, covariance = 64 * sab - sa * sb;
                float window = (float)(2 * sa * sb + C1) * (float)(2 * covariance + C2)
                    / ((float)(sa * sa + sb * sb + C1) * (float)(variances + C2));
                total += window;
                windows++;
            }
        }

        return total / windows;
        #endregion
    }

    /// <summary>
    /// ffmpeg's "All": the SSIM of each plane weighted by its share of the samples,
    /// (W·H·SSIM_Y + Wc·Hc·(SSIM_Cb + SSIM_Cr)) / (W·H + 2·Wc·Hc) — 4:1:1 for 4:2:0.
    /// </summary>
    /// <exception cref="YuvException">The frames differ in size or chroma format, or a plane is smaller than one 8×8 window.</exception>
    public static double SsimAll(YuvFrame reference, YuvFrame distorted)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(distorted);
        #region lab M3: the SSIM of each plane, weighted by its sample count — README §SSIM
        if (reference.Format != distorted.Format)
        {
            throw new YuvException(nameof(distorted), distorted.Format, $"Both frames must have the same chroma format; the reference is {reference.Format}, the other {distorted.Format}.");
        }

        double luma = reference.Y.Samples.Length, chroma = reference.Cb.Samples.Length;
        double y = Ssim(reference.Y, distorted.Y), cb = Ssim(reference.Cb, distorted.Cb), cr = Ssim(reference.Cr, distorted.Cr);
        return (luma * y + chroma * (cb + cr)) / (luma + 2 * chroma);
        #endregion
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
