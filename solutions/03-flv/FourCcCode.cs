namespace Lab03.Flv;

/// <summary>Four-character codes as Enhanced RTMP writes them: four ASCII bytes, read as a big-endian UI32.</summary>
public static class FourCcCode
{
    /// <summary>"avc1": H.264.</summary>
    public const uint Avc1 = 0x61766331;

    /// <summary>"hvc1": HEVC / H.265.</summary>
    public const uint Hvc1 = 0x68766331;

    /// <summary>"av01": AV1.</summary>
    public const uint Av01 = 0x61763031;

    /// <summary>"vp09": VP9.</summary>
    public const uint Vp09 = 0x76703039;

    /// <summary>"vp08": VP8.</summary>
    public const uint Vp08 = 0x76703038;

    /// <summary>The four characters of a code ("hvc1"); unprintable bytes become '?'.</summary>
    public static string ToText(uint code) => string.Create(4, code, static (chars, c) =>
    {
        for (int i = 0; i < 4; i++)
        {
            byte b = (byte)(c >> (24 - 8 * i));
            chars[i] = b is >= 0x20 and < 0x7F ? (char)b : '?';
        }
    });
}
