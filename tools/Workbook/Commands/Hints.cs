using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workbook.Commands;

/// <summary>
/// A lab's HINTS.md: <c>## M1 title</c> sections, each with <c>### Hint 1</c>, <c>### Hint 2</c>, … from
/// a nudge to nearly the answer.
/// </summary>
public static partial class Hints
{
    [GeneratedRegex(@"^##\s+(M\d+)\b", RegexOptions.Multiline)]
    private static partial Regex MilestoneHeading();

    [GeneratedRegex(@"^###\s+", RegexOptions.Multiline)]
    private static partial Regex HintHeading();

    /// <summary>The hints of each milestone, in order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Parse(string markdown)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        var headings = MilestoneHeading().Matches(markdown);
        for (int i = 0; i < headings.Count; i++)
        {
            int start = headings[i].Index;
            int end = i + 1 < headings.Count ? headings[i + 1].Index : markdown.Length;
            string section = markdown[start..end];
            var parts = HintHeading().Split(section).Skip(1).Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
            result[headings[i].Groups[1].Value] = parts;
        }

        return result;
    }

    /// <summary>How many hints of each milestone a learner has seen, kept in .workbook/hints.json.</summary>
    public sealed class Seen(string stateDirectory)
    {
        private string Path => System.IO.Path.Combine(stateDirectory, "hints.json");

        public int Get(string key) => Load().GetValueOrDefault(key);

        public void Set(string key, int count)
        {
            var all = Load();
            all[key] = count;
            Directory.CreateDirectory(stateDirectory);
            File.WriteAllText(Path, JsonSerializer.Serialize(all));
        }

        private Dictionary<string, int> Load()
        {
            try
            {
                return File.Exists(Path) ? JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path)) ?? [] : [];
            }
            catch (JsonException)
            {
                return [];
            }
        }
    }
}
