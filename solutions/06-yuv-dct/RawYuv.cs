namespace Lab06.YuvDct;

/// <summary>
/// Raw <c>.yuv</c> files: frames with no header, each frame's planes one after the other. Nothing in
/// the file says its width, height or layout — you must be told (<c>ffmpeg -f rawvideo -pix_fmt yuv420p -s 33x17</c>).
/// </summary>
public static class RawYuv
{
    /// <summary>Reads one frame from exactly <see cref="FrameLayout.FrameSize"/> bytes.</summary>
    /// <exception cref="YuvException">A bad size, or <paramref name="data"/> is not one frame long.</exception>
    public static YuvFrame Read(ReadOnlySpan<byte> data, int width, int height, RawLayout layout)
    {
        #region lab M1: check data.Length == FrameLayout.FrameSize (YuvException naming both), then split Y, Cb, Cr — for NV12 de-interleave the UV plane — README §Layouts
        int expected = FrameLayout.FrameSize(layout, width, height);
        if (data.Length != expected)
        {
            throw new YuvException(nameof(data), data.Length,
                $"One {width}×{height} {layout} frame is {expected} bytes; got {data.Length}. Are the size and the format right?");
        }

        var format = FrameLayout.ChromaFormatOf(layout);
        var (cw, ch) = FrameLayout.ChromaSize(format, width, height);
        int lumaSize = width * height, chromaSize = cw * ch;
        var y = new Plane(width, height, data[..lumaSize].ToArray());
        var cb = new Plane(cw, ch);
        var cr = new Plane(cw, ch);
        if (layout == RawLayout.Nv12)
        {
            var uv = data[lumaSize..];
            for (int i = 0; i < chromaSize; i++)
            {
                cb.Samples[i] = uv[2 * i];     // U first ...
                cr.Samples[i] = uv[2 * i + 1]; // ... then V, pair after pair
            }
        }
        else
        {
            data.Slice(lumaSize, chromaSize).CopyTo(cb.Samples);
            data.Slice(lumaSize + chromaSize, chromaSize).CopyTo(cr.Samples);
        }

        return new YuvFrame(format, y, cb, cr);
        #endregion
    }

    /// <summary>The bytes of one frame in <paramref name="layout"/>.</summary>
    /// <exception cref="YuvException">The frame's chroma format is not the layout's (convert it first with <see cref="ChromaResampler.Convert"/>).</exception>
    public static byte[] Write(YuvFrame frame, RawLayout layout)
    {
        ArgumentNullException.ThrowIfNull(frame);
        #region lab M1: refuse a frame whose Format is not the layout's; write Y, then Cb and Cr (planar) or Cb,Cr pairs (NV12) — README §Layouts
        if (frame.Format != FrameLayout.ChromaFormatOf(layout))
        {
            throw new YuvException(nameof(layout), layout, $"{layout} holds {FrameLayout.ChromaFormatOf(layout)} frames; this frame is {frame.Format}. Convert it first.");
        }

        var bytes = new byte[FrameLayout.FrameSize(layout, frame.Width, frame.Height)];
        int lumaSize = frame.Y.Samples.Length, chromaSize = frame.Cb.Samples.Length;
        frame.Y.Samples.CopyTo(bytes, 0);
        if (layout == RawLayout.Nv12)
        {
            for (int i = 0; i < chromaSize; i++)
            {
                bytes[lumaSize + 2 * i] = frame.Cb.Samples[i];
                bytes[lumaSize + 2 * i + 1] = frame.Cr.Samples[i];
            }
        }
        else
        {
            frame.Cb.Samples.CopyTo(bytes, lumaSize);
            frame.Cr.Samples.CopyTo(bytes, lumaSize + chromaSize);
        }

        return bytes;
        #endregion
    }

    /// <summary>Reads frame <paramref name="index"/> (0 = the first) of a raw file.</summary>
    /// <exception cref="YuvException">The file's length is not a whole number of frames, or it has no such frame.</exception>
    public static YuvFrame ReadFile(string path, int width, int height, RawLayout layout, int index = 0)
    {
        int frameSize = FrameLayout.FrameSize(layout, width, height);
        long length = new FileInfo(path).Length;
        if (length == 0 || length % frameSize != 0)
        {
            throw new YuvException(nameof(path), length,
                $"{Path.GetFileName(path)} is {length} bytes, not a whole number of {width}×{height} {layout} frames ({frameSize} bytes each).");
        }

        if (index < 0 || (long)(index + 1) * frameSize > length)
        {
            throw new YuvException(nameof(index), index, $"{Path.GetFileName(path)} has {length / frameSize} frames; there is no frame {index}.");
        }

        using var file = File.OpenRead(path);
        file.Position = (long)index * frameSize;
        var bytes = new byte[frameSize];
        file.ReadExactly(bytes);
        return Read(bytes, width, height, layout);
    }

    /// <summary>Writes one frame as a raw file.</summary>
    public static void WriteFile(string path, YuvFrame frame, RawLayout layout) => File.WriteAllBytes(path, Write(frame, layout));
}
