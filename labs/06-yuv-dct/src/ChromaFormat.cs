namespace Lab06.YuvDct;

/// <summary>
/// How much colour (chroma, 色度) a frame keeps beside its full-resolution brightness (luma, 亮度):
/// the J:a:b notation counts chroma samples in a 4-pixel-wide, 2-row block.
/// </summary>
public enum ChromaFormat
{
    /// <summary>4:2:0 — chroma halved both ways: one Cb and one Cr per 2×2 luma block.</summary>
    Yuv420,

    /// <summary>4:2:2 — chroma halved horizontally only: one Cb and one Cr per 2×1 luma pair.</summary>
    Yuv422,

    /// <summary>4:4:4 — no subsampling: a Cb and a Cr for every pixel.</summary>
    Yuv444,
}

/// <summary>
/// How the planes of one frame lie in a raw <c>.yuv</c> file (no header; one frame after another).
/// The names are ffmpeg's <c>-pix_fmt</c> names.
/// </summary>
public enum RawLayout
{
    /// <summary>I420 = ffmpeg <c>yuv420p</c>: the Y plane, then the whole Cb (U) plane, then the whole Cr (V) plane.</summary>
    I420,

    /// <summary>NV12 = ffmpeg <c>nv12</c>: the Y plane, then one plane of Cb,Cr pairs interleaved (U0 V0 U1 V1 …).</summary>
    Nv12,

    /// <summary>I422 = ffmpeg <c>yuv422p</c>: Y, then Cb, then Cr, chroma full height and half width.</summary>
    I422,

    /// <summary>I444 = ffmpeg <c>yuv444p</c>: Y, Cb, Cr, all full size.</summary>
    I444,
}
