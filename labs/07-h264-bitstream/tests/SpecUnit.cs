using System.Text;

namespace Lab07.H264Bitstream.Tests;

/// <summary>
/// A NAL unit written by hand from the spec's syntax tables (ITU-T H.264 §7.3), field by field, keeping its own
/// trace: each field's name, value, first bit and length — what trace_headers would print for it. Used for the
/// syntax the suite's x264/ffmpeg streams never contain (separate colour planes, POC type 1, FMO, SP/SI slices,
/// SPS scaling lists).
/// </summary>
internal sealed class SpecUnit
{
    private readonly StringBuilder _bits = new();

    /// <summary>Starts with the NAL unit header (§7.3.1): forbidden_zero_bit, nal_ref_idc, nal_unit_type.</summary>
    public SpecUnit(int nalRefIdc, int nalUnitType)
    {
        U(1, 0, "forbidden_zero_bit").U(2, nalRefIdc, "nal_ref_idc").U(5, nalUnitType, "nal_unit_type");
    }

    public TraceBlock Block { get; } = new("spec");

    public int BitCount => _bits.Length;

    /// <summary>u(n): n bits, most significant first (§7.2).</summary>
    public SpecUnit U(int n, long value, string name)
    {
        Block.Fields.Add(new TraceField(_bits.Length, name, value, n));
        for (int i = n - 1; i >= 0; i--)
        {
            _bits.Append(((value >> i) & 1) == 1 ? '1' : '0');
        }

        return this;
    }

    /// <summary>Bits that are written but not listed as a field (the test checks them separately).</summary>
    public SpecUnit Raw(string bits)
    {
        _bits.Append(bits);
        return this;
    }

    /// <summary>ue(v) (§9.1): n leading zeros, a 1, then the n low bits of codeNum + 1.</summary>
    public SpecUnit Ue(long codeNum, string name)
    {
        long start = _bits.Length;
        int n = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(codeNum + 1));
        _bits.Append('0', n);
        for (int i = n; i >= 0; i--)
        {
            _bits.Append((((codeNum + 1) >> i) & 1) == 1 ? '1' : '0');
        }

        Block.Fields.Add(new TraceField(start, name, codeNum, 2 * n + 1));
        return this;
    }

    /// <summary>se(v) (Table 9-3): k > 0 is codeNum 2k − 1, k ≤ 0 is codeNum −2k.</summary>
    public SpecUnit Se(long value, string name)
    {
        Ue(value > 0 ? 2 * value - 1 : -2 * value, name);
        var last = Block.Fields[^1];
        Block.Fields[^1] = last with { Value = value };
        return this;
    }

    /// <summary>Where the field named <paramref name="name"/> starts.</summary>
    public long PositionOf(string name) => Block.PositionOf(name);

    /// <summary>The NAL unit: the bits, rbsp_trailing_bits() (a 1, then zeros to the byte boundary), emulation prevention added.</summary>
    public byte[] Nal()
    {
        string bits = _bits.ToString() + "1";
        bits += new string('0', (8 - bits.Length % 8) % 8);
        return FieldErrors.Escape(Bits.Of(bits));
    }
}
