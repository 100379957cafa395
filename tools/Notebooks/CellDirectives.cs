using System.Text;
using System.Text.RegularExpressions;

namespace Workbook.Notebooks;

/// <summary>
/// The kernel directives and magics a cell may carry, taken out of its code before Roslyn compiles it.
/// Lines are blanked rather than removed, so compile errors keep the cell's own line numbers.
/// </summary>
internal sealed partial class CellDirectives
{
    /// <summary>The cell's code for Roslyn: directive lines blanked.</summary>
    public string Code { get; private init; } = "";

    /// <summary>True when the cell is a code cell that starts with <c>#!markdown</c>: it is prose, not code.</summary>
    public bool IsMarkdown { get; private init; }

    /// <summary>Packages asked for with <c>#r "nuget: ..."</c>: name, version, line.</summary>
    public IReadOnlyList<(string Name, string? Version, int Line)> Packages { get; private init; } = [];

    [GeneratedRegex("""^\s*#r\s+"nuget\s*:\s*(?<name>[^,"]+?)\s*(,\s*(?<version>[^"]*?)\s*)?"\s*$""")]
    private static partial Regex NugetReference();

    [GeneratedRegex(@"^\s*#i\s+""")]
    private static partial Regex SourceDirective();

    [GeneratedRegex("""^\s*#!(?<magic>\S+)""")]
    private static partial Regex Magic();

    /// <summary>Splits a cell's source into directives and code.</summary>
    /// <exception cref="CellDirectiveException">An unknown magic, a package source or a malformed directive.</exception>
    public static CellDirectives Parse(string source)
    {
        var lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var packages = new List<(string, string?, int)>();
        var code = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var lineNumber = i + 1;
            var keep = line;
            if (Magic().Match(line) is { Success: true } magic)
            {
                var name = magic.Groups["magic"].Value;
                var isFirstCodeLine = lines.Take(i).All(string.IsNullOrWhiteSpace);
                if (isFirstCodeLine && name is "markdown" or "md")
                    return new CellDirectives { IsMarkdown = true, Code = string.Join('\n', lines.Skip(i + 1)) };
                if (isFirstCodeLine && name is "csharp" or "c#" or "C#")
                    keep = "";
                else
                    throw new CellDirectiveException(lineNumber,
                        $"the magic command #!{name} is not supported by `workbook run`: it understands only "
                        + "#!csharp and #!markdown as a cell's first line. Other kernels (#!fsharp, #!pwsh, ...) and "
                        + "magic commands (#!time, #!about, #!value, #!set, ...) belong to .NET Interactive; rewrite the cell in plain C#.");
            }
            else if (NugetReference().Match(line) is { Success: true } nuget)
            {
                var version = nuget.Groups["version"].Success && nuget.Groups["version"].Value.Length > 0 ? nuget.Groups["version"].Value : null;
                packages.Add((nuget.Groups["name"].Value.Trim(), version, lineNumber));
                keep = "";
            }
            else if (line.TrimStart().StartsWith("#r \"nuget", StringComparison.Ordinal))
            {
                throw new CellDirectiveException(lineNumber, $"cannot read the package directive {line.Trim()}: write #r \"nuget: Name, Version\".");
            }
            else if (SourceDirective().IsMatch(line))
            {
                throw new CellDirectiveException(lineNumber,
                    "#i (a package source) is not supported: `workbook run` downloads nothing; it provides " + string.Join(", ", ProvidedPackages.Describe()) + ".");
            }
            code.Append(keep);
            if (i < lines.Length - 1)
                code.Append('\n');
        }
        return new CellDirectives { Code = code.ToString(), Packages = packages };
    }
}

/// <summary>A directive or magic in a cell that the runner cannot honour.</summary>
internal sealed class CellDirectiveException(int line, string message) : Exception(message)
{
    /// <summary>The 1-based line of the cell holding the directive.</summary>
    public int Line { get; } = line;
}
