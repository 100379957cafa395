using System.Text;

namespace Workbook.Notebooks;

/// <summary>
/// Collects one cell's outputs in the order they happen: console text becomes stream outputs,
/// and a display in between closes the text written before it.
/// </summary>
internal sealed class CellSink
{
    private readonly object _gate = new();
    private readonly List<CellOutput> _outputs = [];
    private readonly StringBuilder _pending = new();
    private string _pendingStream = "stdout";

    public void Write(string stream, string? text)
    {
        if (string.IsNullOrEmpty(text))
            return;
        lock (_gate)
        {
            if (_pendingStream != stream)
                FlushText();
            _pendingStream = stream;
            _pending.Append(text);
        }
    }

    public void Add(CellOutput output)
    {
        lock (_gate)
        {
            FlushText();
            _outputs.Add(output);
        }
    }

    public IReadOnlyList<CellOutput> Complete()
    {
        lock (_gate)
        {
            FlushText();
            return [.. _outputs];
        }
    }

    private void FlushText()
    {
        if (_pending.Length == 0)
            return;
        var text = _pending.ToString();
        _pending.Clear();
        if (_outputs.Count > 0 && _outputs[^1] is StreamOutput last && last.Name == _pendingStream)
            _outputs[^1] = last with { Text = last.Text + text };
        else
            _outputs.Add(new StreamOutput(_pendingStream, text));
    }
}

/// <summary>
/// Console.Out and Console.Error are process-wide; this writer sends what is written to the sink of
/// the cell running on the current async flow, and everything else to the real console.
/// Installed once per process: the only static state the runner keeps.
/// </summary>
internal sealed class ConsoleRouter : TextWriter
{
    private static readonly AsyncLocal<CellSink?> Current = new();
    private static readonly object InstallGate = new();
    private static bool _installed;

    private readonly TextWriter _fallback;
    private readonly string _stream;

    private ConsoleRouter(TextWriter fallback, string stream)
    {
        _fallback = fallback;
        _stream = stream;
    }

    public override Encoding Encoding => _fallback.Encoding;

    /// <summary>Routes console output of this async flow (and flows it starts) to <paramref name="sink"/>.</summary>
    public static IDisposable Capture(CellSink sink)
    {
        lock (InstallGate)
        {
            if (!_installed)
            {
                Console.SetOut(new ConsoleRouter(Console.Out, "stdout"));
                Console.SetError(new ConsoleRouter(Console.Error, "stderr"));
                _installed = true;
            }
        }
        var previous = Current.Value;
        Current.Value = sink;
        return new Restore(previous);
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (Current.Value is { } sink)
            sink.Write(_stream, value);
        else
            _fallback.Write(value);
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write(value + Environment.NewLine);

    public override void Flush()
    {
        if (Current.Value is null)
            _fallback.Flush();
    }

    private sealed class Restore(CellSink? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
