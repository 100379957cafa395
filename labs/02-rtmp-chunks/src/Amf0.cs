using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Lab02.RtmpChunks;

/// <summary>
/// The AMF0 codec (Adobe Action Message Format AMF0 specification). Commands (connect, publish ...)
/// and data messages (onMetaData) are sequences of AMF0 values.
/// </summary>
public static class Amf0
{
    /// <summary>How deeply objects and arrays may nest before the reader refuses: real commands nest 2 or 3 levels; a "nesting bomb" nests thousands.</summary>
    public const int DefaultMaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes every value in <paramref name="data"/>.</summary>
    /// <exception cref="RtmpException">Part "AMF0", with the offset in <paramref name="data"/>: truncated, unknown marker, AMF3, too deep, a bad reference.</exception>
    public static List<object?> DecodeAll(ReadOnlySpan<byte> data, int maxDepth = DefaultMaxDepth)
    {
        var reader = new Amf0Reader(maxDepth);
        var values = new List<object?>();
        int offset = 0;
        while (offset < data.Length)
        {
            values.Add(reader.ReadValue(data, ref offset));
        }

        return values;
    }

    /// <summary>Encodes <paramref name="values"/> one after another.</summary>
    /// <exception cref="ArgumentException">A value of a type AMF0 cannot carry.</exception>
    public static byte[] Encode(params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var output = new ArrayBufferWriter<byte>();
        foreach (var value in values)
        {
            Write(output, value);
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes one value: numbers (any .NET numeric type) as number, bool, string (long string above 65535
    /// UTF-8 bytes), null, <see cref="Amf0Undefined"/>, <see cref="Amf0EcmaArray"/>, <see cref="Amf0Object"/>,
    /// <c>object?[]</c> as strict array, <see cref="Amf0Date"/>.
    /// </summary>
    public static void Write(IBufferWriter<byte> output, object? value)
    {
        throw new NotImplementedException("Lab 02 · M3: one marker byte, then the value's layout (README §AMF0); objects end with 00 00 09; an ECMA array has a 4-byte count; ArgumentException for other types");
    }

    /// <summary>A value as text, for logs: strings quoted, objects as {key: value}.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        object?[] a => "[" + string.Join(", ", a.Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };

    internal static string DecodeUtf8(ReadOnlySpan<byte> bytes, int offset)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new RtmpException("AMF0", offset, $"The AMF0 string at offset {offset} is not valid UTF-8 (README §AMF0).");
        }
    }
}
