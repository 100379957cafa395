namespace Lab06.YuvDct.Tests;

/// <summary>
/// The oracle files in testdata/06-yuv-dct, all made by ffmpeg (see make.sh there), read with code of
/// the tests' own: raw planes are sliced here by byte counts, never by the lab's readers.
/// </summary>
internal static class Files
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Repo.TestData("06-yuv-dct/" + name));

    /// <summary>Plane <paramref name="index"/> (0 = Y, 1 = Cb, 2 = Cr) of a planar raw frame.</summary>
    public static byte[] PlanarPlane(byte[] frame, int width, int height, int chromaWidth, int chromaHeight, int index)
    {
        int luma = width * height, chroma = chromaWidth * chromaHeight;
        return index switch
        {
            0 => frame[..luma],
            1 => frame[luma..(luma + chroma)],
            _ => frame[(luma + chroma)..(luma + 2 * chroma)],
        };
    }

    public static readonly string[] PlaneNames = ["Y", "Cb", "Cr"];
}
