using System.Text.Json.Nodes;

namespace Workbook.Notebooks.Tests;

/// <summary>Builds small notebooks in a temporary folder for the tests.</summary>
internal sealed class TestNotebooks : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "wb-nb-" + Guid.NewGuid().ToString("N")[..8]);

    public TestNotebooks() => System.IO.Directory.CreateDirectory(Directory);

    /// <summary>A notebook whose cells are C# code, except those that start with "md:" (markdown).</summary>
    public NotebookDocument Create(params string[] cells) => CreateNamed("test.ipynb", cells);

    /// <summary>Like <see cref="Create"/>, with the file name given.</summary>
    public NotebookDocument CreateNamed(string fileName, params string[] cells)
    {
        var array = new JsonArray();
        foreach (var cell in cells)
        {
            var markdown = cell.StartsWith("md:", StringComparison.Ordinal);
            var json = new JsonObject
            {
                ["cell_type"] = markdown ? "markdown" : "code",
                ["metadata"] = new JsonObject(),
                ["source"] = NotebookDocument.SplitLines(markdown ? cell[3..] : cell),
            };
            if (!markdown)
            {
                json["execution_count"] = null;
                json["outputs"] = new JsonArray();
            }
            array.Add(json);
        }
        var root = new JsonObject
        {
            ["cells"] = array,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(Directory, fileName);
        File.WriteAllText(path, root.ToJsonString());
        return NotebookDocument.Load(path);
    }

    public static Task<NotebookRunResult> RunAsync(NotebookDocument notebook, double timeoutSeconds = 30, IChartRenderer? renderer = null) =>
        NotebookRunner.RunAsync(notebook, new NotebookRunOptions { CellTimeout = TimeSpan.FromSeconds(timeoutSeconds), ChartRenderer = renderer }, TestContext.Current.CancellationToken);

    /// <summary>What a reader sees of a cell's outputs: streams, and each display's visible text.</summary>
    public static string Text(CellResult cell) =>
        string.Concat(cell.Outputs.Select(o => o switch
        {
            StreamOutput s => s.Text,
            DisplayOutput d => OutputComparer.VisibleText(d),
            _ => "",
        }));

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
