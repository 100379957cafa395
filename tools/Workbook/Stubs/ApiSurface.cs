using System.Reflection;

namespace Workbook.Stubs;

/// <summary>
/// The public API of a compiled assembly as sorted lines ("type Lab01.X", "member Lab01.X: Void Write(…)"),
/// so the stubs and the solution can be compared exactly.
/// </summary>
public static class ApiSurface
{
    public static IReadOnlyList<string> Of(string assemblyPath)
    {
        var context = new Workbook.Labs.LabLoadContext(assemblyPath);
        try
        {
            var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
            var lines = new List<string>();
            foreach (var type in assembly.GetExportedTypes())
            {
                string kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : "class";
                lines.Add($"{kind} {type.FullName} : {type.BaseType?.FullName} [{string.Join(", ", type.GetInterfaces().Select(i => i.FullName).Order(StringComparer.Ordinal))}]");
                const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
                foreach (var member in type.GetMembers(flags))
                {
                    if (member is MethodInfo { IsSpecialName: true } || member is Type)
                    {
                        continue; // property accessors are listed through their property; nested types on their own
                    }

                    lines.Add($"  {type.FullName}: {member.MemberType} {Describe(member)}");
                }
            }

            lines.Sort(StringComparer.Ordinal);
            return lines;
        }
        finally
        {
            context.Unload();
        }
    }

    private static string Describe(MemberInfo member) => member switch
    {
        PropertyInfo p => $"{p} {{{(p.GetMethod?.IsPublic == true ? " get;" : "")}{(p.SetMethod?.IsPublic == true ? (p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit") ? " init;" : " set;") : "")} }}",
        FieldInfo f => $"{(f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}{(f.IsLiteral ? "const " : "")}{f}",
        MethodBase m => $"{(m.IsStatic ? "static " : "")}{(m.IsAbstract ? "abstract " : m.IsVirtual && !m.IsFinal ? "virtual " : "")}{m}",
        _ => member.ToString() ?? member.Name,
    };
}
