using System.Buffers;
using BenchmarkDotNet.Attributes;
using Lab02.RtmpChunks;

namespace Lab02.Benchmarks;

/// <summary>
/// The media ffmpeg published (testdata/02-rtmp-chunks/ffmpeg-publish.c2s.bin), looped with growing
/// timestamps to about 16 MB of chunks at chunk size 128 (ffmpeg's default) and 4096 (what a server
/// usually sets): reassembly with <see cref="ChunkReader"/> against a plain copy of the same bytes
/// (the lower bound: every payload byte must be copied once). Per op: the whole stream.
/// </summary>
[MemoryDiagnoser]
public class ChunkBenchmarks
{
    public const int Size = 16 << 20;

    private byte[] _stream = [];
    private byte[] _copy = [];

    [Params(128, 4096)]
    public int ChunkSize { get; set; } = 128;

    /// <summary>How many messages the stream holds (for messages/s).</summary>
    public int Messages { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var media = Corpus.PublishedMedia();
        var writer = new ChunkWriter();
        var output = new ArrayBufferWriter<byte>(Size + (1 << 20));
        writer.Write(ProtocolControl.ChunkStreamId, ProtocolControl.SetChunkSize(ChunkSize), output);
        writer.SetChunkSize(ChunkSize);
        uint offset = 0;
        int count = 1;
        while (output.WrittenCount < Size)
        {
            foreach (var m in media)
            {
                writer.Write(m.ChunkStreamId, new RtmpMessage(m.TypeId, m.Timestamp + offset, m.MessageStreamId, m.Payload), output);
                count++;
            }

            offset += 2100; // the clip lasts 2.08 s: the next copy follows it
        }

        _stream = output.WrittenSpan.ToArray();
        _copy = new byte[_stream.Length];
        Messages = count;
        Console.WriteLine($"// {ChunkSize}: {_stream.Length} bytes, {count} messages");
    }

    [Benchmark(Baseline = true)]
    public int Copy()
    {
        _stream.AsSpan().CopyTo(_copy);
        return _copy[^1];
    }

    [Benchmark]
    public int Reassemble()
    {
        var reader = new ChunkReader();
        var input = _stream.AsSpan();
        int messages = 0;
        while (!input.IsEmpty && reader.TryReadChunk(input, out int consumed, out var message))
        {
            input = input[consumed..];
            if (message is not null)
            {
                messages++;
            }
        }

        return messages;
    }
}

/// <summary>AMF0: decoding ffmpeg's connect command (140 bytes) and its onMetaData (309 bytes).</summary>
[MemoryDiagnoser]
public class Amf0Benchmarks
{
    private byte[] _connect = [];
    private byte[] _metadata = [];

    [GlobalSetup]
    public void Setup()
    {
        var messages = Corpus.PublishedMessages();
        _connect = messages.First(m => m.TypeId == MessageType.CommandAmf0).Payload.ToArray();
        _metadata = messages.First(m => m.TypeId == MessageType.DataAmf0).Payload.ToArray();
    }

    [Benchmark]
    public int DecodeConnect() => Amf0.DecodeAll(_connect).Count;

    [Benchmark]
    public int DecodeMetadata() => Amf0.DecodeAll(_metadata).Count;
}

internal static class Corpus
{
    /// <summary>Every message of ffmpeg's publish capture, read once with the reference reader.</summary>
    public static List<RtmpMessage> PublishedMessages()
    {
        var bytes = File.ReadAllBytes(Path.Combine(FindRoot(), "testdata", "02-rtmp-chunks", "ffmpeg-publish.c2s.bin")).AsSpan(1 + 2 * 1536);
        var reader = new ChunkReader();
        var messages = new List<RtmpMessage>();
        while (!bytes.IsEmpty && reader.TryReadChunk(bytes, out int consumed, out var message))
        {
            bytes = bytes[consumed..];
            if (message is not null)
            {
                messages.Add(message);
            }
        }

        return messages;
    }

    /// <summary>The audio, video and data messages of the capture.</summary>
    public static List<RtmpMessage> PublishedMedia() =>
        [.. PublishedMessages().Where(m => m.TypeId is MessageType.Audio or MessageType.Video or MessageType.DataAmf0)];

    private static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Labs.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run the benchmarks inside the workbook's repository (the folder with Labs.sln).");
    }
}
