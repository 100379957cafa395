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
        throw new NotImplementedException("Lab 06 · M1: upsample to 4:4:4 (repeat samples), then downsample to the target (average 2×2 or 2×1, rounding half up) — README §Chroma subsampling");
    }

    /// <summary>A full-size chroma plane halved to <paramref name="target"/>'s size by averaging.</summary>
    public static Plane Downsample(Plane full, ChromaFormat target)
    {
        ArgumentNullException.ThrowIfNull(full);
        throw new NotImplementedException("Lab 06 · M1: each output sample = (sum of the 2×2 or 2×1 block + half the count) / count, edges repeated — README §Chroma subsampling");
    }

    /// <summary>A subsampled chroma plane of a <paramref name="width"/> × <paramref name="height"/> frame, repeated up to full size.</summary>
    public static Plane Upsample(Plane chroma, ChromaFormat format, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(chroma);
        throw new NotImplementedException("Lab 06 · M1: every full-size sample (x, y) takes the chroma sample that covers it: (x/2, y/2) for 4:2:0, (x/2, y) for 4:2:2 — README §Chroma subsampling");
    }

    private static Plane Copy(Plane plane) => new(plane.Width, plane.Height, (byte[])plane.Samples.Clone());
}
