using System.Reflection;

namespace Workbook.Notebooks;

/// <summary>
/// The NuGet packages a notebook may ask for with <c>#r "nuget: Name, Version"</c>. The runner does not
/// download anything: it references these packages itself and maps the directive to their
/// already-loaded assemblies. Keep the versions equal to Directory.Packages.props (a test checks it).
/// </summary>
public static class ProvidedPackages
{
    /// <summary>Package name → (version the runner provides, assemblies the directive references).</summary>
    internal static readonly IReadOnlyDictionary<string, (string Version, string[] Assemblies)> Table =
        new Dictionary<string, (string, string[])>(StringComparer.OrdinalIgnoreCase)
        {
            ["Plotly.NET"] = ("6.0.0", ["Plotly.NET", "FSharp.Core", "DynamicObj", "Giraffe.ViewEngine"]),
            ["Plotly.NET.CSharp"] = ("0.14.0", ["Plotly.NET.CSharp", "Plotly.NET", "FSharp.Core", "DynamicObj", "Giraffe.ViewEngine"]),
            ["FFMpegCore"] = ("6.0.0", ["FFMpegCore", "Instances"]),
            ["Microsoft.DotNet.Interactive.Formatting"] = ("1.0.0-beta.23562.1", ["Microsoft.DotNet.Interactive.Formatting", "Microsoft.AspNetCore.Html.Abstractions"]),
        };

    /// <summary>The packages and versions the runner provides, for messages and docs.</summary>
    public static IEnumerable<string> Describe() => Table.Select(p => $"{p.Key} {p.Value.Version}");

    /// <summary>
    /// The assemblies for a package, or an error message when the runner does not provide it
    /// (or provides another version).
    /// </summary>
    internal static (IReadOnlyList<Assembly> Assemblies, string? Error) Resolve(string name, string? version)
    {
        if (!Table.TryGetValue(name, out var package))
            return ([], $"package '{name}' is not provided by `workbook run` (it provides {string.Join(", ", Describe())}). "
                        + "Ask for one of these, or add the package to tools/Notebooks/ProvidedPackages.cs and Notebooks.csproj.");
        if (!string.IsNullOrWhiteSpace(version) && !VersionMatches(version.Trim(), package.Version))
            return ([], $"package '{name}' version {version.Trim()} was asked for, but `workbook run` provides {package.Version}: "
                        + $"write #r \"nuget: {name}, {package.Version}\".");
        return ([.. package.Assemblies.Select(a => Assembly.Load(new AssemblyName(a)))], null);
    }

    private static bool VersionMatches(string asked, string provided)
    {
        if (asked == provided || asked == "*")
            return true;
        // "6.*" or "6.0.*": a floating version the provided one satisfies.
        return asked.EndsWith('*') && provided.StartsWith(asked[..^1], StringComparison.OrdinalIgnoreCase);
    }
}
