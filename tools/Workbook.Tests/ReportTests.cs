using Workbook.Commands;
using Workbook.Running;

namespace Workbook.Tests;

public class ReportTests
{
    // The shape of a report written by the xunit v3 in-process runner 3.2.2 (-xml), trimmed to two tests.
    private const string Report = """
        <?xml version="1.0" encoding="utf-8"?>
        <assemblies schema-version="3">
          <assembly name="/x/Lab01.Tests.dll" total="2" passed="1" failed="1">
            <collection name="c" total="2">
              <test id="1" name="Lab01.Tests.M1.C0_is_one_byte" result="Pass" time="0.0012" type="Lab01.Tests.M1" method="C0_is_one_byte">
                <traits><trait name="Milestone" value="M1 packets" /></traits>
              </test>
              <test id="2" name="Lab01.Tests.M2.S1_follows_S0" result="Fail" time="0.5" type="Lab01.Tests.M2" method="S1_follows_S0">
                <traits><trait name="Milestone" value="M2 server" /></traits>
                <failure exception-type="System.NotImplementedException"><message><![CDATA[System.NotImplementedException : Lab 01 · M2: send S0]]></message><stack-trace><![CDATA[at X]]></stack-trace></failure>
              </test>
            </collection>
          </assembly>
        </assemblies>
        """;

    [Fact]
    public void The_runner_report_gives_each_test_its_milestone_result_and_message()
    {
        var tests = XunitXml.Parse(Report);

        Assert.Equal(2, tests.Count);
        Assert.Equal(("M1 packets", TestResultKind.Pass), (tests[0].MilestoneTrait, tests[0].Result));
        Assert.Equal(("M2 server", TestResultKind.Fail), (tests[1].MilestoneTrait, tests[1].Result));
        Assert.Equal("S1_follows_S0", tests[1].Method);
        Assert.Contains("send S0", tests[1].Message, StringComparison.Ordinal);
        Assert.True(tests[1].IsNotImplemented);
        Assert.False(tests[0].IsNotImplemented);
    }

    [Fact]
    public void Build_errors_are_picked_from_the_build_output_without_duplicates_or_project_paths()
    {
        const string output = """
            /repo/labs/01/src/A.cs(3,5): error CS1002: ; expected [/repo/labs/01/src/Lab01.csproj]
            /repo/labs/01/src/A.cs(3,5): error CS1002: ; expected [/repo/labs/01/src/Lab01.csproj]
            /repo/labs/01/src/B.cs(9,1): warning CS0168: unused
            """;

        var errors = ProcessRunner.FirstErrors(output, "/repo");

        Assert.Equal(["labs/01/src/A.cs(3,5): error CS1002: ; expected"], errors);
    }

    [Fact]
    public void Hints_are_read_per_milestone_in_order()
    {
        const string markdown = """
            # Hints

            ## M1 Packets
            ### Hint 1
            Start with C0.
            ### Hint 2
            C1 is 1536 bytes.

            ## M2 Server
            ### Hint 1
            Send S2 before reading C2.
            """;

        var hints = Hints.Parse(markdown);

        Assert.Equal(2, hints["M1"].Count);
        Assert.StartsWith("Hint 2", hints["M1"][1], StringComparison.Ordinal);
        Assert.Contains("C1 is 1536 bytes.", hints["M1"][1], StringComparison.Ordinal);
        Assert.Single(hints["M2"]);
    }

    [Fact]
    public void The_line_diff_keeps_common_lines_and_marks_the_rest()
    {
        var diff = LineDiff.Compute(["a", "stub", "c"], ["a", "real", "more", "c"]);

        Assert.Equal("  a|- stub|+ real|+ more|  c", string.Join('|', diff.Select(d => $"{d.Kind} {d.Text}")));
    }

    [Fact]
    public void The_diff_context_hides_far_away_unchanged_lines()
    {
        var before = Enumerable.Range(0, 20).Select(i => i.ToString()).ToList();
        var after = before.ToList();
        after[10] = "ten";

        var shown = LineDiff.WithContext(LineDiff.Compute(before, after), context: 1);

        Assert.Equal("…|  9|- 10|+ ten|  11|…", string.Join('|', shown.Select(d => d.Kind == '…' ? "…" : $"{d.Kind} {d.Text}")));
    }
}

public class HintReflowTests
{
    [Fact]
    public void Hard_wrapped_paragraphs_are_joined_but_code_and_lists_stay()
    {
        const string hint = "Write the first\ntwo fields.\n\n```csharp\nvar a = 1;\nvar b = 2;\n```\n- one\n- two";

        string text = Workbook.Commands.HintCommand.Reflow(hint);

        Assert.Equal("Write the first two fields.\n\n```csharp\nvar a = 1;\nvar b = 2;\n```\n- one\n- two", text);
    }
}
