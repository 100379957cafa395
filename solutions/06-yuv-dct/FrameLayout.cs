namespace Lab06.YuvDct;

/// <summary>
/// Plane sizes. A subsampled chroma plane covers the whole picture, so an odd width or height
/// rounds <em>up</em>: a 33×17 frame in 4:2:0 has 17×9 chroma planes (ffmpeg's
/// <c>AV_CEIL_RSHIFT(w, 1)</c>; H.264 itself codes only even sizes and crops).
/// </summary>
public static class FrameLayout
{
    /// <summary>The largest width or height accepted (a 16K frame), so a corrupt header cannot ask for gigabytes.</summary>
    public const int MaxDimension = 16384;

    /// <summary>Throws <see cref="YuvException"/> unless 1 ≤ width, height ≤ <see cref="MaxDimension"/>.</summary>
    public static void CheckSize(int width, int height)
    {
        #region lab M1: reject a width or height that is zero, negative or above MaxDimension with a YuvException naming it — README §Bad input
        if (width is <= 0 or > MaxDimension)
        {
            throw new YuvException(nameof(width), width, $"The width must be 1 to {MaxDimension}; got {width}.");
        }

        if (height is <= 0 or > MaxDimension)
        {
            throw new YuvException(nameof(height), height, $"The height must be 1 to {MaxDimension}; got {height}.");
        }
        #endregion
    }

    /// <summary>The size of each chroma plane of a <paramref name="width"/> × <paramref name="height"/> frame.</summary>
    public static (int Width, int Height) ChromaSize(ChromaFormat format, int width, int height)
    {
        #region lab M1: halve the width for 4:2:0 and 4:2:2, the height for 4:2:0, rounding up — README §Plane sizes
        CheckSize(width, height);
        return format switch
        {
            ChromaFormat.Yuv420 => ((width + 1) / 2, (height + 1) / 2),
            ChromaFormat.Yuv422 => ((width + 1) / 2, height),
            ChromaFormat.Yuv444 => (width, height),
            _ => throw new YuvException(nameof(format), format, $"Unknown chroma format {format}."),
        };
        #endregion
    }

    /// <summary>The chroma format a raw layout carries (NV12 is 4:2:0).</summary>
    public static ChromaFormat ChromaFormatOf(RawLayout layout) => layout switch
    {
        RawLayout.I420 or RawLayout.Nv12 => ChromaFormat.Yuv420,
        RawLayout.I422 => ChromaFormat.Yuv422,
        RawLayout.I444 => ChromaFormat.Yuv444,
        _ => throw new YuvException(nameof(layout), layout, $"Unknown raw layout {layout}."),
    };

    /// <summary>Bytes in one frame of <paramref name="layout"/>: the Y plane plus both chroma planes.</summary>
    public static int FrameSize(RawLayout layout, int width, int height)
    {
        #region lab M1: width × height for Y plus 2 × the chroma plane size — README §Plane sizes
        var (cw, ch) = ChromaSize(ChromaFormatOf(layout), width, height);
        return width * height + 2 * cw * ch;
        #endregion
    }
}
