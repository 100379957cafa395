namespace Lab07.H264Bitstream;

/// <summary>
/// One raw 4:2:0 frame as ffmpeg's <c>yuv420p</c> lays it out (also called I420): the Y plane
/// (width × height bytes), then Cb and Cr (width/2 × height/2 each), rows top to bottom, no padding.
/// A <c>.yuv</c> file from <c>ffmpeg -pix_fmt yuv420p -f rawvideo</c> is such frames back to back.
/// Given code: the encoder reads samples through it.
/// </summary>
public readonly ref struct I420Frame
{
    private readonly ReadOnlySpan<byte> _data;

    /// <summary>A frame over <paramref name="data"/>, which must be exactly <see cref="SizeOf"/> bytes.</summary>
    /// <exception cref="ArgumentException">The width or height is not positive and even, or the data has the wrong length.</exception>
    public I420Frame(ReadOnlySpan<byte> data, int width, int height)
    {
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0)
        {
            throw new ArgumentException($"An I420 frame for H.264 4:2:0 has a positive, even width and height (crop units are 2 samples, §7.4.2.1.1); got {width}×{height}.", nameof(width));
        }

        if (data.Length != SizeOf(width, height))
        {
            throw new ArgumentException($"A {width}×{height} I420 frame is {SizeOf(width, height)} bytes; got {data.Length}.", nameof(data));
        }

        _data = data;
        Width = width;
        Height = height;
    }

    /// <summary>The width in luma samples.</summary>
    public int Width { get; }

    /// <summary>The height in luma samples.</summary>
    public int Height { get; }

    /// <summary>The bytes of one frame: Y, then Cb and Cr at half the width and half the height.</summary>
    public static int SizeOf(int width, int height) => checked(width * height + 2 * (width / 2) * (height / 2));

    /// <summary>
    /// The luma sample at (x, y). Outside the picture the nearest edge sample is repeated: that is what
    /// the encoder codes in the macroblocks past a width or height that is not a multiple of 16 — the
    /// SPS crops them away, so any value would do, and a repeated edge is cheap for a real encoder.
    /// </summary>
    public byte Luma(int x, int y) => _data[Math.Clamp(y, 0, Height - 1) * Width + Math.Clamp(x, 0, Width - 1)];

    /// <summary>The Cb sample at (x, y) of the half-size chroma plane, the edge repeated outside it.</summary>
    public byte Cb(int x, int y) => Chroma(Width * Height, x, y);

    /// <summary>The Cr sample at (x, y) of the half-size chroma plane, the edge repeated outside it.</summary>
    public byte Cr(int x, int y) => Chroma(Width * Height + (Width / 2) * (Height / 2), x, y);

    private byte Chroma(int planeOffset, int x, int y)
    {
        int chromaWidth = Width / 2, chromaHeight = Height / 2;
        return _data[planeOffset + Math.Clamp(y, 0, chromaHeight - 1) * chromaWidth + Math.Clamp(x, 0, chromaWidth - 1)];
    }
}
