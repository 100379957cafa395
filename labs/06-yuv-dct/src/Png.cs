using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Lab06.YuvDct;

/// <summary>
/// A minimal PNG writer (W3C PNG, 3rd edition): signature, IHDR, one IDAT of zlib-compressed rows, each
/// row prefixed with filter type 0 (None), IEND. Enough to look at a plane or a frame in any viewer.
/// Given code.
/// </summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>An 8-bit greyscale PNG of a plane.</summary>
    public static byte[] Grey(Plane plane)
    {
        ArgumentNullException.ThrowIfNull(plane);
        return Encode(plane.Width, plane.Height, colourType: 0, plane.Samples, bytesPerPixel: 1);
    }

    /// <summary>An 8-bit RGB PNG of packed rgb24 pixels.</summary>
    public static byte[] Rgb(ReadOnlySpan<byte> rgb, int width, int height)
    {
        FrameLayout.CheckSize(width, height);
        if (rgb.Length != width * height * 3)
        {
            throw new YuvException(nameof(rgb), rgb.Length, $"A {width}×{height} rgb24 picture is {width * height * 3} bytes; got {rgb.Length}.");
        }

        return Encode(width, height, colourType: 2, rgb, bytesPerPixel: 3);
    }

    private static byte[] Encode(int width, int height, byte colourType, ReadOnlySpan<byte> pixels, int bytesPerPixel)
    {
        using var output = new MemoryStream();
        output.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;           // bit depth
        header[9] = colourType;  // 0 greyscale, 2 truecolour
        header[10] = 0;          // compression: deflate
        header[11] = 0;          // filter method 0
        header[12] = 0;          // no interlace
        Chunk(output, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            int stride = width * bytesPerPixel;
            for (int y = 0; y < height; y++)
            {
                zlib.WriteByte(0); // filter type None
                zlib.Write(pixels.Slice(y * stride, stride));
            }
        }

        Chunk(output, "IDAT", compressed.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        uint crc = Crc32(Crc32(0xFFFFFFFF, typeBytes), data) ^ 0xFFFFFFFF;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    /// <summary>CRC-32 (ISO 3309, polynomial 0xEDB88320 reflected) as PNG §5.5 uses it, bit by bit.</summary>
    private static uint Crc32(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc;
    }
}
