using System.Buffers;

namespace Lab05.Hls;

/// <summary>
/// An MPEG-TS muxer (ISO/IEC 13818-1) for one program with at most one H.264 and one AAC stream, laid out as ffmpeg's
/// mpegts muxer lays it out, so the PAT and PMT come out byte for byte the same:
/// <list type="bullet">
/// <item>PAT on PID 0 (transport_stream_id 1, one program 1), PMT on PID 0x1000, video on 0x100, audio on 0x101;
/// the PCR on the video PID (the audio PID when there is no video);</item>
/// <item>one PES packet per access unit or audio frame; a video access unit starts with an access unit delimiter
/// (H.264 §7.3.2.4, NAL type 9) when it has none;</item>
/// <item>every PES's first packet on the PCR PID carries a PCR equal to that PES's DTS, and a keyframe's first packet
/// sets random_access_indicator; the last packet of a PES is stuffed with an adaptation field up to 188 bytes;</item>
/// <item>a continuity counter per PID, counting packets with a payload, modulo 16.</item>
/// </list>
/// Call <see cref="WriteTables"/> first (and at the start of every segment), then <see cref="WriteSample"/>.
/// </summary>
public sealed class TsMuxer
{
    /// <summary>The PMT's PID (ffmpeg's default, -mpegts_pmt_start_pid 0x1000).</summary>
    public const int PmtPid = 0x1000;

    /// <summary>The video PID (ffmpeg's default, -mpegts_start_pid 0x100).</summary>
    public const int VideoPid = 0x100;

    /// <summary>The audio PID: the next one.</summary>
    public const int AudioPid = 0x101;

    /// <summary>The one program's program_number.</summary>
    public const int ProgramNumber = 1;

    /// <summary>transport_stream_id in the PAT.</summary>
    public const int TransportStreamId = 1;

    /// <summary>An access unit delimiter NAL unit behind a 4-byte start code: nal_unit_type 9, primary_pic_type 7 ("any"), rbsp stop bit (H.264 §7.3.2.4).</summary>
    public static ReadOnlySpan<byte> AccessUnitDelimiter => [0x00, 0x00, 0x00, 0x01, 0x09, 0xF0];

    private readonly int[] _continuity = new int[TsPacketHeader.MaxPid + 1];

    /// <summary>Creates a muxer for a program with video, audio or both.</summary>
    public TsMuxer(bool hasVideo = true, bool hasAudio = true)
    {
        if (!hasVideo && !hasAudio)
        {
            throw new ArgumentException("A program needs at least one stream.", nameof(hasVideo));
        }

        HasVideo = hasVideo;
        HasAudio = hasAudio;
        Pat = new ProgramAssociationTable(TransportStreamId, [new ProgramEntry(ProgramNumber, PmtPid)]);
        var streams = new List<ElementaryStreamEntry>();
        if (hasVideo)
        {
            streams.Add(new ElementaryStreamEntry(StreamType.H264, VideoPid));
        }

        if (hasAudio)
        {
            streams.Add(new ElementaryStreamEntry(StreamType.AdtsAac, AudioPid));
        }

        Pmt = new ProgramMapTable(ProgramNumber, PcrPid, streams);
    }

    /// <summary>Whether the program has an H.264 stream.</summary>
    public bool HasVideo { get; }

    /// <summary>Whether the program has an AAC stream.</summary>
    public bool HasAudio { get; }

    /// <summary>The PID whose packets carry the PCR.</summary>
    public int PcrPid => HasVideo ? VideoPid : AudioPid;

    /// <summary>The PAT this muxer writes (made once: every segment repeats it).</summary>
    public ProgramAssociationTable Pat { get; }

    /// <summary>The PMT this muxer writes: H.264 then AAC.</summary>
    public ProgramMapTable Pmt { get; }

    /// <summary>Packets written so far.</summary>
    public long PacketsWritten { get; private set; }

    /// <summary>Writes one packet with the PAT and one with the PMT.</summary>
    public void WriteTables(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> section = stackalloc byte[TsPacketHeader.PacketSize];
        WriteSection(output, ProgramAssociationTable.Pid, section[..Pat.Write(section)]);
        WriteSection(output, PmtPid, section[..Pmt.Write(section)]);
    }

    /// <summary>Writes one PSI section as one packet: header with payload_unit_start_indicator, pointer_field 0, the section, 0xFF to the end (§2.4.4.2).</summary>
    private void WriteSection(IBufferWriter<byte> output, int pid, ReadOnlySpan<byte> section)
    {
        #region lab M1: header (PUSI 1, payload only, the PID's next continuity counter), pointer_field 0, the section, stuffing 0xFF; Advance the output by 188 and count the packet — README §PAT and PMT
        var packet = output.GetSpan(TsPacketHeader.PacketSize)[..TsPacketHeader.PacketSize];
        new TsPacketHeader(pid, true, AdaptationFieldControl.PayloadOnly, NextContinuity(pid)).Write(packet);
        packet[TsPacketHeader.Size] = 0; // pointer_field: the section starts right after it
        section.CopyTo(packet[(TsPacketHeader.Size + 1)..]);
        packet[(TsPacketHeader.Size + 1 + section.Length)..].Fill(0xFF);
        output.Advance(TsPacketHeader.PacketSize);
        PacketsWritten++;
        #endregion
    }

