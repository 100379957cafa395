using System.Buffers.Binary;

namespace Lab01.RtmpHandshake;

/// <summary>
/// C2 (client to server) or S2 (server to client): the echo of the peer's S1 or C1
/// (Adobe RTMP specification 1.0, §5.2.4).
/// <code>
/// offset  size  field
///      0     4  time         the time the peer sent in its S1/C1, echoed
///      4     4  time2        when this side read the peer's S1/C1 (its own clock)
///      8  1528  random echo  the peer's random field, byte for byte
/// </code>
/// </summary>
public readonly struct C2S2Packet
{
    /// <summary>Creates a packet; <paramref name="randomEcho"/> must be exactly <see cref="Handshake.RandomSize"/> bytes.</summary>
    public C2S2Packet(uint time, uint time2, ReadOnlyMemory<byte> randomEcho)
    {
        if (randomEcho.Length != Handshake.RandomSize)
        {
            throw new ArgumentException($"The random echo is {Handshake.RandomSize} bytes (RTMP §5.2.4); got {randomEcho.Length}.", nameof(randomEcho));
        }

        Time = time;
        Time2 = time2;
        RandomEcho = randomEcho;
    }

    /// <summary>Bytes 0–3: the peer's C1/S1 time, echoed (§5.2.4).</summary>
    public uint Time { get; }

    /// <summary>Bytes 4–7: when the peer's C1/S1 was read (§5.2.4).</summary>
    public uint Time2 { get; }

    /// <summary>Bytes 8–1535: the peer's C1/S1 random field, echoed (§5.2.4).</summary>
    public ReadOnlyMemory<byte> RandomEcho { get; }

    /// <summary>The answer to <paramref name="peer"/>: its time and random field echoed, with <paramref name="time2"/> the moment it was read.</summary>
    public static C2S2Packet EchoOf(C1S1Packet peer, uint time2)
    {
        throw new NotImplementedException("Lab 01 · M1: copy the peer's time and random field, and put time2 between them — README §C2");
    }

    /// <summary>Writes the 1536 bytes of the packet to the start of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 1536 bytes.</exception>
    public void Write(Span<byte> destination)
    {
        throw new NotImplementedException("Lab 01 · M1: write time, time2 (4 bytes big-endian each) and the 1528-byte random echo; throw ArgumentException if destination is shorter than 1536 — README §C2");
    }

    /// <summary>Reads a packet from the first 1536 bytes of <paramref name="source"/>; the echo is copied.</summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is shorter than 1536 bytes.</exception>
    public static C2S2Packet Parse(ReadOnlySpan<byte> source)
    {
        throw new NotImplementedException("Lab 01 · M1: read time and time2 (big-endian) and copy the 1528-byte random echo; throw ArgumentException if source is shorter than 1536 — README §C2");
    }
}
