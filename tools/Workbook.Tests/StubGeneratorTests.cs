using Workbook.Stubs;

namespace Workbook.Tests;

public class StubGeneratorTests
{
    [Fact]
    public void A_lab_region_becomes_a_throw_with_the_milestone_and_instruction_at_the_same_indentation()
    {
        const string solution = """
            public static class Packets
            {
                public static int Size()
                {
                    #region lab M1: return the size of C1 — README §C1
                    return 1536;
                    #endregion
                }
            }
            """;

        string stub = StubGenerator.Transform("01", solution, "Packets.cs");

        Assert.Equal("""
            public static class Packets
            {
                public static int Size()
                {
                    throw new NotImplementedException("Lab 01 · M1: return the size of C1 — README §C1");
                }
            }
            """, stub);
    }

    [Fact]
    public void Nested_regions_inside_a_lab_region_go_with_it()
    {
        const string solution = "void F()\n{\n    #region lab M2: do it\n    #region details\n    x();\n    #endregion\n    y();\n    #endregion\n}\n";

        string stub = StubGenerator.Transform("02", solution, "F.cs");

        Assert.Equal("void F()\n{\n    throw new NotImplementedException(\"Lab 02 · M2: do it\");\n}\n", stub);
    }

    [Fact]
    public void A_lab_remove_region_disappears()
    {
        const string solution = "class A\n{\n    void Keep() { }\n\n    #region lab-remove\n    private static int Helper() => 1;\n    #endregion\n\n    void AlsoKeep() { }\n}\n";

        string stub = StubGenerator.Transform("01", solution, "A.cs");

        Assert.Equal("class A\n{\n    void Keep() { }\n\n    void AlsoKeep() { }\n}\n", stub);
    }

    [Fact]
    public void A_lab_remove_region_at_the_end_of_a_type_leaves_no_blank_line_before_the_brace()
    {
        const string solution = "class A\n{\n    void Keep() { }\n\n    #region lab-remove\n    private static int Helper() => 1;\n    #endregion\n}\n";

        string stub = StubGenerator.Transform("01", solution, "A.cs");

        Assert.Equal("class A\n{\n    void Keep() { }\n}\n", stub);
    }

    [Fact]
    public void Quotes_and_backslashes_in_the_instruction_are_escaped()
    {
        string stub = StubGenerator.Transform("01", "#region lab M1: write \"C0\" then C1\\S1\n#endregion\n", "Q.cs");

        Assert.Equal("throw new NotImplementedException(\"Lab 01 · M1: write \\\"C0\\\" then C1\\\\S1\");\n", stub);
    }

    [Fact]
    public void Windows_line_endings_are_kept()
    {
        string stub = StubGenerator.Transform("01", "a\r\n#region lab M1: x\r\nb\r\n#endregion\r\nc\r\n", "W.cs");

        Assert.Equal("a\r\nthrow new NotImplementedException(\"Lab 01 · M1: x\");\r\nc\r\n", stub);
    }

    [Fact]
    public void A_region_without_an_end_is_an_error_naming_the_line()
    {
        var error = Assert.Throws<WorkbookException>(() => StubGenerator.Transform("01", "a\n#region lab M1: x\nb\n", "Open.cs"));

        Assert.Contains("Open.cs:2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lab_region_without_a_milestone_is_an_error()
    {
        var error = Assert.Throws<WorkbookException>(() => StubGenerator.Transform("01", "#region lab do it\n#endregion\n", "NoMilestone.cs"));

        Assert.Contains("NoMilestone.cs:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ordinary_regions_are_left_alone()
    {
        const string solution = "#region Constants\nconst int X = 1;\n#endregion\n";

        Assert.Equal(solution, StubGenerator.Transform("01", solution, "C.cs"));
    }
}

public class StripMarkersTests
{
    [Fact]
    public void The_reference_is_shown_without_its_lab_markers_but_with_everything_inside_them()
    {
        const string solution = "void F()\n{\n    #region lab M1: do it\n    #region details\n    x();\n    #endregion\n    #endregion\n}\n#region lab-remove\nint Helper() => 1;\n#endregion";

        Assert.Equal("void F()\n{\n    #region details\n    x();\n    #endregion\n}\nint Helper() => 1;", StubGenerator.StripMarkers(solution));
    }
}
