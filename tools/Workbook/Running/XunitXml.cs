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
            string? message = failure?.Element("message")?.Value ?? test.Element("reason")?.Value;
            double.TryParse((string?)test.Attribute("time"), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds);
            return new TestOutcome(
                (string?)test.Attribute("name") ?? "?",
                (string?)test.Attribute("method") ?? "?",
                milestone,
                result,
                message,
                (string?)failure?.Attribute("exception-type"),
                seconds);
        }).ToList();
    }
}
