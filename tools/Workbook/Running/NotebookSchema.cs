using System.Reflection;
using System.Text.Json;
using Workbook.Setup;

namespace Workbook.Running;

/// <summary>What the nbformat check said: why it could not run, or each notebook's problems (none when it is valid).</summary>
/// <param name="Unavailable">Why no check ran (no Python, no nbformat), with the command that installs it; null when it ran.</param>
/// <param name="NbformatVersion">The nbformat that checked, e.g. "5.5.0".</param>
/// <param name="Problems">Per notebook path as given: its problems, each naming the cell ("cell 3 (code, no id: …): …").</param>
public sealed record NotebookSchemaReport(string? Unavailable, string? NbformatVersion, IReadOnlyDictionary<string, IReadOnlyList<string>> Problems);

/// <summary>
/// Checks notebooks against the nbformat 4.5 schema with the Python nbformat package (Debian's
/// python3-nbformat), strictly: a cell without an id is an error, although nbformat itself only warns and
/// adds one. The checking script is <c>validate_notebooks.py</c> beside this file. A machine without Python
/// or nbformat gets the install command, never a silent pass.
/// </summary>
public static class NotebookSchema
{
    private const string Marker = "@@notebook-schema ";

    /// <summary>The command that installs the Python nbformat package here.</summary>
    public static string InstallCommand() =>
        OperatingSystem.IsLinux() && Prerequisites.RealTool("apt-get") is not null ? Prerequisites.InstallCommand("python3-nbformat")
        : OperatingSystem.IsWindows() ? "py -m pip install nbformat"
        : "python3 -m pip install nbformat";

    /// <summary>
    /// The Python interpreters to try, in order. Debian's /usr/bin/python3 comes first on Linux: apt's
    /// python3-nbformat lives there, while a python3 earlier on PATH (pyenv, a venv) may not have it.
    /// </summary>
    public static IReadOnlyList<string> PythonCandidates()
    {
        var list = new List<string>();
        if (OperatingSystem.IsLinux() && File.Exists("/usr/bin/python3"))
        {
            list.Add("/usr/bin/python3");
        }

        foreach (var name in OperatingSystem.IsWindows() ? new[] { "py", "python3", "python" } : ["python3", "python"])
        {
            if (Prerequisites.RealTool(name) is { } path)
            {
                list.Add(path);
            }
        }

        return [.. list.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The checking script, as shipped inside the workbook tool.</summary>
    internal static string Script()
    {
        using var stream = typeof(NotebookSchema).Assembly.GetManifestResourceStream("validate_notebooks.py")
            ?? throw new InvalidOperationException("validate_notebooks.py is not embedded in the workbook tool");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Checks <paramref name="notebooks"/> with the first interpreter of <paramref name="pythons"/> (default:
    /// <see cref="PythonCandidates"/>) that has nbformat; one Python process for all of them.
    /// </summary>
    public static async Task<NotebookSchemaReport> CheckAsync(IReadOnlyList<string> notebooks, CancellationToken cancellationToken, IReadOnlyList<string>? pythons = null)
    {
        pythons ??= PythonCandidates();
        var empty = new Dictionary<string, IReadOnlyList<string>>();
        if (pythons.Count == 0)
        {
            return new NotebookSchemaReport(
                $"cannot check the notebooks against nbformat 4.5: no python3 here. Install Python and nbformat: {InstallCommand()}", null, empty);
        }

        string script = Script();
        var tried = new List<string>();
        foreach (var python in pythons)
        {
            ProcessResult result;
            try
            {
                result = await ProcessRunner.RunAsync(python, ["-c", script, .. notebooks], Environment.CurrentDirectory, TimeSpan.FromMinutes(2), cancellationToken);
            }
            catch (WorkbookException e)
            {
                tried.Add($"{python}: {e.Message}");
                continue;
            }

            string? line = result.Output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
            if (line is null)
            {
                string tail = string.Join(" | ", result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(4));
                tried.Add($"{python}: {(result.TimedOut ? "timed out" : $"exit code {result.ExitCode}")} {tail}".TrimEnd());
                continue;
            }

            using var json = JsonDocument.Parse(line[Marker.Length..]);
            if (json.RootElement.TryGetProperty("missing", out var missing))
            {
                tried.Add($"{python}: {missing.GetString()}");
                continue;
            }

            var problems = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var notebook in json.RootElement.GetProperty("notebooks").EnumerateObject())
            {
                problems[notebook.Name] = [.. notebook.Value.EnumerateArray().Select(p => p.GetString() ?? "")];
            }

            return new NotebookSchemaReport(null, json.RootElement.GetProperty("nbformat").GetString(), problems);
        }

        return new NotebookSchemaReport(
            $"cannot check the notebooks against nbformat 4.5: no Python here has nbformat ({string.Join("; ", tried)}). Install it: {InstallCommand()}",
            null, empty);
    }
}
