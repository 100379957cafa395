using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workbook.Labs;

/// <summary>A lab's <c>lab.json</c>: what it is called, its milestones and what it needs.</summary>
public sealed record LabManifest
{
    /// <summary>Two digits: "01".</summary>
    public required string Id { get; init; }

    /// <summary>The folder name: "01-rtmp-handshake".</summary>
    public required string Slug { get; init; }

    public required string Title { get; init; }

    /// <summary>The roadmap's Chinese name for the topic.</summary>
    public string? TitleZh { get; init; }

    /// <summary>The project (and assembly) name shared by src and solution: "Lab01.RtmpHandshake".</summary>
    public required string Project { get; init; }

    /// <summary>Real tools the lab's tests use: "ffmpeg", "chromium", "node".</summary>
    public IReadOnlyList<string> Needs { get; init; } = [];

    public string? Notebook { get; init; }

    public required IReadOnlyList<Milestone> Milestones { get; init; }

    /// <summary>The lab's own tool, run by <c>workbook try</c>.</summary>
    public TryTool? Try { get; init; }

    /// <summary>Reads a lab.json, with a clear message when it is malformed.</summary>
    public static LabManifest Load(string path)
    {
        try
        {
            // Source-generated: every command reads every lab.json first, and the reflection-based reader costs ~0.1 s of start-up.
            return JsonSerializer.Deserialize(File.ReadAllText(path), LabManifestJson.Default.LabManifest)
                ?? throw new WorkbookException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new WorkbookException($"{path} is not a valid lab.json: {e.Message}");
        }
    }
}

/// <summary>One milestone: a small step, a week of study-group work at most.</summary>
public sealed record Milestone
{
    /// <summary>"M1": the first word of the tests' Milestone trait.</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }

    public int Points { get; init; }

    /// <summary>A stretch milestone is not needed to finish the lab; its points are a bonus.</summary>
    public bool Stretch { get; init; }

    /// <summary>"partial" (points in proportion to passed tests, the default) or "all-or-nothing".</summary>
    public string? Credit { get; init; }
}

/// <summary>How <c>workbook try NN</c> runs a lab's code as a tool.</summary>
public sealed record TryTool
{
    public required string Usage { get; init; }

    public required string Description { get; init; }

    /// <summary>The static class with <c>RunAsync(string[], TextWriter, CancellationToken)</c>; optional when named by convention.</summary>
    public string? Entry { get; init; }
}

/// <summary>The lab.json reader, generated at compile time (camelCase, comments and trailing commas allowed).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LabManifest))]
internal sealed partial class LabManifestJson : JsonSerializerContext;
