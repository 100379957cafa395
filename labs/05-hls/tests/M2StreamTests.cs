namespace Lab05.Hls.Tests;

/// <summary>
/// M1/M2 on transport streams the test builds byte by byte from ISO/IEC 13818-1 (§2.4.3.2 packets, §2.4.3.4 adaptation
/// field, §2.4.3.6–7 PES and PTS/DTS, §2.4.4 PAT/PMT sections, Annex A CRC_32 computed here by the test itself): every
/// rule of README §Reading a transport stream on a stream small enough to reason about, and every kind of bad input of
/// README §Bad input with the offset it must report.
/// </summary>
public class M2StreamTests
{
    private const string Milestone = "M2 TS reader";

    /// <summary>CRC-32/MPEG-2 as README §CRC32 describes it, bit by bit.</summary>
    internal static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= (uint)b << 24;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 0x80000000) != 0 ? crc << 1 ^ 0x04C11DB7 : crc << 1;
            }
        }

        return crc;
    }

    /// <summary>A long-form section (§2.4.4.4/§2.4.4.8): table_id, '1011' + section_length, the extension, reserved '11' + version + current_next 1, section 0 of 0, the body, CRC_32.</summary>
    internal static byte[] Section(byte tableId, int extension, int version, byte[] body, int? sectionLength = null)
    {
        int length = sectionLength ?? 5 + body.Length + 4;
        byte[] head = [tableId, (byte)(0xB0 | length >> 8), (byte)length, (byte)(extension >> 8), (byte)extension, (byte)(0xC1 | version << 1), 0, 0];
        byte[] section = [.. head, .. body, 0, 0, 0, 0];
        uint crc = Crc(section.AsSpan(0, section.Length - 4));
        section[^4] = (byte)(crc >> 24);
        section[^3] = (byte)(crc >> 16);
        section[^2] = (byte)(crc >> 8);
        section[^1] = (byte)crc;
        return section;
    }

    private static byte[] PatBody(int pmtPid) => [0x00, 0x01, (byte)(0xE0 | pmtPid >> 8), (byte)pmtPid];

    /// <summary>PCR on 0x100, H.264 (0x1B) on 0x100 and AAC (0x0F) on 0x101, with the given descriptor bytes.</summary>
    private static byte[] PmtBody(int programInfo = 0, int esInfo = 0) =>
        [0xE1, 0x00, 0xF0, (byte)programInfo, .. new byte[programInfo], 0x1B, 0xE1, 0x00, 0xF0, (byte)esInfo, .. new byte[esInfo], 0x0F, 0xE1, 0x01, 0xF0, 0x00];

    /// <summary>One 188-byte packet: the header, then an adaptation field (given, or stuffing so that the payload ends the packet), then the payload.</summary>
    internal static byte[] Packet(int pid, bool start, int counter, byte[] payload, byte[]? adaptation = null, int? control = null)
    {
        if (adaptation is null && payload.Length < 184)
        {
            int length = 183 - payload.Length;
            adaptation = length == 0 ? [0] : [(byte)length, 0x00, .. Enumerable.Repeat((byte)0xFF, length - 1)];
        }

        int afc = control ?? ((adaptation is { Length: > 0 } ? 2 : 0) | (payload.Length > 0 ? 1 : 0));
        byte[] packet = [0x47, (byte)((start ? 0x40 : 0) | pid >> 8), (byte)pid, (byte)(afc << 4 | counter & 0xF), .. adaptation ?? [], .. payload];
        Assert.True(packet.Length == 188, $"test bug: packet of {packet.Length} bytes");
        return packet;
    }

    private static byte[] Psi(int pid, int counter, byte[] section, int pointer = 0) =>
        Packet(pid, true, counter, [(byte)pointer, .. new byte[pointer], .. section, .. Enumerable.Repeat((byte)0xFF, 183 - pointer - section.Length)], adaptation: []);

    /// <summary>A PES header (§2.4.3.7) with PTS_DTS_flags '10' and the PTS, then the payload.</summary>
    private static byte[] Pes(byte streamId, long pts, byte[] payload, int? packetLength = null)
    {
        int length = packetLength ?? (streamId == 0xE0 ? 0 : 3 + 5 + payload.Length);
        return [0, 0, 1, streamId, (byte)(length >> 8), (byte)length, 0x80, 0x80, 0x05, (byte)(0x21 | (pts >> 30 & 7) << 1), (byte)(pts >> 22), (byte)((pts >> 15 & 0x7F) << 1 | 1), (byte)(pts >> 7), (byte)((pts & 0x7F) << 1 | 1), .. payload];
    }

    /// <summary>Rewrites the last 4 bytes as the CRC_32 of the bytes before them.</summary>
    private static void Recrc(byte[] section)
    {
        uint crc = Crc(section.AsSpan(0, section.Length - 4));
        section[^4] = (byte)(crc >> 24);
        section[^3] = (byte)(crc >> 16);
        section[^2] = (byte)(crc >> 8);
        section[^1] = (byte)crc;
    }

    private static byte[] Fill(int count, byte value) => Enumerable.Repeat(value, count).ToArray();

    private static HlsFormatException Bad(Action read, string what, long from, long to)
    {
        var e = Assert.Throws<HlsFormatException>(read);
        Assert.True(e.Offset >= from && e.Offset < to && !string.IsNullOrWhiteSpace(e.Expected),
            $"{what}: HlsFormatException with an offset in [{from}, {to}) and Expected saying, in words, what should have been there; you gave offset {e.Offset}, Expected \"{e.Expected}\". See README §Bad input.");
        return e;
    }

    [Fact]
    [Trait("Milestone", "M1 MPEG-TS muxer")]
    public void A_section_carries_its_version_and_a_section_length_over_255()
    {
        byte[] body = Fill(300, 0x5A);
        var written = new byte[400];
        int size = PsiSection.Write(written, 0x02, 0x1234, 5, body);
        byte[] expected = Section(0x02, 0x1234, 5, body); // section_length 309 = 0x135: b1 35; version 5: c1 | 5 << 1 = cb
        Assert.True(size == expected.Length && written.AsSpan(0, size).SequenceEqual(expected),
            $"PsiSection.Write(table 0x02, extension 0x1234, version 5, 300 bytes) is {expected.Length} bytes starting {Convert.ToHexString(expected.AsSpan(0, 8))}; you wrote {size} bytes starting {Convert.ToHexString(written.AsSpan(0, 8))}. See README §PAT and PMT.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Sections_are_read_with_their_version_descriptors_skipped_and_every_length_checked()
    {
        var pat = ProgramAssociationTable.Parse(Section(0x00, 7, 5, PatBody(0x1000)), 0);
        Assert.True(pat.TransportStreamId == 7 && pat.Version == 5 && pat.Programs.SequenceEqual([new ProgramEntry(1, 0x1000)]),
            $"A PAT of transport_stream_id 7, version 5, program 1 → 0x1000; you read {pat.TransportStreamId}, version {pat.Version}, {string.Join(", ", pat.Programs)}. See README §PAT and PMT.");
        var pmt = ProgramMapTable.Parse(Section(0x02, 1, 9, PmtBody(programInfo: 6, esInfo: 3)), 0);
        Assert.True(pmt.PcrPid == 0x100 && pmt.Version == 9 && pmt.Streams.SequenceEqual([new ElementaryStreamEntry(0x1B, 0x100), new ElementaryStreamEntry(0x0F, 0x101)]),
            $"A PMT (version 9) with 6 bytes of program descriptors and 3 of ES descriptors on its first stream has PCR_PID 0x100 and the streams 0x1B on 0x100, 0x0F on 0x101; you read PCR 0x{pmt.PcrPid:X}, version {pmt.Version}, {string.Join(", ", pmt.Streams)}. See README §PAT and PMT.");
        var empty = ProgramAssociationTable.Parse(Section(0x00, 1, 0, []), 0);
        Assert.True(empty.Programs.Count == 0, "A PAT with section_length 9 (header and CRC only) is a valid PAT of no programs.");
        byte[] longest = Section(0x02, 1, 0, [0xE1, 0x00, 0xF3, 0xF0, .. new byte[1008]]); // section_length 1021, the most §2.4.4.8 allows
        Assert.True(ProgramMapTable.Parse(longest, 0).Streams.Count == 0, "A PMT with section_length 1021 (program_info_length 1008, no streams) is valid: 1021 is the largest section_length allowed.");

        const long At = 1000; // where the section starts in its stream
        Bad(() => PsiSection.ReadBody(new byte[] { 0x00, 0xB0 }, At, 0x00, out _), "Two bytes left for a section", At, At + 2);
        Bad(() => ProgramAssociationTable.Parse(Section(0x02, 1, 0, PatBody(0x1000)), At), "A PAT read where table_id is 0x02", At, At + 21);
        var shortForm = Section(0x00, 1, 0, PatBody(0x1000));
        shortForm[1] &= 0x7F;
        Recrc(shortForm); // a valid CRC: only the indicator is wrong
        Bad(() => ProgramAssociationTable.Parse(shortForm, At), "A PAT with section_syntax_indicator 0", At, At + 21);
        Bad(() => ProgramAssociationTable.Parse(Section(0x00, 1, 0, [], sectionLength: 8), At), "section_length 8 (less than header and CRC)", At, At + 12);
        byte[] eight = [0x00, 0xB0, 0x08, 0x00, 0x01, 0xC1, 0x00, 0, 0, 0, 0];
        Recrc(eight); // 11 bytes whose CRC checks: section_length 8 leaves no room for last_section_number
        Bad(() => ProgramAssociationTable.Parse(eight, At), "section_length 8 whose 11 bytes pass the CRC", At, At + 11);
        Bad(() => ProgramMapTable.Parse(Section(0x02, 1, 0, [0xE1, 0x00, 0xF3, 0xF1, .. new byte[1009]]), At), "section_length 1022 with a CRC that checks", At, At + 1025);
        var bare = ProgramMapTable.Parse(Section(0x02, 1, 0, [0xE1, 0x00, 0xF0, 0x00]), 0);
        Assert.True(bare.PcrPid == 0x100 && bare.Streams.Count == 0, $"A PMT body of exactly PCR_PID and program_info_length 0 is a program with no streams; you read {bare}. See README §PAT and PMT.");
        byte[] tooLong = [.. Section(0x00, 1, 0, [], sectionLength: 1022), .. new byte[1100]];
        Bad(() => ProgramAssociationTable.Parse(tooLong, At), "section_length 1022", At, At + 1025);
        byte[] pastEnd = Section(0x00, 1, 0, PatBody(0x1000));
        Bad(() => ProgramAssociationTable.Parse(pastEnd.AsSpan(0, pastEnd.Length - 1), At), "A section one byte short of its section_length", At, At + 20);
        var crc = Section(0x00, 1, 0, PatBody(0x1000));
        crc[^1] ^= 1;
        Bad(() => ProgramAssociationTable.Parse(crc, At), "A PAT whose CRC_32 does not check", At, At + 16);
        Bad(() => ProgramAssociationTable.Parse(Section(0x00, 1, 0, [0x00, 0x01, 0xE1, 0x00, 0x00]), At), "A PAT body of 5 bytes (entries are 4)", At, At + 17);
        Bad(() => ProgramMapTable.Parse(Section(0x02, 1, 0, [0xE1, 0x00]), At), "A PMT body of 2 bytes (no program_info_length)", At, At + 14);
        Bad(() => ProgramMapTable.Parse(Section(0x02, 1, 0, [0xE1, 0x00, 0xF0, 0x05, 0, 0]), At), "program_info_length 5 with 2 bytes after it", At, At + 18);
        Bad(() => ProgramMapTable.Parse(Section(0x02, 1, 0, [.. PmtBody(), 0x1B, 0xE1]), At), "A 2-byte elementary stream entry", At, At + 35);
        Bad(() => ProgramMapTable.Parse(Section(0x02, 1, 0, [0xE1, 0x00, 0xF0, 0x00, 0x1B, 0xE1, 0x00, 0xF0, 0x04, 0, 0]), At), "ES_info_length 4 with 2 bytes after it", At, At + 23);
    }

    [Fact]
    [Trait("Milestone", "M1 MPEG-TS muxer")]
    public void PTS_DTS_and_PCR_keep_every_bit_of_33_bit_values()
    {
        // PTS 0x1A5C39E71 with prefix '0011', DTS 0x0B3D2C1F0 with prefix '0001' (README §PTS and DTS layout).
        var field = new byte[5];
        PesHeader.WriteTimestamp(field, 0b0011, 0x1A5C39E71);
        Assert.True(field.SequenceEqual(Hex.Bytes("3d 97 0f 3c e3")), $"PTS 0x1A5C39E71 after prefix 0011 is 3d 97 0f 3c e3; you wrote {Convert.ToHexString(field)}. See README §PTS and DTS.");
        Assert.True(PesHeader.ReadTimestamp(Hex.Bytes("3d 97 0f 3c e3"), 0) == 0x1A5C39E71 && PesHeader.ReadTimestamp(Hex.Bytes("15 cf 4b 83 e1"), 0) == 0x0B3D2C1F0,
            "3d 97 0f 3c e3 is 0x1A5C39E71 and 15 cf 4b 83 e1 is 0x0B3D2C1F0 (README §PTS and DTS).");

        // PCR base 0x1A5C39E71 and extension 299: d2 e1 cf 38 ff 2b (§2.4.3.4: 33 bits, 6 reserved 1s, 9 bits).
        var pcr = new byte[6];
        AdaptationField.WritePcr(pcr, 0x1A5C39E71, 299);
        Assert.True(pcr.SequenceEqual(Hex.Bytes("d2 e1 cf 38 ff 2b")), $"PCR base 0x1A5C39E71, extension 299 is d2 e1 cf 38 ff 2b; you wrote {Convert.ToHexString(pcr)}. See README §PCR.");
        long value = AdaptationField.ReadPcr(Hex.Bytes("d2 e1 cf 38 ff 2b"));
        Assert.True(value == 0x1A5C39E71L * 300 + 299, $"d2 e1 cf 38 ff 2b is base 0x1A5C39E71 × 300 + 299 = {0x1A5C39E71L * 300 + 299}; you read {value}. See README §PCR.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void PES_headers_are_read_field_by_field_and_each_broken_field_is_reported_where_it_is()
    {
        byte[] withDts = Hex.Bytes("00 00 01 e0 01 02 80 c0 0a 3d 97 0f 3c e3 15 cf 4b 83 e1");
        var header = PesHeader.Parse(withDts, 0);
        Assert.True(header == new PesHeader(0xE0, 0x0102, 0x1A5C39E71, 0x0B3D2C1F0, 19),
            $"00 00 01 e0 01 02 80 c0 0a + PTS + DTS is stream E0, PES_packet_length 258, PTS 0x1A5C39E71, DTS 0x0B3D2C1F0, 19 header bytes; you read {header}. See README §PES.");
        var none = PesHeader.Parse(Hex.Bytes("00 00 01 c0 00 03 80 00 00"), 0);
        Assert.True(none.Pts is null && none.Dts is null && none.HeaderLength == 9, $"PTS_DTS_flags '00': no PTS, no DTS; you read {none}. See README §PES.");

        const long At = 564;
        Bad(() => PesHeader.Parse(Hex.Bytes("00 00 01 e0 00 00 80 80"), At), "An 8-byte PES header", At, At + 8);
        foreach (string prefix in new[] { "01 00 01", "00 01 01", "00 00 02" })
        {
            var e = Bad(() => PesHeader.Parse(Hex.Bytes(prefix + " e0 00 00 80 80 05 21 00 01 00 01"), At), $"A PES starting {prefix}", At, At + 3);
            Assert.True(e.Offset == At, $"The packet_start_code_prefix is the PES's first field: report {At}; you said {e.Offset}. See README §Bad input.");
        }

        void Field(string hex, long offset, string what) =>
            Assert.True(Bad(() => PesHeader.Parse(Hex.Bytes(hex), At), what, At, At + 19).Offset == offset, $"{what}: the offset of that field is {offset}. See README §Bad input.");
        Field("00 00 01 e0 00 00 80 80 0a 21 00 01 00 01", At + 8, "PES_header_data_length 10 with 5 bytes after it");
        Field("00 00 01 e0 00 00 80 40 05 21 00 01 00 01", At + 7, "PTS_DTS_flags '01'");
        Field("00 00 01 e0 00 00 80 80 03 21 00 01", At + 8, "PTS_DTS_flags '10' with PES_header_data_length 3");
        Field("00 00 01 e0 00 00 80 c0 05 31 00 01 00 01", At + 8, "PTS_DTS_flags '11' with PES_header_data_length 5");
        Field("00 00 01 e0 00 00 80 80 05 20 00 01 00 01", At + 9, "The PTS's first marker bit 0");
        Field("00 00 01 e0 00 00 80 80 05 21 00 00 00 01", At + 9, "The PTS's second marker bit 0");
        Field("00 00 01 e0 00 00 80 80 05 21 00 01 00 00", At + 9, "The PTS's third marker bit 0");
        Field("00 00 01 e0 00 00 80 c0 0a 31 00 01 00 01 11 00 01 00 00", At + 14, "The DTS's last marker bit 0");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Packet_headers_are_read_and_written_bit_by_bit()
    {
        var header = TsPacketHeader.Parse(Hex.Bytes("47 db cd 2e"), 0);
        Assert.True(header == new TsPacketHeader(0x1BCD, true, AdaptationFieldControl.AdaptationFieldOnly, 0xE, TransportError: true),
            $"47 db cd 2e: transport_error 1, payload_unit_start 1, PID 0x1BCD, adaptation_field_control '10', counter 14; you read {header}. See README §Packets.");
        var written = new byte[4];
        new TsPacketHeader(0x1ABC, false, AdaptationFieldControl.PayloadOnly, 3).Write(written);
        Assert.True(written.SequenceEqual(Hex.Bytes("47 1a bc 13")), $"PID 0x1ABC, payload only, counter 3 is 47 1a bc 13; you wrote {Convert.ToHexString(written)}. See README §Packets.");
        Assert.False(TsPacketHeader.Parse(Hex.Bytes("47 01 00 10"), 0).TransportError, "47 01 00 10 has transport_error_indicator 0. See README §Packets.");
        Bad(() => TsPacketHeader.Parse(Hex.Bytes("47 01 00"), 376), "Three bytes left for a packet header", 376, 379);
        Bad(() => TsPacketHeader.Parse(Hex.Bytes("46 01 00 10"), 376), "A packet starting 0x46", 376, 377);
    }

    /// <summary>
    /// PAT (after a pointer_field of 3), PMT, a PCR-only packet on the video PID, video A over two packets, audio B and C
    /// with C sent twice (a duplicate), a null packet, a packet with adaptation_field_control '00', a PID 0 packet that
    /// continues a section, a second PAT and PMT that differ, and video D to the end.
    /// </summary>
    private static (byte[] Ts, long[] Offsets) Stream()
    {
        byte[] a = Pes(0xE0, 9000, Fill(250, 0xAA));
        byte[] b = Pes(0xC0, 9090, Fill(20, 0xBB));
        byte[] c = Pes(0xC0, 11_000, Fill(30, 0xCC));
        byte[] d = Pes(0xE0, 15_000, Fill(40, 0xDD));
        byte[] pcrField = [183, 0x10, .. Hex.Bytes("00 00 11 94 7e 00"), .. Fill(176, 0xFF)]; // PCR_flag; base 9000: 9000 >> 9 = 0x11, 9000 >> 1 = 0x1194, extension 0
        var packets = new List<byte[]>
        {
            Psi(0, 0, Section(0x00, 7, 0, PatBody(0x1000)), pointer: 3),                 // 0
            Psi(0x1000, 0, Section(0x02, 1, 0, PmtBody())),                                // 1
            Packet(0x100, false, 0, [], adaptation: pcrField),                             // 2: adaptation only, counter not advanced
            Packet(0x100, true, 0, a[..184], adaptation: null, control: 1),                // 3: A starts
            Packet(0x101, true, 0, b),                                                     // 4: B
            Packet(0x101, true, 1, c),                                                     // 5: C ends B
            Packet(0x101, true, 1, c),                                                     // 6: C again: a duplicate
            Packet(0x1FFF, false, 0, Fill(184, 0xFF)),                                     // 7: null packet
            Packet(0x100, false, 9, Fill(184, 0x11), adaptation: [], control: 0),          // 8: '00': discarded
            Packet(0x100, false, 1, a[184..]),                                             // 9: rest of A
            Packet(0, false, 1, Fill(184, 0xFF)),                                          // 10: PID 0 without a section start
            Psi(0, 2, Section(0x00, 8, 0, PatBody(0x1000))),                               // 11: another PAT
            Psi(0x1000, 1, Section(0x02, 1, 0, [0xE1, 0x01, 0xF0, 0x00, 0x0F, 0xE1, 0x01, 0xF0, 0x00])), // 12: another PMT
            Packet(0x100, true, 2, d),                                                     // 13: D ends A
            Packet(0x1FFF, false, 5, Fill(184, 0xFF)),                                     // 14: null packet, counter unrelated
        };
        return ([.. packets.SelectMany(p => p)], [3 * 188, 4 * 188, 5 * 188, 13 * 188]);
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void A_hand_made_stream_is_read_by_every_rule_of_the_README()
    {
        var (ts, offsets) = Stream();
        var stream = TsReader.Read(ts);
        const string See = "README §Reading a transport stream";
        Assert.True(stream.Pat is { TransportStreamId: 7 } && stream.Pmt is { PcrPid: 0x100, Streams.Count: 2 },
            $"The reader keeps the first PAT (transport_stream_id 7, after a pointer_field of 3) and the first PMT (PCR 0x100, two streams); you kept {stream.Pat} and {stream.Pmt}. See {See}.");
        Assert.True(stream.ContinuityErrors.Count == 0,
            $"No packet is lost: the PCR-only packet does not advance the counter, the duplicate and the '00' and null packets are no jumps; you reported {string.Join(", ", stream.ContinuityErrors)}. See {See}.");
        var pes = stream.Pes.Select(p => (p.Pid, p.Offset, p.Header.Pts, p.Payload.Length)).ToList();
        (int, long, long?, int)[] expected = [(0x100, offsets[0], 9000, 250), (0x101, offsets[1], 9090, 20), (0x101, offsets[2], 11_000, 30), (0x100, offsets[3], 15_000, 40)];
        Assert.True(pes.SequenceEqual(expected),
            $"Four PES in stream order (by the offset of their first packet): {string.Join("; ", expected)}; you read {string.Join("; ", pes)} (PID, offset, PTS, payload bytes). See {See}.");
        Assert.True(stream.Pcrs.SequenceEqual([new PcrSample(2 * 188, 0x100, 9000L * 300)]),
            $"One PCR, at byte 376 on PID 0x100, base 9000 (PCR 2700000); you read {string.Join(", ", stream.Pcrs)}. See {See}.");
        Assert.True(stream.PacketCount == 15 && stream.Pids.GetValueOrDefault(0x1FFF) == 2 && stream.Pids.GetValueOrDefault(0x100) == 5 && stream.Pids.GetValueOrDefault(0) == 3,
            $"15 packets: PID 0 three times, 0x100 five, 0x1FFF twice; you counted {stream.PacketCount} and {string.Join(", ", stream.Pids.OrderBy(p => p.Key).Select(p => $"0x{p.Key:X}: {p.Value}"))}. See {See}.");
    }

    [Fact]
    [Trait("Milestone", Milestone)]
    public void Adaptation_fields_pointer_fields_and_PES_lengths_that_do_not_fit_are_reported_in_their_packet()
    {
        byte[] pat = Psi(0, 0, Section(0x00, 1, 0, PatBody(0x1000)));
        byte[] pmt = Psi(0x1000, 0, Section(0x02, 1, 0, PmtBody()));
        void Check(byte[] last, string what, long from, long to)
        {
            byte[] ts = [.. pat, .. pmt, .. last];
            Bad(() => TsReader.Read(ts), what, from, to);
        }

        // adaptation_field_control '11' with adaptation_field_length 183: nothing left for the payload (§2.4.3.5: at most 182).
        byte[] full = Packet(0x100, false, 0, [], adaptation: [183, 0x00, .. Fill(182, 0xFF)], control: 3);
        Check(full, "adaptation_field_length 183 before a payload", 376 + 4, 376 + 5);
        byte[] shortPcr = Packet(0x100, true, 0, Pes(0xE0, 0, Fill(166, 1)), adaptation: [3, 0x10, 0, 0]);
        Check(shortPcr, "PCR_flag in a 3-byte adaptation field", 376 + 4, 376 + 5);
        Check(Packet(0, true, 1, [183, .. Fill(183, 0xFF)], adaptation: []), "pointer_field 183: past the packet", 376, 564);
        byte[] wrongTable = Psi(0, 1, Section(0x02, 1, 0, PatBody(0x1000)), pointer: 3);
        Check(wrongTable, "A section on PID 0 (after pointer_field 3, so from byte 384) with table_id 0x02", 376 + 8, 376 + 8 + 16);
        byte[] pesShort = Packet(0x101, true, 0, Pes(0xC0, 0, Fill(50, 2), packetLength: 100));
        Check(pesShort, "An audio PES (from byte 500) with PES_packet_length 100 and 58 bytes after it", 500 + 4, 500 + 5);
        byte[] pesTiny = Packet(0x101, true, 0, Pes(0xC0, 0, Fill(50, 2), packetLength: 3));
        Check(pesTiny, "An audio PES (from byte 500) with PES_packet_length 3, shorter than its header", 500 + 4, 500 + 5);
        byte[] empty = Packet(0x101, true, 0, Pes(0xC0, 0, [], packetLength: 8));
        var none = TsReader.Read([.. pat, .. pmt, .. empty]);
        Assert.True(none.Pes.Count == 1 && none.Pes[0].Payload.Length == 0, $"An audio PES whose PES_packet_length 8 is its header exactly carries an empty payload, no error; you read {none.Pes.Count} PES. See README §Reading a transport stream.");
        byte[] onlyZero = Psi(0, 0, Section(0x00, 1, 0, [0x00, 0x00, 0xE0, 0x10]));
        var stream = TsReader.Read([.. onlyZero, .. pmt]);
        Assert.True(stream.Pat is { Programs.Count: 1 } && stream.Pmt is null,
            $"A PAT whose only program is 0 (the network PID) names no PMT: the stream has a PAT and no PMT, and no exception; you read PMT {stream.Pmt}. See README §Reading a transport stream.");
    }
}
