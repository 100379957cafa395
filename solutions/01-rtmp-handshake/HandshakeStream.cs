namespace Lab01.RtmpHandshake;

#region lab-remove
/// <summary>Reading whole handshake packets from a stream, and the checks both sides share.</summary>
internal static class HandshakeStream
{
    /// <summary>The offset of C1/S1 in the bytes a peer sends (after the 1-byte C0/S0, §5.2.2).</summary>
    public const int FirstPacketOffset = 1;

    /// <summary>The offset of C2/S2 in the bytes a peer sends (after C0/S0 and C1/S1).</summary>
    public const int SecondPacketOffset = 1 + Handshake.PacketSize;

    /// <summary>
    /// Fills <paramref name="buffer"/> exactly: a network read may return any number of bytes from 1 up,
    /// and reading more than the packet would swallow what the peer sends next.
    /// </summary>
    public static async Task ReadPacketAsync(Stream stream, Memory<byte> buffer, string packet, long offset, CancellationToken cancellationToken)
    {
        int received = 0;
        while (received < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer[received..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new HandshakeException(packet, null, offset + received,
                    $"The peer closed the connection after {received} of the {buffer.Length} bytes of {packet} (at offset {offset + received} of the handshake).");
            }

            received += n;
        }
    }

    /// <summary>Checks a C0/S0 version byte (§5.2.2).</summary>
    public static void CheckVersion(byte version, string packet)
    {
        if (version == Handshake.RtmpVersion)
        {
            return;
        }

        string why = version switch
        {
            6 => " (6 is RTMPE, encrypted RTMP, which this lab does not speak)",
            (byte)'G' or (byte)'P' => $" (0x{version:x2} is '{(char)version}': this looks like an HTTP request, not RTMP)",
            < 3 => " (versions 0–2 are early proprietary versions, deprecated by the spec)",
            _ => "",
        };
        throw new HandshakeException(packet, "version", 0,
            $"{packet} version byte is {version} (0x{version:x2}); RTMP 1.0 requires {Handshake.RtmpVersion}{why}.");
    }

    /// <summary>Fails when the random echo in <paramref name="echo"/> (a C2/S2) differs from the random field this side sent in <paramref name="sent"/>.</summary>
    public static void CheckRandomEcho(ReadOnlySpan<byte> echo, ReadOnlySpan<byte> sent, string packet, string ourPacket)
    {
        var expected = sent.Slice(Handshake.RandomOffset, Handshake.RandomSize);
        var actual = echo.Slice(Handshake.RandomOffset, Handshake.RandomSize);
        int same = expected.CommonPrefixLength(actual);
        if (same < Handshake.RandomSize)
        {
            int at = Handshake.RandomOffset + same;
            throw new HandshakeException(packet, "random echo", SecondPacketOffset + at,
                $"{packet} must echo the random field of {ourPacket}; byte {at} of {packet} is 0x{echo[at]:x2} but {ourPacket} had 0x{sent[at]:x2} there.");
        }
    }

    /// <summary>The local millisecond clock, as the 4-byte time field (§5.2.3).</summary>
    public static uint Now() => unchecked((uint)Environment.TickCount64);
}
#endregion
