using static Lab03.Flv.Tests.Bytes;

namespace Lab03.Flv.Tests;

/// <summary>
/// M4: the demuxer. Configurations against ffprobe's streams; the .h264 and .aac outputs byte for byte
/// against ffmpeg's h264_mp4toannexb and adts muxer on the same clips (make.sh); spec vectors.
/// </summary>
public class M4DemuxerTests
{
    private const string Milestone = "M4 demuxer to H.264 and AAC";

    public static TheoryData<string> VideoClips => new("av", "video", "nalu3", "repeated", "changed");

    public static TheoryData<string> AudioClips => new("av", "audio", "repeated");

    [Theory]
    [MemberData(nameof(VideoClips))]
    [Trait("Milestone", Milestone)]
    public void The_AVCDecoderConfigurationRecord_agrees_with_ffprobe(string clip)
    {
        var stream = Clips.Probe(clip).Streams.Single(s => s.CodecType == "video");
        var demuxer = FlvDemuxer.Demux(FlvFile.Read(Clips.Flv(clip)));
        Assert.True(demuxer.VideoConfigurations.Count > 0, $"{clip}.flv starts with an AVC sequence header; your demuxer kept no configuration. See README §AVCDecoderConfigurationRecord.");
        var config = demuxer.VideoConfigurations[0];
        Assert.True(config.ProfileName == stream.Profile && config.Level == stream.Level && config.NaluLengthSize == stream.NalLengthSize,
            $"{clip}.flv: ffprobe says profile {stream.Profile}, level {stream.Level}, nal_length_size {stream.NalLengthSize}; you read {config.ProfileName} (profile_idc {config.Profile}, compatibility 0x{config.Compatibility:x2}), level {config.Level}, NALU length size {config.NaluLengthSize}. See README §AVCDecoderConfigurationRecord.");
        Assert.True(config.SequenceParameterSets.Count == 1 && config.PictureParameterSets.Count == 1 && (config.SequenceParameterSets[0][0] & 0x1F) == 7 && (config.PictureParameterSets[0][0] & 0x1F) == 8,
            $"{clip}.flv: x264 writes one SPS (NAL type 7) and one PPS (type 8); you read {config.SequenceParameterSets.Count} and {config.PictureParameterSets.Count}. See README §AVCDecoderConfigurationRecord.");
        var packets = Clips.Probe(clip).Packets.Count(p => p.CodecType == "video");
        Assert.True(demuxer.VideoFrames.Count == packets, $"{clip}.flv has {packets} video frames (ffprobe); you demuxed {demuxer.VideoFrames.Count}. See README §Demuxing.");
    }

    [Theory]
    [MemberData(nameof(AudioClips))]
    [Trait("Milestone", Milestone)]
    public void The_AudioSpecificConfig_agrees_with_ffprobe(string clip)
    {
        var stream = Clips.Probe(clip).Streams.Single(s => s.CodecType == "audio");
        var demuxer = FlvDemuxer.Demux(FlvFile.Read(Clips.Flv(clip)));
        var config = Assert.Single(demuxer.AudioConfigurations);
        Assert.True(config.ProfileName == stream.Profile && config.SamplingFrequency == stream.SampleRate && config.ChannelConfiguration == stream.Channels,
            $"{clip}.flv: ffprobe says AAC {stream.Profile}, {stream.SampleRate} Hz, {stream.Channels} channel(s); you read object type {config.ObjectType} ({config.ProfileName}), {config.SamplingFrequency} Hz, channel configuration {config.ChannelConfiguration}. See README §AudioSpecificConfig.");
    }

