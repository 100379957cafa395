using System.Text.Json.Nodes;

namespace Workbook.Notebooks;

/// <summary>Writes a run's outputs into the notebook's cells in the nbformat 4 shape.</summary>
public static class NotebookOutputs
{
    /// <summary>
    /// Sets every code cell's <c>outputs</c> and <c>execution_count</c> from <paramref name="result"/>;
    /// code cells the run did not reach are cleared.
    /// </summary>
    public static void Apply(NotebookRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var byNumber = result.Cells.ToDictionary(c => c.Number);
        foreach (var cell in result.Notebook.Cells)
        {
            if (cell.Kind != CellKind.Code)
                continue;
            var outputs = new JsonArray();
            int? count = null;
            if (byNumber.TryGetValue(cell.Number, out var executed))
            {
                count = executed.ExecutionCount;
                foreach (var output in executed.Outputs)
                    outputs.Add(output.ToJson(count));
            }
            cell.Json["execution_count"] = count;
            cell.Json["outputs"] = outputs;
            if (cell.Json["metadata"] is null)
                cell.Json["metadata"] = new JsonObject();
        }
    }

    /// <summary>The committed outputs of each code cell, by cell number.</summary>
    internal static Dictionary<int, List<CellOutput>> Read(NotebookDocument notebook) =>
        notebook.Cells.Where(c => c.Kind == CellKind.Code).ToDictionary(
            c => c.Number,
            c => c.Json["outputs"] is JsonArray a ? a.OfType<JsonObject>().Select(CellOutputJson.Parse).ToList() : []);
}
