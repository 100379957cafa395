namespace Lab07.H264Bitstream;

/// <summary>
/// Reads the syntax elements of an RBSP (raw byte sequence payload, §7.2) most significant bit first:
/// u(n) fixed-width, ue(v)/se(v) Exp-Golomb (§9.1), and the end-of-payload tests. Every error is an
/// <see cref="H264FormatException"/> carrying the bit position and the field being read.
/// </summary>
/// <remarks>
/// Feed it the NAL unit after <see cref="EmulationPrevention.ToRbsp"/>, header byte included, so that bit
/// positions match ffmpeg's <c>trace_headers</c> (the header is bits 0–7).
/// </remarks>
public ref struct RbspReader
{
    private readonly ReadOnlySpan<byte> _data;
    private long _position;

    /// <summary>A reader at bit 0 of <paramref name="rbsp"/>.</summary>
    /// <param name="rbsp">The payload, emulation prevention removed.</param>
    /// <param name="nalIndex">The NAL unit's index in the stream, for error messages (-1 when not known).</param>
    public RbspReader(ReadOnlySpan<byte> rbsp, int nalIndex = -1)
    {
        _data = rbsp;
        _position = 0;
        NalIndex = nalIndex;
    }

    /// <summary>The NAL unit's index in the stream, or -1.</summary>
    public int NalIndex { get; }

    /// <summary>The number of bits read so far.</summary>
    public readonly long BitPosition => _position;

    /// <summary>How many bits are left.</summary>
    public readonly long BitsLeft => _data.Length * 8L - _position;

    /// <summary>True on a byte boundary (byte_aligned(), §7.2).</summary>
    public readonly bool IsByteAligned => (_position & 7) == 0;

    /// <summary>An error at the current position (or <paramref name="at"/>), naming <paramref name="field"/>.</summary>
    public readonly H264FormatException Error(string message, string? field, long at = -1) =>
        new(message, NalIndex, at < 0 ? _position : at, field);

    /// <summary>u(n): the next <paramref name="count"/> bits (0–32) as an unsigned number, MSB first (§7.2).</summary>
    /// <exception cref="H264FormatException">Fewer than <paramref name="count"/> bits are left.</exception>
    public uint ReadBits(int count, string field = "u(n)")
    {
        #region lab M2: check count is 0–32 and that enough bits are left (else Error("... cut short", field)); then take bit (7 - position % 8) of byte position / 8, count times, shifting each into the result — README §Bit reader
        if (count is < 0 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "u(n) reads 0 to 32 bits.");
        }

        if (count > BitsLeft)
        {
            throw Error($"The NAL unit is cut short: {field} needs {count} bits, {BitsLeft} left", field);
        }

        ulong value = 0;
        for (int i = 0; i < count; i++)
        {
            int bit = (_data[(int)(_position >> 3)] >> (7 - (int)(_position & 7))) & 1;
            value = (value << 1) | (uint)bit;
            _position++;
        }

        return (uint)value;
        #endregion
    }

    /// <summary>u(1) as a flag.</summary>
    public bool ReadFlag(string field = "u(1)") => ReadBits(1, field) == 1;

    /// <summary>
    /// ue(v), unsigned Exp-Golomb (§9.1): count leading zero bits up to the first 1 (at most 31), then
    /// read that many bits: value = 2^leadingZeros − 1 + those bits.
    /// </summary>
    /// <exception cref="H264FormatException">More than 31 leading zeros (the value would not fit 32 bits), or the data ends.</exception>
    public uint ReadUe(string field = "ue(v)")
    {
        #region lab M2: remember where the code starts; count zeros until a 1 (more than 31 → Error at the start position); value = (1 << zeros) − 1 + ReadBits(zeros) — README §Exp-Golomb
        long start = _position;
        int leadingZeros = 0;
        while (true)
        {
            if (BitsLeft == 0)
            {
                throw Error($"The NAL unit is cut short inside the Exp-Golomb code of {field} (after {leadingZeros} leading zeros)", field, start);
            }

            if (ReadBits(1, field) == 1)
            {
                break;
            }

            if (++leadingZeros > 31)
            {
                throw Error($"{field}: an Exp-Golomb code with more than 31 leading zeros does not fit 32 bits (§9.1)", field, start);
            }
        }

        if (BitsLeft < leadingZeros)
        {
            throw Error($"The NAL unit is cut short inside the Exp-Golomb code of {field}", field, start);
        }

        return (uint)((1UL << leadingZeros) - 1 + ReadBits(leadingZeros, field));
        #endregion
    }

    /// <summary>se(v), signed Exp-Golomb (§9.1.1): codeNum k maps to (−1)^(k+1) · ⌈k ÷ 2⌉: 0, 1, −1, 2, −2, …</summary>
    public int ReadSe(string field = "se(v)")
    {
        #region lab M2: k = ReadUe(field); odd k → +(k + 1) / 2, even k → −(k / 2) (Table 9-3) — README §Exp-Golomb
        uint k = ReadUe(field);
        long magnitude = ((long)k + 1) / 2;
        return (int)((k & 1) == 1 ? magnitude : -magnitude);
        #endregion
    }

    /// <summary>
    /// more_rbsp_data() (§7.2): true when syntax elements come before the rbsp_trailing_bits, i.e. the
    /// current position is before the last 1 bit of the payload (the rbsp_stop_one_bit).
    /// </summary>
    public readonly bool MoreRbspData()
    {
        #region lab M2: find the last non-zero byte and its lowest set bit: that is rbsp_stop_one_bit; there is more data when the position is before it (no 1 bit at all → false) — README §Bit reader
        int last = _data.LastIndexOfAnyExcept((byte)0);
        if (last < 0)
        {
            return false;
        }

        int trailingZeros = System.Numerics.BitOperations.TrailingZeroCount(_data[last]);
        long stopBit = last * 8L + 7 - trailingZeros;
        return _position < stopBit;
        #endregion
    }

    /// <summary>rbsp_trailing_bits() (§7.3.2.11): a 1 (rbsp_stop_one_bit), then zeros to the byte boundary.</summary>
    /// <exception cref="H264FormatException">The stop bit is 0, or an alignment bit is 1.</exception>
    public void ReadTrailingBits()
    {
        #region lab M2: read rbsp_stop_one_bit (must be 1), then rbsp_alignment_zero_bit (0) until byte-aligned; anything else is an Error naming that bit
        if (ReadBits(1, "rbsp_stop_one_bit") != 1)
        {
            throw Error("rbsp_stop_one_bit is 0: the syntax before it was not read as the encoder wrote it", "rbsp_stop_one_bit", _position - 1);
        }

        while (!IsByteAligned)
        {
            if (ReadBits(1, "rbsp_alignment_zero_bit") != 0)
            {
                throw Error("rbsp_alignment_zero_bit is 1", "rbsp_alignment_zero_bit", _position - 1);
            }
        }
        #endregion
    }

    /// <summary>Skips <paramref name="count"/> bits.</summary>
    public void SkipBits(long count, string field = "skipped bits")
    {
        if (count < 0 || count > BitsLeft)
        {
            throw Error($"The NAL unit is cut short: {field} needs {count} bits, {BitsLeft} left", field);
        }

        _position += count;
    }
}
