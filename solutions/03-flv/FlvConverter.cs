using System.Buffers;
using System.Buffers.Binary;
using Lab02.RtmpChunks;

namespace Lab03.Flv;

/// <summary>When one packet is decoded and shown, in ms (FLV's time base).</summary>
/// <param name="Dts">Decode timestamp: the tag's timestamp.</param>
/// <param name="Pts">Presentation timestamp: DTS + CompositionTime.</param>
public readonly record struct PacketTiming(long Dts, long Pts);

/// <summary>
/// Where the converter takes timestamps from. A raw <c>.h264</c> or <c>.aac</c> carries none, so either
/// a timing list (for instance ffprobe's packet list of the FLV the streams came from), or a constant
/// frame rate with no reordering (PTS = DTS: right for streams without B-frames only).
/// </summary>
public sealed record FlvConversionOptions
{
    /// <summary>Video frames per second, for DTS = round(n × 1000 / rate) when <see cref="VideoTiming"/> is null (onMetaData's framerate).</summary>
    public double? FrameRate { get; init; }

    /// <summary>DTS and PTS of every access unit in decode order; with B-frames the only way to exact timestamps.</summary>
    public IReadOnlyList<PacketTiming>? VideoTiming { get; init; }

    /// <summary>DTS of every AAC frame; when null, frame n is at round(n × 1024 × 1000 / sampling rate).</summary>
    public IReadOnlyList<PacketTiming>? AudioTiming { get; init; }

    /// <summary>
    /// Reads ffprobe's packet list, <c>ffprobe -v error -show_entries packet=codec_type,pts,dts -of csv=p=0 FILE.flv</c>:
    /// lines <c>video,133,0</c> (type, pts, dts) into the video and audio timing lists.
    /// </summary>
    public static FlvConversionOptions FromFfprobeCsv(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var video = new List<PacketTiming>();
        var audio = new List<PacketTiming>();
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(',');
            if (fields.Length < 3 || !long.TryParse(fields[1], out long pts) || !long.TryParse(fields[2], out long dts))
            {
                throw new FormatException($"Not an ffprobe packet line (codec_type,pts,dts): \"{line}\".");
            }

            (fields[0] == "video" ? video : audio).Add(new PacketTiming(dts, pts));
        }

        return new FlvConversionOptions { VideoTiming = video, AudioTiming = audio };
    }
}

/// <summary>
/// The way back: an H.264 Annex B stream and an AAC ADTS stream → one FLV (the roadmap's conversion tool).
/// Parameter sets go into AVC sequence headers (a new one when they change), every other NAL unit into
/// NALU tags with 4-byte lengths; ADTS headers become one AAC sequence header and raw AAC frames.
/// </summary>
public static class FlvConverter
{
    /// <summary>Samples in one AAC frame (14496-3: frameLengthFlag 0), so frame n starts at n × 1024 samples.</summary>
    public const int AacFrameSamples = 1024;

    /// <summary>Builds the FLV. Either stream may be empty (an audio-only or video-only file).</summary>
    /// <exception cref="FlvFormatException">The Annex B or ADTS bytes are broken (offset in that stream), or slices come before any SPS/PPS.</exception>
    /// <exception cref="ArgumentException">No frame rate and no timing, or a timing list whose length is not the frame count.</exception>
    public static byte[] Convert(ReadOnlySpan<byte> annexB, ReadOnlySpan<byte> adts, FlvConversionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var video = VideoTags(annexB, options);
        var audio = AudioTags(adts, options);
        var output = new ArrayBufferWriter<byte>();
        var writer = new FlvWriter(output, FlvHeader.Create(hasAudio: audio.Count > 0, hasVideo: video.Count > 0));
        writer.WriteTag(FlvTagType.Script, 0, Metadata(video, audio, options));
        #region lab M5: write the video and audio tags merged by timestamp (decode order), a video tag first when both have the same — README §Converting back
        int v = 0, a = 0;
        while (v < video.Count || a < audio.Count)
        {
            var next = a >= audio.Count || (v < video.Count && video[v].Timestamp <= audio[a].Timestamp) ? video[v++] : audio[a++];
            writer.WriteTag(next.Type, next.Timestamp, next.Data);
        }
        #endregion

        return output.WrittenSpan.ToArray();
    }

