using Lab03.Flv;

namespace Lab04.LiveServer;

/// <summary>
/// What a stream carries, as the monitoring page shows it (监控面板, README §Monitoring): read from the
/// AVC and AAC sequence headers and onMetaData the publisher sent, never from the frames. Codec names are
/// ffprobe's (<c>h264</c>, <c>aac</c>) so they compare with what ffprobe says about a file.
/// </summary>
/// <param name="VideoCodec">From the video tag's CodecID (FLV §E.4.3.1: 7 is AVC → "h264"), or null.</param>
/// <param name="Width">onMetaData <c>width</c>, in pixels, or null.</param>
/// <param name="Height">onMetaData <c>height</c>, in pixels, or null.</param>
/// <param name="FrameRate">onMetaData <c>framerate</c>, frames per second, or null.</param>
/// <param name="AudioCodec">From the audio tag's SoundFormat (FLV §E.4.2.1: 10 is AAC → "aac", 2 → "mp3"), or null.</param>
/// <param name="SampleRate">AAC: from the AudioSpecificConfig in the sequence header (ISO/IEC 14496-3 §1.6.2.1), in Hz, or null.</param>
/// <param name="Channels">AAC: channelConfiguration from the AudioSpecificConfig, or null.</param>
public sealed record MediaInfo(string? VideoCodec, int? Width, int? Height, double? FrameRate, string? AudioCodec, int? SampleRate, int? Channels)
{
    /// <summary>samplingFrequencyIndex 0–12 → Hz (ISO/IEC 14496-3 §1.6.3.4, Table 1.18).</summary>
    public static IReadOnlyList<int> SamplingFrequencies { get; } = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    /// <summary>
    /// What <paramref name="metadata"/> (onMetaData), <paramref name="videoSequenceHeader"/> and
    /// <paramref name="audioSequenceHeader"/> say; any of them may be null, and whatever is missing or
    /// unreadable is null in the answer (a monitoring page never fails on a stream it does not understand).
    /// </summary>
    public static MediaInfo From(LiveTag? metadata, LiveTag? videoSequenceHeader, LiveTag? audioSequenceHeader)
    {
        #region lab M7: video codec from CodecID (low 4 bits of the first data byte: 7 → "h264", 12 → "hevc"); audio codec from SoundFormat (high 4 bits: 10 → "aac", 2 → "mp3"); for AAC the AudioSpecificConfig after the 2 header bytes: 5 bits audioObjectType, 4 bits samplingFrequencyIndex (SamplingFrequencies), 4 bits channelConfiguration; width, height, framerate from onMetaData (Lab 03's FlvMetadata.Parse; null when it does not parse) — README §Monitoring
        string? videoCodec = null, audioCodec = null;
        int? sampleRate = null, channels = null;
        if (videoSequenceHeader is { } video && video.Data.Length >= 1)
        {
            videoCodec = (video.Data.Span[0] & 0x0F) switch
            {
                7 => "h264",
                12 => "hevc",
                var id => $"flv codec {id}",
            };
        }

        if (audioSequenceHeader is { } audio && audio.Data.Length >= 1)
        {
            var data = audio.Data.Span;
            int format = data[0] >> 4;
            audioCodec = format switch
            {
                10 => "aac",
                2 => "mp3",
                var id => $"flv sound format {id}",
            };
            if (format == 10 && data.Length >= 4)
            {
                int config = data[2] << 8 | data[3];
                int frequencyIndex = config >> 7 & 0x0F;
                sampleRate = frequencyIndex < SamplingFrequencies.Count ? SamplingFrequencies[frequencyIndex] : null;
                channels = config >> 3 & 0x0F;
            }
        }

        FlvMetadata? meta = null;
        if (metadata is not null)
        {
            try
            {
                meta = FlvMetadata.Parse(metadata.Data.Span, 0);
            }
            catch (FlvFormatException)
            {
                // unreadable metadata: nothing from it
            }
        }

        return new MediaInfo(videoCodec, (int?)meta?.Width, (int?)meta?.Height, meta?.FrameRate, audioCodec, sampleRate, channels);
        #endregion
    }
}
