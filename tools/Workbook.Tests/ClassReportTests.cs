using Workbook.Grading;

namespace Workbook.Tests;

/// <summary>The class summary page renders in a real browser: headless Chromium loads it and its DOM holds the charts.</summary>
public class ClassReportTests
{
    private static LabGrade Grade(string student, double m1, double m2) => new(
        student, "01", "RTMP handshake", GradeStatus.Graded, null,
        [new MilestoneScore("M1", "packets", false, m1 > 0 ? 9 : 0, 9, m1, 20), new MilestoneScore("M2", "server", false, m2 > 0 ? 11 : 0, 11, m2, 35)],
        [], 1, 1);

    [Fact(Timeout = 60000)]
    public async Task The_class_summary_renders_in_headless_chromium_with_a_histogram_per_lab()
    {
        var grades = new[] { Grade("ada", 20, 35), Grade("bo", 20, 0), Grade("cy", 0, 0) };
        string html = Reports.ClassHtml(grades, [("01", "RTMP handshake")], "test");
        string folder = Directory.CreateTempSubdirectory("workbook-report-").FullName;
        string page = Path.Combine(folder, "class.html");
        File.WriteAllText(page, html);

        string browser = Workbook.Setup.Prerequisites.FindBrowser()
            ?? throw new Xunit.Sdk.XunitException("This test renders the report in Chromium, which is not installed: " + Workbook.Setup.Prerequisites.InstallCommand("chromium"));
        var result = await Workbook.Running.ProcessRunner.RunAsync(browser,
            ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
             $"--user-data-dir={Path.Combine(folder, "profile")}", "--dump-dom", new Uri(page).AbsoluteUri],
            folder, TimeSpan.FromSeconds(50), TestContext.Current.CancellationToken);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("<h1>Class summary</h1>", result.Output, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"hist\"", result.Output, StringComparison.Ordinal);
        Assert.Equal(10, CountOf(result.Output, "<rect "));
        Assert.Contains("M2 server: 2 of 3", result.Output, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    private static int CountOf(string text, string what)
    {
        int count = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
