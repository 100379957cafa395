namespace Lab05.Hls.Tests;

/// <summary>
/// M2: the TS reader, on ffmpeg's own TS (testdata/05-hls/ffmpeg.ts) against what ffprobe read from it, on ffmpeg's HLS
/// segments, on streams with a packet taken out, and on damaged bytes.
/// </summary>
public class M2ReaderTests
{
    private const string Milestone = "M2 TS reader";

    [Fact]
    [Trait("Milestone", Milestone)]
    public void The_PAT_and_PMT_of_ffmpegs_TS_are_read_with_their_CRC()
    {
        var stream = TsReader.Read(Media.Bytes("ffmpeg.ts"));
        Assert.True(stream.Pat is { TransportStreamId: 1 } && stream.Pat.Programs.Count == 1 && stream.Pat.Programs[0] == new ProgramEntry(1, 0x1000),
            $"ffmpeg.ts's PAT (packet 1) is transport_stream_id 1 with program 1 → PMT PID 0x1000; you read {Describe(stream.Pat)}. See README §PAT and PMT.");
        Assert.True(stream.Pmt is { ProgramNumber: 1, PcrPid: 0x100 } && stream.Pmt.Streams.SequenceEqual([new ElementaryStreamEntry(0x1B, 0x100), new ElementaryStreamEntry(0x0F, 0x101)]),
            $"ffmpeg.ts's PMT: program 1, PCR_PID 0x100, H.264 (0x1B) on 0x100, AAC (0x0F) on 0x101 (ffprobe: streams 0x100 h264, 0x101 aac); you read {(stream.Pmt is null ? "none" : $"program {stream.Pmt.ProgramNumber}, PCR_PID 0x{stream.Pmt.PcrPid:X}, {string.Join(", ", stream.Pmt.Streams.Select(s => $"0x{s.StreamType:X2} on 0x{s.Pid:X}"))}")}. See README §PAT and PMT.");
        Assert.True(stream.PacketCount == Media.Bytes("ffmpeg.ts").Length / 188 && stream.ContinuityErrors.Count == 0,
            $"ffmpeg.ts is {Media.Bytes("ffmpeg.ts").Length / 188} packets with no continuity error; you read {stream.PacketCount} packets and {stream.ContinuityErrors.Count} continuity errors. See README §Reading a transport stream.");
    }

