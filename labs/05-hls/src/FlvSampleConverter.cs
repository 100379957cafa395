using System.Buffers;
using Lab03.Flv;

namespace Lab05.Hls;

/// <summary>
/// Turns FLV tags, one at a time, into <see cref="MediaSample"/>s for the TS muxer: milliseconds to the 90 kHz PES clock,
/// H.264 NAL units to Annex B access units with SPS/PPS in front of each IDR (Lab 03's <see cref="AnnexBWriter"/>), AAC
/// frames to ADTS (Lab 03's <see cref="AdtsWriter"/>). Sequence headers set the configurations; other codecs and script
/// tags give nothing. A file (<see cref="FlvSource"/>) and a live stream (<see cref="HlsPackager"/>) both go through it.
/// Given code: it joins your Lab 03 to this lab.
/// </summary>
public sealed class FlvSampleConverter
{
    /// <summary>90 kHz ticks per FLV millisecond.</summary>
    public const int TicksPerMillisecond = PesHeader.ClockRate / 1000;

    private readonly AnnexBWriter _annexB = new();
    private readonly ArrayBufferWriter<byte> _reused = new();

    /// <summary>The last AVC configuration (from the last AVC sequence header), or null before one.</summary>
    public AvcDecoderConfigurationRecord? Video { get; private set; }

    /// <summary>The last AAC configuration, or null before one.</summary>
    public AudioSpecificConfig? Audio { get; private set; }

    /// <summary>
    /// Converts one tag's data (<paramref name="data"/>, after the 11-byte tag header; <paramref name="offset"/> is where it
    /// is, for errors) with its timestamp in ms; returns the sample, or null for a sequence header, metadata or another codec.
    /// <paramref name="timestampOffset"/> (90 kHz) is added to PTS and DTS.
    /// </summary>
    /// <exception cref="FlvFormatException">A broken configuration record, or NAL units before any configuration.</exception>
    public MediaSample? Add(FlvTagType type, long timestampMs, ReadOnlySpan<byte> data, long offset, long timestampOffset = 0) =>
        Convert(type, timestampMs, data, offset, timestampOffset, reused: null);

    /// <summary>
    /// The fast version of <see cref="Add"/>, for a caller that muxes each sample before it converts the next tag: the
    /// sample's <see cref="MediaSample.Data"/> is this converter's one buffer, overwritten by the next call. Once the
    /// buffer has grown to the largest access unit, converting a tag allocates nothing.
    /// </summary>
    /// <exception cref="FlvFormatException">As <see cref="Add"/>.</exception>
    public MediaSample? AddReusingBuffer(FlvTagType type, long timestampMs, ReadOnlySpan<byte> data, long offset, long timestampOffset = 0)
    {
        _reused.ResetWrittenCount();
        return Convert(type, timestampMs, data, offset, timestampOffset, _reused);
    }

    // The sample's bytes go into `reused` when given, else into a new buffer of their own.
    private MediaSample? Convert(FlvTagType type, long timestampMs, ReadOnlySpan<byte> data, long offset, long timestampOffset, ArrayBufferWriter<byte>? reused)
    {
        long dts = timestampMs * TicksPerMillisecond + timestampOffset;
        if (type == FlvTagType.Video && data.Length > 0 && VideoTagHeader.Parse(data, offset) is { IsExHeader: false, CodecId: VideoCodecId.Avc } video)
        {
            var payload = data[video.Size..];
            if (video.IsAvcSequenceHeader)
            {
                Video = AvcDecoderConfigurationRecord.Parse(payload, offset + video.Size);
                _annexB.Configuration = Video;
            }
            else if (video.IsAvcNalus)
            {
                var unit = reused ?? new ArrayBufferWriter<byte>(payload.Length + 64);
                _annexB.WriteAccessUnit(payload, unit, offset + video.Size);
                long pts = dts + (long)video.CompositionTime * TicksPerMillisecond;
                return new MediaSample(TrackKind.Video, pts, dts, video.IsKeyFrame, unit.WrittenMemory);
            }
        }
        else if (type == FlvTagType.Audio && data.Length > 0 && AudioTagHeader.Parse(data, offset) is { Format: SoundFormat.Aac } sound)
        {
            var payload = data[sound.Size..];
            if (sound.IsAacSequenceHeader)
            {
                Audio = AudioSpecificConfig.Parse(payload, offset + sound.Size);
            }
            else if (Audio is not null)
            {
                var frame = reused ?? new ArrayBufferWriter<byte>(payload.Length + AdtsWriter.HeaderSize);
                AdtsWriter.WriteFrame(frame, Audio, payload, offset + sound.Size);
                return new MediaSample(TrackKind.Audio, dts, dts, true, frame.WrittenMemory);
            }
        }

        return null;
    }
}
