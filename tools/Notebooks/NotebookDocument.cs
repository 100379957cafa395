using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbook.Notebooks;

/// <summary>The kind of a notebook cell, as nbformat 4 names it.</summary>
public enum CellKind
{
    /// <summary>A C# code cell (or a code cell starting with <c>#!csharp</c>).</summary>
    Code,
    /// <summary>A markdown cell (or a code cell starting with <c>#!markdown</c>).</summary>
    Markdown,
    /// <summary>A raw cell: shown as it is, never run.</summary>
    Raw,
}

/// <summary>One cell of a notebook: its kind, its source and its place in the file.</summary>
/// <param name="Number">1-based position of the cell in the notebook, as a reader counts cells.</param>
/// <param name="Kind">Code, markdown or raw.</param>
/// <param name="Source">The cell's text, lines joined with '\n'.</param>
/// <param name="Json">The cell's JSON object in the document (outputs are written back into it).</param>
public sealed record NotebookCell(int Number, CellKind Kind, string Source, JsonObject Json)
{
    /// <summary>The cell's nbformat 4.5 id (every cell of a loaded notebook has one).</summary>
    public string? Id => Json["id"] is JsonValue value && value.TryGetValue<string>(out var id) ? id : null;
}

/// <summary>
/// An nbformat 4 notebook (.ipynb) held as JSON, so fields the runner does not know survive a
/// round trip untouched. Only outputs and execution counts are ever rewritten, and a cell without an
/// id gets one (nbformat 4.5 requires it; see <see cref="AssignCellIds"/>).
/// </summary>
public sealed class NotebookDocument
{
    private NotebookDocument(string path, JsonObject root, IReadOnlyList<NotebookCell> cells)
    {
        Path = path;
        Root = root;
        Cells = cells;
    }

    /// <summary>Where the notebook was read from.</summary>
    public string Path { get; }

    /// <summary>The notebook's JSON.</summary>
    public JsonObject Root { get; }

    /// <summary>The cells in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>The notebook's file name without its folder.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Reads an .ipynb file.</summary>
    /// <exception cref="NotebookFormatException">The file is not an nbformat 4 notebook.</exception>
    public static NotebookDocument Load(string path)
    {
        var text = File.ReadAllText(path);
        return Parse(path, text);
    }

    /// <summary>Parses notebook JSON; <paramref name="path"/> names it in messages and resolves relative paths.</summary>
    /// <exception cref="NotebookFormatException">The text is not an nbformat 4 notebook.</exception>
    public static NotebookDocument Parse(string path, string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject
                ?? throw new NotebookFormatException($"{path}: the file is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException($"{path}: not valid JSON ({e.Message}).");
        }
        if (root["nbformat"]?.GetValue<int>() is not 4)
            throw new NotebookFormatException($"{path}: only nbformat 4 notebooks are supported.");
        if (root["cells"] is not JsonArray cellArray)
            throw new NotebookFormatException($"{path}: the notebook has no \"cells\" array.");

        var cells = new List<NotebookCell>();
        foreach (var node in cellArray)
        {
            if (node is not JsonObject cell)
                throw new NotebookFormatException($"{path}: cell {cells.Count + 1} is not a JSON object.");
            var kind = (string?)cell["cell_type"] switch
            {
                "code" => CellKind.Code,
                "markdown" => CellKind.Markdown,
                _ => CellKind.Raw,
            };
            cells.Add(new NotebookCell(cells.Count + 1, kind, JoinSource(cell["source"]), cell));
        }
        AssignCellIds(path, root);
        return new NotebookDocument(path, root, cells);
    }

    /// <summary>
    /// nbformat 4.5's rule for a cell id: 1 to 64 characters of <c>[a-zA-Z0-9-_]</c> (and unique in the notebook).
    /// </summary>
    public static bool IsValidCellId(string? id) =>
        id is { Length: >= 1 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>
    /// Gives every cell without an id one, keeping the ids cells already have. A new id is derived from the
    /// notebook's file name and the cell's position (8 hex digits of a SHA-256, like the ids Jupyter writes),
    /// so loading and saving the same notebook twice writes the same ids; a clash with an id already in the
    /// notebook moves on to the next candidate. A notebook that gets ids is marked nbformat 4.5, the first
    /// version that has them. Returns how many ids were added.
    /// </summary>
    internal static int AssignCellIds(string path, JsonObject root)
    {
        if (root["cells"] is not JsonArray cells)
            return 0;
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in cells.OfType<JsonObject>())
            if (IdOf(cell) is { Length: > 0 } existing)
                taken.Add(existing);

        var stem = System.IO.Path.GetFileNameWithoutExtension(path);
        var added = 0;
        for (var index = 0; index < cells.Count; index++)
        {
            if (cells[index] is not JsonObject cell || IdOf(cell) is { Length: > 0 })
                continue;
            string id;
            for (var attempt = 0; ; attempt++)
            {
                id = DerivedId(stem, index + 1, attempt);
                if (taken.Add(id))
                    break;
            }
            cell.Remove("id");
            cell.Insert(InsertionIndex(cell), "id", id);
            added++;
        }
        if (added > 0 && root["nbformat_minor"] is JsonValue minor && minor.TryGetValue<int>(out var m) && m < 5)
            root["nbformat_minor"] = 5;
        return added;
    }

    private static string? IdOf(JsonObject cell) =>
        cell["id"] is JsonValue value && value.TryGetValue<string>(out var id) ? id : null;

    /// <summary>The candidate id number <paramref name="attempt"/> for cell <paramref name="number"/> of notebook <paramref name="stem"/>.</summary>
    private static string DerivedId(string stem, int number, int attempt)
    {
        var seed = attempt == 0 ? $"{stem}/{number}" : $"{stem}/{number}/{attempt}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)), 0, 4);
    }

    /// <summary>Where "id" goes among the cell's keys: in alphabetical place, as Jupyter writes it (after cell_type and execution_count).</summary>
    private static int InsertionIndex(JsonObject cell)
    {
        var i = 0;
        foreach (var (key, _) in cell)
        {
            if (string.CompareOrdinal(key, "id") > 0)
                return i;
            i++;
        }
        return i;
    }

    /// <summary>nbformat stores text as a string or as a list of lines; this joins either form.</summary>
    internal static string JoinSource(JsonNode? source) => source switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => (string?)l ?? "")),
        _ => (string?)source ?? "",
    };

    /// <summary>Splits text into nbformat's list-of-lines form (every line but the last keeps its '\n').</summary>
    internal static JsonArray SplitLines(string text)
    {
        var array = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n')
                continue;
            array.Add(text[start..(i + 1)]);
            start = i + 1;
        }
        if (start < text.Length)
            array.Add(text[start..]);
        return array;
    }

    /// <summary>The notebook as JSON text, indented by one space like Jupyter writes it, ending with a newline; a cell added without an id gets one first.</summary>
    public string ToJson()
    {
        AssignCellIds(Path, Root);
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            IndentSize = 1,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        return Root.ToJsonString(options) + "\n";
    }

    /// <summary>Writes the notebook back to <see cref="Path"/> (UTF-8, no BOM).</summary>
    public void Save() => File.WriteAllText(Path, ToJson(), new UTF8Encoding(false));
}

/// <summary>A file that is not a notebook the runner can read.</summary>
public sealed class NotebookFormatException(string message) : Exception(message);
