using System.Security.Cryptography;
using System.Text;
using Workbook.Running;

namespace Workbook.Grading;

/// <summary>
/// Tests the grader compiles into the pristine test assembly for one grading run, with names chosen at random for
/// that run: some must pass, some must fail. Student code shares the test process and could patch tests in memory
/// or rewrite the report; a blanket change (every test passes, tests skipped, the report forged) shows as a
/// must-fail canary that passed or a canary that is missing, and the submission is flagged as tampered.
/// </summary>
public sealed class Canaries
{
    private Canaries(string className, IReadOnlyList<string> mustPass, IReadOnlyList<string> mustFail)
    {
        ClassName = className;
        MustPass = mustPass;
        MustFail = mustFail;
    }

    /// <summary>The test class (full name) that holds them.</summary>
    public string ClassName { get; }

    public IReadOnlyList<string> MustPass { get; }

    public IReadOnlyList<string> MustFail { get; }

    /// <summary>New random names for one run.</summary>
    public static Canaries Create()
    {
        string Name(string prefix) => prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        return new Canaries("Lab.Checks_" + Name("n") + ".Checks_" + Name("c"), [Name("Holds_"), Name("Holds_")], [Name("Holds_"), Name("Holds_")]);
    }

    /// <summary>The C# file of the canary tests.</summary>
    public string Source()
    {
        int dot = ClassName.LastIndexOf('.');
        var code = new StringBuilder();
        code.Append("namespace ").Append(ClassName[..dot]).Append(";\n\npublic sealed class ").Append(ClassName[(dot + 1)..]).Append("\n{\n");
        int seed = RandomNumberGenerator.GetInt32(1000, 1_000_000);
        foreach (var name in MustPass)
        {
            code.Append("    [Xunit.Fact]\n    public void ").Append(name).Append("() => Xunit.Assert.Equal(").Append(seed).Append(", ").Append(seed).Append(");\n\n");
        }

        foreach (var name in MustFail)
        {
            code.Append("    [Xunit.Fact]\n    public void ").Append(name).Append("() => Xunit.Assert.Equal(").Append(seed).Append(", ").Append(seed + 1).Append(");\n\n");
        }

        code.Append("}\n");

        // Student code that tampers usually starts in a module initializer of its own assembly, which the runtime runs
        // when a test first touches that assembly — possibly after the canaries have already run honestly, so that only
        // later tests are patched. This initializer of the test assembly runs before any test (before Main) and runs the
        // module initializers of the lab assemblies it references first, so whatever they do, they do to the canaries too.
        code.Append("\n#pragma warning disable CA2255 // a module initializer on purpose: it must run before any test\ninternal static class ").Append(ClassName[(dot + 1)..]).Append("_LoadFirst\n{\n")
            .Append("    [System.Runtime.CompilerServices.ModuleInitializer]\n")
            .Append("    internal static void Run()\n    {\n")
            .Append("        var self = typeof(").Append(ClassName[(dot + 1)..]).Append("_LoadFirst).Assembly;\n")
            .Append("        foreach (var name in self.GetReferencedAssemblies())\n        {\n")
            .Append("            if (name.Name is { } n && n.StartsWith(\"Lab\", System.StringComparison.Ordinal))\n            {\n")
            .Append("                System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(System.Reflection.Assembly.Load(name).ManifestModule.ModuleHandle);\n")
            .Append("            }\n        }\n    }\n}\n");
        return code.ToString();
    }

    /// <summary>True when <paramref name="outcome"/> is one of these canaries.</summary>
    public bool Holds(TestOutcome outcome) => outcome.Name.StartsWith(ClassName + ".", StringComparison.Ordinal);

    /// <summary>What is wrong with a report's canaries, or null when all behaved.</summary>
    public string? Check(IReadOnlyList<TestOutcome> outcomes)
    {
        var byName = outcomes.Where(Holds).GroupBy(o => o.Name[(ClassName.Length + 1)..]).ToDictionary(g => g.Key, g => g.First());
        var missing = MustPass.Concat(MustFail).Where(n => !byName.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            return $"{missing.Count} of the grader's {MustPass.Count + MustFail.Count} control tests are missing from the report";
        }

        int wrongPass = MustFail.Count(n => byName[n].Result == TestResultKind.Pass);
        if (wrongPass > 0)
        {
            return $"{wrongPass} control test(s) that must fail passed (tests were patched or the report rewritten)";
        }

        int wrongFail = MustPass.Count(n => byName[n].Result != TestResultKind.Pass);
        return wrongFail > 0 ? $"{wrongFail} control test(s) that must pass did not (the test run was interfered with)" : null;
    }
}
