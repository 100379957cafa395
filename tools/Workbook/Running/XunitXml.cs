using System.Globalization;
using System.Xml.Linq;

namespace Workbook.Running;

/// <summary>Reads the xunit v3 runner's XML report (<c>-xml file</c>): each test with its traits and failure.</summary>
public static class XunitXml
{
    public static IReadOnlyList<TestOutcome> Parse(string xml)
    {
        var document = XDocument.Parse(xml);
        return document.Descendants("test").Select(test =>
        {
            var failure = test.Element("failure");
            string? milestone = test.Element("traits")?.Elements("trait")
                .FirstOrDefault(t => (string?)t.Attribute("name") == "Milestone")?.Attribute("value")?.Value;
            var result = (string?)test.Attribute("result") switch
            {
                "Pass" => TestResultKind.Pass,
                "Fail" => TestResultKind.Fail,
                "Skip" => TestResultKind.Skip,
                _ => TestResultKind.NotRun,
            };
            string? message = Unescape(failure?.Element("message")?.Value ?? test.Element("reason")?.Value);
            double.TryParse((string?)test.Attribute("time"), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds);
            return new TestOutcome(
                Unescape((string?)test.Attribute("name")) ?? "?",
                (string?)test.Attribute("method") ?? "?",
                milestone,
                result,
                message,
                (string?)failure?.Attribute("exception-type"),
                seconds);
        }).ToList();
    }

    /// <summary>
    /// Undoes the runner's own escaping of names and messages: xunit v3 writes <c>"</c> as <c>\"</c>, <c>\</c> as <c>\\</c>,
    /// a tab as <c>\t</c> and other control characters as <c>\xNN</c> (invalid UTF-16 as <c>\xNNNN</c>), inside the XML's own escaping.
    /// </summary>
    public static string? Unescape(string? value)
    {
        if (value is null || !value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var text = new System.Text.StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c != '\\' || i + 1 == value.Length)
            {
                text.Append(c);
                continue;
            }

            char next = value[++i];
            switch (next)
            {
                case '\\': text.Append('\\'); break;
                case '"': text.Append('"'); break;
                case 't': text.Append('\t'); break;
                case 'r': text.Append('\r'); break;
                case 'n': text.Append('\n'); break;
                case '0': text.Append('\0'); break;
                case 'a': text.Append('\a'); break;
                case 'b': text.Append('\b'); break;
                case 'v': text.Append('\v'); break;
                case 'f': text.Append('\f'); break;
                case 'x' when Hex(value, i + 1, 4) is int wide and (>= 0xD800 and <= 0xDFFF or 0xFFFE or 0xFFFF):
                    text.Append((char)wide);
                    i += 4;
                    break;
                case 'x' when Hex(value, i + 1, 2) is int narrow and < 0x20:
                    text.Append((char)narrow);
                    i += 2;
                    break;
                default: text.Append('\\').Append(next); break;
            }
        }

        return text.ToString();
    }

    private static int? Hex(string value, int start, int digits) =>
        start + digits <= value.Length && int.TryParse(value.AsSpan(start, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int n) ? n : null;
}
