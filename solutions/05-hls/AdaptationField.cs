using System.Buffers.Binary;

namespace Lab05.Hls;

/// <summary>
/// The adaptation field between a packet's header and its payload (ISO/IEC 13818-1 §2.4.3.4, Table 2-6). The muxer
/// uses it for two things: to carry the PCR, and to stuff a packet whose payload is shorter than 184 bytes so that
/// every packet is still 188 bytes.
/// <code>
/// adaptation_field_length 8  (bytes after this one; 0 = this byte alone is the stuffing)
/// discontinuity_indicator 1 | random_access_indicator 1 | elementary_stream_priority_indicator 1 | PCR_flag 1
/// OPCR_flag 1 | splicing_point_flag 1 | transport_private_data_flag 1 | adaptation_field_extension_flag 1
/// [program_clock_reference_base 33 | reserved 6 | program_clock_reference_extension 9]   when PCR_flag
/// stuffing_byte 0xFF ...
/// </code>
/// </summary>
public static class AdaptationField
{
    /// <summary>The size of the PCR field (§2.4.3.4: 33 + 6 + 9 bits).</summary>
    public const int PcrSize = 6;

    /// <summary>The fewest bytes a field with flags takes: the length byte and the flags byte.</summary>
    public const int MinSizeWithFlags = 2;

    /// <summary>The PCR's system clock, 27 MHz (§2.4.2.2); its base counts 90 kHz (27 MHz / 300).</summary>
    public const long SystemClockFrequency = 27_000_000;

    /// <summary>The smallest whole field that carries these flags: 0 for none, 2 with flags only, 8 with a PCR.</summary>
    public static int MinimumSize(bool randomAccess, bool hasPcr) => hasPcr ? MinSizeWithFlags + PcrSize : randomAccess ? MinSizeWithFlags : 0;

    /// <summary>
    /// Writes an adaptation field of exactly <paramref name="size"/> bytes (the length byte included): the flags, the PCR
    /// when <paramref name="pcrBase"/> is given (in 90 kHz, extension 0), then stuffing bytes 0xFF up to the size.
    /// A size of 1 is the length byte 0 alone, the one-byte stuffing of §2.4.3.5.
    /// </summary>
    public static void Write(Span<byte> destination, int size, bool randomAccess, long? pcrBase)
    {
        if (size < 1 || size > destination.Length || size < MinimumSize(randomAccess, pcrBase.HasValue))
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"An adaptation field of {size} bytes cannot hold these flags here.");
        }

        #region lab M1: byte 0 = size - 1; if size is 1 stop; byte 1 = flags (random_access_indicator 0x40, PCR_flag 0x10); with a PCR write it (WritePcr) at byte 2; fill the rest with 0xFF — README §Adaptation field
        destination[0] = (byte)(size - 1);
        if (size == 1)
        {
            return;
        }

        destination[1] = (byte)((randomAccess ? 0x40 : 0) | (pcrBase.HasValue ? 0x10 : 0));
        int at = MinSizeWithFlags;
        if (pcrBase is long pcr)
        {
            WritePcr(destination[at..], pcr, 0);
            at += PcrSize;
        }

        destination[at..size].Fill(0xFF);
        #endregion
    }

    /// <summary>Writes the 6-byte PCR: a 33-bit base (90 kHz, taken modulo 2^33), 6 reserved bits set to 1, a 9-bit extension (0–299).</summary>
    public static void WritePcr(Span<byte> destination, long pcrBase, int extension)
    {
        #region lab M1: keep the low 33 bits of the base; bytes 0–3 are base bits 32..1; byte 4 is base bit 0, six reserved 1 bits and extension bit 8; byte 5 is extension bits 7..0 — README §PCR
        long b = pcrBase & PesHeader.TimestampMask;
        destination[0] = (byte)(b >> 25);
        destination[1] = (byte)(b >> 17);
        destination[2] = (byte)(b >> 9);
        destination[3] = (byte)(b >> 1);
        destination[4] = (byte)((int)(b & 1) << 7 | 0x7E | (extension >> 8 & 1));
        destination[5] = (byte)extension;
        #endregion
    }

    /// <summary>Reads a 6-byte PCR back as its value in 27 MHz ticks (base × 300 + extension).</summary>
    public static long ReadPcr(ReadOnlySpan<byte> source)
    {
        #region lab M2: the base is the first 33 bits, the extension the last 9; the value is base × 300 + extension — README §PCR
        long b = (long)BinaryPrimitives.ReadUInt32BigEndian(source) << 1 | (uint)(source[4] >> 7);
        int extension = (source[4] & 1) << 8 | source[5];
        return b * 300 + extension;
        #endregion
    }
}
