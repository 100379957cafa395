namespace Lab03.Flv;

/// <summary>
/// The AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1) an AAC sequence header tag carries (AACPacketType 0):
/// audioObjectType (5 bits; 31 escapes to 32 + 6 more bits), samplingFrequencyIndex (4 bits; 15 means a
/// 24-bit frequency follows), channelConfiguration (4 bits).
/// </summary>
/// <param name="ObjectType">audioObjectType: 2 is AAC-LC, 5 SBR (HE-AAC), 29 PS.</param>
/// <param name="SamplingFrequencyIndex">0 = 96000 … 3 = 48000, 4 = 44100, 7 = 22050, 8 = 16000 … 11 = 8000; 15 = explicit.</param>
/// <param name="SamplingFrequency">The rate in Hz.</param>
/// <param name="ChannelConfiguration">1 mono, 2 stereo, … 0 = defined in the stream.</param>
public sealed record AudioSpecificConfig(int ObjectType, int SamplingFrequencyIndex, int SamplingFrequency, int ChannelConfiguration)
{
    /// <summary>The rates of samplingFrequencyIndex 0–12 (14496-3 Table 1.18).</summary>
    public static ReadOnlySpan<int> SamplingFrequencies => [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    /// <summary>Reads the config. <paramref name="offset"/> is its offset in the file, for errors.</summary>
    /// <exception cref="FlvFormatException">Fewer than 2 bytes, or a reserved sampling index (13, 14).</exception>
    public static AudioSpecificConfig Parse(ReadOnlySpan<byte> config, long offset)
    {
        throw new NotImplementedException("Lab 03 · M4: read 5 bits of object type (31 → 32 + 6 bits), 4 bits of sampling index (15 → 24 bits of frequency), 4 bits of channel configuration, most significant bit first — README §AudioSpecificConfig");
    }

    /// <summary>The profile's name as ffprobe prints it ("LC", "HE-AAC").</summary>
    public string ProfileName => ObjectType switch { 1 => "Main", 2 => "LC", 3 => "SSR", 4 => "LTP", 5 => "HE-AAC", 29 => "HE-AACv2", _ => $"object type {ObjectType}" };
}
