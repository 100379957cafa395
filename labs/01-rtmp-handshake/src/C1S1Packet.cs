using System.Buffers.Binary;

namespace Lab01.RtmpHandshake;

/// <summary>
/// C1 (client to server) or S1 (server to client): the 1536-byte packet that follows the version byte
/// (Adobe RTMP specification 1.0, §5.2.3).
/// <code>
/// offset  size  field
///      0     4  time    big-endian, the sender's epoch in milliseconds (may be 0)
///      4     4  zero    0 in the plain handshake; Flash-style peers put a version here (9.0.124.2)
///      8  1528  random  anything; the peer echoes it back in C2/S2
/// </code>
/// </summary>
public readonly struct C1S1Packet
{
    /// <summary>Creates a packet; <paramref name="random"/> must be exactly <see cref="Handshake.RandomSize"/> bytes.</summary>
    public C1S1Packet(uint time, uint zero, ReadOnlyMemory<byte> random)
    {
        if (random.Length != Handshake.RandomSize)
        {
            throw new ArgumentException($"The random field is {Handshake.RandomSize} bytes (RTMP §5.2.3); got {random.Length}.", nameof(random));
        }

        Time = time;
        Zero = zero;
        Random = random;
    }

    /// <summary>Bytes 0–3: the sender's timestamp, big-endian (§5.2.3).</summary>
    public uint Time { get; }

    /// <summary>Bytes 4–7: zero in the spec; a Flash-style peer's version number (§5.2.3).</summary>
    public uint Zero { get; }

    /// <summary>Bytes 8–1535: the random field (§5.2.3).</summary>
    public ReadOnlyMemory<byte> Random { get; }

    /// <summary>Writes the 1536 bytes of the packet to the start of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 1536 bytes.</exception>
    public void Write(Span<byte> destination)
    {
        throw new NotImplementedException("Lab 01 · M1: write time (4 bytes big-endian), zero (4 bytes big-endian) and the 1528 random bytes; throw ArgumentException if destination is shorter than 1536 — README §C1");
    }

    /// <summary>Reads a packet from the first 1536 bytes of <paramref name="source"/>; the random field is copied.</summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is shorter than 1536 bytes.</exception>
    public static C1S1Packet Parse(ReadOnlySpan<byte> source)
    {
        throw new NotImplementedException("Lab 01 · M1: read time and zero (big-endian) and copy the 1528 random bytes; throw ArgumentException if source is shorter than 1536 — README §C1");
    }
}
