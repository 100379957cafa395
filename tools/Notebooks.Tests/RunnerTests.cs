namespace Workbook.Notebooks.Tests;

public sealed class RunnerTests : IDisposable
{
    private readonly TestNotebooks _notebooks = new();

    public void Dispose() => _notebooks.Dispose();

    [Fact]
    public async Task State_carries_from_cell_to_cell()
    {
        var result = await TestNotebooks.RunAsync(_notebooks.Create("var x = 20;", "int Twice(int v) => v * 2;", "Twice(x) + 2"));
        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Equal(3, result.Cells.Count);
        Assert.Equal("42", TestNotebooks.Text(result.Cells[2]));
        Assert.Equal([1, 2, 3], result.Cells.Select(c => c.ExecutionCount));
    }

    [Fact]
    public async Task A_trailing_expression_is_displayed_and_a_statement_is_not()
    {
        var result = await TestNotebooks.RunAsync(_notebooks.Create("1 + 1", "var two = 1 + 1;", "string s = null;\ns", "Console.WriteLine(\"x\")"));
        Assert.True(result.Succeeded, result.Failure?.ToString());
        var expression = Assert.IsType<DisplayOutput>(Assert.Single(result.Cells[0].Outputs));
        Assert.True(expression.IsResult);
        Assert.Equal("execute_result", expression.OutputType);
        Assert.Empty(result.Cells[1].Outputs);
        Assert.Equal("<null>", TestNotebooks.Text(result.Cells[2]));
        Assert.IsType<StreamOutput>(Assert.Single(result.Cells[3].Outputs));
    }

    [Fact]
    public async Task Display_shows_mid_cell_in_order_with_console_output()
    {
        var result = await TestNotebooks.RunAsync(_notebooks.Create(
            "Console.WriteLine(\"before\");\ndisplay(\"shown\");\nConsole.Write(\"after\");\nConsole.Error.WriteLine(\"oops\");"));
        Assert.True(result.Succeeded, result.Failure?.ToString());
        var outputs = result.Cells[0].Outputs;
        Assert.Collection(outputs,
            o => Assert.Equal(new StreamOutput("stdout", "before\n"), o),
            o => Assert.Equal("shown", OutputComparer.VisibleText(Assert.IsType<DisplayOutput>(o))),
            o => Assert.Equal(new StreamOutput("stdout", "after"), o),
            o => Assert.Equal(new StreamOutput("stderr", "oops\n"), o));
        Assert.False(((DisplayOutput)outputs[1]).IsResult);
    }

    [Fact]
    public async Task A_list_is_formatted_as_an_html_table_like_the_kernel_does()
    {
        var result = await TestNotebooks.RunAsync(_notebooks.Create("public record Chunk(int Id, int Size);\nnew List<Chunk> { new(2, 128), new(3, 4096) }"));
        Assert.True(result.Succeeded, result.Failure?.ToString());
        var output = Assert.IsType<DisplayOutput>(Assert.Single(result.Cells[0].Outputs));
        Assert.Contains("<table", output.Data["text/html"], StringComparison.Ordinal);
        Assert.Contains("4096", output.Data["text/html"], StringComparison.Ordinal);
        Assert.Contains("text/html", output.Data.Keys);
    }

    [Fact]
    public async Task Console_output_is_captured_per_cell()
    {
        var result = await TestNotebooks.RunAsync(_notebooks.Create("Console.WriteLine(\"one\");", "Console.WriteLine(\"two\");"));
        Assert.Equal("one\n", TestNotebooks.Text(result.Cells[0]));
        Assert.Equal("two\n", TestNotebooks.Text(result.Cells[1]));
    }

