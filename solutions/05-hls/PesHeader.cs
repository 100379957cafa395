namespace Lab05.Hls;

/// <summary>
/// The header of a PES packet, the envelope of one access unit or audio frame (ISO/IEC 13818-1 §2.4.3.6, Table 2-21),
/// as this muxer writes it:
/// <code>
/// packet_start_code_prefix 24 (0x000001) | stream_id 8 | PES_packet_length 16 (0 = unbounded, video only)
/// '10' | PES_scrambling_control 2 | PES_priority 1 | data_alignment_indicator 1 | copyright 1 | original_or_copy 1
/// PTS_DTS_flags 2 | ESCR 1 | ES_rate 1 | DSM_trick_mode 1 | additional_copy_info 1 | PES_CRC 1 | PES_extension 1
/// PES_header_data_length 8
/// PTS 40 bits when PTS_DTS_flags is '10' or '11';  DTS 40 bits when '11'
/// </code>
/// PTS and DTS count a 90 kHz clock in 33 bits, so they wrap every 2^33 / 90 000 s ≈ 26.5 hours.
/// </summary>
/// <param name="StreamId">0xE0 for the first video stream, 0xC0 for the first audio stream (Table 2-22).</param>
/// <param name="PacketLength">PES_packet_length: the bytes after this field, or 0 (unbounded, allowed for video only).</param>
/// <param name="Pts">Presentation time stamp, 90 kHz, 33 bits.</param>
/// <param name="Dts">Decoding time stamp, or null when it equals the PTS (then only the PTS is written).</param>
/// <param name="HeaderLength">The whole header in bytes: 9 + PES_header_data_length.</param>
public readonly record struct PesHeader(byte StreamId, int PacketLength, long? Pts, long? Dts, int HeaderLength)
{
    /// <summary>stream_id of the first MPEG video stream, here H.264 (Table 2-22: 1110 xxxx).</summary>
    public const byte VideoStreamId = 0xE0;

    /// <summary>stream_id of the first MPEG audio stream, here AAC (Table 2-22: 110x xxxx).</summary>
    public const byte AudioStreamId = 0xC0;

    /// <summary>The bytes up to and including PES_header_data_length.</summary>
    public const int FixedSize = 9;

    /// <summary>The size of one PTS or DTS field.</summary>
    public const int TimestampSize = 5;

    /// <summary>PTS and DTS are 33-bit numbers (§2.4.3.7): values are taken modulo 2^33.</summary>
    public const long TimestampMask = (1L << 33) - 1;

    /// <summary>The 90 kHz clock of PTS and DTS.</summary>
    public const int ClockRate = 90_000;

    /// <summary>The size of the header <see cref="Write"/> writes: 9 bytes, + 5 for the PTS, + 5 more for a DTS.</summary>
    public static int SizeOf(bool hasDts) => FixedSize + TimestampSize * (hasDts ? 2 : 1);

    /// <summary>
    /// Writes a PES header with a PTS, and a DTS when <paramref name="dts"/> is given; returns its size.
    /// <paramref name="payloadLength"/> is the number of bytes that follow the header, or -1 for an unbounded
    /// video PES (PES_packet_length 0).
    /// </summary>
    public static int Write(Span<byte> destination, byte streamId, int payloadLength, long pts, long? dts)
    {
        int size = SizeOf(dts.HasValue);
        int packetLength = payloadLength < 0 ? 0 : size - 6 + payloadLength;
        if (packetLength > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadLength), $"A PES packet of {packetLength} bytes does not fit PES_packet_length; only video may use 0 (unbounded).");
        }

        #region lab M1: 00 00 01, stream_id, PES_packet_length (big-endian; bytes after it), 0x80 ('10' then all flags 0), PTS_DTS_flags ('10' → 0x80, '11' → 0xC0), PES_header_data_length (5 or 10), then the PTS with prefix '0010' (or '0011' with a DTS) and the DTS with prefix '0001' — README §PES
        destination[0] = 0x00;
        destination[1] = 0x00;
        destination[2] = 0x01;
        destination[3] = streamId;
        destination[4] = (byte)(packetLength >> 8);
        destination[5] = (byte)packetLength;
        destination[6] = 0x80;
        destination[7] = (byte)(dts.HasValue ? 0xC0 : 0x80);
        destination[8] = (byte)(size - FixedSize);
        WriteTimestamp(destination[9..], dts.HasValue ? 0b0011 : 0b0010, pts);
        if (dts is long d)
        {
            WriteTimestamp(destination[14..], 0b0001, d);
        }

        return size;
        #endregion
    }

    /// <summary>
    /// Writes one 5-byte PTS or DTS field (§2.4.3.7): a 4-bit prefix, then the 33-bit value in pieces of 3, 15 and 15
    /// bits, each followed by a marker bit 1. The value is taken modulo 2^33, which is the rollover.
    /// </summary>
    public static void WriteTimestamp(Span<byte> destination, int prefix, long value)
    {
        #region lab M1: v = value & TimestampMask; byte 0 = prefix << 4 | bits 32..30 << 1 | 1; bytes 1–2 = bits 29..15 << 1 | 1; bytes 3–4 = bits 14..0 << 1 | 1 — README §PTS and DTS
        long v = value & TimestampMask;
        destination[0] = (byte)(prefix << 4 | (int)(v >> 30 & 0x07) << 1 | 1);
        int middle = (int)(v >> 15 & 0x7FFF) << 1 | 1;
        destination[1] = (byte)(middle >> 8);
        destination[2] = (byte)middle;
        int low = (int)(v & 0x7FFF) << 1 | 1;
        destination[3] = (byte)(low >> 8);
        destination[4] = (byte)low;
        #endregion
    }

    /// <summary>Reads a 5-byte PTS or DTS field back to its 33-bit value; <paramref name="offset"/> is its offset, for errors.</summary>
    /// <exception cref="HlsFormatException">A marker bit is 0.</exception>
    public static long ReadTimestamp(ReadOnlySpan<byte> source, long offset)
    {
        #region lab M2: check the three marker bits (bit 0 of bytes 0, 2 and 4), then put bits 32..30, 29..15 and 14..0 back together — README §PTS and DTS
        if ((source[0] & 1) == 0 || (source[2] & 1) == 0 || (source[4] & 1) == 0)
        {
            throw new HlsFormatException(offset, "marker bits 1 in the PTS/DTS field", "A marker bit of a PTS or DTS is 0.");
        }

        return (long)(source[0] >> 1 & 0x07) << 30 | (long)(source[1] << 7 | source[2] >> 1) << 15 | (long)(source[3] << 7 | source[4] >> 1);
        #endregion
    }

    /// <summary>Reads the header at the start of a PES packet; <paramref name="offset"/> is where the packet starts, for errors.</summary>
    /// <exception cref="HlsFormatException">No start code prefix, a header cut short, PTS_DTS_flags '01'.</exception>
    public static PesHeader Parse(ReadOnlySpan<byte> pes, long offset)
    {
        #region lab M2: check 00 00 01 and that the 9 fixed bytes and PES_header_data_length bytes are there; PTS_DTS_flags are the top 2 bits of byte 7; read the PTS at byte 9 and the DTS at byte 14 — README §PES
        if (pes.Length < FixedSize)
        {
            throw new HlsFormatException(offset, $"a PES header of at least {FixedSize} bytes", $"The PES packet has only {pes.Length} bytes.");
        }

        if (pes[0] != 0 || pes[1] != 0 || pes[2] != 1)
        {
            throw new HlsFormatException(offset, "packet_start_code_prefix 00 00 01", $"The PES packet starts with {pes[0]:X2} {pes[1]:X2} {pes[2]:X2}.");
        }

        int headerLength = FixedSize + pes[8];
        if (pes.Length < headerLength)
        {
            throw new HlsFormatException(offset + 8, $"{pes[8]} bytes of PES header data", $"The PES header is cut short after {pes.Length} bytes.");
        }

        int flags = pes[7] >> 6;
        if (flags == 0b01)
        {
            throw new HlsFormatException(offset + 7, "PTS_DTS_flags '00', '10' or '11'", "PTS_DTS_flags '01' is forbidden.");
        }

        if (flags != 0 && pes[8] < TimestampSize * (flags == 0b11 ? 2 : 1))
        {
            throw new HlsFormatException(offset + 8, "room for the PTS (and DTS) in PES_header_data_length", $"PES_header_data_length {pes[8]} cannot hold the timestamps its flags announce.");
        }

        long? pts = flags >= 0b10 ? ReadTimestamp(pes[9..], offset + 9) : null;
        long? dts = flags == 0b11 ? ReadTimestamp(pes[14..], offset + 14) : null;
        return new PesHeader(pes[3], pes[4] << 8 | pes[5], pts, dts, headerLength);
        #endregion
    }
}
