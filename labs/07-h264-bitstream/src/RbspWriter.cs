namespace Lab07.H264Bitstream;

/// <summary>
/// Writes the syntax elements of an RBSP (§7.2) most significant bit first — the mirror of
/// <see cref="RbspReader"/>: u(n), ue(v)/se(v) Exp-Golomb (§9.1), byte-aligned sample runs, and
/// rbsp_trailing_bits. The encoder of M6 builds its SPS, PPS and slices with it.
/// </summary>
/// <remarks>
/// What it writes is the RBSP, header byte included, with no emulation prevention:
/// <see cref="EmulationPrevention.ToNal"/> turns <see cref="ToArray"/> into the NAL unit's bytes.
/// </remarks>
public sealed class RbspWriter
{
    private byte[] _buffer;
    private long _position;

    /// <summary>An empty writer with room for <paramref name="capacity"/> bytes (it grows as needed).</summary>
    public RbspWriter(int capacity = 64)
    {
        _buffer = new byte[Math.Max(capacity, 16)];
    }

    /// <summary>The number of bits written so far.</summary>
    public long BitPosition => _position;

    /// <summary>True on a byte boundary (byte_aligned(), §7.2).</summary>
    public bool IsByteAligned => (_position & 7) == 0;

    /// <summary>u(n): the low <paramref name="count"/> bits (0–32) of <paramref name="value"/>, MSB first (§7.2).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is outside 0–32, or <paramref name="value"/> does not fit in it.</exception>
    public void WriteBits(uint value, int count)
    {
        throw new NotImplementedException("Lab 07 · M6: check count is 0–32 and value < 2^count (else ArgumentOutOfRangeException); then for i from count − 1 down to 0 set bit (7 − position % 8) of byte position / 8 to bit i of value, and advance — README §Bit writer");
    }

    /// <summary>u(1) from a flag.</summary>
    public void WriteFlag(bool flag) => WriteBits(flag ? 1u : 0u, 1);

    /// <summary>
    /// ue(v), unsigned Exp-Golomb (§9.1): codeNum + 1 in binary is n + 1 bits long; write n zeros, then
    /// those n + 1 bits. 0 → <c>1</c>, 1 → <c>010</c>, 2 → <c>011</c>, 3 → <c>00100</c>, 25 → <c>000011010</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is 2^32 − 1: its code would need 33 bits after the zeros.</exception>
    public void WriteUe(uint value)
    {
        throw new NotImplementedException("Lab 07 · M6: codeNum + 1 (as ulong) has n + 1 significant bits: write n zero bits, then codeNum + 1 in n + 1 bits (uint.MaxValue is an ArgumentOutOfRangeException: §9.1 stops at 31 leading zeros) — README §Exp-Golomb");
    }

    /// <summary>se(v), signed Exp-Golomb (§9.1.1, Table 9-3): 0, 1, −1, 2, −2, … are codeNums 0, 1, 2, 3, 4, ….</summary>
    public void WriteSe(int value)
    {
        throw new NotImplementedException("Lab 07 · M6: positive v → codeNum 2v − 1, zero or negative v → −2v (compute in long; int.MinValue does not fit: ArgumentOutOfRangeException); then WriteUe — Table 9-3");
    }

    /// <summary>Bytes written as they are (pcm_sample_luma/chroma with 8-bit samples are u(8) each); the writer must be byte-aligned.</summary>
    /// <exception cref="InvalidOperationException">The writer is not on a byte boundary.</exception>
    public void WriteAlignedBytes(ReadOnlySpan<byte> bytes)
    {
        if (!IsByteAligned)
        {
            throw new InvalidOperationException($"WriteAlignedBytes at bit {_position}: not on a byte boundary (write the alignment bits first).");
        }

        Reserve(bytes.Length * 8L);
        bytes.CopyTo(_buffer.AsSpan((int)(_position >> 3)));
        _position += bytes.Length * 8L;
    }

    /// <summary>Zero bits up to the next byte boundary (pcm_alignment_zero_bit, §7.3.5; nothing when aligned).</summary>
    public void WriteAlignmentZeroBits()
    {
        throw new NotImplementedException("Lab 07 · M6: write one 0 bit at a time until IsByteAligned");
    }

    /// <summary>rbsp_trailing_bits() (§7.3.2.11): rbsp_stop_one_bit (1), then rbsp_alignment_zero_bit (0) to the byte boundary.</summary>
    public void WriteTrailingBits()
    {
        throw new NotImplementedException("Lab 07 · M6: a 1 bit (rbsp_stop_one_bit), then WriteAlignmentZeroBits");
    }

    /// <summary>The bytes written; a partial last byte is padded with zero bits.</summary>
    public byte[] ToArray() => _buffer.AsSpan(0, (int)((_position + 7) >> 3)).ToArray();

    private void Reserve(long bits)
    {
        long bytesNeeded = (_position + bits + 7) >> 3;
        if (bytesNeeded > Array.MaxLength)
        {
            throw new InvalidOperationException("An RBSP larger than an array can hold.");
        }

        if (bytesNeeded > _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max(bytesNeeded, _buffer.Length * 2L)));
        }
    }
}