    [Fact]
    public async Task A_runtime_error_stops_the_run_and_names_notebook_cell_line_and_exception()
    {
        var result = await TestNotebooks.RunAsync(_notebooks.Create(
            "md:# Title", "var a = 1;", "var b = 2;\nthrow new InvalidOperationException(\"broken here\");", "Console.WriteLine(\"never\");"));
        Assert.False(result.Succeeded);
        var failure = result.Failure!;
        // The kernel compiles cells without line information, so a runtime error names the cell, not the line.
        Assert.Equal(("test.ipynb", 3, "InvalidOperationException"), (failure.Notebook, failure.Cell, failure.Exception));
        Assert.Contains("broken here", failure.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.ipynb cell 3", failure.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("InvalidOperationException: broken here", failure.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, result.Cells.Count);
        Assert.IsType<ErrorOutput>(result.Cells[1].Outputs[^1]);
    }

    [Fact]
    public async Task A_compile_error_names_its_line()
    {
        var result = await TestNotebooks.RunAsync(_notebooks.Create("var ok = 1;\nvar bad = ok +;"));
        Assert.Equal(("CompilationError", 2), (result.Failure!.Exception, result.Failure.Line));
    }

    [Fact]
    public async Task A_cell_that_runs_too_long_fails_on_time()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await TestNotebooks.RunAsync(_notebooks.Create("System.Threading.Thread.Sleep(20_000);"), timeoutSeconds: 1);
        Assert.Equal("Timeout", result.Failure!.Exception);
        Assert.Contains("1 s", result.Failure.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Nuget_directives_restore_packages_in_the_kernel()
    {
        var result = await TestNotebooks.RunAsync(_notebooks.Create(
            "#r \"nuget: FFMpegCore, 6.0.0\"\nusing FFMpegCore;",
            "typeof(FFProbe).Name"), timeoutSeconds: 120);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Equal("FFProbe", TestNotebooks.Text(result.Cells[1]));
    }

    [Fact]
    public async Task A_package_that_does_not_exist_fails_naming_the_cell_and_the_package()
    {
        var result = await TestNotebooks.RunAsync(_notebooks.Create("var x = 1;", "#r \"nuget: Workbook.No.Such.Package, 1.0.0\""), timeoutSeconds: 120);
        var failure = result.Failure!;
        Assert.Equal(2, failure.Cell);
        Assert.Contains("Workbook.No.Such.Package", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csharp_and_markdown_magics_are_understood()
    {
        var result = await TestNotebooks.RunAsync(_notebooks.Create("#!csharp\n\"cs\"", "#!markdown\n# not code at all {"));
        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Single(result.Cells);
        Assert.Equal("cs", TestNotebooks.Text(result.Cells[0]));
    }

    [Theory]
    [InlineData("#!fsharp\nlet x = 1", "fsharp")]
    [InlineData("#!workbooknosuchmagic\nvar x = 1;", "workbooknosuchmagic")]
    public async Task A_kernel_or_magic_the_host_lacks_fails_naming_it(string cell, string name)
    {
        var result = await TestNotebooks.RunAsync(_notebooks.Create(cell));
        Assert.False(result.Succeeded, "the cell should fail");
        Assert.Contains(name, result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cell_of_another_language_fails_before_it_runs()
    {
        var notebook = _notebooks.Create("var x = 1;");
        notebook.Cells[0].Json["metadata"] = new System.Text.Json.Nodes.JsonObject
        {
            ["dotnet_interactive"] = new System.Text.Json.Nodes.JsonObject { ["language"] = "pwsh" },
        };
        var result = await TestNotebooks.RunAsync(notebook);
        Assert.Equal("Kernel", result.Failure!.Exception);
        Assert.Contains("'pwsh'", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dll_references_and_load_directives_resolve_relative_to_the_notebook()
    {
        File.WriteAllText(Path.Combine(_notebooks.Directory, "helper.csx"), "int Helper() => 7;");
        var dll = typeof(Xunit.Assert).Assembly.Location;
        File.Copy(dll, Path.Combine(_notebooks.Directory, Path.GetFileName(dll)));
        var result = await TestNotebooks.RunAsync(_notebooks.Create(
            "#load \"helper.csx\"\nHelper()", $"#r \"{Path.GetFileName(dll)}\"\ntypeof(Xunit.Assert).Name"));
        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Equal("7", TestNotebooks.Text(result.Cells[0]));
        Assert.Equal("Assert", TestNotebooks.Text(result.Cells[1]));
    }
}

public class VisibleTextTests
{
    [Fact]
    public void Table_cells_stay_separate_so_a_changed_timing_is_masked_like_any_number()
    {
        static DisplayOutput Table(string ms) => new(new Dictionary<string, string>
        {
            ["text/html"] = $"<table><tr><td>C0 + C1</td><td>1537</td><td>{ms}</td></tr></table>",
        }, IsResult: false);

        string before = OutputComparer.VisibleText(Table("71.5"));
        string after = OutputComparer.VisibleText(Table("67"));

        Assert.Equal("C0 + C1 1537 71.5", before);
        Assert.Equal(OutputComparer.Mask(before), OutputComparer.Mask(after));
        Assert.Equal("# + # # #", OutputComparer.Mask(before));
        Assert.NotEqual(OutputComparer.Mask(before), OutputComparer.Mask(OutputComparer.VisibleText(Table("71.5 ms late"))));
    }
}
