namespace Lab07.Benchmarks;

/// <summary>
/// The inputs, built at benchmark time from the committed oracle streams (testdata/07-h264-bitstream):
/// nothing large is committed.
/// </summary>
internal static class Corpus
{
    /// <summary>The committed streams, in a fixed order.</summary>
    public static readonly string[] Streams = ["baseline", "main-b", "high", "cavlc-high", "1080p", "slices", "open-gop", "high422"];

    public static string Root { get; } = FindRoot();

    public static byte[] Stream(string name) => File.ReadAllBytes(Path.Combine(Root, "testdata", "07-h264-bitstream", name + ".h264"));

    /// <summary>Every committed stream, one after the other, repeated until <paramref name="size"/> bytes: real NAL unit and start code density.</summary>
    public static byte[] ScanBuffer(int size)
    {
        var all = Streams.SelectMany(Stream).ToArray();
        var buffer = new byte[size];
        for (int at = 0; at < size; at += all.Length)
        {
            all.AsSpan(0, Math.Min(all.Length, size - at)).CopyTo(buffer.AsSpan(at));
        }

        return buffer;
    }

    /// <summary>
    /// One committed stream looped to at least <paramref name="size"/> bytes — a valid stream (each copy starts
    /// with SPS, PPS and an IDR) — and the same bytes in a temporary file for ffprobe.
    /// </summary>
    public static (byte[] Bytes, string Path) LargeStream(string name, long size)
    {
        var one = Stream(name);
        int copies = (int)((size + one.Length - 1) / one.Length);
        var bytes = new byte[(long)copies * one.Length];
        for (int i = 0; i < copies; i++)
        {
            one.CopyTo(bytes, (long)i * one.Length);
        }

        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lab07-bench-{name}-{bytes.Length}.h264");
        if (!File.Exists(path) || new FileInfo(path).Length != bytes.Length)
        {
            File.WriteAllBytes(path, bytes);
        }

        return (bytes, path);
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Labs.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run from inside the workbook (the folder with Labs.sln).");
    }
}
