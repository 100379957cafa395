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
}
