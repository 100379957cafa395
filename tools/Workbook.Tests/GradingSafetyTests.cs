using Workbook.Grading;

namespace Workbook.Tests;

/// <summary>The grader's reports and intake, against hostile names and files: no build needed.</summary>
public class GradingSafetyTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData("@SUM(A1)")]
    public void A_csv_cell_never_starts_a_formula(string student)
    {
        string cell = Reports.Field(student);

        Assert.DoesNotMatch("^\"?[=+\\-@]", cell);
        Assert.Contains(student.Replace("\"", "\"\"", StringComparison.Ordinal), cell, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_with_backticks_cannot_leave_its_code_block()
    {
        string block = Reports.MarkdownCode("before\n```\n# injected heading\n````");

        string fence = block[..block.IndexOf("text", StringComparison.Ordinal)];
        Assert.Equal(5, fence.Length);
        Assert.EndsWith("\n" + fence + "\n", block, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_in_markdown_is_text()
    {
        Assert.Equal("\\# \\[x\\](y) \\<b\\> \\*z\\*", Reports.MarkdownText("# [x](y) <b> *z*"));
    }

    [Fact]
    public void Names_that_map_to_one_file_name_get_different_files()
    {
        var names = Reports.FileNames(["a b", "a_b", "A_B", "../x", ""]);

        Assert.Equal(5, names.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(names.Values, n => Assert.DoesNotContain("/", n, StringComparison.Ordinal));
        Assert.All(names.Values, n => Assert.False(n.StartsWith('.'), n));
    }

    [Fact]
    public void Canary_names_differ_from_run_to_run()
    {
        var one = Canaries.Create();
        var two = Canaries.Create();

        Assert.NotEqual(one.ClassName, two.ClassName);
        Assert.Equal(2, one.MustFail.Count);
        Assert.Contains("Assert.Equal(", one.Source(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_code_scan_names_file_and_line_and_ignores_comments()
    {
        string folder = Directory.CreateTempSubdirectory("workbook-scan-").FullName;
        File.WriteAllText(Path.Combine(folder, "A.cs"), "// Environment.Exit(1) in a comment\nclass A\n{\n    void M() => System.Environment.Exit(1);\n}\n");

        var flags = CodeScan.Flags(folder);

        Assert.Equal(["uses ending the test run (Environment.Exit/FailFast, ProcessExit): A.cs line 4"], flags);
        Directory.Delete(folder, recursive: true);
    }
}
