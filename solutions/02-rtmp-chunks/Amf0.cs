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
        #region lab M3: one marker byte, then the value's layout (README §AMF0); objects end with 00 00 09; an ECMA array has a 4-byte count; ArgumentException for other types
        ArgumentNullException.ThrowIfNull(output);
        switch (value)
        {
            case null:
                WriteByte(output, Amf0Marker.Null);
                break;
            case Amf0Undefined:
                WriteByte(output, Amf0Marker.Undefined);
                break;
            case bool b:
                WriteByte(output, Amf0Marker.Boolean);
                WriteByte(output, b ? (byte)1 : (byte)0);
                break;
            case string s:
                int length = Encoding.UTF8.GetByteCount(s);
                if (length <= ushort.MaxValue)
                {
                    WriteByte(output, Amf0Marker.String);
                    WriteUtf8(output, s, length, 2);
                }
                else
                {
                    WriteByte(output, Amf0Marker.LongString);
                    WriteUtf8(output, s, length, 4);
                }

                break;
            case Amf0Date date:
                var dateBytes = output.GetSpan(11);
                dateBytes[0] = Amf0Marker.Date;
                BinaryPrimitives.WriteDoubleBigEndian(dateBytes[1..], date.Milliseconds);
                BinaryPrimitives.WriteInt16BigEndian(dateBytes[9..], date.TimeZone);
                output.Advance(11);
                break;
            case Amf0EcmaArray array:
                var head = output.GetSpan(5);
                head[0] = Amf0Marker.EcmaArray;
                BinaryPrimitives.WriteUInt32BigEndian(head[1..], (uint)array.Count);
                output.Advance(5);
                WriteProperties(output, array);
                break;
            case Amf0Object obj:
                WriteByte(output, Amf0Marker.Object);
                WriteProperties(output, obj);
                break;
            case object?[] strict:
                var strictHead = output.GetSpan(5);
                strictHead[0] = Amf0Marker.StrictArray;
                BinaryPrimitives.WriteUInt32BigEndian(strictHead[1..], (uint)strict.Length);
                output.Advance(5);
                foreach (var item in strict)
                {
                    Write(output, item);
                }

                break;
            case double or float or int or uint or long or ulong or short or ushort or byte or sbyte or decimal:
                var number = output.GetSpan(9);
                number[0] = Amf0Marker.Number;
                BinaryPrimitives.WriteDoubleBigEndian(number[1..], Convert.ToDouble(value, CultureInfo.InvariantCulture));
                output.Advance(9);
                break;
            default:
                throw new ArgumentException($"AMF0 has no type for a {value.GetType().Name}.", nameof(value));
        }
        #endregion
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

    #region lab-remove
    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void WriteUtf8(IBufferWriter<byte> output, string s, int length, int lengthSize)
    {
        var span = output.GetSpan(lengthSize + length);
        if (lengthSize == 2)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(span, (uint)length);
        }

        Encoding.UTF8.GetBytes(s, span[lengthSize..]);
        output.Advance(lengthSize + length);
    }

    private static void WriteProperties(IBufferWriter<byte> output, Amf0Object obj)
    {
        foreach (var (key, value) in obj)
        {
            int length = Encoding.UTF8.GetByteCount(key);
            if (length > ushort.MaxValue)
            {
                throw new ArgumentException("An AMF0 property name is at most 65535 UTF-8 bytes.", nameof(obj));
            }

            WriteUtf8(output, key, length, 2);
            Write(output, value);
        }

        var end = output.GetSpan(3);
        end[0] = 0;
        end[1] = 0;
        end[2] = Amf0Marker.ObjectEnd; // an empty key, then object-end (§2.5, §2.11)
        output.Advance(3);
    }
    #endregion

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
