namespace Lab06.YuvDct;

/// <summary>
/// One plane of 8-bit samples (Y, Cb or Cr), row after row with no padding: sample (x, y) is at
/// <c>Samples[y * Width + x]</c>. Real decoders pad rows to a stride; this lab keeps stride = width.
/// </summary>
public sealed class Plane
{
    /// <summary>Wraps <paramref name="samples"/> (not copied) as a <paramref name="width"/> × <paramref name="height"/> plane.</summary>
    /// <exception cref="YuvException">A size is zero or negative, or <paramref name="samples"/> is not width × height long.</exception>
    public Plane(int width, int height, byte[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        FrameLayout.CheckSize(width, height);
        if (samples.Length != width * height)
        {
            throw new YuvException(nameof(samples), samples.Length, $"A {width}×{height} plane holds {width * height} samples; got {samples.Length}.");
        }

        Width = width;
        Height = height;
        Samples = samples;
    }

    /// <summary>A plane of zeros.</summary>
    public Plane(int width, int height)
        : this(width, height, new byte[CheckedArea(width, height)])
    {
    }

    /// <summary>Samples per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>The samples, row after row.</summary>
    public byte[] Samples { get; }

    /// <summary>The sample at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public byte this[int x, int y]
    {
        get => Samples[y * Width + x];
        set => Samples[y * Width + x] = value;
    }

    /// <summary>A copy of the rectangle at (<paramref name="x"/>, <paramref name="y"/>), <paramref name="width"/> × <paramref name="height"/>.</summary>
    /// <exception cref="YuvException">The rectangle is empty or does not lie inside the plane.</exception>
    public Plane Crop(int x, int y, int width, int height)
    {
        throw new NotImplementedException("Lab 06 · M1: check the rectangle lies inside the plane (YuvException otherwise), then copy its rows into a new Plane — README §Crop");
    }

    private static int CheckedArea(int width, int height)
    {
        FrameLayout.CheckSize(width, height);
        return width * height;
    }
}
