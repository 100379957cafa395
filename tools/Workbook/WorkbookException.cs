namespace Workbook;

/// <summary>An error the workbook explains in one line to the person at the keyboard (no stack trace).</summary>
public sealed class WorkbookException(string message) : Exception(message);
