using System.Collections;

namespace Lab02.RtmpChunks;

/// <summary>AMF0 type markers (Adobe AMF0 specification, §2.1).</summary>
public static class Amf0Marker
{
    /// <summary>number: an 8-byte IEEE-754 double, big-endian (§2.2).</summary>
    public const byte Number = 0x00;
    /// <summary>boolean: one byte, 0 false (§2.3).</summary>
    public const byte Boolean = 0x01;
    /// <summary>string: a 2-byte length and UTF-8 (§2.4).</summary>
    public const byte String = 0x02;
    /// <summary>anonymous object: (2-byte key length, UTF-8 key, value)* then an empty key and object-end (§2.5).</summary>
    public const byte Object = 0x03;
    /// <summary>movieclip: reserved, not supported (§2.6).</summary>
    public const byte MovieClip = 0x04;
    /// <summary>null (§2.7).</summary>
    public const byte Null = 0x05;
    /// <summary>undefined (§2.8).</summary>
    public const byte Undefined = 0x06;
    /// <summary>reference: a 2-byte index into the complex values read so far (§2.9).</summary>
    public const byte Reference = 0x07;
    /// <summary>ECMA array: a 4-byte count, then properties like an object (§2.10).</summary>
    public const byte EcmaArray = 0x08;
    /// <summary>object-end: after an empty key (§2.11).</summary>
    public const byte ObjectEnd = 0x09;
    /// <summary>strict array: a 4-byte count, then that many values (§2.12).</summary>
    public const byte StrictArray = 0x0A;
    /// <summary>date: an 8-byte double of ms since 1970, then a 2-byte time zone (§2.13).</summary>
    public const byte Date = 0x0B;
    /// <summary>long string: a 4-byte length and UTF-8 (§2.14).</summary>
    public const byte LongString = 0x0C;
    /// <summary>unsupported (§2.15).</summary>
    public const byte Unsupported = 0x0D;
    /// <summary>typed object: a class name, then properties (§2.18).</summary>
    public const byte TypedObject = 0x10;
    /// <summary>avmplus-object: switch to AMF3 for the next value (§3.1).</summary>
    public const byte AvmPlusObject = 0x11;
}

/// <summary>The AMF0 undefined value (§2.8); null is C#'s null.</summary>
public sealed class Amf0Undefined
{
    private Amf0Undefined()
    {
    }

    /// <summary>The one undefined value.</summary>
    public static Amf0Undefined Value { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "undefined";
}

/// <summary>An AMF0 date (§2.13): milliseconds since 1970-01-01 UTC, and a time zone that should be 0.</summary>
public readonly record struct Amf0Date(double Milliseconds, short TimeZone = 0);

/// <summary>
/// An AMF0 anonymous object (§2.5): string keys and values, in the order they came. Values are
/// double, bool, string, null, <see cref="Amf0Undefined"/>, <see cref="Amf0Object"/>,
/// <see cref="Amf0EcmaArray"/>, <c>object?[]</c> (strict array) or <see cref="Amf0Date"/>.
/// </summary>
public class Amf0Object : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _properties = [];

    /// <summary>The number of properties.</summary>
    public int Count => _properties.Count;

    /// <summary>The value of <paramref name="key"/>, or null when absent; setting replaces or appends.</summary>
    public object? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : null;
        set
        {
            int i = _properties.FindIndex(p => p.Key == key);
            if (i >= 0)
            {
                _properties[i] = new(key, value);
            }
            else
            {
                _properties.Add(new(key, value));
            }
        }
    }

    /// <summary>Appends a property (for collection initialisers).</summary>
    public void Add(string key, object? value) => _properties.Add(new(key, value));

    /// <summary>Finds a property.</summary>
    public bool TryGetValue(string key, out object? value)
    {
        foreach (var property in _properties)
        {
            if (property.Key == key)
            {
                value = property.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>The value of <paramref name="key"/> when it is a string.</summary>
    public string? GetString(string key) => this[key] as string;

    /// <summary>The value of <paramref name="key"/> when it is a number.</summary>
    public double? GetNumber(string key) => this[key] as double?;

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => "{" + string.Join(", ", _properties.Select(p => $"{p.Key}: {Amf0.Format(p.Value)}")) + "}";
}

/// <summary>An AMF0 ECMA array (§2.10): an object with a count in front, e.g. onMetaData's properties.</summary>
public sealed class Amf0EcmaArray : Amf0Object
{
}
