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

    /// <summary>"Opus": Opus audio (Enhanced RTMP v2).</summary>
    public const uint Opus = 0x4F707573;

    /// <summary>"fLaC": FLAC audio (Enhanced RTMP v2).</summary>
    public const uint Flac = 0x664C6143;

    /// <summary>"ac-3": AC-3 audio (Enhanced RTMP v2).</summary>
    public const uint Ac3 = 0x61632D33;

    /// <summary>"ec-3": E-AC-3 audio (Enhanced RTMP v2).</summary>
    public const uint Eac3 = 0x65632D33;

    /// <summary>".mp3": MP3 audio (Enhanced RTMP v2).</summary>
    public const uint Mp3 = 0x2E6D7033;

    /// <summary>"mp4a": AAC audio (Enhanced RTMP v2).</summary>
    public const uint Mp4a = 0x6D703461;

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
