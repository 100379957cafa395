using System.Reflection;
using System.Runtime.Loader;

namespace Workbook.Labs;

/// <summary>
/// Loads a compiled lab (and the earlier labs and packages beside it) apart from the workbook's own assemblies,
/// collectible so it can be unloaded. The lab's dependencies are copied beside it (Directory.Build.props), so it
/// runs on its own package versions whatever the tool runs on; the framework comes from the default context.
/// </summary>
internal sealed class LabLoadContext(string mainAssembly) : AssemblyLoadContext(isCollectible: true)
{
    private readonly string _directory = Path.GetDirectoryName(Path.GetFullPath(mainAssembly))!;
    private readonly AssemblyDependencyResolver _resolver = new(Path.GetFullPath(mainAssembly));

    /// <inheritdoc/>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        var beside = Path.Combine(_directory, assemblyName.Name + ".dll");
        if (path is null && File.Exists(beside))
            path = beside;
        return path is null ? null : LoadFromAssemblyPath(path);
    }
}
