using System.Text.Json.Nodes;

namespace Workbook.Notebooks;

/// <summary>One output of a cell, in the shapes nbformat 4 defines.</summary>
public abstract record CellOutput
{
    /// <summary>The nbformat output_type: stream, display_data, execute_result or error.</summary>
    public abstract string OutputType { get; }

    /// <summary>The output as an nbformat 4 JSON object.</summary>
    public abstract JsonObject ToJson(int? executionCount);
}

/// <summary>Text a cell wrote to Console.Out ("stdout") or Console.Error ("stderr").</summary>
public sealed record StreamOutput(string Name, string Text) : CellOutput
{
    /// <inheritdoc/>
    public override string OutputType => "stream";

    /// <inheritdoc/>
    public override JsonObject ToJson(int? executionCount) => new()
    {
        ["name"] = Name,
        ["output_type"] = "stream",
        ["text"] = NotebookDocument.SplitLines(Text),
    };
}

/// <summary>
/// A value shown by <c>display(x)</c> (display_data) or as a cell's trailing expression (execute_result),
/// as one representation per MIME type ("text/plain", "text/html", "image/png" base64).
/// </summary>
public sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data, bool IsResult) : CellOutput
{
    /// <inheritdoc/>
    public override string OutputType => IsResult ? "execute_result" : "display_data";

    /// <inheritdoc/>
    public override JsonObject ToJson(int? executionCount)
    {
        var data = new JsonObject();
        foreach (var (mime, text) in Data)
            data[mime] = mime.StartsWith("image/", StringComparison.Ordinal) && mime != "image/svg+xml"
                ? text
                : NotebookDocument.SplitLines(text);
        var output = new JsonObject { ["data"] = data };
        if (IsResult)
            output["execution_count"] = executionCount;
        output["metadata"] = new JsonObject();
        output["output_type"] = OutputType;
        return output;
    }
}

/// <summary>An exception or a compile error that stopped a cell.</summary>
public sealed record ErrorOutput(string Name, string Value, IReadOnlyList<string> Traceback) : CellOutput
{
    /// <inheritdoc/>
    public override string OutputType => "error";

    /// <inheritdoc/>
    public override JsonObject ToJson(int? executionCount) => new()
    {
        ["ename"] = Name,
        ["evalue"] = Value,
        ["output_type"] = "error",
        ["traceback"] = new JsonArray([.. Traceback.Select(t => (JsonNode?)JsonValue.Create(t))]),
    };
}

/// <summary>Reads outputs back from nbformat JSON (for comparing committed outputs with a fresh run).</summary>
internal static class CellOutputJson
{
    public static CellOutput Parse(JsonObject json)
    {
        switch ((string?)json["output_type"])
        {
            case "stream":
                return new StreamOutput((string?)json["name"] ?? "stdout", NotebookDocument.JoinSource(json["text"]));
            case "display_data":
            case "execute_result":
                var data = new Dictionary<string, string>();
                if (json["data"] is JsonObject d)
                    foreach (var (mime, value) in d)
                        data[mime] = NotebookDocument.JoinSource(value);
                return new DisplayOutput(data, (string?)json["output_type"] == "execute_result");
            default:
                var traceback = json["traceback"] is JsonArray t ? t.Select(x => (string?)x ?? "").ToList() : [];
                return new ErrorOutput((string?)json["ename"] ?? "", (string?)json["evalue"] ?? "", traceback);
        }
    }
}
