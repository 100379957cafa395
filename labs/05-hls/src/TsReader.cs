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
        throw new NotImplementedException("Lab 05 · M2: check the length; walk the packets (TsPacketHeader.Parse); track each PID's continuity counter (report jumps, skip a duplicate); read the adaptation field's length and PCR; PID 0 → the PAT, the PAT's PMT PID → the PMT (after the pointer_field); the PMT's elementary PIDs → PES: start a new one at payload_unit_start_indicator, append payloads, finish with PesHeader.Parse — README §Reading a transport stream");
    }
}
