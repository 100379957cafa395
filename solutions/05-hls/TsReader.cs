using System.Buffers;

namespace Lab05.Hls;

/// <summary>
/// Reads a whole transport stream (a segment, a recording) the way a demuxer does: every packet's header and
/// adaptation field, the PAT on PID 0 and the PMT it points to (CRC checked), and the PES packets of the PMT's
/// elementary streams put back together from their packets. Continuity counter jumps are reported, not thrown:
/// a lost packet is something a reader lives with. Bytes that are not a transport stream throw
/// <see cref="HlsFormatException"/> with the offset.
/// <para>Simplifications, stated: a PSI section must fit in the packet that starts it (true of every PAT and PMT
/// with a handful of streams), and packets of elementary streams before the first PMT are skipped.</para>
/// </summary>
public static class TsReader
{
    /// <summary>Reads every packet of <paramref name="ts"/>.</summary>
    /// <exception cref="HlsFormatException">A length that is not a multiple of 188, a packet without the sync byte, an
    /// adaptation field longer than the packet, a PSI section that is damaged (CRC) or does not fit, a PES header that is
    /// broken or a PES shorter than its PES_packet_length.</exception>
    public static TsStream Read(ReadOnlySpan<byte> ts)
    {
        #region lab M2: check the length; walk the packets (TsPacketHeader.Parse); track each PID's continuity counter (report jumps, skip a duplicate); read the adaptation field's length and PCR; PID 0 → the PAT, the PAT's PMT PID → the PMT (after the pointer_field); the PMT's elementary PIDs → PES: start a new one at payload_unit_start_indicator, append payloads, finish with PesHeader.Parse — README §Reading a transport stream
        const int size = TsPacketHeader.PacketSize;
        if (ts.Length % size != 0)
        {
            long whole = ts.Length - ts.Length % size;
            throw new HlsFormatException(whole, $"a whole 188-byte packet", $"The stream ends {ts.Length % size} bytes into a packet: it is cut short.");
        }

        ProgramAssociationTable? pat = null;
        ProgramMapTable? pmt = null;
        var pes = new List<TsPes>();
        var errors = new List<ContinuityError>();
        var pcrs = new List<PcrSample>();
        var pids = new Dictionary<int, int>();
        var lastCounter = new Dictionary<int, int>();
        var open = new Dictionary<int, PesBuilder>();
        int pmtPid = -1;
        for (int at = 0; at < ts.Length; at += size)
        {
            var packet = ts.Slice(at, size);
            var header = TsPacketHeader.Parse(packet, at);
            pids[header.Pid] = pids.GetValueOrDefault(header.Pid) + 1;
            if (header.AdaptationField == AdaptationFieldControl.Reserved || header.Pid == TsPacketHeader.MaxPid)
            {
                continue; // §2.4.3.3: a decoder discards packets with '00'; 0x1FFF is the null packet
            }

            int payloadAt = TsPacketHeader.Size;
            bool randomAccess = false;
            if (header.HasAdaptationField)
            {
                int length = packet[4];
                int max = header.HasPayload ? 182 : 183; // §2.4.3.5: 0–182 with a payload, 183 without
                if (length > max)
                {
                    throw new HlsFormatException(at + 4, $"adaptation_field_length 0–{max}", $"adaptation_field_length {length} runs past the packet.");
                }

                if (length > 0)
                {
                    byte flags = packet[5];
                    randomAccess = (flags & 0x40) != 0;
                    if ((flags & 0x10) != 0)
                    {
                        if (length < 1 + AdaptationField.PcrSize)
                        {
                            throw new HlsFormatException(at + 4, "an adaptation field long enough for its PCR", $"PCR_flag is set in a {length}-byte adaptation field.");
                        }

                        pcrs.Add(new PcrSample(at, header.Pid, AdaptationField.ReadPcr(packet.Slice(6, AdaptationField.PcrSize))));
                    }
                }

                payloadAt += 1 + length;
            }

            if (!header.HasPayload)
            {
                continue;
            }

            if (lastCounter.TryGetValue(header.Pid, out int last))
            {
                int expected = (last + 1) & 0x0F;
                if (header.ContinuityCounter == last)
                {
                    continue; // §2.4.3.3: a duplicate packet, sent twice on purpose; its payload is a copy
                }

                if (header.ContinuityCounter != expected)
                {
                    errors.Add(new ContinuityError(at, header.Pid, expected, header.ContinuityCounter));
                }
            }

            lastCounter[header.Pid] = header.ContinuityCounter;
            var payload = packet[payloadAt..];
            if (header.Pid == ProgramAssociationTable.Pid || header.Pid == pmtPid)
            {
                if (!header.PayloadUnitStart)
                {
                    continue;
                }

                int pointer = payload[0];
                if (1 + pointer >= payload.Length)
                {
                    throw new HlsFormatException(at + payloadAt, "a pointer_field inside the packet", $"pointer_field {pointer} points past the packet.");
                }

                var section = payload[(1 + pointer)..];
                long sectionAt = at + payloadAt + 1 + pointer;
                if (header.Pid == ProgramAssociationTable.Pid)
                {
                    var table = ProgramAssociationTable.Parse(section, sectionAt);
                    pat ??= table;
                    if (pmtPid < 0 && table.Programs.FirstOrDefault(p => p.ProgramNumber != 0) is { PmtPid: > 0 } program)
                    {
                        pmtPid = program.PmtPid;
                    }
                }
                else
                {
                    pmt ??= ProgramMapTable.Parse(section, sectionAt);
                }

                continue;
            }

            if (pmt is null || !pmt.Streams.Any(s => s.Pid == header.Pid))
            {
                continue;
            }

            if (header.PayloadUnitStart)
            {
                if (open.Remove(header.Pid, out var done))
                {
                    pes.Add(done.Finish());
                }

                open[header.Pid] = new PesBuilder(header.Pid, at, at + payloadAt, randomAccess);
            }

            if (open.TryGetValue(header.Pid, out var builder))
            {
                builder.Append(payload);
            }
        }

        foreach (var builder in open.Values.OrderBy(b => b.Offset))
        {
            pes.Add(builder.Finish());
        }

        pes.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        return new TsStream(ts.Length / size, pat, pmt, pes, errors, pcrs, pids);
        #endregion
    }

    #region lab-remove
    /// <summary>The bytes of one PES packet as they arrive, packet by packet.</summary>
    private sealed class PesBuilder(int pid, long offset, long pesOffset, bool randomAccess)
    {
        private readonly ArrayBufferWriter<byte> _bytes = new();

        public long Offset => offset;

        public void Append(ReadOnlySpan<byte> payload) => _bytes.Write(payload);

        public TsPes Finish()
        {
            var bytes = _bytes.WrittenMemory;
            var header = PesHeader.Parse(bytes.Span, pesOffset);
            int end = bytes.Length;
            if (header.PacketLength != 0)
            {
                end = 6 + header.PacketLength;
                if (end > bytes.Length)
                {
                    throw new HlsFormatException(pesOffset + 4, $"PES_packet_length {header.PacketLength} bytes", $"The PES packet on PID 0x{pid:X} ends after {bytes.Length - 6} bytes.");
                }

                if (end < header.HeaderLength)
                {
                    throw new HlsFormatException(pesOffset + 4, $"a PES_packet_length of at least {header.HeaderLength - 6}", $"PES_packet_length {header.PacketLength} is shorter than the PES header.");
                }
            }

            return new TsPes(pid, offset, header, randomAccess, bytes[header.HeaderLength..end]);
        }
    }
    #endregion
}
