using System.Buffers;

namespace Lab02.RtmpChunks.Tests;

/// <summary>Byte helpers for the tests: hex written from the spec, and reading every message out of a byte array.</summary>
internal static class Bytes
{
    /// <summary>Bytes from hex with any spaces: "02 000000 000004 01".</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));

    /// <summary>n bytes 0, 1, 2 ... (mod 251), so a shifted or dropped byte shows.</summary>
    public static byte[] Pattern(int n, int seed = 0) => Enumerable.Range(0, n).Select(i => (byte)((i + seed) % 251)).ToArray();

    /// <summary>Feeds <paramref name="stream"/> to <paramref name="reader"/> in pieces cut at <paramref name="cuts"/>, as a socket would deliver it, and returns every message.</summary>
    public static List<RtmpMessage> ReadAll(ChunkReader reader, byte[] stream, IEnumerable<int>? cuts = null)
    {
        var messages = new List<RtmpMessage>();
        var pending = new List<byte>();
        int previous = 0;
        foreach (int cut in (cuts ?? []).Append(stream.Length))
        {
            pending.AddRange(stream.AsSpan(previous, cut - previous).ToArray());
            previous = cut;
            while (true)
            {
                var span = pending.ToArray();
                if (span.Length == 0 || !reader.TryReadChunk(span, out int consumed, out var message))
                {
                    break;
                }

                Assert.True(consumed > 0, "TryReadChunk returned true but consumed 0 bytes. See README §Reassembly.");
                pending.RemoveRange(0, consumed);
                if (message is not null)
                {
                    messages.Add(message);
                }
            }
        }

        Assert.True(pending.Count == 0, $"{pending.Count} bytes were left unread at the end: the reader did not consume a whole chunk it had. See README §Reassembly.");
        return messages;
    }

    /// <summary>The bytes of a chunk stream a writer produces for several messages.</summary>
    public static byte[] Write(ChunkWriter writer, params (int Csid, RtmpMessage Message)[] messages)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var (csid, message) in messages)
        {
            writer.Write(csid, message, output);
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>Describes a message for assertions.</summary>
    public static string Describe(RtmpMessage m) => $"type {m.TypeId}, csid {m.ChunkStreamId}, msid {m.MessageStreamId}, timestamp {m.Timestamp}, {m.Payload.Length} bytes";

    /// <summary>Asserts a message's fields and payload.</summary>
    public static void AssertMessage(RtmpMessage actual, byte typeId, uint timestamp, uint streamId, byte[] payload, int csid, string what)
    {
        Assert.True(actual.TypeId == typeId && actual.Timestamp == timestamp && actual.MessageStreamId == streamId && actual.ChunkStreamId == csid,
            $"{what}: expected type {typeId}, csid {csid}, msid {streamId}, timestamp {timestamp}; got {Describe(actual)}. See README §Chunk headers.");
        HexDiff.AssertEqual(payload, actual.Payload.Span, $"{what}: the payload", "README §Reassembly");
    }

    /// <summary>The chunk bytes ffmpeg sent after the handshake (testdata/02-rtmp-chunks, made by make.sh).</summary>
    public static byte[] Capture(string name) => File.ReadAllBytes(Repo.TestData("02-rtmp-chunks/" + name))[3073..];
}
