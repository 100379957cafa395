using static Lab03.Flv.Tests.Bytes;

namespace Lab03.Flv.Tests;

/// <summary>
/// M2: the FLV reader. Every clip's audio and video tags against ffprobe's packet list (position,
/// DTS, PTS, size, key flag), onMetaData against ffprobe's streams, and byte vectors from the spec
/// for what ffmpeg cannot write (extended timestamps, negative composition times, Enhanced RTMP).
/// </summary>
public class M2ReaderTests
{
    private const string Milestone = "M2 FLV reader";

    public static TheoryData<string> AllClips => new(Clips.All);

    [Theory]
    [MemberData(nameof(AllClips))]
    [Trait("Milestone", Milestone)]
    public void Every_media_tag_matches_ffprobes_packet_position_timestamps_size_and_key_flag(string clip)
    {
        var probe = Clips.Probe(clip);
        var file = FlvFile.Read(Clips.Flv(clip));
        var packets = new List<(string Type, long Pos, long Dts, long Pts, int Size, bool Key)>();
        foreach (var tag in file.Tags)
        {
            if (tag.TagType == FlvTagType.Video)
            {
                var video = tag.Video;
                if (video.IsAvcNalus)
                {
                    packets.Add(("video", tag.Offset, tag.Timestamp, tag.Timestamp + video.CompositionTime, tag.Header.DataSize - video.Size, video.IsKeyFrame));
                }
            }
            else if (tag.TagType == FlvTagType.Audio)
            {
                var audio = tag.Audio;
                if (audio.AacPacketType == 1)
                {
                    packets.Add(("audio", tag.Offset, tag.Timestamp, tag.Timestamp, tag.Header.DataSize - audio.Size, true));
                }
            }
        }

        Assert.True(packets.Count == probe.Packets.Count,
            $"{clip}.flv: ffprobe lists {probe.Packets.Count} packets (video tags with AVCPacketType 1, audio tags with AACPacketType 1); your reader gave {packets.Count} such tags. See README §Tags.");
        for (int i = 0; i < packets.Count; i++)
        {
            var e = probe.Packets[i];
            var a = packets[i];
            Assert.True(a.Type == e.CodecType && a.Pos == e.Pos,
                $"{clip}.flv packet {i}: ffprobe has a {e.CodecType} tag at offset {e.Pos}; you have a {a.Type} tag at {a.Pos}. Check DataSize and the 4-byte PreviousTagSize after each tag. See README §Tags.");
            Assert.True(a.Dts == e.Dts,
                $"{clip}.flv {e.CodecType} tag at {e.Pos}: the timestamp (DTS) is {e.Dts} ms; you read {a.Dts}. Timestamp is UI24 at byte 4, TimestampExtended its upper 8 bits. See README §Tags.");
            Assert.True(a.Pts == e.Pts,
                $"{clip}.flv {e.CodecType} tag at {e.Pos}: PTS is {e.Pts} ms (DTS {e.Dts} + CompositionTime {e.Pts - e.Dts}); you got {a.Pts}. See README §Video tags.");
            Assert.True(a.Size == e.Size,
                $"{clip}.flv {e.CodecType} tag at {e.Pos}: the payload after the tag's media header is {e.Size} bytes; you got {a.Size} (AVC's header is 5 bytes, AAC's 2). See README §Audio tags, §Video tags.");
            Assert.True(a.Key == e.Key,
                $"{clip}.flv {e.CodecType} tag at {e.Pos}: ffprobe says key={e.Key}; your FrameType says {a.Key}. See README §Video tags.");
        }
    }

