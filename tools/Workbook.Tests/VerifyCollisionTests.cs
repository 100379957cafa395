using Workbook.Commands;
using Xunit;

namespace Workbook.Tests;

public class VerifyCollisionTests
{
    [Fact]
    public void Theory_rows_cut_to_the_same_name_are_reported_with_their_count()
    {
        // xunit shortens long theory arguments, so two rows of one theory can get the same display name;
        // verify keys the stubs' results by name and must say so instead of crashing.
        var names = new[] { "M2.Reads(row: \"a long row…\")", "M2.Other", "M2.Reads(row: \"a long row…\")", "M2.Reads(row: \"a long row…\")" };

        var collisions = VerifyCommand.Collisions(names).ToList();

        Assert.Equal([("M2.Reads(row: \"a long row…\")", 3)], collisions);
    }

    [Fact]
    public void Distinct_names_collide_nowhere()
    {
        Assert.Empty(VerifyCommand.Collisions(["A", "a", "B"]));
    }
}
