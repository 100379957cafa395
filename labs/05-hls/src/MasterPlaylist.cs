using System.Globalization;
using System.Text;
using Lab03.Flv;

namespace Lab05.Hls;

/// <summary>One rendition of an ABR ladder (自适应码率) as a master playlist lists it (#EXT-X-STREAM-INF, RFC 8216 §4.3.4.2).</summary>
/// <param name="Uri">Its media playlist, relative to the master playlist.</param>
/// <param name="Bandwidth">BANDWIDTH: its peak segment bit rate, bits per second (required).</param>
/// <param name="Width">RESOLUTION's width, or null when it is not given.</param>
/// <param name="Height">RESOLUTION's height.</param>
/// <param name="Codecs">CODECS: the RFC 6381 codec names, "avc1.64000c,mp4a.40.2".</param>
/// <param name="AverageBandwidth">AVERAGE-BANDWIDTH: its average segment bit rate, bits per second, or null when it is not given.</param>
public sealed record VariantStream(string Uri, long Bandwidth, int? Width = null, int? Height = null, string? Codecs = null, long? AverageBandwidth = null)
{
    /// <summary>The peak segment bit rate of these segments (RFC 8216 §4.3.4.2): the largest bytes × 8 / duration, rounded up.</summary>
    public static long PeakBandwidth(IEnumerable<MediaSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        throw new NotImplementedException("Lab 05 · M4: for each segment with a duration > 0, Data.Length × 8 / Duration; the largest, rounded up — README §Master playlist");
    }

    /// <summary>
    /// The average segment bit rate of these segments (RFC 8216 §4.1, for AVERAGE-BANDWIDTH in §4.3.4.2): the sum of their
    /// sizes in bits divided by the sum of their durations (the playlist's duration), rounded up; 0 when they last 0 s.
    /// </summary>
    public static long AverageBandwidthOf(IEnumerable<MediaSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        throw new NotImplementedException("Lab 05 · M6: Σ Data.Length × 8 ÷ Σ Duration over every segment, rounded up; 0 when the durations add up to 0 — README §ABR ladder");
    }

    /// <summary>
    /// The CODECS value for H.264 and AAC (RFC 6381 §3.3): "avc1." and the SPS's profile_idc, constraint flags and
    /// level_idc as six hex digits (from the AVCDecoderConfigurationRecord), and "mp4a.40." and the AAC audio object type.
    /// </summary>
    public static string CodecsOf(AvcDecoderConfigurationRecord? video, AudioSpecificConfig? audio)
    {
        throw new NotImplementedException("Lab 05 · M4: \"avc1.PPCCLL\" (x2 lowercase hex of Profile, Compatibility, Level) and \"mp4a.40.N\" (ObjectType in decimal), comma-separated, video first — README §Master playlist");
    }
}

/// <summary>
/// A master playlist (RFC 8216 §4.3.4): the renditions of one stream, each an #EXT-X-STREAM-INF line with its attributes
/// followed by the URI of its media playlist. A player picks one by bandwidth and switches as the network changes.
/// </summary>
public sealed record MasterPlaylist(IReadOnlyList<VariantStream> Variants, int Version = 3)
{
    /// <summary>The text: #EXTM3U, #EXT-X-VERSION, then per variant #EXT-X-STREAM-INF:BANDWIDTH=…[,AVERAGE-BANDWIDTH=…][,RESOLUTION=WxH][,CODECS="…"] and its URI.</summary>
    public string Write()
    {
        var text = new StringBuilder();
        throw new NotImplementedException("Lab 05 · M4: the header lines, then for each variant its #EXT-X-STREAM-INF line (BANDWIDTH always, AVERAGE-BANDWIDTH when set, RESOLUTION when both sizes are known, CODECS quoted when set) and its URI on the next line — README §Master playlist");
    }

    /// <summary>Reads a master playlist: every #EXT-X-STREAM-INF and the URI after it; other tags are ignored.</summary>
    /// <exception cref="HlsFormatException">With the line: no #EXTM3U; an attribute list that does not parse (§4.2); no BANDWIDTH;
    /// a RESOLUTION that is not WxH; no URI after #EXT-X-STREAM-INF.</exception>
    public static MasterPlaylist Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        throw new NotImplementedException("Lab 05 · M4: line 1 #EXTM3U; each #EXT-X-STREAM-INF: parse its attribute list (ReadAttributes), BANDWIDTH required, RESOLUTION as WxH, CODECS unquoted; the next URI line is its playlist — README §Master playlist");
    }
}
