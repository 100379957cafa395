using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Lab07.H264Bitstream.Tests;

/// <summary>
/// The committed oracles in testdata/07-h264-bitstream (made by make.sh there): the streams, and what
/// ffprobe (-show_streams, -show_frames, -show_packets) and ffmpeg's trace_headers bitstream filter say
/// about them. Read here with no help from the lab's code.
/// </summary>
internal static partial class Oracle
{
    /// <summary>Every stream of the suite, by name (file name without .h264).</summary>
    public static readonly string[] Streams = ["baseline", "main-b", "high", "cavlc-high", "1080p", "slices", "open-gop", "high422", "high444", "mbaff", "features", "no-recovery", "paff"];

    public static string PathOf(string name, string extension = ".h264") => Repo.TestData($"07-h264-bitstream/{name}{extension}");

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public static Trace TraceOf(string name) => Trace.Parse(File.ReadAllLines(PathOf(name, ".trace.txt")));

    public static JsonElement StreamOf(string name) =>
        JsonDocument.Parse(File.ReadAllText(PathOf(name, ".streams.json"))).RootElement.GetProperty("streams")[0];

    /// <summary>ffprobe's frames, in the order the decoder outputs them (display order).</summary>
    public static List<(string PictType, bool KeyFrame, int CodedNumber, int PacketSize)> FramesOf(string name) =>
        [.. JsonDocument.Parse(File.ReadAllText(PathOf(name, ".frames.json"))).RootElement.GetProperty("frames").EnumerateArray()
            .Select(f => (f.GetProperty("pict_type").GetString()!, f.GetProperty("key_frame").GetInt32() == 1,
                          f.GetProperty("coded_picture_number").GetInt32(), int.Parse(f.GetProperty("pkt_size").GetString()!, CultureInfo.InvariantCulture)))];

    /// <summary>ffprobe's interlaced_frame and top_field_first of each frame, in display order (as <see cref="FramesOf"/>).</summary>
    public static List<(bool Interlaced, bool TopFieldFirst)> FieldOrderOf(string name) =>
        [.. JsonDocument.Parse(File.ReadAllText(PathOf(name, ".frames.json"))).RootElement.GetProperty("frames").EnumerateArray()
            .Select(f => (f.GetProperty("interlaced_frame").GetInt32() == 1, f.GetProperty("top_field_first").GetInt32() == 1))];

    /// <summary>ffprobe's packets (access units) in decode order: size in bytes and key flag.</summary>
    public static List<(int Size, bool Key)> PacketsOf(string name) =>
        [.. JsonDocument.Parse(File.ReadAllText(PathOf(name, ".packets.json"))).RootElement.GetProperty("packets").EnumerateArray()
            .Select(p => (int.Parse(p.GetProperty("size").GetString()!, CultureInfo.InvariantCulture), p.GetProperty("flags").GetString()!.Contains('K')))];
}

/// <summary>One syntax element as trace_headers printed it: bit position in the RBSP, name, value, and how many bits it took.</summary>
internal sealed record TraceField(long Position, string Name, long Value, int Length);

/// <summary>One syntax structure (an SPS, a PPS, a slice header, an SEI) and its fields in order.</summary>
internal sealed class TraceBlock(string title)
{
    public string Title { get; } = title;

    public List<TraceField> Fields { get; } = [];

    /// <summary>Sub-headings inside the block ("User Data Unregistered", "Recovery Point").</summary>
    public List<string> Headings { get; } = [];

    public int NalUnitType => (int)Value("nal_unit_type");

    public bool Has(string name) => Fields.Any(f => f.Name == name);

    public long Value(string name) => (Fields.FirstOrDefault(f => f.Name == name)
        ?? throw new InvalidOperationException($"trace_headers has no {name} in this {Title}")).Value;

    public long? ValueOrNull(string name) => Fields.FirstOrDefault(f => f.Name == name)?.Value;

    public IEnumerable<long> Values(string name) => Fields.Where(f => f.Name == name).Select(f => f.Value);

    public long PositionOf(string name) => Fields.First(f => f.Name == name).Position;
}

/// <summary>One packet (access unit) of the trace: its size, key flag, NAL units and their syntax blocks.</summary>
internal sealed class TracePacket
{
    public int Size { get; init; }

    public bool Key { get; init; }

    public List<(int Type, int RefIdc)> Nals { get; } = [];

    public List<TraceBlock> Blocks { get; } = [];
}

/// <summary>A parsed trace_headers dump.</summary>
internal sealed partial class Trace
{
    public List<TracePacket> Packets { get; } = [];

    /// <summary>Every syntax block of every packet (the extradata copy at the top is left out).</summary>
    public IEnumerable<TraceBlock> Blocks => Packets.SelectMany(p => p.Blocks);

    public IEnumerable<TraceBlock> BlocksTitled(string title) => Blocks.Where(b => b.Title == title);

    [GeneratedRegex(@"^(\d+)\s+(\S+)\s+([01]+)\s+=\s+(-?\d+)$")]
    private static partial Regex FieldLine();

    [GeneratedRegex(@"^nal_unit_type: (\d+)\(.*\), nal_ref_idc: (\d)$")]
    private static partial Regex NalLine();

    [GeneratedRegex(@"^Packet: (\d+) bytes(, key frame)?")]
    private static partial Regex PacketLine();

    public static Trace Parse(string[] lines)
    {
        var trace = new Trace();
        TracePacket? packet = null; // null while in the Extradata section
        TraceBlock? block = null;
        string lastTitle = "";
        foreach (var line in lines)
        {
            if (PacketLine().Match(line) is { Success: true } p)
            {
                packet = new TracePacket { Size = int.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture), Key = p.Groups[2].Success };
                trace.Packets.Add(packet);
                block = null;
            }
            else if (NalLine().Match(line) is { Success: true } n)
            {
                packet?.Nals.Add((int.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(n.Groups[2].Value, CultureInfo.InvariantCulture)));
            }
            else if (FieldLine().Match(line) is { Success: true } f)
            {
                var field = new TraceField(long.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture), f.Groups[2].Value, long.Parse(f.Groups[4].Value, CultureInfo.InvariantCulture), f.Groups[3].Value.Length);
                if (field.Name == "forbidden_zero_bit")
                {
                    block = new TraceBlock(lastTitle);
                    packet?.Blocks.Add(block);
                }

                block?.Fields.Add(field);
            }
            else
            {
                lastTitle = line.Trim();
                block?.Headings.Add(lastTitle);
            }
        }

        return trace;
    }
}

/// <summary>Bit strings written by hand from the spec's tables, e.g. "1 010 011" (spaces ignored), padded with zeros.</summary>
internal static class Bits
{
    public static byte[] Of(string bits)
    {
        var clean = bits.Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        var bytes = new byte[(clean.Length + 7) / 8];
        for (int i = 0; i < clean.Length; i++)
        {
            if (clean[i] == '1')
            {
                bytes[i / 8] |= (byte)(0x80 >> (i % 8));
            }
        }

        return bytes;
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
