namespace Lab07.H264Bitstream;

/// <summary>
/// The one exception the lab throws for a stream that breaks the H.264 syntax (ITU-T H.264 §7):
/// a NAL unit cut short, a forbidden bit set, an Exp-Golomb code longer than 32 bits, a value out of
/// the range the spec allows, a reference to a parameter set that was never sent.
/// </summary>
/// <remarks>
/// <see cref="BitOffset"/> counts bits from the first bit of the NAL unit header in the RBSP, the
/// bytes after emulation prevention is removed (§7.4.1) — the same positions ffmpeg's
/// <c>trace_headers</c> prints. For errors in the byte stream itself (Annex B, AVCC) it is the byte
/// offset in the stream times 8.
/// </remarks>
public sealed class H264FormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, in words.</param>
    /// <param name="nalIndex">Which NAL unit of the stream (0-based), or -1 when not known.</param>
    /// <param name="bitOffset">Where: the bit position in the NAL unit's RBSP (or in the byte stream).</param>
    /// <param name="field">The syntax element being read ("pic_width_in_mbs_minus1"), or null.</param>
    public H264FormatException(string message, int nalIndex, long bitOffset, string? field = null)
        : base(Describe(message, nalIndex, bitOffset, field))
    {
        NalIndex = nalIndex;
        BitOffset = bitOffset;
        Field = field;
    }

    /// <summary>The NAL unit's index in the stream (0-based), or -1 when not known.</summary>
    public int NalIndex { get; }

    /// <summary>The bit position where the problem is (see the remarks).</summary>
    public long BitOffset { get; }

    /// <summary>The syntax element being read, or null.</summary>
    public string? Field { get; }

    /// <summary>The same error, now saying which NAL unit of the stream it is in.</summary>
    public H264FormatException WithNalIndex(int nalIndex) =>
        NalIndex == nalIndex ? this : new H264FormatException(Bare(), nalIndex, BitOffset, Field);

    private string Bare()
    {
        int at = Message.IndexOf(" [", StringComparison.Ordinal);
        return at < 0 ? Message : Message[..at];
    }

    private static string Describe(string message, int nalIndex, long bitOffset, string? field) =>
        $"{message} [{(nalIndex >= 0 ? $"NAL #{nalIndex}, " : "")}bit {bitOffset}{(field is null ? "" : ", " + field)}]";
}