    [Theory]
    [InlineData("av")]
    [InlineData("video")]
    [InlineData("nalu3")]
    [InlineData("repeated")]
    [Trait("Milestone", Milestone)]
    public void The_Annex_B_stream_is_byte_identical_to_ffmpegs_h264_mp4toannexb(string clip)
    {
        var demuxer = FlvDemuxer.Demux(FlvFile.Read(Clips.Flv(clip)));
        HexDiff.AssertEqual(Clips.Bytes(clip + ".h264"), demuxer.AnnexB.Span, $"{clip}.h264 (ffmpeg -bsf:v h264_mp4toannexb -f h264)", "README §Annex B");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_changed_sequence_header_brings_its_own_SPS_and_PPS_where_ffmpeg_51_keeps_the_old_ones()
    {
        // changed.flv is video.flv then big.flv's tags from 1000 ms, with big.flv's own sequence header in between.
        // The right stream is therefore video.h264 followed by big.h264, each as ffmpeg extracts it on its own.
        var demuxer = FlvDemuxer.Demux(FlvFile.Read(Clips.Flv("changed")));
        byte[] video = Clips.Bytes("video.h264"), big = Clips.Bytes("big.h264");
        HexDiff.AssertEqual([.. video, .. big], demuxer.AnnexB.Span, "changed.flv as Annex B: video.h264 then big.h264 (a new configuration from the changed sequence header on)", "README §Annex B");
        Assert.True(demuxer.VideoConfigurations.Count == 2 && demuxer.VideoConfigurations[1].Profile == 100 && demuxer.VideoConfigurations[0].Profile == 66,
            $"changed.flv carries two different AVC configurations (Baseline 128×72, then High 320×192); you kept {demuxer.VideoConfigurations.Count}. See README §Demuxing.");

        // Where this differs from ffmpeg 5.1's own changed.h264, and why: its h264_mp4toannexb ignores the new
        // extradata the FLV demuxer attaches to the next packet, so before the first IDR after the change it
        // inserts the FIRST configuration's SPS/PPS (profile 66, 128×72) in front of High 320×192 slices — a stream
        // its own decoder reports errors on. Everything before that point is the same bytes.
        var ffmpeg = Clips.Bytes("changed.h264");
        int differ = HexDiff.FirstDifference(ffmpeg, demuxer.AnnexB.Span);
        int secondHalf = video.Length;
        int spsAt = big.AsSpan().IndexOf(new byte[] { 0, 0, 0, 1, 0x67 }) + 4; // big.h264: x264's SEI, then the SPS ffmpeg inserted
        Assert.True(differ == secondHalf + spsAt + 1 && ffmpeg[differ] == 66 && demuxer.AnnexB.Span[differ] == 100,
            $"Your stream must equal ffmpeg's changed.h264 up to the profile_idc of the SPS inserted before the first IDR after the change (offset {secondHalf + spsAt + 1}: ffmpeg has 66, the old configuration; you must have 100, the new one); they first differ at {differ}. See README §Annex B.");
        Assert.True(demuxer.RepeatedSequenceHeaders == 0, "changed.flv has no repeated sequence header. See README §Demuxing.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_repeated_unchanged_sequence_header_is_ignored()
    {
        var demuxer = FlvDemuxer.Demux(FlvFile.Read(Clips.Flv("repeated")));
        Assert.True(demuxer.VideoConfigurations.Count == 1 && demuxer.AudioConfigurations.Count == 1 && demuxer.RepeatedSequenceHeaders == 2,
            $"repeated.flv sends its AVC and AAC sequence headers twice, unchanged: one configuration each and 2 repeats ignored; you have {demuxer.VideoConfigurations.Count} video, {demuxer.AudioConfigurations.Count} audio configurations and {demuxer.RepeatedSequenceHeaders} repeats. See README §Demuxing.");
    }

    [Theory]
    [MemberData(nameof(AudioClips))]
    [Trait("Milestone", Milestone)]
    public void The_ADTS_stream_is_byte_identical_to_ffmpegs_adts_muxer(string clip)
    {
        var demuxer = FlvDemuxer.Demux(FlvFile.Read(Clips.Flv(clip)));
        HexDiff.AssertEqual(Clips.Bytes(clip + ".aac"), demuxer.Adts.Span, $"{clip}.aac (ffmpeg -c:a copy -f adts)", "README §ADTS");
        var packets = Clips.Probe(clip).Packets.Count(p => p.CodecType == "audio");
        Assert.True(demuxer.AudioFrames.Count == packets, $"{clip}.flv has {packets} AAC frames (ffprobe); you wrote {demuxer.AudioFrames.Count}. See README §ADTS.");
    }

    [Theory]
    [InlineData("1210", 2, 4, 44100, 2)]          // AAC-LC, 44.1 kHz, stereo: the classic 12 10
    [InlineData("1388", 2, 7, 22050, 1)]          // AAC-LC, 22.05 kHz, mono
    [InlineData("1408", 2, 8, 16000, 1)]          // AAC-LC, 16 kHz, mono
    [InlineData("2b90", 5, 7, 22050, 2)]          // HE-AAC (SBR, object type 5) signalled explicitly
    [InlineData("1780 5dc0 10", 2, 15, 48000, 2)] // samplingFrequencyIndex 15: a 24-bit explicit frequency (48000 = 0x00bb80, from bit 9)
    [InlineData("f8 e8 40", 39, 4, 44100, 2)]     // audioObjectType 31 escapes: 32 + 6 bits (ER AAC ELD = 39)
    [Trait("Milestone", Milestone)]
    public void AudioSpecificConfig_spec_vectors(string hex, int objectType, int index, int frequency, int channels)
    {
        var config = AudioSpecificConfig.Parse(Hex(hex), 0);
        Assert.True(config.ObjectType == objectType && config.SamplingFrequencyIndex == index && config.SamplingFrequency == frequency && config.ChannelConfiguration == channels,
            $"AudioSpecificConfig {hex}: object type {objectType}, sampling index {index} ({frequency} Hz), channels {channels}; you read {config}. See README §AudioSpecificConfig.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_ADTS_header_follows_the_spec_bit_by_bit()
    {
        var header = new byte[7];
        AdtsWriter.WriteHeader(header, new AudioSpecificConfig(2, 4, 44100, 2), 100);
        // FFF syncword | 0 MPEG-4 | 00 layer | 1 no CRC | 01 LC | 0100 44.1 kHz | 0 | 010 stereo | 0 0 0 0 | 107 = 0b0000001101011 | 11111111111 | 00
        HexDiff.AssertEqual(Hex("fff15080 0d7ffc"), header, "the ADTS header of a 100-byte AAC-LC 44.1 kHz stereo frame", "README §ADTS");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Broken_AVC_data_throws_FlvFormatException_at_its_offset()
    {
        // Tag at 13: data at 24. Sequence header: 17 00 000000, then the record from offset 29.
        var record = Hex("01 42c00a ff e1 0004 6742c00a 01 0002 68ce");
        var sequence = Craft.Tag(9, 0, [.. Hex("17 00 000000"), .. record]);
        var nalus = Craft.Tag(9, 0, Hex("17 01 000000 00000010 6588")); // a 16-byte NALU length with 2 bytes left
        var file = FlvFile.Read(Craft.File(sequence, nalus));
        long nalusData = 13 + sequence.Length + 11;
        var error = Assert.Throws<FlvFormatException>(() => FlvDemuxer.Demux(file));
        // README §Bad input: a length that runs past the end may be reported at the length (4 bytes) or at the bytes it announces (to the tag's end).
        Assert.True(error.Offset >= nalusData + 5 && error.Offset <= nalusData + 11,
            $"The NALU length at offsets {nalusData + 5}–{nalusData + 8} says 16 bytes but only 2 follow (to {nalusData + 11}): the offset is in the length or in what it announces, {nalusData + 5}–{nalusData + 11}; your error says offset {error.Offset}: {error.Message}. See README §Bad input.");

        var early = FlvFile.Read(Craft.File(nalus));
        var before = Assert.Throws<FlvFormatException>(() => FlvDemuxer.Demux(early));
        Assert.True(before.Offset >= 24 && before.Offset <= 29, $"NAL units before any sequence header: the error is in the first tag's data (24–29); yours says {before.Offset}. See README §Demuxing.");

        var badVersion = FlvFile.Read(Craft.File(Craft.Tag(9, 0, [.. Hex("17 00 000000 02"), .. record[1..]])));
        var version = Assert.Throws<FlvFormatException>(() => FlvDemuxer.Demux(badVersion));
        Assert.True(version.Offset == 29, $"configurationVersion 2 at offset 29 is not 1; your error says {version.Offset}. See README §AVCDecoderConfigurationRecord.");
    }

    [Theory]
    [InlineData("intra")] // make.sh: -g 1, every access unit an IDR picture: the SPS and PPS go before each
    [InlineData("pps")]   // craft.py: an in-band PPS without an SPS: ffmpeg puts the record's SPS before it and nothing more
    [InlineData("inband")] // craft.py: intra.flv with in-band SPS+PPS, then SPS only, then PPS only: what was seen since the last non-IDR slice counts
    [Trait("Milestone", Milestone)]
    public void Back_to_back_IDRs_and_an_in_band_PPS_come_out_as_ffmpeg_writes_them(string clip)
    {
        var demuxer = FlvDemuxer.Demux(FlvFile.Read(Clips.Flv(clip)));
        HexDiff.AssertEqual(Clips.Bytes(clip + ".h264"), demuxer.AnnexB.Span, $"{clip}.h264 (ffmpeg -bsf:v h264_mp4toannexb -f h264)", "README §Annex B");
    }

    [Theory]
    [InlineData("av")]
    [InlineData("repeated")]
    [Trait("Milestone", Milestone)]
    public void Every_frame_records_ffprobes_timestamps_key_flag_and_where_it_went(string clip)
    {
        var probe = Clips.Probe(clip);
        var demuxer = FlvDemuxer.Demux(FlvFile.Read(Clips.Flv(clip)));
        foreach (var (type, frames, output) in new[] { ("video", demuxer.VideoFrames, demuxer.AnnexB), ("audio", demuxer.AudioFrames, demuxer.Adts) })
        {
            var packets = probe.Packets.Where(p => p.CodecType == type).ToList();
            Assert.True(frames.Count == packets.Count, $"{clip}.flv: ffprobe lists {packets.Count} {type} packets; you recorded {frames.Count} {type} frames. See README §Demuxing.");
            long next = 0;
            for (int i = 0; i < frames.Count; i++)
            {
                var (e, a) = (packets[i], frames[i]);
                Assert.True(a.Dts == e.Dts && a.Pts == e.Pts && a.IsKeyFrame == e.Key && a.TagOffset == e.Pos,
                    $"{clip}.flv {type} frame {i}: ffprobe says dts {e.Dts}, pts {e.Pts} (DTS + CompositionTime), key {e.Key}, tag at {e.Pos}; you recorded dts {a.Dts}, pts {a.Pts}, key {a.IsKeyFrame}, tag at {a.TagOffset}. See README §Demuxing.");
                Assert.True(a.OutputOffset == next, $"{clip}.flv {type} frame {i} must start where the previous one ended in the output, at {next}; you say {a.OutputOffset}. See README §Demuxing.");
                if (type == "audio")
                {
                    Assert.True(a.OutputLength == 7 + e.Size, $"{clip}.flv AAC frame {i}: {e.Size} bytes (ffprobe) behind a 7-byte ADTS header is {7 + e.Size}; you say {a.OutputLength}. See README §ADTS.");
                }

                next += a.OutputLength;
            }

            Assert.True(next == output.Length, $"{clip}.flv: the {type} frames must cover the whole output ({output.Length} bytes); yours end at {next}. See README §Demuxing.");
        }
    }

    [Theory]
    [InlineData("mp3")]
    [InlineData("pcm")]
    [Trait("Milestone", Milestone)]
    public void Audio_that_is_not_AAC_is_counted_and_not_converted(string clip)
    {
        var packets = Clips.Probe(clip).Packets.Count;
        var demuxer = FlvDemuxer.Demux(FlvFile.Read(Clips.Flv(clip)));
        Assert.True(demuxer.OtherCodecTags == packets && demuxer.AudioFrames.Count == 0 && demuxer.Adts.Length == 0 && demuxer.AudioConfigurations.Count == 0,
            $"{clip}.flv has {packets} audio tags of another codec (ffprobe): counted in OtherCodecTags, no AAC frame, no ADTS bytes; you counted {demuxer.OtherCodecTags}, wrote {demuxer.AudioFrames.Count} frames and {demuxer.Adts.Length} bytes. See README §Demuxing.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void An_AVCDecoderConfigurationRecord_with_two_SPS_two_PPS_and_2_byte_lengths()
    {
        // 14496-15 §5.2.4.1.1: version 1, High (100), compatibility 0, level 4.0 (40 = 0x28), FD = 111111 01 (2-byte lengths),
        // E2 = 111 00010 (2 SPS), then 2 PPS.
        var config = AvcDecoderConfigurationRecord.Parse(Hex("01 640028 fd e2 0002 6764 0003 676401 02 0002 68ee 0001 68"), 0);
        Assert.True(config is { ConfigurationVersion: 1, Profile: 100, Compatibility: 0, Level: 40, NaluLengthSize: 2 }
            && config.SequenceParameterSets.Count == 2 && config.SequenceParameterSets[0].AsSpan().SequenceEqual(Hex("6764")) && config.SequenceParameterSets[1].AsSpan().SequenceEqual(Hex("676401"))
            && config.PictureParameterSets.Count == 2 && config.PictureParameterSets[0].AsSpan().SequenceEqual(Hex("68ee")) && config.PictureParameterSets[1].AsSpan().SequenceEqual(Hex("68")),
            $"Record 01 640028 fd e2 …: version 1, profile 100, compatibility 0, level 40, NALU lengths of 2 bytes, SPS 6764 and 676401, PPS 68ee and 68; you read version {config.ConfigurationVersion}, profile {config.Profile}, compatibility {config.Compatibility}, level {config.Level}, length size {config.NaluLengthSize}, SPS [{string.Join(" ", config.SequenceParameterSets.Select(Convert.ToHexString))}], PPS [{string.Join(" ", config.PictureParameterSets.Select(Convert.ToHexString))}]. See README §AVCDecoderConfigurationRecord.");
    }

    // README §Bad input: the offset is in the wrong field, or from the start of what is cut short (the record itself counts) to its end.
    [Theory]
    [InlineData("01 42c00a ff", 100, 105)]                     // 5 bytes: shorter than the 7 a record needs at least
    [InlineData("02 42c00a ff e1 0002 6742 01 0002 68ce", 100, 100)] // configurationVersion 2
    [InlineData("01 42c00a ff e1 0010 6742", 106, 110)]        // an SPS length of 16 with 2 bytes left: the length (106-107) or the SPS it announces
    [InlineData("01 42c00a ff e1 0002 6742", 100, 110)]        // the record ends before numOfPictureParameterSets (at 110)
    [InlineData("01 42c00a ff e1 0002 6742 01 00", 100, 112)]  // the record ends inside the PPS's length (111-112)
    [Trait("Milestone", Milestone)]
    public void A_broken_AVCDecoderConfigurationRecord_throws_FlvFormatException_at_its_offset(string hex, long offset, long offsetTo)
    {
        var error = Record.Exception(() => AvcDecoderConfigurationRecord.Parse(Hex(hex), 100));
        Assert.True(error is FlvFormatException, $"Record {hex}: FlvFormatException expected; you {(error is null ? "threw nothing" : $"threw {error.GetType().Name}: {error.Message}")}. See README §Bad input.");
        long at = ((FlvFormatException)error!).Offset;
        Assert.True(at >= offset && at <= offsetTo, $"Record {hex} at file offset 100: the error belongs at {(offset == offsetTo ? $"{offset}" : $"{offset}–{offsetTo}")}; yours says {at}. See README §Bad input.");
    }

    [Theory]
    [InlineData("12", 50, 51)]        // one byte: an AudioSpecificConfig has at least 2
    [InlineData("1690", 50, 51)]      // 00010 1101 0010 000: samplingFrequencyIndex 13 is reserved (the field is in bytes 0-1)
    [InlineData("1780 5d", 50, 53)]   // index 15 announces a 24-bit frequency; only 15 bits follow
    [Trait("Milestone", Milestone)]
    public void A_broken_AudioSpecificConfig_throws_FlvFormatException_at_its_offset(string hex, long offset, long offsetTo)
    {
        var error = Record.Exception(() => AudioSpecificConfig.Parse(Hex(hex), 50));
        Assert.True(error is FlvFormatException, $"AudioSpecificConfig {hex}: FlvFormatException expected; you {(error is null ? "threw nothing" : $"threw {error.GetType().Name}: {error.Message}")}. See README §Bad input.");
        long at = ((FlvFormatException)error!).Offset;
        Assert.True(at >= offset && at <= offsetTo, $"AudioSpecificConfig {hex} at file offset 50: the error belongs at {offset}–{offsetTo}; yours says {at}. See README §Bad input.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Video_that_is_not_AVC_is_counted_and_not_converted()
    {
        // Two Enhanced RTMP hvc1 tags and a Sorenson H.263 (CodecID 2) tag: counted in OtherCodecTags, nothing in the .h264.
        var file = FlvFile.Read(Craft.File(Craft.Tag(9, 0, Hex("90 68766331 01 0203")), Craft.Tag(9, 40, Hex("a1 68766331 ffffec 00000001 02")), Craft.Tag(9, 80, Hex("22 00"))));
        var demuxer = FlvDemuxer.Demux(file);
        Assert.True(demuxer.OtherCodecTags == 3 && demuxer.VideoFrames.Count == 0 && demuxer.AnnexB.Length == 0 && demuxer.VideoConfigurations.Count == 0,
            $"3 video tags of other codecs: OtherCodecTags 3, no frame, no Annex B bytes; you counted {demuxer.OtherCodecTags}, {demuxer.VideoFrames.Count} frames, {demuxer.AnnexB.Length} bytes. See README §Demuxing.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Broken_AAC_data_throws_FlvFormatException_in_its_tag()
    {
        // An AAC frame before any sequence header: the tag's data is at 24 (AF 01 21).
        var early = FlvFile.Read(Craft.File(Craft.Tag(8, 0, Hex("af01 21"))));
        var error = Assert.Throws<FlvFormatException>(() => FlvDemuxer.Demux(early));
        Assert.True(error.Offset >= 24 && error.Offset <= 27, $"An AAC frame before any AudioSpecificConfig: the error is in the tag's data (24–27); yours says {error.Offset}. See README §Demuxing, §Bad input.");
        // An AudioSpecificConfig of one byte: AF 00 12 at 24, the config at 26, cut at 27.
        var shortConfig = FlvFile.Read(Craft.File(Craft.Tag(8, 0, Hex("af00 12"))));
        var cut = Assert.Throws<FlvFormatException>(() => FlvDemuxer.Demux(shortConfig));
        Assert.True(cut.Offset >= 26 && cut.Offset <= 27, $"A 1-byte AudioSpecificConfig at file offset 26: the error is at 26–27 (the config, cut short); yours says {cut.Offset}. See README §Bad input.");
        // An AVC NALU tag whose last NALU length is cut: data at 24 + 11 + 15 + 4 … computed below.
        var record = Hex("01 42c00a ff e1 0004 6742c00a 01 0002 68ce");
        var sequence = Craft.Tag(9, 0, [.. Hex("17 00 000000"), .. record]);
        var nalus = Craft.Tag(9, 0, Hex("17 01 000000 00000002 6588 0000"));
        long payload = 13 + sequence.Length + 11 + 5;
        var lengthCut = Assert.Throws<FlvFormatException>(() => FlvDemuxer.Demux(FlvFile.Read(Craft.File(sequence, nalus))));
        Assert.True(lengthCut.Offset >= payload + 6 && lengthCut.Offset <= payload + 8,
            $"The access unit ends 2 bytes into its second 4-byte NALU length (at {payload + 6}): the error is at {payload + 6}–{payload + 8}; yours says {lengthCut.Offset}. See README §Bad input.");
    }
}
