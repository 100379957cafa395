using System.Buffers;

namespace Lab03.Flv;

/// <summary>One frame of an elementary stream: where it came from and where it went.</summary>
/// <param name="Dts">Decode timestamp in ms (the tag's timestamp).</param>
/// <param name="Pts">Presentation timestamp in ms (DTS + CompositionTime; = DTS for audio).</param>
/// <param name="IsKeyFrame">A key frame (FrameType 1); true for every AAC frame.</param>
/// <param name="TagOffset">The tag's offset in the FLV file.</param>
/// <param name="OutputOffset">Where the frame starts in the elementary stream written so far.</param>
/// <param name="OutputLength">How many bytes it took there (with start codes, parameter sets or ADTS header).</param>
public readonly record struct ElementaryFrame(long Dts, long Pts, bool IsKeyFrame, long TagOffset, long OutputOffset, int OutputLength);

/// <summary>
/// Splits an FLV into its elementary streams: the H.264 video as Annex B (a <c>.h264</c> file) and the
/// AAC audio as ADTS (an <c>.aac</c> file). A sequence header repeated unchanged is ignored; one that
/// changes starts a new configuration from that tag on.
/// </summary>
public sealed class FlvDemuxer
{
    private readonly ArrayBufferWriter<byte> _video = new();
    private readonly ArrayBufferWriter<byte> _audio = new();
    private readonly AnnexBWriter _annexB = new();
    private readonly List<AvcDecoderConfigurationRecord> _videoConfigurations = [];
    private readonly List<AudioSpecificConfig> _audioConfigurations = [];
    private readonly List<ElementaryFrame> _videoFrames = [];
    private readonly List<ElementaryFrame> _audioFrames = [];
    private ReadOnlyMemory<byte> _lastAvcHeader;
    private ReadOnlyMemory<byte> _lastAacHeader;

    /// <summary>The Annex B H.264 stream so far.</summary>
    public ReadOnlyMemory<byte> AnnexB => _video.WrittenMemory;

    /// <summary>The ADTS AAC stream so far.</summary>
    public ReadOnlyMemory<byte> Adts => _audio.WrittenMemory;

    /// <summary>Every distinct AVC configuration, in order (more than one when it changed mid-stream).</summary>
    public IReadOnlyList<AvcDecoderConfigurationRecord> VideoConfigurations => _videoConfigurations;

    /// <summary>Every distinct AAC configuration, in order.</summary>
    public IReadOnlyList<AudioSpecificConfig> AudioConfigurations => _audioConfigurations;

    /// <summary>How many sequence headers repeated the current configuration unchanged (and were ignored).</summary>
    public int RepeatedSequenceHeaders { get; private set; }

    /// <summary>The video frames written, in decode order.</summary>
    public IReadOnlyList<ElementaryFrame> VideoFrames => _videoFrames;

    /// <summary>The audio frames written.</summary>
    public IReadOnlyList<ElementaryFrame> AudioFrames => _audioFrames;

    /// <summary>Tags skipped because their codec is not H.264 or AAC (reported, not converted).</summary>
    public int OtherCodecTags { get; private set; }

    /// <summary>Demuxes a whole file.</summary>
    public static FlvDemuxer Demux(FlvFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var demuxer = new FlvDemuxer();
        foreach (var tag in file.Tags)
        {
            demuxer.Add(tag);
        }

        return demuxer;
    }

    /// <summary>Takes the next tag of the file.</summary>
    /// <exception cref="FlvFormatException">A broken configuration record, NAL units before the configuration, a bad NALU length.</exception>
    public void Add(FlvTag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        #region lab M4: for AVC: a sequence header (AVCPacketType 0) sets the configuration when it differs from the last one, NALUs (1) go through the AnnexBWriter, end of sequence (2) is nothing; for AAC: AACPacketType 0 sets the AudioSpecificConfig, 1 is a frame for AdtsWriter; record each frame — README §Demuxing
        var data = tag.Data.Span;
        if (tag.TagType == FlvTagType.Video)
        {
            var video = tag.Video;
            if (video.IsExHeader || video.CodecId != VideoCodecId.Avc)
            {
                OtherCodecTags++;
                return;
            }

            var payload = tag.Data[video.Size..];
            if (video.IsAvcSequenceHeader)
            {
                if (payload.Span.SequenceEqual(_lastAvcHeader.Span))
                {
                    RepeatedSequenceHeaders++;
                    return;
                }

                var configuration = AvcDecoderConfigurationRecord.Parse(payload.Span, tag.DataOffset + video.Size);
                _lastAvcHeader = payload;
                _videoConfigurations.Add(configuration);
                _annexB.Configuration = configuration;
            }
            else if (video.IsAvcNalus)
            {
                long start = _video.WrittenCount;
                _annexB.WriteAccessUnit(payload.Span, _video, tag.DataOffset + video.Size);
                _videoFrames.Add(new ElementaryFrame(tag.Timestamp, tag.Timestamp + video.CompositionTime, video.IsKeyFrame, tag.Offset, start, (int)(_video.WrittenCount - start)));
            }
        }
        else if (tag.TagType == FlvTagType.Audio)
        {
            var audio = tag.Audio;
            if (audio.Format != SoundFormat.Aac)
            {
                OtherCodecTags++;
                return;
            }

            var payload = tag.Data[audio.Size..];
            if (audio.AacPacketType == 0)
            {
                if (payload.Span.SequenceEqual(_lastAacHeader.Span))
                {
                    RepeatedSequenceHeaders++;
                    return;
                }

                _audioConfigurations.Add(AudioSpecificConfig.Parse(payload.Span, tag.DataOffset + audio.Size));
                _lastAacHeader = payload;
            }
            else
            {
                var config = _audioConfigurations.Count > 0 ? _audioConfigurations[^1]
                    : throw new FlvFormatException(tag.DataOffset, "an AAC sequence header (AACPacketType 0) before the first AAC frame", "An AAC frame came before any AudioSpecificConfig.");
                long start = _audio.WrittenCount;
                AdtsWriter.WriteFrame(_audio, config, payload.Span, tag.DataOffset + audio.Size);
                _audioFrames.Add(new ElementaryFrame(tag.Timestamp, tag.Timestamp, true, tag.Offset, start, (int)(_audio.WrittenCount - start)));
            }
        }
        #endregion
    }
}
