namespace Lab06.YuvDct;

/// <summary>
/// One picture as three planes: Y (luma, 亮度) at full size and Cb, Cr (chroma, 色度) at the size the
/// <see cref="ChromaFormat"/> gives. In memory the planes are always separate; how they are packed in a
/// file (I420, NV12, …) is <see cref="RawYuv"/>'s business.
/// </summary>
public sealed class YuvFrame
{
    /// <summary>Puts three planes together, checking that their sizes fit <paramref name="format"/>.</summary>
    /// <exception cref="YuvException">A chroma plane has the wrong size for the format (e.g. 4:2:0 chroma that is not ceil(w/2) × ceil(h/2)).</exception>
    public YuvFrame(ChromaFormat format, Plane y, Plane cb, Plane cr)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(cb);
        ArgumentNullException.ThrowIfNull(cr);
        throw new NotImplementedException("Lab 06 · M1: check Cb and Cr are both FrameLayout.ChromaSize(format, y.Width, y.Height); throw YuvException naming the plane otherwise — README §Plane sizes");

        Format = format;
        Y = y;
        Cb = cb;
        Cr = cr;
    }

    /// <summary>A black-and-grey frame: Y = 0, Cb = Cr = 128 (no colour).</summary>
    public static YuvFrame Create(ChromaFormat format, int width, int height)
    {
        var (cw, ch) = FrameLayout.ChromaSize(format, width, height);
        var cb = new Plane(cw, ch);
        var cr = new Plane(cw, ch);
        Array.Fill(cb.Samples, (byte)128);
        Array.Fill(cr.Samples, (byte)128);
        return new YuvFrame(format, new Plane(width, height), cb, cr);
    }

    /// <summary>4:2:0, 4:2:2 or 4:4:4.</summary>
    public ChromaFormat Format { get; }

    /// <summary>Luma, full size.</summary>
    public Plane Y { get; }

    /// <summary>Blue-difference chroma (U).</summary>
    public Plane Cb { get; }

    /// <summary>Red-difference chroma (V).</summary>
    public Plane Cr { get; }

    /// <summary>The picture's width (the Y plane's).</summary>
    public int Width => Y.Width;

    /// <summary>The picture's height (the Y plane's).</summary>
    public int Height => Y.Height;

    /// <summary>
    /// The rectangle at (<paramref name="x"/>, <paramref name="y"/>) of the picture: the luma rectangle, and
    /// the chroma samples that cover it. In a subsampled direction the offset must be even, or the crop
    /// would split a chroma sample between two pixels.
    /// </summary>
    /// <exception cref="YuvException">An odd offset in a subsampled direction, or a rectangle outside the picture.</exception>
    public YuvFrame Crop(int x, int y, int width, int height)
    {
        throw new NotImplementedException("Lab 06 · M1: odd x (4:2:0, 4:2:2) or odd y (4:2:0) → YuvException; crop Y, then Cb and Cr at x/2, y/2 with FrameLayout.ChromaSize of the new size — README §Crop");
    }
}
