using System.Text.RegularExpressions;

namespace Workbook.Grading;

/// <summary>
/// Looks through a submission's C# for APIs no lab needs and that tampering uses: code that runs before the tests
/// (module initializers), native code, other processes, ending the test run, reflection into other assemblies,
/// unsafe code. A hit flags the submission for the instructor to read; it never changes the score.
/// </summary>
public static partial class CodeScan
{
    private static readonly (Regex Pattern, string What)[] Rules =
    [
        (new Regex(@"\bModuleInitializer\b"), "a module initializer (code that runs before any test)"),
        (new Regex(@"\b(DllImport|LibraryImport|NativeLibrary|UnmanagedCallersOnly|delegate\s*\*\s*unmanaged)\b"), "native code (DllImport/LibraryImport/NativeLibrary)"),
        (new Regex(@"\b(Process\s*\.\s*(Start|GetProcess|GetCurrentProcess|Kill)|ProcessStartInfo|new\s+Process\s*\()"), "starting or reaching other processes (System.Diagnostics.Process)"),
        (new Regex(@"\bEnvironment\s*\.\s*(Exit|FailFast)\b|\bProcessExit\b"), "ending the test run (Environment.Exit/FailFast, ProcessExit)"),
        (new Regex(@"\b(Assembly\s*\.\s*(Load\w*|GetEntryAssembly|GetCallingAssembly)|GetAssemblies\s*\(|AssemblyLoadContext|StackTrace\b|StackFrame\b|MethodHandle|GetFunctionPointer|RuntimeHelpers\s*\.\s*PrepareMethod|MethodBody|GetMethodBody|Emit\s*\.\s*|DynamicMethod|BindingFlags\s*\.\s*NonPublic)"), "reflection into other assemblies or the running code (stack walks, method handles, non-public members)"),
        (new Regex(@"\bunsafe\b|\bMarshal\s*\.\s*(Write|Copy|AllocHGlobal|GetDelegateForFunctionPointer)|\bUnsafe\s*\.\s*(As|Write|Copy|AsRef)"), "unsafe code or raw memory (unsafe, Marshal, Unsafe)"),
    ];

    /// <summary>What the .cs files under <paramref name="folder"/> use, each with its first file and line.</summary>
    public static IReadOnlyList<string> Flags(string folder)
    {
        var flags = new List<string>();
        if (!Directory.Exists(folder))
        {
            return flags;
        }

        var files = Directory.EnumerateFiles(folder, "*.cs", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Where(SafeFiles.IsRegularFile).Order(StringComparer.Ordinal).ToList();
        foreach (var (pattern, what) in Rules)
        {
            foreach (var file in files)
            {
                string? text = SafeFiles.ReadText(file, SafeFiles.MaxSourceBytes, out _);
                if (text is null)
                {
                    continue;
                }

                // Comments are blanked (newlines kept, so line numbers hold): a comment naming an API is not a use of it.
                string code = Comments().Replace(text, m => new string('\n', m.Value.Count(c => c == '\n')));
                var match = pattern.Match(code);
                if (match.Success)
                {
                    int line = 1 + code[..match.Index].Count(c => c == '\n');
                    flags.Add($"uses {what}: {Path.GetRelativePath(folder, file).Replace('\\', '/')} line {line}");
                    break;
                }
            }
        }

        return flags;
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();
}
