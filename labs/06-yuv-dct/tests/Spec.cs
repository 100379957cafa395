namespace Lab06.YuvDct.Tests;

/// <summary>Sizes and constants written from the specs, independently of the lab's code.</summary>
internal static class Spec
{
    /// <summary>Bytes of one raw frame: Y plus two chroma planes, halved sizes rounded up (ffmpeg's AV_CEIL_RSHIFT).</summary>
    public static int FrameSize(RawLayout layout, int width, int height) => layout switch
    {
        RawLayout.I420 or RawLayout.Nv12 => width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2),
        RawLayout.I422 => width * height + 2 * ((width + 1) / 2) * height,
        _ => 3 * width * height,
    };

    /// <summary>PSNR of two equal-length sample arrays, 10·log10(255² / MSE) (README §PSNR), +∞ when they are equal: the test's own, never the lab's Quality.</summary>
    public static double Psnr(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            throw new Xunit.Sdk.XunitException($"(test) PSNR of {a.Length} samples against {b.Length}: the planes must be the same size.");
        }

        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }

        double mse = sum / a.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}