    /// <summary>The FLV video tags for an Annex B stream: sequence headers and NALU tags, in decode order.</summary>
    public static List<PendingTag> VideoTags(ReadOnlySpan<byte> annexB, FlvConversionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        #region lab M5: per access unit: its SPS/PPS, when they differ from the last, make a sequence header tag (17 00 000000 + the record); the other NAL units, each behind a 4-byte length, make a NALU tag (17 or 27, 01, the signed 24-bit composition time) — README §Converting back
        var units = AnnexBReader.ReadAccessUnits(annexB);
        if (units.Count > 0 && options.VideoTiming is null && options.FrameRate is not > 0)
        {
            throw new ArgumentException("A .h264 stream has no timestamps: give a frame rate (onMetaData's framerate) or a timing list.", nameof(options));
        }

        if (options.VideoTiming is { } given && given.Count != units.Count(u => u.NalUnits.Any(n => n.Type is NalUnitType.IdrSlice or NalUnitType.NonIdrSlice)))
        {
            throw new ArgumentException($"The video timing list has {given.Count} entries for a stream of {units.Count} access units.", nameof(options));
        }

        var tags = new List<PendingTag>();
        byte[]? sps = null, pps = null, lastRecord = null;
        int frame = 0;
        foreach (var unit in units)
        {
            var payload = new ArrayBufferWriter<byte>();
            bool isKey = false, hasSlice = false;
            foreach (var nal in unit.NalUnits)
            {
                var bytes = annexB.Slice(nal.Offset, nal.Length);
                switch (nal.Type)
                {
                    case NalUnitType.Sps:
                        sps = bytes.ToArray();
                        continue;
                    case NalUnitType.Pps:
                        pps = bytes.ToArray();
                        continue;
                    case NalUnitType.IdrSlice:
                        isKey = hasSlice = true;
                        break;
                    case NalUnitType.NonIdrSlice:
                        hasSlice = true;
                        break;
                }

                var span = payload.GetSpan(4 + nal.Length);
                BinaryPrimitives.WriteInt32BigEndian(span, nal.Length); // lengthSizeMinusOne = 3: 4-byte NALU lengths
                bytes.CopyTo(span[4..]);
                payload.Advance(4 + nal.Length);
            }

            if (!hasSlice)
            {
                continue; // parameter sets alone (or an end of stream): nothing to decode at a time of its own
            }

            if (sps is null || pps is null)
            {
                throw new FlvFormatException(unit.Offset, "an SPS and a PPS before the first slice", "A slice comes before the stream's parameter sets; a decoder could not start here.");
            }

            var timing = options.VideoTiming is { } list ? list[frame]
                : new PacketTiming(Ms(frame, 1000 / options.FrameRate!.Value), Ms(frame, 1000 / options.FrameRate!.Value));
            frame++;
            var record = DecoderConfigurationRecord(sps, pps, unit.Offset);
            if (lastRecord is null || !record.AsSpan().SequenceEqual(lastRecord))
            {
                tags.Add(new PendingTag(FlvTagType.Video, (int)timing.Dts, [0x17, 0, 0, 0, 0, .. record])); // key frame, AVC, AVCPacketType 0, CompositionTime 0
                lastRecord = record;
            }

            int composition = checked((int)(timing.Pts - timing.Dts));
            byte[] data = [(byte)((isKey ? 1 : 2) << 4 | 7), 1, (byte)(composition >> 16), (byte)(composition >> 8), (byte)composition, .. payload.WrittenSpan];
            tags.Add(new PendingTag(FlvTagType.Video, (int)timing.Dts, data));
        }

        return tags;
        #endregion
    }

    /// <summary>The FLV audio tags for an ADTS stream: one AAC sequence header (another when the configuration changes), then a tag per frame.</summary>
    public static List<PendingTag> AudioTags(ReadOnlySpan<byte> adts, FlvConversionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        #region lab M5: per ADTS frame: when its configuration differs from the last, an AAC sequence header (AF 00 + the 2-byte AudioSpecificConfig); then AF 01 + the raw frame, at its time — README §Converting back
        var frames = AdtsReader.ReadFrames(adts);
        if (options.AudioTiming is { } given && given.Count != frames.Count)
        {
            throw new ArgumentException($"The audio timing list has {given.Count} entries for a stream of {frames.Count} AAC frames.", nameof(options));
        }

        var tags = new List<PendingTag>();
        AudioSpecificConfig? last = null;
        for (int n = 0; n < frames.Count; n++)
        {
            var frame = frames[n];
            var config = frame.Config;
            long dts = options.AudioTiming is { } list ? list[n].Dts : Ms(n, AacFrameSamples * 1000.0 / config.SamplingFrequency);
            if (config != last)
            {
                // AudioSpecificConfig (14496-3 §1.6.2.1): audioObjectType(5) samplingFrequencyIndex(4) channelConfiguration(4) then 3 zero bits (GASpecificConfig).
                int bits = config.ObjectType << 11 | config.SamplingFrequencyIndex << 7 | config.ChannelConfiguration << 3;
                tags.Add(new PendingTag(FlvTagType.Audio, (int)dts, [AacSoundByte, 0, (byte)(bits >> 8), (byte)bits]));
                last = config;
            }

            tags.Add(new PendingTag(FlvTagType.Audio, (int)dts, [AacSoundByte, 1, .. adts.Slice(frame.RawOffset, frame.RawLength)]));
        }

        return tags;
        #endregion
    }