    private static string Describe(ProgramAssociationTable? pat) =>
        pat is null ? "no PAT" : $"transport_stream_id {pat.TransportStreamId}, programs {string.Join(", ", pat.Programs.Select(p => $"{p.ProgramNumber} → 0x{p.PmtPid:X}"))}";

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Every_video_PES_agrees_with_ffprobe_on_position_PTS_DTS_size_and_keyframe()
    {
        var probe = Media.Probe("ffmpeg.ts").Where(p => p.CodecType == "video").ToList();
        var video = TsReader.Read(Media.Bytes("ffmpeg.ts")).Pes.Where(p => p.Pid == 0x100).ToList();
        Assert.True(video.Count == probe.Count, $"ffprobe reads {probe.Count} video packets (one per PES) from ffmpeg.ts; you put {video.Count} video PES together. See README §Reading a transport stream.");
        for (int i = 0; i < probe.Count; i++)
        {
            var (want, got) = (probe[i], video[i]);
            long? dts = got.Header.Dts ?? got.Header.Pts;
            Assert.True(got.Offset == want.Pos && got.Header.Pts == want.Pts && dts == want.Dts && got.Payload.Length == want.Size && got.Header.StreamId == 0xE0,
                $"Video PES {i}: ffprobe says it starts in the packet at byte {want.Pos}, PTS {want.Pts}, DTS {want.Dts}, {want.Size} bytes of payload; you read byte {got.Offset}, PTS {got.Header.Pts}, DTS {dts}, {got.Payload.Length} bytes, stream_id 0x{got.Header.StreamId:X2}. See README §PES and §Reading a transport stream.");
            Assert.True(got.RandomAccess == want.Key, $"Video PES {i} (byte {want.Pos}): ffmpeg sets random_access_indicator on keyframes only (ffprobe's K flag: {want.Key}); you read {got.RandomAccess}. See README §Adaptation field.");
        }
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Every_audio_PES_holds_the_ADTS_frames_ffprobe_reads_there_and_every_PCR_is_found()
    {
        // ffprobe's aac parser gives each frame the pos of the PES it came from; the last frames, flushed at the end, have none.
        long pos = -1;
        var probe = Media.Probe("ffmpeg.ts").Where(p => p.CodecType == "audio").Select(p => p with { Pos = pos = p.Pos >= 0 ? p.Pos : pos }).GroupBy(p => p.Pos).ToList();
        var stream = TsReader.Read(Media.Bytes("ffmpeg.ts"));
        var audio = stream.Pes.Where(p => p.Pid == 0x101).ToList();
        Assert.True(audio.Count == probe.Count, $"ffmpeg packs several ADTS frames into one audio PES: ffprobe reads audio frames from {probe.Count} PES packets; you put {audio.Count} together. See README §Reading a transport stream.");
        for (int i = 0; i < probe.Count; i++)
        {
            int size = probe[i].Sum(p => p.Size);
            Assert.True(audio[i].Offset == probe[i].Key && audio[i].Header.Pts == probe[i].First().Pts && audio[i].Payload.Length == size && audio[i].Header.Dts is null,
                $"Audio PES {i}: ffprobe reads {probe[i].Count()} ADTS frames ({size} bytes) from the PES at byte {probe[i].Key}, PTS {probe[i].First().Pts}, no DTS; you read byte {audio[i].Offset}, PTS {audio[i].Header.Pts}, DTS {audio[i].Header.Dts}, {audio[i].Payload.Length} bytes. See README §PES.");
        }

        // The PCRs as the test reads them straight from the adaptation fields (§2.4.3.4); the first is 07 50 00 00 7b 0c 7e 00: base 63000, extension 0.
        var pcrs = TsWalk.Packets(Media.Bytes("ffmpeg.ts")).Where(p => p.PcrBase is not null).Select(p => new PcrSample(p.Offset, p.Pid, p.Pcr!.Value)).ToList();
        Assert.True(stream.Pcrs.SequenceEqual(pcrs),
            $"ffmpeg.ts has {pcrs.Count} PCRs, the first in the packet at byte 564 on PID 0x100, base 63000 → 18 900 000 ticks of 27 MHz; you found {stream.Pcrs.Count}, the first {(stream.Pcrs.Count > 0 ? stream.Pcrs[0].ToString() : "none")}. See README §PCR.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void FFmpegs_HLS_segments_each_start_with_PAT_PMT_and_hold_all_the_frames_between_them()
    {
        int video = 0, audio = 0;
        foreach (var segment in Directory.GetFiles(Path.Combine(Repo.Root, "testdata", "05-hls", "hls"), "*.ts").Order())
        {
            var stream = TsReader.Read(File.ReadAllBytes(segment));
            Assert.True(stream.Pat is not null && stream.Pmt is not null && stream.ContinuityErrors.Count == 0,
                $"{Path.GetFileName(segment)} (ffmpeg's HLS muxer) has a PAT and a PMT and no continuity error; you read PAT {stream.Pat is not null}, PMT {stream.Pmt is not null}, {stream.ContinuityErrors.Count} continuity errors. See README §Reading a transport stream.");
            var first = stream.Pes.FirstOrDefault(p => p.Pid == 0x100);
            Assert.True(first is not null && first.RandomAccess, $"{Path.GetFileName(segment)} starts with a keyframe; your first video PES {(first is null ? "is missing" : "is not marked random access")}. See README §Adaptation field.");
            video += stream.Pes.Count(p => p.Pid == 0x100);
            audio += stream.Pes.Where(p => p.Pid == 0x101).Sum(p => AdtsFrames(p.Payload.Span));
        }

        var source = Media.Probe("av.flv");
        Assert.True(video == source.Count(p => p.CodecType == "video") && audio == source.Count(p => p.CodecType == "audio"),
            $"av.flv has {source.Count(p => p.CodecType == "video")} video and {source.Count(p => p.CodecType == "audio")} audio frames (ffprobe); across ffmpeg's segments you read {video} video PES and {audio} ADTS frames. See README §Reading a transport stream.");
    }

    /// <summary>ADTS frames in a payload: each header's 13-bit frame_length (ISO/IEC 14496-3 §1.A.2.2) says where the next starts.</summary>
    private static int AdtsFrames(ReadOnlySpan<byte> payload)
    {
        int count = 0;
        for (int at = 0; at + 7 <= payload.Length; count++)
        {
            at += (payload[at + 3] & 0x03) << 11 | payload[at + 4] << 3 | payload[at + 5] >> 5;
        }

        return count;
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_lost_packet_is_reported_as_a_continuity_error_at_the_packet_after_it()
    {
        var ts = Media.Bytes("ffmpeg.ts");
        var packets = TsWalk.Packets(ts);
        // Take out the 20th video packet; the next video packet is then the first whose counter jumps.
        var video = packets.Where(p => p.Pid == 0x100).ToList();
        var lost = video[20];
        var damaged = ts.Take((int)lost.Offset).Concat(ts.Skip((int)lost.Offset + 188)).ToArray();
        long expectedOffset = video[21].Offset - 188;
        var stream = TsReader.Read(damaged);
        var error = Assert.Single(stream.ContinuityErrors);
        Assert.True(error == new ContinuityError(expectedOffset, 0x100, lost.Continuity, video[21].Continuity),
            $"With the video packet at byte {lost.Offset} (counter {lost.Continuity}) taken out, the next video packet, now at byte {expectedOffset}, has counter {video[21].Continuity} where {lost.Continuity} was expected; you reported {error}. See README §Packets.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_cut_stream_a_lost_sync_byte_and_a_damaged_section_throw_HlsFormatException_with_the_offset()
    {
        var ts = Media.Bytes("ffmpeg.ts");
        var cut = Assert.Throws<HlsFormatException>(() => TsReader.Read(ts.AsSpan(0, 188 * 10 + 100)));
        Assert.True(cut.Offset == 188 * 10 && !string.IsNullOrWhiteSpace(cut.Expected), $"A stream cut 100 bytes into packet 10 is reported at that packet, byte 1880, with Expected saying what should have been there; you said {cut.Offset}, \"{cut.Expected}\". See README §Bad input.");

        var sync = (byte[])ts.Clone();
        sync[188 * 7] = 0x48;
        var lost = Assert.Throws<HlsFormatException>(() => TsReader.Read(sync));
        Assert.True(lost.Offset == 188 * 7 && !string.IsNullOrWhiteSpace(lost.Expected), $"Packet 7 (byte 1316) starts with 0x48 instead of the sync byte; you reported offset {lost.Offset}, Expected \"{lost.Expected}\" (what should have been there, in words). See README §Bad input.");

        var pat = (byte[])ts.Clone();
        pat[188 + 5 + 9] ^= 0x01; // a bit of the PAT's PMT PID (packet 1, pointer_field at 4, section from 5)
        var crc = Assert.Throws<HlsFormatException>(() => TsReader.Read(pat));
        Assert.True(crc.Offset >= 188 && crc.Offset < 376 && !string.IsNullOrWhiteSpace(crc.Expected), $"A flipped bit in the PAT (packet 1, bytes 188–375) fails its CRC_32; you reported offset {crc.Offset}, Expected \"{crc.Expected}\" (what should have been there, in words). See README §CRC32 and §Bad input.");

        var pmt = (byte[])ts.Clone();
        pmt[376 + 5 + 20] ^= 0x80; // a byte of the PMT's stream loop
        var pmtCrc = Assert.Throws<HlsFormatException>(() => TsReader.Read(pmt));
        Assert.True(pmtCrc.Offset >= 376 && pmtCrc.Offset < 564, $"A flipped bit in the PMT (packet 2, bytes 376–563) fails its CRC_32; you reported offset {pmtCrc.Offset}. See README §CRC32 and §Bad input.");

        var marker = (byte[])ts.Clone();
        marker[564 + 12 + 13] &= 0xFE; // the last marker bit of the first video PES's PTS (PES at 576, PTS at +9)
        var bad = Assert.Throws<HlsFormatException>(() => TsReader.Read(marker));
        Assert.True(bad.Offset == 564 + 12 + 9, $"The first video PES (byte 576) has a PTS (byte 585) with a marker bit 0; you reported offset {bad.Offset}. See README §PTS and DTS.");
    }

    [Fact(Timeout = 60_000)]
    [Trait("Milestone", Milestone)]
    public void Seeded_random_damage_gives_a_result_or_HlsFormatException_and_nothing_else()
    {
        var ts = Media.Bytes("ffmpeg.ts").AsSpan(0, 188 * 60).ToArray();
        var random = new Random(5);
        int thrown = 0;
        for (int round = 0; round < 300; round++)
        {
            var damaged = (byte[])ts.Clone();
            for (int flips = random.Next(1, 6); flips > 0; flips--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            int length = random.Next(4) == 0 ? random.Next(damaged.Length) : damaged.Length;
            try
            {
                TsReader.Read(damaged.AsSpan(0, length));
            }
            catch (HlsFormatException e)
            {
                Assert.True(e.Offset >= 0 && e.Offset <= length, $"Round {round}: the offset {e.Offset} is outside the {length} bytes read.");
                thrown++;
            }
            catch (Exception e)
            {
                Assert.Fail($"Round {round} (seed 5): damaged bytes must give a result or HlsFormatException, never {e.GetType().Name}: {e.Message}. See README §Bad input.");
            }
        }

        Assert.True(thrown > 0, "Some of the 300 damaged streams are cut short or lose a sync byte; none threw HlsFormatException. See README §Bad input.");
    }
}
