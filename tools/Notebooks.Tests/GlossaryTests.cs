using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workbook.Notebooks.Tests;

/// <summary>
/// docs/GLOSSARY.md stays true: every Chinese term that a notebook's markdown or a lab's README/HINTS
/// writes in parentheses, as in "handshake (握手)", is in the glossary's 中文 column.
/// </summary>
public sealed partial class GlossaryTests
{
    // A parenthesis (ASCII or full-width) on one line whose text holds at least one CJK character.
    [GeneratedRegex(@"[(（]([^()（）\n]*\p{IsCJKUnifiedIdeographs}[^()（）\n]*)[)）]")]
    private static partial Regex Parenthesised();

    // The terms compared: each run of CJK characters ("RTMP 握手" → 握手, "推流/拉流" → 推流, 拉流).
    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}+")]
    private static partial Regex CjkRun();

    [GeneratedRegex(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeFence();

    private static string Root()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Labs.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("Labs.sln not found above " + AppContext.BaseDirectory);
        return dir;
    }

    /// <summary>The CJK runs of the 中文 column (the second cell) of every table row in GLOSSARY.md.</summary>
    internal static HashSet<string> GlossaryTerms(string markdown)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in markdown.Split('\n'))
        {
            var cells = line.Trim().Split('|');
            if (cells.Length < 4 || !line.TrimStart().StartsWith('|')) continue;
            foreach (Match run in CjkRun().Matches(cells[2])) terms.Add(run.Value);
        }
        return terms;
    }

    /// <summary>Each Chinese term written in parentheses in a text, with the parenthesis it came from.</summary>
    internal static IEnumerable<(string Term, string Context)> ParenthesisedTerms(string text)
    {
        foreach (Match m in Parenthesised().Matches(CodeFence().Replace(text, "")))
            foreach (Match run in CjkRun().Matches(m.Groups[1].Value))
                yield return (run.Value, m.Value);
    }

    private static string NotebookMarkdown(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return string.Join("\n", json.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "markdown")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString()))));
    }

    public static TheoryData<string> Sources()
    {
        var root = Root();
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal)) data.Add(Path.GetRelativePath(root, f).Replace('\\', '/'));
        foreach (var lab in Directory.GetDirectories(Path.Combine(root, "labs")).Order(StringComparer.Ordinal))
            foreach (var name in new[] { "README.md", "HINTS.md" })
                if (File.Exists(Path.Combine(lab, name))) data.Add(Path.GetRelativePath(root, Path.Combine(lab, name)).Replace('\\', '/'));
        return data;
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Every_parenthesised_Chinese_term_is_in_the_glossary(string file)
    {
        var root = Root();
        var glossary = GlossaryTerms(File.ReadAllText(Path.Combine(root, "docs", "GLOSSARY.md")));
        var path = Path.Combine(root, file);
        var text = file.EndsWith(".ipynb", StringComparison.Ordinal) ? NotebookMarkdown(path) : File.ReadAllText(path);
        var missing = ParenthesisedTerms(text)
            .Where(t => !glossary.Contains(t.Term))
            .Select(t => $"{t.Term} in {t.Context}").Distinct().ToList();
        Assert.True(missing.Count == 0,
            $"{file}: Chinese terms not in docs/GLOSSARY.md (add them to its 中文 column, or use the roadmap's word): {string.Join("; ", missing)}");
    }

    [Fact]
    public void The_glossary_has_the_terms_issue_17_asks_for()
    {
        var glossary = GlossaryTerms(File.ReadAllText(Path.Combine(Root(), "docs", "GLOSSARY.md")));
        string[] required = ["消息", "时间戳", "解码时间戳", "显示时间戳", "序列头", "起始码", "防竞争字节", "指数哥伦布码", "参考帧", "宏块",
            "封装", "解封装", "码率", "关键帧", "分片", "切片", "首帧秒开", "推流", "拉流", "关键帧缓存", "推流鉴权", "背压", "录制和点播", "监控面板", "跨域"];
        var missing = required.Where(t => !glossary.Contains(t)).ToList();
        Assert.True(missing.Count == 0, $"docs/GLOSSARY.md lacks: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Terms_are_read_from_parentheses_and_the_glossary_column()
    {
        Assert.Equal(["握手", "推流", "拉流"], ParenthesisedTerms("the handshake (握手) and (推流/拉流), not `code`, nor (plain)").Select(t => t.Term));
        Assert.Equal(["握手"], GlossaryTerms("| handshake | 握手 | C0 and 关键帧 here are meaning |"));
    }
}
