using System.Buffers;
using Lab03.Flv;

namespace Lab05.Hls;

/// <summary>
/// What an FLV file holds, ready for the TS muxer: the samples in file order (FLV interleaves audio and video by
/// DTS), their timestamps moved from FLV's milliseconds to the 90 kHz PES clock, the video as Annex B access units
/// with SPS/PPS in front of each IDR (Lab 03's <see cref="AnnexBWriter"/>), the audio as ADTS frames (Lab 03's
/// <see cref="AdtsWriter"/>). Given code: it joins your Lab 03 to this lab.
/// </summary>
public sealed record FlvSource(IReadOnlyList<MediaSample> Samples, AvcDecoderConfigurationRecord? Video, AudioSpecificConfig? Audio)
{
    /// <summary>90 kHz ticks per FLV millisecond.</summary>
    public const int TicksPerMillisecond = FlvSampleConverter.TicksPerMillisecond;

    /// <summary>Whether the file has H.264 video.</summary>
    public bool HasVideo => Video is not null;

    /// <summary>Whether the file has AAC audio.</summary>
    public bool HasAudio => Audio is not null;

    /// <summary>Reads an FLV file; <paramref name="timestampOffset"/> (90 kHz) is added to every PTS and DTS.</summary>
    public static FlvSource Load(string path, long timestampOffset = 0) => Read(FlvFile.Load(path), timestampOffset);

    /// <summary>Converts the tags of an FLV file; <paramref name="timestampOffset"/> (90 kHz) is added to every PTS and DTS.</summary>
    /// <exception cref="FlvFormatException">The FLV's own errors: broken configuration records, NAL units before any configuration.</exception>
    public static FlvSource Read(FlvFile file, long timestampOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(file);
        var converter = new FlvSampleConverter();
        var samples = new List<MediaSample>();
        foreach (var tag in file.Tags)
        {
            if (converter.Add(tag.TagType, tag.Timestamp, tag.Data.Span, tag.DataOffset, timestampOffset) is { } sample)
            {
                samples.Add(sample);
            }
        }

        return new FlvSource(samples, converter.Video, converter.Audio);
    }

    /// <summary>Muxes every sample into one transport stream (PAT and PMT first), with a new muxer.</summary>
    public byte[] ToTransportStream()
    {
        var muxer = new TsMuxer(HasVideo, HasAudio);
        var output = new ArrayBufferWriter<byte>();
        muxer.WriteTables(output);
        foreach (var sample in Samples)
        {
            muxer.WriteSample(sample, output);
        }

        return output.WrittenSpan.ToArray();
    }
}
