namespace Lab05.Hls.Tests;

/// <summary>One 188-byte packet, read by the test itself straight from ISO/IEC 13818-1 §2.4.3.2 (not with the lab's reader).</summary>
internal sealed record RawPacket(long Offset, int Pid, bool Start, int AdaptationControl, int Continuity, byte[] Adaptation, byte[] Payload)
{
    /// <summary>The PCR base (90 kHz) when the adaptation field has PCR_flag, else null (§2.4.3.4).</summary>
    public long? PcrBase => Adaptation.Length >= 7 && (Adaptation[0] & 0x10) != 0
        ? (long)Adaptation[1] << 25 | (long)Adaptation[2] << 17 | (long)Adaptation[3] << 9 | (long)Adaptation[4] << 1 | (uint)(Adaptation[5] >> 7)
        : null;

    /// <summary>The whole PCR in 27 MHz ticks: base × 300 + the 9-bit extension.</summary>
    public long? Pcr => PcrBase * 300 + ((Adaptation[5] & 1) << 8 | Adaptation[6]);

    public bool RandomAccess => Adaptation.Length >= 1 && (Adaptation[0] & 0x40) != 0;
}

/// <summary>One PES packet put back together from its transport packets, with the PTS/DTS read from its header (§2.4.3.7).</summary>
internal sealed record RawPes(int Pid, long Offset, RawPacket First, byte[] Bytes)
{
    public int HeaderLength => 9 + Bytes[8];

    public long? Pts => (Bytes[7] & 0x80) != 0 ? Timestamp(9) : null;

    public long? Dts => (Bytes[7] & 0x40) != 0 ? Timestamp(14) : null;

    public ReadOnlySpan<byte> Payload => Bytes.AsSpan(HeaderLength);

    private long Timestamp(int at) => (long)(Bytes[at] >> 1 & 7) << 30 | (long)(Bytes[at + 1] << 7 | Bytes[at + 2] >> 1) << 15 | (long)(Bytes[at + 3] << 7 | Bytes[at + 4] >> 1);
}

internal static class TsWalk
{
    public static List<RawPacket> Packets(byte[] ts)
    {
        Assert.True(ts.Length % 188 == 0, $"A transport stream is a whole number of 188-byte packets; yours is {ts.Length} bytes ({ts.Length % 188} left over). See README §Packets.");
        var list = new List<RawPacket>();
        for (int at = 0; at < ts.Length; at += 188)
        {
            var p = ts.AsSpan(at, 188);
            Assert.True(p[0] == 0x47, $"The packet at byte {at} starts with 0x{p[0]:X2}; every packet starts with the sync byte 0x47. See README §Packets.");
            int control = p[3] >> 4 & 3;
            int payloadAt = 4;
            byte[] adaptation = [];
            if ((control & 2) != 0)
            {
                int length = p[4];
                Assert.True(length <= 183, $"The packet at byte {at} has adaptation_field_length {length} (at most 183). See README §Adaptation field.");
                adaptation = p.Slice(5, length).ToArray();
                payloadAt = 5 + length;
            }

            list.Add(new RawPacket(at, (p[1] & 0x1F) << 8 | p[2], (p[1] & 0x40) != 0, control, p[3] & 0xF, adaptation, (control & 1) != 0 ? p[payloadAt..].ToArray() : []));
        }

        return list;
    }

    /// <summary>The PES packets on <paramref name="pid"/>, each from a packet with payload_unit_start_indicator to the next.</summary>
    public static List<RawPes> Pes(List<RawPacket> packets, int pid)
    {
        var list = new List<RawPes>();
        RawPacket? first = null;
        var bytes = new List<byte>();
        foreach (var p in packets.Where(p => p.Pid == pid))
        {
            if (p.Start)
            {
                if (first is not null)
                {
                    list.Add(new RawPes(pid, first.Offset, first, bytes.ToArray()));
                }

                first = p;
                bytes.Clear();
            }

            bytes.AddRange(p.Payload);
        }

        if (first is not null)
        {
            list.Add(new RawPes(pid, first.Offset, first, bytes.ToArray()));
        }

        return list;
    }

    /// <summary>The NAL unit types of an Annex B access unit, in order (H.264 Annex B: start code 00 00 01, type in the low 5 bits).</summary>
    public static List<int> NalTypes(ReadOnlySpan<byte> annexB)
    {
        var types = new List<int>();
        for (int i = 0; i + 3 < annexB.Length; i++)
        {
            if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1)
            {
                types.Add(annexB[i + 3] & 0x1F);
                i += 2;
            }
        }

        return types;
    }
}