    [Theory]
    [MemberData(nameof(AllClips))]
    [Trait("Milestone", Milestone)]
    public void The_header_flags_and_onMetaData_agree_with_ffprobes_streams(string clip)
    {
        var probe = Clips.Probe(clip);
        var file = FlvFile.Read(Clips.Flv(clip));
        var video = probe.Streams.FirstOrDefault(s => s.CodecType == "video");
        var audio = probe.Streams.FirstOrDefault(s => s.CodecType == "audio");
        Assert.True(file.Header.Version == 1 && file.Header.DataOffset == 9, $"{clip}.flv: version 1, DataOffset 9; you read version {file.Header.Version}, DataOffset {file.Header.DataOffset}. See README §Header.");
        Assert.True(file.Header.HasVideo == (video is not null) && file.Header.HasAudio == (audio is not null),
            $"{clip}.flv has {(video is null ? "no" : "a")} video and {(audio is null ? "no" : "an")} audio stream; your header flags say video={file.Header.HasVideo}, audio={file.Header.HasAudio} (byte 4: audio 0x04, video 0x01). See README §Header.");
        var meta = file.Metadata;
        Assert.NotNull(meta);
        Assert.True(meta.Name == "onMetaData", $"{clip}.flv starts with an onMetaData script tag; you found {meta.Name}. See README §Script data.");
        if (video is not null)
        {
            Assert.True(meta.Width == video.Width && meta.Height == video.Height && meta.VideoCodecId == 7,
                $"{clip}.flv onMetaData: width {video.Width}, height {video.Height}, videocodecid 7 (AVC); you read {meta.Width}×{meta.Height}, codec {meta.VideoCodecId}. See README §Script data.");
        }

        if (audio is not null)
        {
            Assert.True(meta.AudioCodecId == 10 && meta.AudioSampleRate == audio.SampleRate,
                $"{clip}.flv onMetaData: audiocodecid 10 (AAC), audiosamplerate {audio.SampleRate}; you read {meta.AudioCodecId}, {meta.AudioSampleRate}. See README §Script data.");
        }

        Assert.True(meta.Duration > 0, $"{clip}.flv onMetaData has a positive duration; you read {meta.Duration}. See README §Script data.");
        if (clip is "av" or "audio" or "video")
        {
            // ffmpeg goes back and writes filesize when it finishes a seekable file: it must be the file's length.
            long length = Clips.Flv(clip).Length;
            Assert.True(meta.Properties.GetNumber("filesize") == length,
                $"{clip}.flv onMetaData: filesize is the file's length, {length}; you read {meta.Properties.GetNumber("filesize")}. See README §Script data.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void AAC_and_AVC_tag_headers_carry_the_spec_values()
    {
        var file = FlvFile.Read(Clips.Flv("av"));
        var audio = file.Tags.First(t => t.TagType == FlvTagType.Audio).Audio;
        // E.4.2.1: for AAC, SoundRate is always 3 and SoundType always 1; ffmpeg also sets SoundSize 16-bit. Byte 0xAF.
        Assert.True(audio is { Format: SoundFormat.Aac, SoundRate: 3, Is16Bit: true, IsStereo: true, AacPacketType: 0, Size: 2 },
            $"The first audio tag of av.flv starts AF 00: AAC, rate 3, 16-bit, stereo, AACPacketType 0 (sequence header), a 2-byte header; you read {audio}. See README §Audio tags.");
        var video = file.Tags.First(t => t.TagType == FlvTagType.Video).Video;
        Assert.True(video is { FrameType: VideoFrameType.KeyFrame, CodecId: VideoCodecId.Avc, PacketType: 0, CompositionTime: 0, Size: 5, IsExHeader: false },
            $"The first video tag of av.flv starts 17 00 000000: a key frame, AVC, AVCPacketType 0, CompositionTime 0; you read {video}. See README §Video tags.");
        var last = file.Tags[^1].Video;
        Assert.True(last.PacketType == 2, $"ffmpeg ends an AVC stream with AVCPacketType 2 (end of sequence); your last tag has {last.PacketType}. See README §Video tags.");
    }

    [Theory]
    [InlineData("000064", 100)]
    [InlineData("7fffff", 8388607)]
    [InlineData("ffffff", -1)]
    [InlineData("ffff9c", -100)]
    [InlineData("800000", -8388608)]
    [Trait("Milestone", Milestone)]
    public void Composition_time_is_a_signed_24_bit_value(string hex, int expected)
    {
        Assert.True(VideoTagHeader.ReadSigned24(Hex(hex)) == expected, $"SI24 {hex} is {expected}. See README §Video tags.");
        var header = VideoTagHeader.Parse(Hex("27 01" + hex), 0);
        Assert.True(header is { FrameType: VideoFrameType.InterFrame, CodecId: VideoCodecId.Avc, PacketType: 1 } && header.CompositionTime == expected,
            $"Video data 27 01 {hex}: an inter frame, AVC NALUs, CompositionTime {expected}; you read {header}. See README §Video tags.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_negative_composition_time_gives_a_PTS_before_the_DTS()
    {
        // A tag at DTS 200 whose CompositionTime is -40 (ff ff d8): PTS 160.
        var bytes = Craft.File(Craft.Tag(9, 200, Hex("27 01 ffffd8 00000002 0911")));
        var tag = Assert.Single(FlvFile.Read(bytes).Tags);
        Assert.True(tag.Timestamp == 200 && tag.CompositionTime == -40 && tag.PresentationTime == 160,
            $"DTS 200 with CompositionTime ff ff d8 (−40) is PTS 160; you read DTS {tag.Timestamp}, composition {tag.CompositionTime}, PTS {tag.PresentationTime}. See README §Video tags.");
    }

    [Theory]
    [InlineData("123456 78", 0x78123456)]
    [InlineData("000000 01", 0x01000000)]
    [InlineData("ffffff 00", 0x00FFFFFF)]
    [Trait("Milestone", Milestone)]
    public void The_extended_timestamp_byte_is_the_upper_8_bits(string timestampBytes, int expected)
    {
        var header = FlvTagHeader.Parse(Hex("08 000002 " + timestampBytes + " 000000"), 13);
        Assert.True(header.Timestamp == expected && header.TagType == FlvTagType.Audio && header.DataSize == 2,
            $"Tag header 08 000002 {timestampBytes} 000000: audio, DataSize 2, timestamp 0x{expected:x8} (byte 7, TimestampExtended, is bits 24–31); you read {header}. See README §Tags.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void An_Enhanced_RTMP_hvc1_tag_is_recognised_by_name()
    {
        // Enhanced RTMP v1: 0x80 IsExHeader | FrameType 1 << 4 | PacketType; FourCC "hvc1" = 68 76 63 31.
        var start = VideoTagHeader.Parse(Hex("90 68766331 01"), 0);   // key frame, SequenceStart (0), then an HEVCDecoderConfigurationRecord
        var coded = VideoTagHeader.Parse(Hex("a1 68766331 ffffec 00000001"), 0); // inter frame, CodedFrames (1), CompositionTime −20
        var codedX = VideoTagHeader.Parse(Hex("93 68766331 00000001"), 0); // key frame, CodedFramesX (3): no CompositionTime
        Assert.True(start is { IsExHeader: true, FourCc: 0x68766331, FrameType: VideoFrameType.KeyFrame, PacketType: 0, Size: 5 },
            $"90 68766331 is an Enhanced RTMP key frame, SequenceStart, FourCC hvc1, a 5-byte header; you read {start}. See README §Enhanced RTMP.");
        Assert.True(coded is { IsExHeader: true, FrameType: VideoFrameType.InterFrame, PacketType: 1, CompositionTime: -20, Size: 8 },
            $"a1 68766331 ffffec is an inter frame, CodedFrames with CompositionTime −20, an 8-byte header; you read {coded}. See README §Enhanced RTMP.");
        Assert.True(codedX is { PacketType: 3, CompositionTime: 0, Size: 5 },
            $"93 68766331 is CodedFramesX: no CompositionTime, a 5-byte header; you read {codedX}. See README §Enhanced RTMP.");
        Assert.True(start.CodecName.Contains("HEVC", StringComparison.Ordinal) && start.CodecName.Contains("hvc1", StringComparison.Ordinal),
            $"The codec's name must say HEVC and hvc1; yours says \"{start.CodecName}\". See README §Enhanced RTMP.");
        var file = FlvFile.Read(Craft.File(Craft.Tag(9, 0, Hex("90 68766331 01 0203")), Craft.Tag(9, 40, Hex("a1 68766331 ffffec 00000001 02"))));
        Assert.True(file.Tags.Count == 2 && file.Tags.All(t => t.Video.IsExHeader && !t.Video.IsAvcNalus),
            "A file of two hvc1 tags reads as two Enhanced RTMP tags, neither mistaken for AVC. See README §Enhanced RTMP.");
    }

    /// <summary>
    /// README §Bad input: Offset lies in the field that is wrong (first to last byte); for bytes that run out, anywhere from the
    /// start of what is cut short to the end of the bytes there were; a length that runs past the end counts either way.
    /// Expected or Message names the field or structure (any of the names given here, "|"-separated, case-insensitive).
    /// </summary>
    public static TheoryData<string, string, long, long, string> BadFiles => new()
    {
        { "a wrong signature (FLX)", "464c5801 05 00000009 00000000", 0, 2, "signature|FLV" },
        { "a wrong signature (GLV)", "474c5601 05 00000009 00000000", 0, 2, "signature|FLV" },
        { "a wrong signature (FXV)", "46585601 05 00000009 00000000", 0, 2, "signature|FLV" },
        { "a header cut short (7 of its 9 bytes)", "464c5601 05 0000", 0, 7, "header|DataOffset" },
        { "a DataOffset below 9 (8)", "464c5601 05 00000008 00000000", 5, 8, "DataOffset" },
        { "a PreviousTagSize0 that is not 0", "464c5601 05 00000009 0000000b 08 000002 000000 00 000000 af01 0000000d", 9, 12, "PreviousTagSize" },
        { "a tag whose DataSize runs past the end", "464c5601 05 00000009 00000000 08 000100 000000 00 000000 af01", 13, 26, "DataSize" },
        { "a PreviousTagSize mismatch (12, not 13)", "464c5601 05 00000009 00000000 08 000002 000000 00 000000 af01 0000000c", 26, 29, "PreviousTagSize" },
        { "a missing PreviousTagSize (2 of its 4 bytes)", "464c5601 05 00000009 00000000 08 000002 000000 00 000000 af01 0000", 26, 28, "PreviousTagSize" },
        { "an unknown TagType (7)", "464c5601 05 00000009 00000000 07 000002 000000 00 000000 af01 0000000d", 13, 13, "TagType" },
        { "reserved bits set in a tag's first byte (0x48: audio with bit 6 set)", "464c5601 05 00000009 00000000 48 000002 000000 00 000000 af01 0000000d", 13, 13, "reserved|TagType" },
        { "a StreamID other than 0", "464c5601 05 00000009 00000000 08 000002 000000 00 000001 af01 0000000d", 21, 23, "StreamID" },
        { "a StreamID other than 0 (its first byte)", "464c5601 05 00000009 00000000 08 000002 000000 00 010000 af01 0000000d", 21, 23, "StreamID" },
        { "a StreamID other than 0 (its middle byte)", "464c5601 05 00000009 00000000 08 000002 000000 00 000100 af01 0000000d", 21, 23, "StreamID" },
        { "an empty audio tag", "464c5601 05 00000009 00000000 08 000000 000000 00 000000 0000000b", 24, 24, "audio|SoundFormat|header" },
        { "an empty video tag", "464c5601 05 00000009 00000000 09 000000 000000 00 000000 0000000b", 24, 24, "video|FrameType|CodecID|header" },
        { "an AAC tag cut before its AACPacketType", "464c5601 05 00000009 00000000 08 000001 000000 00 000000 af 0000000c", 24, 25, "AACPacketType|header" },
        { "an audio ExHeader cut inside its FourCC", "464c5601 05 00000009 00000000 08 000003 000000 00 000000 90 4f70 0000000e", 24, 27, "FourCC|header" },
        { "an unknown video CodecID (9)", "464c5601 05 00000009 00000000 09 000002 000000 00 000000 1901 0000000d", 24, 24, "CodecID" },
        { "a reserved SoundFormat (13)", "464c5601 05 00000009 00000000 08 000002 000000 00 000000 d001 0000000d", 24, 24, "SoundFormat" },
        { "an unknown Enhanced RTMP audio FourCC (\"abcd\")", "464c5601 05 00000009 00000000 08 000006 000000 00 000000 90 61626364 00 00000011", 25, 28, "FourCC" },
        { "an unknown Enhanced RTMP video FourCC (\"abcd\")", "464c5601 05 00000009 00000000 09 000006 000000 00 000000 90 61626364 00 00000011", 25, 28, "FourCC" },
        { "a script tag with broken AMF (a string longer than the tag)", "464c5601 05 00000009 00000000 12 000005 000000 00 000000 02 00ff 6f6e 00000010", 24, 29, "AMF" },
        { "an AVC tag cut inside its 5-byte header", "464c5601 05 00000009 00000000 09 000002 000000 00 000000 1701 0000000d", 24, 26, "CompositionTime|header" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    [Trait("Milestone", Milestone)]
    public void Bad_input_throws_FlvFormatException_with_the_offset_and_what_was_expected(string what, string hex, long offset, long offsetTo, string names)
    {
        var bytes = Hex(hex);
        FlvFormatException? error = null;
        try
        {
            FlvFile.Read(bytes);
        }
        catch (FlvFormatException e)
        {
            error = e;
        }

        Assert.True(error is not null, $"{what}: reading must throw FlvFormatException. See README §Bad input.");
        Assert.True(error.Offset >= offset && error.Offset <= offsetTo,
            $"{what}: the offset must be {(offset == offsetTo ? $"{offset}" : $"from {offset} to {offsetTo}")} (the rule of README §Bad input); your exception says {error.Offset} ({error.Message}). See README §Bad input.");
        var accepted = names.Split('|');
        Assert.True(accepted.Any(n => error.Expected.Contains(n, StringComparison.OrdinalIgnoreCase) || error.Message.Contains(n, StringComparison.OrdinalIgnoreCase)),
            $"{what}: the exception (Expected or Message) must name what should have been there ({string.Join(" or ", accepted.Select(n => $"\"{n}\""))}); yours says expected \"{error.Expected}\", \"{error.Message}\". See README §Bad input.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Lenient_mode_skips_a_damaged_tag_and_resynchronises()
    {
        var bytes = Clips.Flv("av");
        var probe = Clips.Probe("av");
        // Break the PreviousTagSize of ffprobe's 10th packet, and scribble over the 20th's tag header.
        var tenth = probe.Packets[10];
        var twentieth = probe.Packets[20];
        int tenthEnd = (int)tenth.Pos + 11 + tenth.Size + (tenth.CodecType == "video" ? 5 : 2);
        bytes[tenthEnd + 3] ^= 0x40;
        bytes[twentieth.Pos] = 0x55;
        bytes[twentieth.Pos + 2] = 0xEE;
        Assert.Throws<FlvFormatException>(() => FlvFile.Read(bytes));
        var skipped = new List<FlvFormatException>();
        var file = FlvFile.Read(bytes, new FlvReadOptions { Lenient = true, OnSkipped = skipped.Add });
        var expected = probe.Packets.Select(p => p.Pos).Where(p => p != tenth.Pos && p != twentieth.Pos).ToHashSet();
        var found = file.Tags.Select(t => t.Offset).ToHashSet();
        Assert.True(expected.IsSubsetOf(found),
            $"Lenient reading must find every undamaged tag again; it lost the tags at {string.Join(", ", expected.Except(found).Take(5))}. See README §Lenient reading.");
        Assert.True(!found.Contains(tenth.Pos) && !found.Contains(twentieth.Pos) && skipped.Count == 2 && file.Skipped == 2,
            $"The two damaged tags are skipped, each reported once; you reported {skipped.Count} and returned {(found.Contains(tenth.Pos) ? "the first" : found.Contains(twentieth.Pos) ? "the second" : "neither")} damaged tag. See README §Lenient reading.");
    }

    [Fact(Timeout = 30_000)]
    [Trait("Milestone", Milestone)]
    public void Fuzzed_clips_give_tags_or_FlvFormatException_and_nothing_else()
    {
        var random = new Random(20240303); // seeded: the same mutations on every run
        var clips = new[] { Clips.Flv("av"), Clips.Flv("audio"), Clips.Flv("video") };
        for (int i = 0; i < 600; i++)
        {
            var bytes = (byte[])clips[i % clips.Length].Clone();
            int mutations = 1 + random.Next(8);
            for (int m = 0; m < mutations; m++)
            {
                bytes[random.Next(Math.Min(bytes.Length, 400 + random.Next(bytes.Length)))] = (byte)random.Next(256);
            }

            if (i % 7 == 0)
            {
                Array.Resize(ref bytes, random.Next(bytes.Length));
            }

            try
            {
                FlvFile.Read(bytes);
            }
            catch (FlvFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"Fuzz case {i} (seed 20240303): only FlvFormatException may come out of the reader; got {e.GetType().Name}: {e.Message}. See README §Bad input.");
            }

            try
            {
                var lenient = FlvFile.Read(bytes, new FlvReadOptions { Lenient = true });
                Assert.True(lenient.Tags.Sum(t => (long)t.Header.TagSize) <= bytes.Length, $"Fuzz case {i}: lenient tags cover more bytes than the file has.");
            }
            catch (FlvFormatException e) when (e.Offset < 13)
            {
                // A damaged header cannot be skipped: there is nothing to resynchronise to.
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"Fuzz case {i} (seed 20240303): lenient reading may only fail in the 13 header bytes; got {e.GetType().Name}: {e.Message}. See README §Lenient reading.");
            }
        }
    }

    [Theory]
    [InlineData("mp3", 2)]  // make.sh: libmp3lame, 22.05 kHz mono
    [InlineData("pcm", 0)]  // make.sh: pcm_u8, 11.025 kHz stereo, 8-bit samples
    [Trait("Milestone", Milestone)]
    public void MP3_and_PCM_audio_tags_split_their_first_byte_into_the_four_fields(string clip, int format)
    {
        var probe = Clips.Probe(clip);
        var stream = probe.Streams.Single(s => s.CodecType == "audio");
        var bytes = Clips.Flv(clip);
        var file = FlvFile.Read(bytes);
        var tags = file.Tags.Where(t => t.TagType == FlvTagType.Audio).ToList();
        Assert.True(tags.Count == probe.Packets.Count, $"{clip}.flv: ffprobe lists {probe.Packets.Count} audio packets; you read {tags.Count} audio tags. See README §Tags.");
        // E.4.2.1: SoundRate 0 = 5.5 kHz, 1 = 11 kHz, 2 = 22 kHz, 3 = 44 kHz; SoundType 1 = stereo.
        int rate = stream.SampleRate switch { 11025 => 1, 22050 => 2, _ => 3 };
        bool stereo = stream.Channels == 2;
        byte first = bytes[tags[0].Offset + 11];
        bool sixteenBit = (first & 0x02) != 0; // SoundSize, bit 1 of the byte ffmpeg wrote
        Assert.True(clip != "pcm" || !sixteenBit, "make.sh: pcm.flv has 8-bit samples (pcm_u8).");
        foreach (var tag in tags)
        {
            var audio = tag.Audio;
            Assert.True(audio is { AacPacketType: -1, Size: 1, FourCc: 0 } && (int)audio.Format == format && audio.SoundRate == rate && audio.IsStereo == stereo && audio.Is16Bit == sixteenBit,
                $"{clip}.flv audio tag at {tag.Offset}, byte 0x{first:x2}: SoundFormat {format}, SoundRate {rate} ({stream.SampleRate} Hz), SoundSize {(sixteenBit ? "16" : "8")}-bit, SoundType {(stereo ? "stereo" : "mono")}, a 1-byte header (no AACPacketType: -1); you read {audio}. See README §Audio tags.");
        }
    }

    [Theory]
    [InlineData("90 4f707573", 0, 0x4F707573u, "Opus")]
    [InlineData("91 664c6143", 1, 0x664C6143u, "fLaC")]
    [InlineData("91 6d703461", 1, 0x6D703461u, "mp4a")]
    [InlineData("92 2e6d7033", 2, 0x2E6D7033u, ".mp3")]
    [Trait("Milestone", Milestone)]
    public void An_Enhanced_RTMP_audio_ExHeader_carries_its_packet_type_and_FourCC(string hex, int packetType, uint fourCc, string name)
    {
        var header = AudioTagHeader.Parse(Hex(hex), 0);
        Assert.True(header is { Format: SoundFormat.ExHeader, Size: 5 } && header.AacPacketType == packetType && header.FourCc == fourCc,
            $"Audio data {hex}: SoundFormat 9 (ExHeader), AudioPacketType {packetType} (the low 4 bits, reported in AacPacketType), FourCC \"{name}\", a 5-byte header; you read {header}. See README §Audio tags.");
        Assert.True(header.CodecName == name, $"The codec's name is its FourCC, \"{name}\"; yours says \"{header.CodecName}\". See README §Audio tags.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_tag_of_64_KiB_and_more_is_read_whole()
    {
        // DataSize 0x011171 = 70001: the UI24's top byte matters.
        var big = new byte[70001];
        big[0] = 0xAF;
        big[1] = 0x01;
        new Random(64).NextBytes(big.AsSpan(2));
        var bytes = Craft.File(Craft.Tag(8, 0, big), Craft.Tag(8, 23, Hex("af01 21")));
        var file = FlvFile.Read(bytes);
        Assert.True(file.Tags.Count == 2 && file.Tags[0].Header.DataSize == 70001 && file.Tags[1].Offset == 13 + 11 + 70001 + 4 && file.Tags[1].Timestamp == 23,
            $"A 70001-byte audio tag (DataSize 01 11 71) then a 3-byte one at {13 + 11 + 70001 + 4}: you read {file.Tags.Count} tags, {string.Join(", ", file.Tags.Select(t => $"DataSize {t.Header.DataSize} at {t.Offset}"))}. DataSize is a UI24: all three bytes. See README §Tags.");
        Assert.True(file.Tags[0].Data.Span.SequenceEqual(big), "The big tag's data must be its 70001 bytes. See README §Tags.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Without_CheckTagHeaders_an_unknown_codec_is_read_as_a_tag()
    {
        // FlvReadOptions.CheckTagHeaders = false: only the framing (tag headers, DataSize, PreviousTagSize) is checked.
        var bytes = Craft.File(Craft.Tag(9, 0, Hex("1901")), Craft.Tag(8, 10, Hex("d001")), Craft.Tag(18, 20, Hex("02 00ff")));
        var file = FlvFile.Read(bytes, new FlvReadOptions { CheckTagHeaders = false });
        Assert.True(file.Tags.Count == 3, $"CodecID 9, SoundFormat 13 and broken AMF0 pass when CheckTagHeaders is false: 3 tags; you read {file.Tags.Count}. See README §Tags.");
        var reader = new FlvIncrementalReader(checkTagHeaders: false);
        var tags = reader.Push(bytes);
        reader.Complete();
        Assert.True(tags.Count == 3, $"new FlvIncrementalReader(checkTagHeaders: false) must hand out the same 3 tags; you returned {tags.Count}. See README §Incremental reading.");
        Assert.Throws<FlvFormatException>(() => new FlvIncrementalReader().Push(bytes));
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_Filter_bit_is_read_apart_from_the_TagType()
    {
        // E.3: byte 0 = reserved (2 bits) Filter (1 bit) TagType (5 bits): 0x28 is an audio tag with Filter set.
        var filtered = FlvTagHeader.Parse(Hex("28 000002 000000 00 000000"), 0);
        var plain = FlvTagHeader.Parse(Hex("08 000002 000000 00 000000"), 0);
        Assert.True(filtered is { TagType: FlvTagType.Audio, Filter: true } && plain is { TagType: FlvTagType.Audio, Filter: false },
            $"0x28 is TagType 8 (audio) with the Filter bit (0x20) set, 0x08 the same without it; you read {filtered} and {plain}. See README §Tags.");
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    [InlineData(6, true)]
    [InlineData(7, true)]
    [InlineData(12, true)]
    [InlineData(1, false)]
    [InlineData(8, false)]
    [InlineData(11, false)]
    [InlineData(13, false)]
    [InlineData(15, false)]
    [Trait("Milestone", Milestone)]
    public void Video_CodecIDs_2_to_7_and_12_are_known_and_the_rest_refused(int codec, bool known)
    {
        // README §Video tags: 7 AVC, 2-6 older codecs, 12 the pre-Enhanced HEVC id; anything else is an unknown codec.
        var data = new byte[] { (byte)(0x20 | codec), 0x01, 0, 0, 0 };
        var error = Record.Exception(() => VideoTagHeader.Parse(data, 100));
        if (!known)
        {
            Assert.True(error is FlvFormatException { Offset: 100 }, $"CodecID {codec} is unknown: FlvFormatException at the tag's first data byte (100); you {(error is null ? "accepted it" : $"threw {error.GetType().Name} {(error as FlvFormatException)?.Offset}")}. See README §Video tags, §Bad input.");
            return;
        }

        Assert.True(error is null, $"CodecID {codec} is a codec FLV knows; you threw {error?.GetType().Name}: {error?.Message}. See README §Video tags.");
        var header = VideoTagHeader.Parse(data, 100);
        Assert.True((int)header.CodecId == codec && header.FrameType == VideoFrameType.InterFrame && !header.IsExHeader,
            $"Byte 0x{data[0]:x2}: FrameType 2 (inter), CodecID {codec}; you read {header}. See README §Video tags.");
        if (codec is not (7 or 12))
        {
            Assert.True(header is { PacketType: -1, CompositionTime: 0, Size: 1, IsAvcNalus: false },
                $"A CodecID {codec} tag has only the 1-byte header (no AVCPacketType: -1, no CompositionTime); you read {header}. See README §Video tags.");
        }
    }
}
