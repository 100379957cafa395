namespace Lab05.Hls;

/// <summary>One PES packet put back together from its transport packets.</summary>
/// <param name="Pid">The PID it came on.</param>
/// <param name="Offset">The byte offset of the transport packet where it started (payload_unit_start_indicator).</param>
/// <param name="Header">Its PES header: stream_id, PTS, DTS.</param>
/// <param name="RandomAccess">random_access_indicator was set on its first packet.</param>
/// <param name="Payload">The elementary stream bytes after the PES header.</param>
public sealed record TsPes(int Pid, long Offset, PesHeader Header, bool RandomAccess, ReadOnlyMemory<byte> Payload);

/// <summary>A continuity_counter that did not follow the previous packet of its PID: a lost (or inserted) packet.</summary>
/// <param name="Offset">The byte offset of the packet whose counter is wrong.</param>
/// <param name="Pid">Its PID.</param>
/// <param name="Expected">The previous packet's counter + 1, modulo 16.</param>
/// <param name="Actual">The counter it has.</param>
public readonly record struct ContinuityError(long Offset, int Pid, int Expected, int Actual);

/// <summary>A PCR as the reader found it: where, on which PID, and its value in 27 MHz ticks.</summary>
public readonly record struct PcrSample(long Offset, int Pid, long Value);

/// <summary>What <see cref="TsReader.Read"/> found in a transport stream.</summary>
/// <param name="PacketCount">188-byte packets read.</param>
/// <param name="Pat">The program association table (the first one).</param>
/// <param name="Pmt">The program map table of the first program (the first one).</param>
/// <param name="Pes">Every PES packet of the PMT's elementary streams, in stream order.</param>
/// <param name="ContinuityErrors">Every continuity_counter jump, with its offset.</param>
/// <param name="Pcrs">Every PCR.</param>
/// <param name="Pids">The packet count per PID.</param>
public sealed record TsStream(
    int PacketCount,
    ProgramAssociationTable? Pat,
    ProgramMapTable? Pmt,
    IReadOnlyList<TsPes> Pes,
    IReadOnlyList<ContinuityError> ContinuityErrors,
    IReadOnlyList<PcrSample> Pcrs,
    IReadOnlyDictionary<int, int> Pids);
