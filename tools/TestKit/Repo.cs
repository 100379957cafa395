namespace Workbook.TestKit;

/// <summary>Paths inside the workbook's repository, found from wherever the tests run.</summary>
public static class Repo
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository root (the folder holding Labs.sln).</summary>
    public static string Root => RootPath.Value;

    /// <summary>A file under testdata/; fails with a clear message when it is missing.</summary>
    public static string TestData(string relativePath)
    {
        var path = Path.Combine(Root, "testdata", relativePath);
        if (!File.Exists(path))
        {
            throw new Xunit.Sdk.XunitException($"The test file testdata/{relativePath} is missing. Restore it with `git checkout -- testdata`.");
        }

        return path;
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Labs.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Cannot find the workbook's root (the folder with Labs.sln) above " + AppContext.BaseDirectory);
    }
}
