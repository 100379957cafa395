using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Workbook.Grading;

/// <summary>
/// The grading reports: per student a Markdown and an HTML feedback page; for the class a CSV for the
/// LMS, a JSON with everything, and an HTML summary with a histogram per lab and the milestones most
/// students failed. Everything works offline: the charts are inline SVG.
/// </summary>
public static class Reports
{
    /// <summary>The CSV's columns: student, then per lab "labNN" (points) and "labNN_status", then total and max.</summary>
    public static string Csv(IReadOnlyList<LabGrade> grades, IReadOnlyList<string> labIds)
    {
        var csv = new StringBuilder();
        csv.Append("student");
        foreach (var id in labIds)
        {
            csv.Append(",lab").Append(id).Append(",lab").Append(id).Append("_status");
        }

        csv.Append(",total,max\n");
        foreach (var student in grades.GroupBy(g => g.Student).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            csv.Append(Field(student.Key));
            foreach (var id in labIds)
            {
                var grade = student.FirstOrDefault(g => g.LabId == id);
                csv.Append(',').Append(grade is null ? "" : Number(grade.Points))
                   .Append(',').Append(grade is null ? "" : grade.Status.ToString());
            }

            csv.Append(',').Append(Number(student.Sum(g => g.Points)))
               .Append(',').Append(Number(student.Sum(g => g.MaxPoints))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>Everything, for scripts.</summary>
    public static string Json(IReadOnlyList<LabGrade> grades, string isolation) =>
        JsonSerializer.Serialize(new { isolation, grades }, new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        });

    /// <summary>One student's feedback as Markdown.</summary>
    public static string StudentMarkdown(string student, IReadOnlyList<LabGrade> grades)
    {
        var md = new StringBuilder();
        md.Append("# Feedback for ").Append(MarkdownText(student)).Append("\n\n");
        md.Append("Total: **").Append(Number(grades.Sum(g => g.Points))).Append(" / ").Append(Number(grades.Sum(g => g.MaxPoints))).Append("**\n");
        foreach (var grade in grades)
        {
            md.Append("\n## Lab ").Append(MarkdownText(grade.LabId)).Append(' ').Append(MarkdownText(grade.LabTitle)).Append(": ")
              .Append(Number(grade.Points)).Append(" / ").Append(Number(grade.MaxPoints)).Append("\n\n");
            if (grade.Reason is not null)
            {
                md.Append("> ").Append(grade.Status is GradeStatus.Graded ? "" : "**" + grade.Status + "**: ").Append(MarkdownText(grade.Reason)).Append("\n\n");
            }

            md.Append("| Milestone | Tests passed | Points |\n|---|---|---|\n");
            foreach (var m in grade.Milestones)
            {
                md.Append("| ").Append(MarkdownText(m.Id)).Append(' ').Append(MarkdownText(m.Title)).Append(m.Stretch ? " (stretch)" : "").Append(" | ")
                  .Append(m.Passed).Append(" / ").Append(m.Total).Append(" | ").Append(Number(m.Points)).Append(" / ").Append(Number(m.MaxPoints)).Append(" |\n");
            }

            foreach (var failure in grade.Failures)
            {
                md.Append("\n**").Append(MarkdownText(failure.Milestone)).Append(" · ").Append(MarkdownInline(failure.Test)).Append("**\n\n").Append(MarkdownCode(failure.Message));
            }
        }

        return md.ToString();
    }

    /// <summary>One student's feedback as a standalone HTML page.</summary>
    public static string StudentHtml(string student, IReadOnlyList<LabGrade> grades)
    {
        var html = new StringBuilder();
        html.Append(Head("Feedback for " + student));
        html.Append("<h1>Feedback for ").Append(E(student)).Append("</h1><p class=total>Total: <b>")
            .Append(Number(grades.Sum(g => g.Points))).Append(" / ").Append(Number(grades.Sum(g => g.MaxPoints))).Append("</b></p>");
        foreach (var grade in grades)
        {
            html.Append("<h2>Lab ").Append(E(grade.LabId)).Append(' ').Append(E(grade.LabTitle)).Append(": ")
                .Append(Number(grade.Points)).Append(" / ").Append(Number(grade.MaxPoints)).Append("</h2>");
            if (grade.Reason is not null)
            {
                html.Append("<p class=reason>").Append(E(grade.Reason)).Append("</p>");
            }

            html.Append("<table><tr><th>Milestone</th><th>Tests passed</th><th>Points</th></tr>");
            foreach (var m in grade.Milestones)
            {
                string css = m.Total > 0 && m.Passed == m.Total ? "pass" : "fail";
                html.Append("<tr class=").Append(css).Append("><td>").Append(E(m.Id + " " + m.Title)).Append(m.Stretch ? " <i>(stretch)</i>" : "")
                    .Append("</td><td>").Append(m.Passed).Append(" / ").Append(m.Total).Append("</td><td>")
                    .Append(Number(m.Points)).Append(" / ").Append(Number(m.MaxPoints)).Append("</td></tr>");
            }

            html.Append("</table>");
            foreach (var failure in grade.Failures)
            {
                html.Append("<h3>").Append(E(failure.Milestone + " · " + failure.Test)).Append("</h3><pre>").Append(E(failure.Message)).Append("</pre>");
            }
        }

        return html.Append("</body></html>").ToString();
    }

    /// <summary>The class summary: a table, a histogram of scores per lab, the milestones most students failed.</summary>
    public static string ClassHtml(IReadOnlyList<LabGrade> grades, IReadOnlyList<(string Id, string Title)> labs, string isolation, bool isolated = true)
    {
        var html = new StringBuilder(Head("Class summary"));
        var students = grades.Select(g => g.Student).Distinct().Order(StringComparer.Ordinal).ToList();
        var files = FileNames(students);
        html.Append("<h1>Class summary</h1><p>").Append(students.Count).Append(" submission(s), ").Append(labs.Count).Append(" lab(s).</p>");
        html.Append(isolated ? "<p class=isolation>Isolation: " : "<p class=unisolated><b>NOT ISOLATED.</b> ").Append(E(isolation)).Append("</p>");
        var review = grades.Where(g => g.Status is GradeStatus.Tampered or GradeStatus.Rejected || g.Flags is { Count: > 0 }).ToList();
        if (review.Count > 0)
        {
            html.Append("<h2>For the instructor to review</h2><ul class=review>");
            foreach (var g in review)
            {
                html.Append("<li><b>").Append(E(g.Student)).Append("</b> · Lab ").Append(E(g.LabId)).Append(": ");
                if (g.Status is GradeStatus.Tampered or GradeStatus.Rejected)
                {
                    html.Append(g.Status).Append(" — ").Append(E(g.Reason ?? "")).Append(g.Flags is { Count: > 0 } ? "; " : "");
                }

                html.Append(E(string.Join("; ", g.Flags ?? []))).Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("<table><tr><th>Student</th>");
        foreach (var lab in labs)
        {
            html.Append("<th>Lab ").Append(E(lab.Id)).Append("</th>");
        }

        html.Append("<th>Total</th></tr>");
        foreach (var student in students)
        {
            html.Append("<tr><td><a href=\"students/").Append(E(files[student])).Append(".html\">").Append(E(student)).Append("</a></td>");
            foreach (var lab in labs)
            {
                var grade = grades.FirstOrDefault(g => g.Student == student && g.LabId == lab.Id);
                html.Append("<td title=\"").Append(E(grade?.Reason ?? grade?.Status.ToString() ?? "")).Append("\">")
                    .Append(grade is null ? "—" : Number(grade.Points) + (grade.Status == GradeStatus.Graded ? "" : " ⚠")).Append("</td>");
            }

            html.Append("<td><b>").Append(Number(grades.Where(g => g.Student == student).Sum(g => g.Points))).Append("</b></td></tr>");
        }

        html.Append("</table>");
        foreach (var lab in labs)
        {
            var scores = grades.Where(g => g.LabId == lab.Id).ToList();
            if (scores.Count == 0)
            {
                continue;
            }

            html.Append("<h2>Lab ").Append(E(lab.Id)).Append(' ').Append(E(lab.Title)).Append("</h2>");
            html.Append(Histogram(scores.Select(s => s.MaxPoints == 0 ? 0 : 100 * s.Points / s.MaxPoints).ToList()));
            var hardest = scores.SelectMany(s => s.Milestones.Select(m => (m, s)))
                .GroupBy(x => x.m.Id + " " + x.m.Title)
                .Select(g => (Milestone: g.Key, Failed: g.Count(x => x.m.Total == 0 || x.m.Passed < x.m.Total), Of: g.Count()))
                .Where(x => x.Failed > 0)
                .OrderByDescending(x => x.Failed)
                .ToList();
            html.Append("<p>Milestones most students have not passed:</p><ol>");
            foreach (var (milestone, failed, of) in hardest.Take(5))
            {
                html.Append("<li>").Append(E(milestone)).Append(": ").Append(failed).Append(" of ").Append(of).Append("</li>");
            }

            html.Append("</ol>");
        }

        return html.Append("</body></html>").ToString();
    }

    /// <summary>A histogram of percentages in ten bins, as inline SVG.</summary>
    public static string Histogram(IReadOnlyList<double> percentages)
    {
        var bins = new int[10];
        foreach (var p in percentages)
        {
            bins[Math.Clamp((int)(p / 10), 0, 9)]++;
        }

        int max = Math.Max(1, bins.Max());
        const int width = 440, height = 160, bar = 40, top = 16;
        var svg = new StringBuilder($"<svg class=hist xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{top + height + 30}\" role=\"img\" aria-label=\"score histogram\">");
        for (int i = 0; i < bins.Length; i++)
        {
            int h = bins[i] * height / max;
            string range = i == 9 ? "90% and more (stretch included)" : $"{i * 10}–{i * 10 + 9}%";
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{i * (bar + 4)}\" y=\"{top + height - h}\" width=\"{bar}\" height=\"{h}\" fill=\"#4878d0\"><title>{range}: {bins[i]}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{i * (bar + 4) + bar / 2}\" y=\"{top + height + 14}\" font-size=\"10\" text-anchor=\"middle\">{(i == 9 ? "90+" : (i * 10).ToString(CultureInfo.InvariantCulture))}%</text>");
            if (bins[i] > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{i * (bar + 4) + bar / 2}\" y=\"{top + height - h - 3}\" font-size=\"11\" text-anchor=\"middle\">{bins[i]}</text>");
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{top + height + 28}\" font-size=\"10\">share of the lab's points (without stretch); number of students above each bar</text>");
        return svg.Append("</svg>").ToString();
    }

    private static string Head(string title) =>
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>" + E(title) + "</title><style>" +
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}" +
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}" +
        "tr.pass td:first-child{border-left:4px solid #2a2}tr.fail td:first-child{border-left:4px solid #c33}" +
        "pre{background:#f6f6f6;padding:.6rem;overflow-x:auto}.reason{color:#a40}" +
        ".unisolated{background:#c00;color:#fff;padding:.8rem;font-size:1.2rem}</style></head><body>";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A CSV cell: quoted when needed, and never read as a formula by a spreadsheet (a leading = + - @ tab or CR gets a ').</summary>
    public static string Field(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>A file-name-safe stem of a name (letters, digits, - _ . kept; never empty, never a dot name).</summary>
    public static string FileStem(string name)
    {
        string stem = new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        stem = stem.TrimStart('.');
        return stem.Length == 0 ? "_" : stem.Length > 80 ? stem[..80] : stem;
    }

    /// <summary>A file name per student, unique in the class even when two names map to the same safe stem (compared without case).</summary>
    public static IReadOnlyDictionary<string, string> FileNames(IEnumerable<string> students)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var student in students.Distinct().Order(StringComparer.Ordinal))
        {
            string stem = FileStem(student), name = stem;
            for (int i = 2; !taken.Add(name); i++)
            {
                name = $"{stem}-{i}";
            }

            names[student] = name;
        }

        return names;
    }

    /// <summary>Text safe in Markdown prose: characters with meaning escaped, no HTML.</summary>
    public static string MarkdownText(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (char c in text.Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' '))
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '#' or '!' or '|' or '<' or '>' or '~' or '&')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>Inline code its text cannot close: the backtick fence is longer than any run inside, on one line.</summary>
    public static string MarkdownInline(string text)
    {
        text = text.Replace('\n', ' ').Replace('\r', ' ');
        string fence = new('`', LongestBacktickRun(text) + 1);
        return fence + " " + text + " " + fence;
    }

    private static int LongestBacktickRun(string text)
    {
        int longest = 0, run = 0;
        foreach (char c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    /// <summary>A fenced code block that its text cannot close: the fence is longer than any run of backticks inside.</summary>
    public static string MarkdownCode(string text)
    {
        string fence = new('`', Math.Max(3, LongestBacktickRun(text) + 1));
        return fence + "text\n" + text + "\n" + fence + "\n";
    }
}