    #region lab-remove
    /// <summary>The continuity counter for the next packet with a payload on <paramref name="pid"/>: 0, 1, … 15, 0, …</summary>
    private int NextContinuity(int pid)
    {
        int cc = _continuity[pid];
        _continuity[pid] = (cc + 1) & 0x0F;
        return cc;
    }
    #endregion

    /// <summary>
    /// Writes one sample as one PES packet cut into transport packets. Video: PES_packet_length 0, an AUD in front
    /// unless the access unit starts with one, the DTS when it differs from the PTS. Audio: PES_packet_length set, PTS only.
    /// </summary>
    public void WriteSample(MediaSample sample, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        bool video = sample.Track == TrackKind.Video;
        if (video ? !HasVideo : !HasAudio)
        {
            throw new ArgumentException($"This muxer's program has no {sample.Track} stream.", nameof(sample));
        }

        #region lab M1: build the PES in one buffer: PesHeader.Write (video: unbounded, DTS only when it differs from the PTS; audio: its length, PTS only), the AUD in front of an access unit without one, the data; then WritePes on the stream's PID with the PCR (the DTS) when that PID is the PCR PID — README §PES and §H.264 in TS
        var data = sample.Data.Span;
        bool addAud = video && !StartsWithAud(data);
        int payloadLength = data.Length + (addAud ? AccessUnitDelimiter.Length : 0);
        long? dts = sample.Dts != sample.Pts ? sample.Dts : null;
        int headerSize = PesHeader.SizeOf(dts.HasValue);
        byte[] pes = ArrayPool<byte>.Shared.Rent(headerSize + payloadLength);
        try
        {
            PesHeader.Write(pes, video ? PesHeader.VideoStreamId : PesHeader.AudioStreamId, video ? -1 : payloadLength, sample.Pts, dts);
            int at = headerSize;
            if (addAud)
            {
                AccessUnitDelimiter.CopyTo(pes.AsSpan(at));
                at += AccessUnitDelimiter.Length;
            }

            data.CopyTo(pes.AsSpan(at));
            int pid = video ? VideoPid : AudioPid;
            long? pcr = pid == PcrPid ? sample.Dts : null;
            WritePes(output, pid, pes.AsSpan(0, headerSize + payloadLength), sample.IsKeyFrame && video, pcr);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pes);
        }
        #endregion
    }

    #region lab-remove
    private static bool StartsWithAud(ReadOnlySpan<byte> data) =>
        data.Length > 4 && ((data[..4].SequenceEqual(AccessUnitDelimiter[..4]) && (data[4] & 0x1F) == 9) || (data[..3].SequenceEqual(AccessUnitDelimiter[1..4]) && (data[3] & 0x1F) == 9));
    #endregion

    /// <summary>
    /// Cuts a whole PES packet into transport packets on <paramref name="pid"/>. The first has payload_unit_start_indicator
    /// and, when asked, an adaptation field with random_access_indicator and the PCR (base = <paramref name="pcrBase"/>);
    /// a packet with fewer than 184 payload bytes left is filled up by a longer adaptation field (stuffing, §2.4.3.5).
    /// </summary>
    public void WritePes(IBufferWriter<byte> output, int pid, ReadOnlySpan<byte> pes, bool randomAccess, long? pcrBase)
    {
        ArgumentNullException.ThrowIfNull(output);
        const int room = TsPacketHeader.PacketSize - TsPacketHeader.Size;
        #region lab M1: loop until the PES is written: a packet's adaptation field is the PCR/random-access one on the first packet (AdaptationField.MinimumSize), grown to 184 - bytes left when fewer are left than fit; header (PUSI on the first), adaptation field if its size > 0, then the payload — README §Packets and §Adaptation field
        int at = 0;
        bool first = true;
        while (at < pes.Length)
        {
            bool flags = first && (randomAccess || pcrBase.HasValue);
            int adaptation = first ? AdaptationField.MinimumSize(randomAccess, pcrBase.HasValue) : 0;
            int take = Math.Min(room - adaptation, pes.Length - at);
            adaptation = room - take; // grows only when the rest is short: stuffing
            var packet = output.GetSpan(TsPacketHeader.PacketSize)[..TsPacketHeader.PacketSize];
            var control = adaptation > 0 ? AdaptationFieldControl.AdaptationFieldAndPayload : AdaptationFieldControl.PayloadOnly;
            new TsPacketHeader(pid, first, control, NextContinuity(pid)).Write(packet);
            if (adaptation > 0)
            {
                AdaptationField.Write(packet[TsPacketHeader.Size..], adaptation, flags && randomAccess, flags ? pcrBase : null);
            }

            pes.Slice(at, take).CopyTo(packet[(TsPacketHeader.Size + adaptation)..]);
            output.Advance(TsPacketHeader.PacketSize);
            PacketsWritten++;
            at += take;
            first = false;
        }
        #endregion
    }
}
