using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workbook.Commands;
using Workbook.Labs;
using Workbook.Notebooks;

namespace Workbook.Tests;

/// <summary>nbformat 4.5 validity: cell ids given on load and save, and verify's check with Python's nbformat.</summary>
public sealed class NotebookValidationTests : IDisposable
{
    private const string WithoutIds = """
        {
         "cells": [
          { "cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "Some prose."] },
          { "cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ["var x = 1;\n", "x"] },
          { "cell_type": "code", "execution_count": null, "id": "keep-me_1", "metadata": {}, "outputs": [], "source": "x + 1" }
         ],
         "metadata": { "kernelspec": { "display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp" } },
         "nbformat": 4,
         "nbformat_minor": 5
        }
        """;

    private readonly string folder = Directory.CreateTempSubdirectory("workbook-nbformat-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string json)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, json);
        return path;
    }

    [Fact(Timeout = 60_000)]
    public async Task A_notebook_without_cell_ids_fails_the_check_naming_the_notebook_and_each_cell()
    {
        string path = Write("05-demo.ipynb", WithoutIds);

        var (passed, failures) = await VerifyCommand.CheckNotebookSchemasAsync(Repository.At(folder), [path], TestContext.Current.CancellationToken);

        Assert.Equal(0, passed);
        var failure = Assert.Single(failures);
        Assert.Contains("05-demo.ipynb", failure, StringComparison.Ordinal);
        Assert.Contains("cell 1 (markdown, no id", failure, StringComparison.Ordinal);
        Assert.Contains("cell 2 (code, no id", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("cell 3", failure, StringComparison.Ordinal);
        Assert.Contains("--write-outputs", failure, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_cell_id_outside_the_schema_and_a_duplicate_id_fail_the_check()
    {
        var root = JsonNode.Parse(WithoutIds)!.AsObject();
        root["cells"]![0]!["id"] = "has.a.dot";
        root["cells"]![1]!["id"] = "keep-me_1";
        string path = Write("bad-ids.ipynb", root.ToJsonString());

        var (passed, failures) = await VerifyCommand.CheckNotebookSchemasAsync(Repository.At(folder), [path], TestContext.Current.CancellationToken);

        Assert.Equal(0, passed);
        var failure = Assert.Single(failures);
        Assert.Contains("cell 1 (markdown, id \"has.a.dot\"", failure, StringComparison.Ordinal);
        Assert.Contains("cell 3 (code, id \"keep-me_1\"", failure, StringComparison.Ordinal);
        Assert.Contains("also the id of cell 2", failure, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_saved_notebook_has_an_id_on_every_cell_keeps_the_ids_it_had_and_passes_the_check()
    {
        string path = Write("05-demo.ipynb", WithoutIds);

        NotebookDocument.Load(path).Save();

        var cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();
        var ids = cells.Select(c => (string?)c!["id"]).ToList();
        Assert.All(ids, id => Assert.Matches(new Regex("^[a-zA-Z0-9_-]{1,64}$"), id!));
        Assert.Equal("keep-me_1", ids[2]);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        // Where Jupyter puts it: after cell_type and execution_count, before metadata.
        Assert.Equal(["cell_type", "execution_count", "id", "metadata", "outputs", "source"], cells[1]!.AsObject().Select(p => p.Key));

        var (passed, failures) = await VerifyCommand.CheckNotebookSchemasAsync(Repository.At(folder), [path], TestContext.Current.CancellationToken);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(1, passed);
    }

    [Fact]
    public void Cell_ids_are_stable_across_saves_and_derived_from_the_notebook_name_and_position()
    {
        string path = Write("05-demo.ipynb", WithoutIds);
        var loaded = NotebookDocument.Load(path);
        var first = loaded.Cells.Select(c => c.Id).ToList();
        loaded.Save();
        string once = File.ReadAllText(path);
        NotebookDocument.Load(path).Save();
        string twice = File.ReadAllText(path);

        Assert.Equal(once, twice);
        Assert.Equal(first, NotebookDocument.Load(path).Cells.Select(c => c.Id));
        // The same unsaved notebook loaded again gets the same ids: re-runs do not churn.
        Assert.Equal(first, NotebookDocument.Parse(Path.Combine(folder, "elsewhere", "05-demo.ipynb"), WithoutIds).Cells.Select(c => c.Id));
        Assert.NotEqual(first, NotebookDocument.Parse("06-other.ipynb", WithoutIds).Cells.Select(c => c.Id));
    }

    [Fact]
    public void A_cell_added_after_loading_gets_an_id_when_saved_and_an_old_notebook_becomes_4_5()
    {
        var root = JsonNode.Parse(WithoutIds)!.AsObject();
        root["nbformat_minor"] = 4;
        string path = Write("07-x.ipynb", root.ToJsonString());
        var notebook = NotebookDocument.Load(path);
        notebook.Root["cells"]!.AsArray().Add(new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = "new" });

        notebook.Save();

        var saved = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(5, (int)saved["nbformat_minor"]!);
        Assert.All(saved["cells"]!.AsArray(), c => Assert.True(NotebookDocument.IsValidCellId((string?)c!["id"]), c!.ToJsonString()));
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_python_or_nbformat_the_check_fails_with_the_install_command_instead_of_passing()
    {
        string path = Write("05-demo.ipynb", WithoutIds);
        var repository = Repository.At(folder);
        var ct = TestContext.Current.CancellationToken;

        var (noPythonPassed, noPython) = await VerifyCommand.CheckNotebookSchemasAsync(repository, [path], ct, pythons: []);
        var (missingPassed, missing) = await VerifyCommand.CheckNotebookSchemasAsync(repository, [path], ct, pythons: [Path.Combine(folder, "no-such-python3")]);

        Assert.Equal(0, noPythonPassed + missingPassed);
        foreach (var failures in new[] { noPython, missing })
        {
            var failure = Assert.Single(failures);
            Assert.Contains("cannot check the notebooks against nbformat 4.5", failure, StringComparison.Ordinal);
            Assert.Matches("apt-get install -y python3-nbformat|pip install nbformat", failure);
        }

        if (OperatingSystem.IsLinux() && File.Exists("/usr/bin/python3"))
        {
            // A real Python whose nbformat cannot be imported (-S: no site-packages).
            string fake = Path.Combine(folder, "python-without-nbformat");
            File.WriteAllText(fake, "#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n");
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var (passed, failures) = await VerifyCommand.CheckNotebookSchemasAsync(repository, [path], ct, pythons: [fake]);
            Assert.Equal(0, passed);
            Assert.Contains("No module named", Assert.Single(failures), StringComparison.Ordinal);
        }
    }
}
