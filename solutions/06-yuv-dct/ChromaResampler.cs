namespace Lab06.YuvDct;

/// <summary>
/// Chroma subsampling (色度抽样) and its undoing.
/// <para>
/// Down: each chroma sample becomes the average of the 2×2 (4:2:0) or 2×1 (4:2:2) samples it covers,
/// rounded half up — the box filter ffmpeg's swscale uses with <c>-sws_flags area</c>. The averaged
/// sample sits in the <em>middle</em> of its block (the JPEG/MPEG-1 "centre" siting); MPEG-2 and H.264
/// streams usually say chroma is co-sited with the left column (chroma_sample_loc_type 0), which a
/// horizontal [1 2 1] filter would match better. At an odd right or bottom edge the block has fewer
/// samples: the missing ones repeat the edge.
/// </para>
/// <para>
/// Up: each chroma sample is repeated over the pixels it covers (nearest neighbour, swscale's
/// <c>neighbor</c>): blocky, but exact and easy to check.
/// </para>
/// </summary>
public static class ChromaResampler
{
    /// <summary>The same picture with its chroma resampled to <paramref name="target"/>; luma is copied as it is.</summary>
    public static YuvFrame Convert(YuvFrame frame, ChromaFormat target)
    {
        ArgumentNullException.ThrowIfNull(frame);
        #region lab M1: upsample to 4:4:4 (repeat samples), then downsample to the target (average 2×2 or 2×1, rounding half up) — README §Chroma subsampling
        if (frame.Format == target)
        {
            return new YuvFrame(target, Copy(frame.Y), Copy(frame.Cb), Copy(frame.Cr));
        }

        var full = frame.Format == ChromaFormat.Yuv444
            ? frame
            : new YuvFrame(ChromaFormat.Yuv444, frame.Y, Upsample(frame.Cb, frame.Format, frame.Width, frame.Height), Upsample(frame.Cr, frame.Format, frame.Width, frame.Height));
        if (target == ChromaFormat.Yuv444)
        {
            return new YuvFrame(target, Copy(frame.Y), full.Cb, full.Cr);
        }

        return new YuvFrame(target, Copy(frame.Y), Downsample(full.Cb, target), Downsample(full.Cr, target));
        #endregion
    }

    /// <summary>A full-size chroma plane halved to <paramref name="target"/>'s size by averaging.</summary>
    public static Plane Downsample(Plane full, ChromaFormat target)
    {
        ArgumentNullException.ThrowIfNull(full);
        #region lab M1: each output sample = (sum of the 2×2 or 2×1 block + half the count) / count, edges repeated — README §Chroma subsampling
        var (cw, ch) = FrameLayout.ChromaSize(target, full.Width, full.Height);
        int sx = full.Width == cw ? 1 : 2;
        int sy = full.Height == ch ? 1 : 2;
        var result = new Plane(cw, ch);
        for (int y = 0; y < ch; y++)
        {
            for (int x = 0; x < cw; x++)
            {
                int sum = 0;
                for (int dy = 0; dy < sy; dy++)
                {
                    for (int dx = 0; dx < sx; dx++)
                    {
                        // at an odd edge the block sticks out by one: repeat the last column or row
                        sum += full[Math.Min(x * sx + dx, full.Width - 1), Math.Min(y * sy + dy, full.Height - 1)];
                    }
                }

                int count = sx * sy;
                result[x, y] = (byte)((sum + count / 2) / count);
            }
        }

        return result;
        #endregion
    }

    /// <summary>A subsampled chroma plane of a <paramref name="width"/> × <paramref name="height"/> frame, repeated up to full size.</summary>
    public static Plane Upsample(Plane chroma, ChromaFormat format, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(chroma);
        #region lab M1: every full-size sample (x, y) takes the chroma sample that covers it: (x/2, y/2) for 4:2:0, (x/2, y) for 4:2:2 — README §Chroma subsampling
        var (cw, ch) = FrameLayout.ChromaSize(format, width, height);
        if (chroma.Width != cw || chroma.Height != ch)
        {
            throw new YuvException(nameof(chroma), $"{chroma.Width}x{chroma.Height}", $"A {width}×{height} {format} frame has {cw}×{ch} chroma; got {chroma.Width}×{chroma.Height}.");
        }

        int sx = width == cw ? 1 : 2, sy = height == ch ? 1 : 2;
        var result = new Plane(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                result[x, y] = chroma[x / sx, y / sy];
            }
        }

        return result;
        #endregion
    }

    private static Plane Copy(Plane plane) => new(plane.Width, plane.Height, (byte[])plane.Samples.Clone());
}
