using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workbook.Notebooks.Tests;

public sealed class OutputTests : IDisposable
{
    private readonly TestNotebooks _notebooks = new();

    public void Dispose() => _notebooks.Dispose();

    [Fact]
    public async Task Written_outputs_round_trip_through_a_json_parser_in_nbformat_4_shape()
    {
        var notebook = _notebooks.Create("md:# T", "Console.WriteLine(\"hi\");\ndisplay(\"mid\");\n6 * 7", "throw new Exception(\"bad\");");
        var result = await TestNotebooks.RunAsync(notebook);
        NotebookOutputs.Apply(result);
        notebook.Save();

        using var json = JsonDocument.Parse(File.ReadAllText(notebook.Path));
        var cells = json.RootElement.GetProperty("cells");
        Assert.Equal(4, json.RootElement.GetProperty("nbformat").GetInt32());
        var first = cells[1];
        Assert.Equal(1, first.GetProperty("execution_count").GetInt32());
        var outputs = first.GetProperty("outputs");
        Assert.Equal(["stream", "display_data", "execute_result"], outputs.EnumerateArray().Select(o => o.GetProperty("output_type").GetString()));
        Assert.Equal("stdout", outputs[0].GetProperty("name").GetString());
        Assert.Equal("hi\n", outputs[0].GetProperty("text")[0].GetString());
        Assert.Equal(1, outputs[2].GetProperty("execution_count").GetInt32());
        Assert.Contains("42", string.Concat(outputs[2].GetProperty("data").GetProperty("text/html").EnumerateArray().Select(l => l.GetString())), StringComparison.Ordinal);
        var error = cells[2].GetProperty("outputs")[0];
        Assert.Equal("error", error.GetProperty("output_type").GetString());
        Assert.Equal("Exception", error.GetProperty("ename").GetString());
        Assert.Equal(JsonValueKind.Array, error.GetProperty("traceback").ValueKind);
        Assert.False(cells[0].TryGetProperty("outputs", out _));

        // Read back, the outputs compare equal to the run that made them.
        Assert.Null(OutputComparer.FirstDifference(NotebookDocument.Load(notebook.Path), result));
    }

    [Fact]
    public async Task Stale_outputs_are_found_and_volatile_text_is_not_a_difference()
    {
        var notebook = _notebooks.Create("Console.WriteLine($\"took {Random.Shared.Next(1000)} ms, id {Guid.NewGuid():N}\");");
        var first = await TestNotebooks.RunAsync(notebook);
        NotebookOutputs.Apply(first);
        notebook.Save();
        var again = await TestNotebooks.RunAsync(NotebookDocument.Load(notebook.Path));
        Assert.Null(OutputComparer.FirstDifference(NotebookDocument.Load(notebook.Path), again));

        var changed = _notebooks.CreateNamed("changed.ipynb", "Console.WriteLine(\"took 5 ms\");\n\"and a value\"");
        var changedRun = await TestNotebooks.RunAsync(changed);
        var stale = OutputComparer.FirstDifference(NotebookDocument.Load(notebook.Path), changedRun);
        Assert.Contains("cell 1 has 1 output(s) committed but 2 now", stale, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_notebook_starts_with_the_shared_setup_cell()
    {
        var folder = Path.Combine(NotebookFiles.FindRepoRoot(AppContext.BaseDirectory), "notebooks");
        foreach (var path in Directory.GetFiles(folder, "*.ipynb"))
        {
            var first = NotebookDocument.Load(path).Cells.First(c => c.Kind == CellKind.Code);
            Assert.True(first.Source.Contains("#r \"nuget: Plotly.NET, 6.0.0\"", StringComparison.Ordinal)
                        && first.Source.TrimEnd().EndsWith("#load \"workbook-setup.csx\"", StringComparison.Ordinal),
                $"{Path.GetFileName(path)}: the first code cell must bring in Plotly.NET 6.0.0 (the version workbook-setup.csx is written for) and end with #load \"workbook-setup.csx\", but it is:\n{first.Source}");
        }
    }

    [Fact]
    public void Html_output_without_a_chart_has_no_plotly_and_no_remote_script()
    {
        var notebook = _notebooks.Create("md:# Title\n\nSome *prose*.", "var x = \"text\"; // comment\nx");
        var page = HtmlExporter.Render(notebook);
        Assert.Contains("<em>prose</em>", page, StringComparison.Ordinal);
        Assert.Contains("<span class=\"kw\">var</span>", page, StringComparison.Ordinal);
        Assert.Contains("<span class=\"com\">// comment</span>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("window.Plotly=", page, StringComparison.Ordinal);
        Assert.DoesNotMatch("<script[^>]+src=\"http", page);
    }
}
