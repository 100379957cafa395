namespace Lab03.Flv;

/// <summary>SoundFormat, the upper 4 bits of an audio tag's first byte (FLV spec E.4.2.1).</summary>
public enum SoundFormat : byte
{
    /// <summary>0: linear PCM, platform endian.</summary>
    LinearPcmPlatformEndian = 0,
    /// <summary>1: ADPCM.</summary>
    Adpcm = 1,
    /// <summary>2: MP3.</summary>
    Mp3 = 2,
    /// <summary>3: linear PCM, little endian.</summary>
    LinearPcmLittleEndian = 3,
    /// <summary>4: Nellymoser 16 kHz mono.</summary>
    Nellymoser16kMono = 4,
    /// <summary>5: Nellymoser 8 kHz mono.</summary>
    Nellymoser8kMono = 5,
    /// <summary>6: Nellymoser.</summary>
    Nellymoser = 6,
    /// <summary>7: G.711 A-law.</summary>
    G711ALaw = 7,
    /// <summary>8: G.711 µ-law.</summary>
    G711MuLaw = 8,
    /// <summary>9: reserved in FLV v10.1; Enhanced RTMP v2 uses it for an ExHeader with a FourCC ("Opus", "fLaC", "ac-3", "mp4a").</summary>
    ExHeader = 9,
    /// <summary>10: AAC.</summary>
    Aac = 10,
    /// <summary>11: Speex.</summary>
    Speex = 11,
    /// <summary>14: MP3 8 kHz.</summary>
    Mp3_8k = 14,
    /// <summary>15: device-specific sound.</summary>
    DeviceSpecific = 15,
}

/// <summary>
/// The audio tag header (FLV spec E.4.2.1): SoundFormat(4) SoundRate(2) SoundSize(1) SoundType(1), then
/// for AAC one AACPacketType byte (0 = AudioSpecificConfig, 1 = raw frame).
/// </summary>
/// <param name="Format">The codec.</param>
/// <param name="SoundRate">0 = 5.5 kHz, 1 = 11 kHz, 2 = 22 kHz, 3 = 44 kHz (AAC always says 3; the real rate is in the AudioSpecificConfig).</param>
/// <param name="Is16Bit">SoundSize: 16-bit samples (1) or 8-bit (0).</param>
/// <param name="IsStereo">SoundType: stereo (1) or mono (0).</param>
/// <param name="AacPacketType">For AAC: 0 sequence header, 1 raw; -1 for other formats.</param>
/// <param name="FourCc">For an Enhanced RTMP ExHeader (format 9): the codec's FourCC; 0 otherwise.</param>
public readonly record struct AudioTagHeader(SoundFormat Format, int SoundRate, bool Is16Bit, bool IsStereo, int AacPacketType, uint FourCc = 0)
{
    /// <summary>How many bytes of the tag's data this header takes: 2 for AAC, 5 for an ExHeader, 1 otherwise.</summary>
    public int Size => Format == SoundFormat.Aac ? 2 : Format == SoundFormat.ExHeader ? 5 : 1;

    /// <summary>True for an AAC sequence header (AACPacketType 0): the AudioSpecificConfig.</summary>
    public bool IsAacSequenceHeader => Format == SoundFormat.Aac && AacPacketType == 0;

    /// <summary>The SoundRate in Hz (5512, 11025, 22050, 44100).</summary>
    public int SoundRateHz => SoundRate switch { 0 => 5512, 1 => 11025, 2 => 22050, _ => 44100 };

    /// <summary>Reads the audio tag header from the start of a tag's data. <paramref name="offset"/> is where the data starts in the file.</summary>
    /// <exception cref="FlvFormatException">Empty data, an AAC tag without its AACPacketType, or a reserved SoundFormat (12, 13), or an Enhanced RTMP FourCC that is not an audio codec.</exception>
    public static AudioTagHeader Parse(ReadOnlySpan<byte> data, long offset)
    {
        throw new NotImplementedException("Lab 03 · M2: split byte 0 into SoundFormat (bits 7–4), SoundRate (3–2), SoundSize (1), SoundType (0); AAC (10) adds AACPacketType; refuse the reserved formats 12 and 13; format 9 (ExHeader) is AudioPacketType + a known FourCC — README §Audio tags");
    }

    /// <summary>The codec's name, for tables: "AAC", "MP3", or an Enhanced RTMP FourCC.</summary>
    public string CodecName => Format switch
    {
        SoundFormat.Aac => "AAC",
        SoundFormat.Mp3 or SoundFormat.Mp3_8k => "MP3",
        SoundFormat.ExHeader => FourCcCode.ToText(FourCc),
        _ => Format.ToString(),
    };
}
