using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Lab01.RtmpHandshake.Tests;

/// <summary>
/// Expected values written from the spec (Adobe RTMP specification 1.0, §5.2) and from ffmpeg's
/// libavformat/rtmpproto.c, independently of the lab's code.
/// </summary>
internal static class Spec
{
    public const int PacketSize = 1536;   // §5.2.3
    public const int RandomSize = 1528;   // §5.2.3: 1536 − time (4) − zero (4)
    public const uint FfmpegClientVersion = 0x09_00_7C_02; // RTMP_CLIENT_VER1..4 in rtmpproto.c: 9.0.124.2

    private static readonly byte[] KeyTail = Convert.FromHexString("F0EEC24A8068BEE82E00D0D1029E7E576EEC5D2D29806FAB93B8E636CFEB31AE");
    public static readonly byte[] PlayerKey = [.. Encoding.ASCII.GetBytes("Genuine Adobe Flash Player 001"), .. KeyTail];
    public static readonly byte[] ServerKey = [.. Encoding.ASCII.GetBytes("Genuine Adobe Flash Media Server 001"), .. KeyTail];

    /// <summary>1536 bytes: time, zero, and a recognisable random pattern.</summary>
    public static byte[] C1(uint time, uint zero, int seed = 1)
    {
        var bytes = new byte[PacketSize];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, time);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), zero);
        new Random(seed).NextBytes(bytes.AsSpan(8));
        return bytes;
    }

    /// <summary>The plain answer to a C1/S1: time echoed, time2, random echoed (§5.2.4).</summary>
    public static byte[] EchoOf(ReadOnlySpan<byte> peer, uint time2)
    {
        var bytes = peer[..PacketSize].ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), time2);
        return bytes;
    }

    public static uint Time(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt32BigEndian(packet);

    public static uint Second(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);

    // ---- the Flash-style digest, README §Digest ----

    public static int DigestOffset(ReadOnlySpan<byte> packet, int scheme)
    {
        int at = scheme == 0 ? 8 : 772;
        return (packet[at] + packet[at + 1] + packet[at + 2] + packet[at + 3]) % 728 + at + 4;
    }

    public static byte[] Digest(ReadOnlySpan<byte> packet, int offset, byte[] key)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(packet[..offset]);
        hmac.AppendData(packet[(offset + 32)..PacketSize]);
        return hmac.GetHashAndReset();
    }

    /// <summary>The scheme (0 or 1) under which the packet carries a valid digest for the key, or -1.</summary>
    public static int FindDigest(ReadOnlySpan<byte> packet, byte[] key)
    {
        for (int scheme = 0; scheme < 2; scheme++)
        {
            int offset = DigestOffset(packet, scheme);
            if (Digest(packet, offset, key).AsSpan().SequenceEqual(packet.Slice(offset, 32)))
            {
                return scheme;
            }
        }

        return -1;
    }

    /// <summary>A Flash-style C1 as ffmpeg makes it: version 9.0.124.2 and a digest keyed with the player key's first 30 bytes.</summary>
    public static byte[] DigestC1(int scheme, uint time = 0, int seed = 7)
    {
        var bytes = C1(time, FfmpegClientVersion, seed);
        int offset = DigestOffset(bytes, scheme);
        Digest(bytes, offset, PlayerKey[..30]).CopyTo(bytes, offset);
        return bytes;
    }

    /// <summary>HMAC(HMAC(fullKey, peerDigest), response[0..1504]): the C2/S2 signature.</summary>
    public static byte[] Signature(ReadOnlySpan<byte> response, ReadOnlySpan<byte> peerDigest, byte[] fullKey) =>
        HMACSHA256.HashData(HMACSHA256.HashData(fullKey, peerDigest), response[..(PacketSize - 32)]);

    // ---- after the handshake: the first chunk (RTMP §5.3), enough to recognise `connect` ----

    /// <summary>
    /// A connect command in one chunk: fmt 0 on chunk stream 3 (§5.3.1.1), message type 20 = AMF0 command
    /// (§7.1.1), payload "connect", transaction 1, { app: "live" }.
    /// </summary>
    public static byte[] ConnectChunk()
    {
        byte[] payload =
        [
            0x02, 0x00, 0x07, .. "connect"u8,                         // AMF0 string "connect"
            0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0,                        // AMF0 number 1.0
            0x03, 0x00, 0x03, .. "app"u8, 0x02, 0x00, 0x04, .. "live"u8, // object { app: "live"
            0x00, 0x00, 0x09,                                          // } object end
        ];
        byte[] header =
        [
            0x03,                                                      // fmt 0, chunk stream id 3
            0, 0, 0,                                                   // timestamp
            0, 0, (byte)payload.Length,                                // message length
            20,                                                        // message type id: AMF0 command
            0, 0, 0, 0,                                                // message stream id (little-endian)
        ];
        return [.. header, .. payload];
    }

    /// <summary>Null when <paramref name="bytes"/> start with a fmt-0 chunk on stream 3 carrying an AMF0 'connect' command; else what is wrong.</summary>
    public static string? WhyNotConnect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 22)
        {
            return $"only {bytes.Length} bytes came after C2";
        }

        if (bytes[0] != 0x03)
        {
            return $"the first byte after C2 is 0x{bytes[0]:x2}; a connect chunk starts with 0x03 (fmt 0, chunk stream 3). Did you read too few or too many bytes of C2?";
        }

        if (bytes[7] != 20)
        {
            return $"the chunk's message type is {bytes[7]}; connect is an AMF0 command, type 20";
        }

        ReadOnlySpan<byte> connect = [0x02, 0x00, 0x07, .. "connect"u8];
        return bytes.Slice(12, connect.Length).SequenceEqual(connect) ? null : "the command is not 'connect'";
    }

    /// <summary>Reads up to <paramref name="count"/> bytes: stops early only when the peer closes.</summary>
    public static async Task<byte[]> ReadUpToAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        int got = 0;
        while (got < count)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(got), cancellationToken);
            if (n == 0)
            {
                break;
            }

            got += n;
        }

        return buffer[..got];
    }

    public static void CloseSending(NetworkStream stream) => stream.Socket.Shutdown(SocketShutdown.Send);
}
