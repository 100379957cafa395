using Lab02.RtmpChunks;

namespace Lab03.Flv;

/// <summary>
/// A script data tag (FLV spec E.4.4): two AMF0 values, a name ("onMetaData") and an ECMA array of
/// properties (E.5: duration, width, height, framerate, videocodecid, audiocodecid ...). Decoded with
/// Lab 02's AMF0 reader.
/// </summary>
/// <param name="Name">The first value, the handler's name: "onMetaData" (or "@setDataFrame" from a live publisher).</param>
/// <param name="Properties">The properties, in file order.</param>
public sealed record FlvMetadata(string Name, Amf0Object Properties)
{
    /// <summary>duration, in seconds.</summary>
    public double? Duration => Properties.GetNumber("duration");

    /// <summary>width, in pixels.</summary>
    public double? Width => Properties.GetNumber("width");

    /// <summary>height, in pixels.</summary>
    public double? Height => Properties.GetNumber("height");

    /// <summary>framerate, frames per second.</summary>
    public double? FrameRate => Properties.GetNumber("framerate");

    /// <summary>videocodecid: 7 for AVC.</summary>
    public double? VideoCodecId => Properties.GetNumber("videocodecid");

    /// <summary>audiocodecid: 10 for AAC.</summary>
    public double? AudioCodecId => Properties.GetNumber("audiocodecid");

    /// <summary>videodatarate, kbit/s.</summary>
    public double? VideoDataRate => Properties.GetNumber("videodatarate");

    /// <summary>audiodatarate, kbit/s.</summary>
    public double? AudioDataRate => Properties.GetNumber("audiodatarate");

    /// <summary>audiosamplerate, Hz.</summary>
    public double? AudioSampleRate => Properties.GetNumber("audiosamplerate");

    /// <summary>encoder: who wrote the file ("Lavf59.27.100").</summary>
    public string? Encoder => Properties.GetString("encoder");

    /// <summary>Decodes a script tag's data. <paramref name="offset"/> is where the data starts in the file.</summary>
    /// <exception cref="FlvFormatException">Broken AMF0 (with the offset of the broken byte in the file), or a first value that is not a string.</exception>
    public static FlvMetadata Parse(ReadOnlySpan<byte> data, long offset)
    {
        throw new NotImplementedException("Lab 03 · M2: decode the data with Lab 02's Amf0.DecodeAll; the first value is the name (a string), the second an ECMA array or object; turn an RtmpException into an FlvFormatException at offset + its offset — README §Script data");
    }
}
