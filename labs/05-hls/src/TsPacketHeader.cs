namespace Lab05.Hls;

/// <summary>What follows the 4-byte header of a transport packet (ISO/IEC 13818-1 §2.4.3.3, Table 2-5).</summary>
public enum AdaptationFieldControl : byte
{
    /// <summary>'00': reserved; a decoder discards the packet.</summary>
    Reserved = 0,

    /// <summary>'01': payload only.</summary>
    PayloadOnly = 1,

    /// <summary>'10': adaptation field only, no payload.</summary>
    AdaptationFieldOnly = 2,

    /// <summary>'11': an adaptation field, then the payload.</summary>
    AdaptationFieldAndPayload = 3,
}

/// <summary>
/// The 4-byte header of a 188-byte transport packet (ISO/IEC 13818-1 §2.4.3.2, Table 2-2):
/// <code>
/// sync_byte 8 (0x47) | transport_error_indicator 1 | payload_unit_start_indicator 1 | transport_priority 1 | PID 13
/// transport_scrambling_control 2 | adaptation_field_control 2 | continuity_counter 4
/// </code>
/// </summary>
/// <param name="Pid">The packet identifier, 13 bits: 0x0000 the PAT, others as the PAT and PMT say.</param>
/// <param name="PayloadUnitStart">The payload starts a PES packet, or (PSI) carries a pointer_field before a section start.</param>
/// <param name="AdaptationField">Whether an adaptation field, a payload or both follow.</param>
/// <param name="ContinuityCounter">4 bits, counting up per PID with every packet that has a payload (§2.4.3.3).</param>
/// <param name="TransportError">transport_error_indicator: a demodulator saw an uncorrectable error.</param>
public readonly record struct TsPacketHeader(int Pid, bool PayloadUnitStart, AdaptationFieldControl AdaptationField, int ContinuityCounter, bool TransportError = false)
{
    /// <summary>The size of every transport packet (§2.4.3.2).</summary>
    public const int PacketSize = 188;

    /// <summary>The size of the packet header.</summary>
    public const int Size = 4;

    /// <summary>sync_byte, the first byte of every packet (§2.4.3.3).</summary>
    public const byte SyncByte = 0x47;

    /// <summary>The largest PID (13 bits); 0x1FFF is the null packet.</summary>
    public const int MaxPid = 0x1FFF;

    /// <summary>Whether a payload follows the header (and the adaptation field, if any).</summary>
    public bool HasPayload => AdaptationField is AdaptationFieldControl.PayloadOnly or AdaptationFieldControl.AdaptationFieldAndPayload;

    /// <summary>Whether an adaptation field follows the header.</summary>
    public bool HasAdaptationField => AdaptationField is AdaptationFieldControl.AdaptationFieldOnly or AdaptationFieldControl.AdaptationFieldAndPayload;

    /// <summary>Writes the 4 bytes (transport_priority 0, transport_scrambling_control '00': not scrambled).</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"A transport packet header needs {Size} bytes.", nameof(destination));
        }

        throw new NotImplementedException("Lab 05 · M1: byte 0 the sync byte; byte 1 transport_error_indicator, payload_unit_start_indicator, transport_priority (0) and the top 5 bits of the PID; byte 2 the low 8 bits of the PID; byte 3 scrambling '00', adaptation_field_control (2 bits), continuity_counter (4 bits) — README §Packets");
    }

    /// <summary>Reads the 4 bytes at the start of <paramref name="packet"/>; <paramref name="offset"/> is the packet's offset, for errors.</summary>
    /// <exception cref="HlsFormatException">Fewer than 4 bytes, or no sync byte.</exception>
    public static TsPacketHeader Parse(ReadOnlySpan<byte> packet, long offset)
    {
        throw new NotImplementedException("Lab 05 · M2: check there are 4 bytes and the sync byte, then take the fields back out of bytes 1–3 — README §Packets");
    }
}
