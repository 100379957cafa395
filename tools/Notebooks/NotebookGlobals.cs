namespace Workbook.Notebooks;

/// <summary>
/// What a notebook's cells see besides their own code, as in the .NET Interactive C# kernel:
/// <c>display(x)</c> shows a value in the middle of a cell.
/// </summary>
/// <remarks>One instance per notebook run; the runner points it at the cell that is running.</remarks>
public sealed class NotebookGlobals
{
    private readonly ValueFormatter _formatter;

    internal NotebookGlobals(ValueFormatter formatter) => _formatter = formatter;

    internal CellSink? Sink { get; set; }

    /// <summary>Shows <paramref name="value"/> as an output of the running cell, formatted like the kernel does.</summary>
    /// <param name="value">Any value; a Plotly.NET chart shows as a chart.</param>
    /// <param name="mimeTypes">Restrict the representations, e.g. "text/plain"; none means the preferred ones.</param>
    /// <returns>The value, so a call can stand inside an expression.</returns>
#pragma warning disable IDE1006 // the kernel's name is lower case, and notebooks call it so
    public object? display(object? value, params string[] mimeTypes)
#pragma warning restore IDE1006
    {
        var sink = Sink ?? throw new InvalidOperationException("display() was called outside a running cell.");
        sink.Add(new DisplayOutput(_formatter.Format(value, mimeTypes), IsResult: false));
        return value;
    }

    /// <summary>Wraps HTML so that it displays as HTML, like the kernel's <c>HTML("...")</c>.</summary>
#pragma warning disable CA1822 // an instance member, so cells can call it unqualified
    public Microsoft.AspNetCore.Html.IHtmlContent HTML(string html) => new Microsoft.AspNetCore.Html.HtmlString(html);
#pragma warning restore CA1822
}