    /// <summary>
    /// An AVCDecoderConfigurationRecord (ISO/IEC 14496-15:2010 §5.2.4.1.1) for one SPS and one PPS, with 4-byte NALU lengths,
    /// and for the High profiles (100, 110, 122, 144) the chroma format and bit depths read from the SPS, as ffmpeg writes it.
    /// </summary>
    public static byte[] DecoderConfigurationRecord(ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps, long offset)
    {
        if (sps.Length < 4)
        {
            throw new FlvFormatException(offset, "an SPS of at least 4 bytes", $"The SPS is {sps.Length} bytes.");
        }

        byte[] record = [1, sps[1], sps[2], sps[3], 0xFF, 0xE1, (byte)(sps.Length >> 8), (byte)sps.Length, .. sps, 1, (byte)(pps.Length >> 8), (byte)pps.Length, .. pps];
        if (sps[1] is not (100 or 110 or 122 or 144))
        {
            return record;
        }

        // H.264 §7.3.2.1.1: after profile_idc, constraint flags and level_idc: ue(seq_parameter_set_id), then for
        // the High profiles ue(chroma_format_idc), [u(1) separate_colour_plane_flag if 3], ue(bit_depth_luma_minus8), ue(bit_depth_chroma_minus8).
        var bits = new ExpGolombReader(sps[4..], offset + 4);
        bits.ReadUe();
        uint chroma = bits.ReadUe();
        if (chroma == 3)
        {
            bits.ReadBit();
        }

        uint luma = bits.ReadUe(), chromaDepth = bits.ReadUe();
        return [.. record, (byte)(0xFC | chroma), (byte)(0xF8 | luma), (byte)(0xF8 | chromaDepth), 0]; // 0 SPS extensions
    }

    /// <summary>AAC's byte 0: SoundFormat 10, SoundRate 3, SoundSize 1, SoundType 1 — always this for AAC (FLV spec E.4.2.1).</summary>
    private const byte AacSoundByte = 0xAF;

    private static long Ms(int n, double msPerFrame) => (long)Math.Round(n * msPerFrame, MidpointRounding.AwayFromZero);

    private static byte[] Metadata(List<PendingTag> video, List<PendingTag> audio, FlvConversionOptions options)
    {
        var last = video.Concat(audio).Select(t => t.Timestamp).DefaultIfEmpty(0).Max();
        var properties = new Amf0EcmaArray { { "duration", last / 1000.0 } };
        if (video.Count > 0)
        {
            properties.Add("videocodecid", 7.0);
            if (options.FrameRate is { } rate)
            {
                properties.Add("framerate", rate);
            }
        }

        if (audio.Count > 0)
        {
            properties.Add("audiocodecid", 10.0);
        }

        return Amf0.Encode("onMetaData", properties);
    }

    /// <summary>A reader of H.264's Exp-Golomb codes (§9.1) over an RBSP, skipping emulation prevention bytes (00 00 03).</summary>
    private ref struct ExpGolombReader(ReadOnlySpan<byte> bytes, long offset)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _byte;
        private int _bit;
        private int _zeros;

        public int ReadBit()
        {
            if (_byte >= _bytes.Length)
            {
                throw new FlvFormatException(offset + _byte, "more SPS bits", "The SPS ends inside a field.");
            }

            if (_bit == 0 && _zeros >= 2 && _bytes[_byte] == 3)
            {
                _byte++; // emulation_prevention_three_byte (§7.4.1)
                _zeros = 0;
                return ReadBit();
            }

            int value = _bytes[_byte] >> (7 - _bit) & 1;
            if (++_bit == 8)
            {
                _zeros = _bytes[_byte] == 0 ? _zeros + 1 : 0;
                _bit = 0;
                _byte++;
            }

            return value;
        }

        public uint ReadUe()
        {
            int leading = 0;
            while (ReadBit() == 0)
            {
                if (++leading > 31)
                {
                    throw new FlvFormatException(offset + _byte, "an Exp-Golomb code of at most 32 bits", "More than 31 leading zero bits.");
                }
            }

            uint value = 0;
            for (int i = 0; i < leading; i++)
            {
                value = value << 1 | (uint)ReadBit();
            }

            return (1u << leading) - 1 + value;
        }
    }
}

/// <summary>A tag the converter will write: its type, timestamp (DTS) and data.</summary>
/// <param name="Type">Audio or video.</param>
/// <param name="Timestamp">The DTS in ms.</param>
/// <param name="Data">The tag's data, from its audio/video tag header on.</param>
public sealed record PendingTag(FlvTagType Type, int Timestamp, byte[] Data);
