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
        // Read through JsonDocument, not JsonSerializer: every command reads a lab.json first, and the serializer's
        // first use costs ~40 ms of start-up (try is often a quick one-shot on a file).
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new WorkbookException($"{path} is not a valid lab.json: it is not a JSON object.");
            }

            return new LabManifest
            {
                Id = Required(root, "id", path),
                Slug = Required(root, "slug", path),
                Title = Required(root, "title", path),
                TitleZh = Optional(root, "titleZh"),
                Project = Required(root, "project", path),
                Needs = root.TryGetProperty("needs", out var needs) && needs.ValueKind == JsonValueKind.Array ? [.. needs.EnumerateArray().Select(n => n.GetString() ?? "")] : [],
                Notebook = Optional(root, "notebook"),
                Milestones = root.TryGetProperty("milestones", out var milestones) && milestones.ValueKind == JsonValueKind.Array
                    ? [.. milestones.EnumerateArray().Select(m => new Milestone
                    {
                        Id = Required(m, "id", path),
                        Title = Required(m, "title", path),
                        Points = m.TryGetProperty("points", out var points) && points.ValueKind == JsonValueKind.Number ? points.GetInt32() : 0,
                        Stretch = m.TryGetProperty("stretch", out var stretch) && stretch.ValueKind == JsonValueKind.True,
                        Credit = Optional(m, "credit"),
                    })]
                    : throw new WorkbookException($"{path} is not a valid lab.json: it has no \"milestones\" list."),
                Try = root.TryGetProperty("try", out var tool) && tool.ValueKind == JsonValueKind.Object
                    ? new TryTool { Usage = Required(tool, "usage", path), Description = Required(tool, "description", path), Entry = Optional(tool, "entry") }
                    : null,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new WorkbookException($"{path} is not a valid lab.json: {e.Message}");
        }
    }

    private static string Required(JsonElement element, string name, string path) =>
        Optional(element, name) ?? throw new WorkbookException($"{path} is not a valid lab.json: \"{name}\" is missing.");

    private static string? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;
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

